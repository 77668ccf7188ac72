/**
 * How one cell of a step was computed, in words and with its terms: what a learner reads when they
 * hover or focus the cell. The values themselves always come from the engine; the terms are the
 * engine's inputs to that cell, formatted.
 */
import type { Matrix } from '$lib/engine';
import { formatFixed } from '$lib/ui/format';

/** A number as the step tables show it: 4 decimals, a true minus sign, −∞ for a masked score. */
export function fmt(x: number): string {
	if (x === Number.NEGATIVE_INFINITY) return '−∞';
	if (x === Number.POSITIVE_INFINITY) return '∞';
	return formatFixed(x, 4);
}

/** At most this many terms are written out; longer sums show their first terms and a count. */
const MAX_TERMS = 6;

/** "a₀·b₀ + a₁·b₁ + …": the products of a dot product, written out (or the first few and a count). */
export function dotTerms(a: readonly number[], b: readonly number[]): string {
	const shown = Math.min(a.length, MAX_TERMS);
	const parts = [];
	for (let k = 0; k < shown; k++) parts.push(`${fmt(a[k])}·${fmt(b[k])}`);
	const rest = a.length - shown;
	return parts.join(' + ') + (rest > 0 ? ` + … (${a.length} terms in all)` : '');
}

/** Column `c` of a matrix. */
export function column(m: Matrix, c: number): number[] {
	return m.map((row) => row[c]);
}

/** A projection's cell, §3.4.1: x⁽ⁱ⁾ · column d of W (+ bias), for `nn.Linear` or `x @ W`. */
export function explainProjection(
	what: string,
	token: string,
	x: readonly number[],
	weightColumn: readonly number[],
	bias: number | null,
	value: number
): string {
	const b = bias === null ? '' : ` + bias ${fmt(bias)}`;
	return `${what} of “${token}”: its input vector times one column of the weights, ${dotTerms(x, weightColumn)}${b} = ${fmt(value)}.`;
}

/** An attention score, §3.4.1: ωᵢⱼ = q⁽ⁱ⁾ · k⁽ʲ⁾. */
export function explainScore(
	query: string,
	key: string,
	q: readonly number[],
	k: readonly number[],
	value: number
): string {
	return `Score of query “${query}” with key “${key}”: their dot product, ${dotTerms(q, k)} = ${fmt(value)}.`;
}

/** The causal mask, §3.5.1: keys after the query are set to −∞ (or zeroed after softmax). */
export function explainMasked(query: string, key: string, future: boolean, value: number): string {
	return future
		? `“${key}” comes after “${query}”: the mask hides it (${fmt(value)}), so it gets no weight.`
		: `“${key}” is not after “${query}”: the mask keeps the score, ${fmt(value)}.`;
}

/** Scaling, §3.4.1: ω / √d_k, then × temperature when it is not 1. */
export function explainScaled(
	score: number,
	scaleFactor: number,
	temperature: number,
	value: number
): string {
	const scaled = scaleFactor === 1 ? fmt(score) : `${fmt(score)} / ${fmt(scaleFactor)} (√d_k)`;
	const temp = temperature === 1 ? '' : ` × ${temperature} (temperature)`;
	if (scaleFactor === 1 && temperature === 1) {
		return `No scaling: the softmax gets the score itself, ${fmt(value)}.`;
	}
	return `${scaled}${temp} = ${fmt(value)}.`;
}

/** Softmax over a row, §3.3.1: exp(sⱼ − max) / Σ exp(s − max). */
export function explainSoftmax(row: readonly number[], c: number, value: number): string {
	const finite = row.filter((s) => Number.isFinite(s));
	const max = Math.max(...finite);
	const exps = row.map((s) => (Number.isFinite(s) ? Math.exp(s - max) : 0));
	const sum = exps.reduce((a, b) => a + b, 0);
	if (!Number.isFinite(row[c])) {
		return `exp(−∞) = 0: a masked key gets weight 0 (${fmt(value)}).`;
	}
	return `exp(${fmt(row[c])} − ${fmt(max)}) / Σ exp(row − max) = ${fmt(exps[c])} / ${fmt(sum)} = ${fmt(value)}: softmax over the row (dim=-1), so each row sums to 1.`;
}

/** Masking after softmax, §3.5.1: zero the future, then (if renormalised) divide by the row's sum. */
export function explainMaskAfter(
	future: boolean,
	renormalised: boolean,
	rowSum: number,
	before: number,
	value: number
): string {
	if (future) return `A future key: zeroed after softmax (${fmt(before)} → 0).`;
	return renormalised
		? `${fmt(before)} / ${fmt(rowSum)} (the row's sum after zeroing the future) = ${fmt(value)}.`
		: `Kept as softmax gave it, ${fmt(value)}; not renormalised, so this row sums to ${fmt(rowSum)}, not 1.`;
}

/** Dropout, §3.5.2: dropped → 0; kept → × 1/(1 − p). */
export function explainDropout(
	kept: boolean,
	scale: number,
	before: number,
	value: number
): string {
	return kept
		? `Kept, and scaled by 1/(1 − p) = ${fmt(scale)}: ${fmt(before)} × ${fmt(scale)} = ${fmt(value)}.`
		: `Dropped: ${fmt(before)} → 0.`;
}

/** A context vector's entry, §3.3.1: zᵢ[d] = Σⱼ αᵢⱼ vⱼ[d]. */
export function explainContext(
	token: string,
	weights: readonly number[],
	valueColumn: readonly number[],
	value: number
): string {
	return `Context of “${token}”: its attention weights times the values' column, ${dotTerms(weights, valueColumn)} = ${fmt(value)}.`;
}
