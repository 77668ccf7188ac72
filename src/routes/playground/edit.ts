/**
 * Edits of the playground's tokens and vectors. Pure: each returns a new state (or the same one when
 * the edit is not allowed, e.g. a 17th token), so the page's state and the URL change together.
 */
import { Generator } from '$lib/engine';
import { m } from '$lib/paraglide/messages';
import { LIMITS, type PlaygroundState } from '$lib/playground';

/** Two decimals, like the book's embeddings (and short links). */
const round2 = (x: number): number => Math.round(x * 100) / 100 || 0;

/** A name not yet taken: "token 7", "token 8", … (in the page's language) */
function freshName(tokens: string[]): string {
	for (let n = tokens.length + 1; ; n++) {
		const name = m.pages_fresh_token({ n });
		if (!tokens.includes(name)) return name;
	}
}

export function addToken(s: PlaygroundState): PlaygroundState {
	if (s.tokens.length >= LIMITS.maxTokens) return s;
	const d = s.inputs[0]?.length ?? 3;
	return {
		...s,
		tokens: [...s.tokens, freshName(s.tokens)],
		inputs: [...s.inputs, Array(d).fill(0)]
	};
}

export function removeToken(s: PlaygroundState, i: number): PlaygroundState {
	if (s.tokens.length <= LIMITS.minTokens) return s;
	return {
		...s,
		tokens: s.tokens.filter((_, k) => k !== i),
		inputs: s.inputs.filter((_, k) => k !== i)
	};
}

/** Swap token i with its neighbour (−1: earlier, +1: later); order matters for the causal mask. */
export function moveToken(s: PlaygroundState, i: number, by: -1 | 1): PlaygroundState {
	const j = i + by;
	if (j < 0 || j >= s.tokens.length) return s;
	const swap = <T>(a: T[]): T[] => {
		const b = [...a];
		[b[i], b[j]] = [b[j], b[i]];
		return b;
	};
	return { ...s, tokens: swap(s.tokens), inputs: swap(s.inputs) };
}

export function renameToken(s: PlaygroundState, i: number, name: string): PlaygroundState {
	return { ...s, tokens: s.tokens.map((t, k) => (k === i ? name : t)) };
}

export function setEntry(s: PlaygroundState, i: number, d: number, value: number): PlaygroundState {
	return {
		...s,
		inputs: s.inputs.map((row, k) => (k === i ? row.map((x, e) => (e === d ? value : x)) : row))
	};
}

/** Change d_in: entries beyond it are dropped, new ones are 0. */
export function setInputDim(s: PlaygroundState, d: number): PlaygroundState {
	if (!Number.isInteger(d) || d < 1 || d > LIMITS.maxDim) return s;
	return {
		...s,
		inputs: s.inputs.map((row) => Array.from({ length: d }, (_, e) => row[e] ?? 0))
	};
}

/**
 * New vectors from a seed: `torch.manual_seed(seed); torch.rand(tokens, d_in)`, rounded to two
 * decimals like the book's embeddings.
 */
export function randomInputs(s: PlaygroundState, seed: number): PlaygroundState {
	const t = s.tokens.length;
	const d = s.inputs[0]?.length ?? 3;
	const data = new Generator(seed).randData(t * d);
	return {
		...s,
		inputs: Array.from({ length: t }, (_, i) =>
			Array.from({ length: d }, (_, e) => round2(data[i * d + e]))
		)
	};
}

/** ±0.01 per arrow press, ±0.1 with Shift, rounded so repeated steps do not drift (0.30000000000000004). */
export function nudge(value: number, up: boolean, big: boolean): number {
	const step = big ? 0.1 : 0.01;
	const next = Math.round((value + (up ? step : -step)) * 100) / 100;
	return Math.max(-LIMITS.maxAbs, Math.min(LIMITS.maxAbs, next)) || 0;
}
