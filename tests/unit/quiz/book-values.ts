/**
 * The book's printed numbers for the engine-checked questions that compute on the book's inputs and
 * weights (`inputs: book`, with the book's seeded weights or module seed): which quantity of
 * `tests/fixtures/ch03-reference.json` (PyTorch, full precision) an attempt asks for, and the text the
 * book prints for it. Shared by the unit tests and the end-to-end test `tests/e2e/book-numbers.spec.ts`.
 */

import { readFileSync } from 'node:fs';
import type { EngineQuestion } from '../../../src/lib/content/types.js';
import { drawParams, type AttemptParams } from '../../../src/lib/quiz/compute.js';

type Numeric = number | number[] | number[][];

interface Quantity {
	name: string;
	shape: number[];
	values: unknown;
	torch_str: string;
}

const REFERENCE = JSON.parse(
	readFileSync(new URL('../../fixtures/ch03-reference.json', import.meta.url), 'utf8')
) as { quantities: Quantity[] };

const QUANTITIES = new Map(REFERENCE.quantities.map((q) => [q.name, q]));

/** A reference quantity's full-precision values (float32 written as doubles). */
export function reference(name: string): Numeric {
	const quantity = QUANTITIES.get(name);
	if (!quantity) throw new Error(`${name} is not in ch03-reference.json`);
	return quantity.values as Numeric;
}

/** The numbers of `str(tensor)` as PyTorch printed them (the book's text), in order. */
export function printedNumbers(name: string): string[] {
	const quantity = QUANTITIES.get(name);
	if (!quantity) throw new Error(`${name} is not in ch03-reference.json`);
	const body = quantity.torch_str.replace(/grad_fn=<\w+>/g, '').replace(/^tensor\(/, '');
	return body.match(/-?\d+\.\d*(?:e[+-]?\d+)?/g) ?? [];
}

/** What the book prints for one attempt: the quantity (and the part of it) the attempt asks for. */
export interface BookValue {
	/** e.g. `qkv.attn_scores_2[2]`. */
	source: string;
	/** Full precision (PyTorch). */
	value: Numeric;
}

const JOURNEY = 1;

function pick(name: string, ...index: number[]): BookValue {
	let value = reference(name);
	for (const i of index) value = (value as number[][] | number[])[i] as Numeric;
	return { source: `${name}${index.map((i) => `[${i}]`).join('')}`, value };
}

/**
 * The book's value for an attempt of `question` with `params`, or null when the book prints no such
 * number (another query than the one the book shows, another module seed, other sizes…).
 */
export function bookValue(question: EngineQuestion, params: AttemptParams): BookValue | null {
	const spec = question.compute;
	if (spec.inputs.source !== 'book') return null;
	const q = params.query ?? -1;
	const k = params.key ?? -1;
	const d2 = (params.d_out ?? 2) === 2;
	const w = spec.weights;
	const rand123 = w?.type === 'seeded' && w.init === 'rand' && params.weights_seed === 123 && d2;
	const linear789 =
		w?.type === 'seeded' && w.init === 'linear' && params.weights_seed === 789 && d2;
	const seed = params.seed;
	const heads2 = (params.num_heads ?? 2) === 2;
	switch (spec.target) {
		case 'dot-product':
			return pick('simple.attn_scores', q, k);
		case 'attention-scores-row':
			return pick('simple.attn_scores', q);
		case 'attention-scores':
			return pick('simple.attn_scores');
		case 'naive-weights-row':
			return q === JOURNEY ? pick('simple.attn_weights_2_tmp') : null;
		case 'attention-weights-row':
			return pick('simple.attn_weights', q);
		case 'attention-weights':
			return pick('simple.attn_weights');
		case 'context-vector':
			return pick('simple.all_context_vecs', q);
		case 'context-vectors':
			return pick('simple.all_context_vecs');
		case 'query-vector':
			if (rand123 && q === JOURNEY) return pick('qkv.query_2');
			return linear789 ? pick('causal.queries', q) : null;
		case 'keys':
			return rand123 ? pick('qkv.keys') : linear789 ? pick('causal.keys') : null;
		case 'values':
			return rand123 ? pick('qkv.values') : null;
		case 'qk-score':
			if (rand123 && q === JOURNEY) return pick('qkv.attn_scores_2', k);
			return linear789 ? pick('causal.attn_scores', q, k) : null;
		case 'qk-scores-row':
			if (rand123 && q === JOURNEY) return pick('qkv.attn_scores_2');
			return linear789 ? pick('causal.attn_scores', q) : null;
		case 'scaled-weights-row':
			if (rand123 && q === JOURNEY) return pick('qkv.attn_weights_2');
			return linear789 ? pick('causal.attn_weights_unmasked', q) : null;
		case 'qkv-context-vector':
			return rand123 && q === JOURNEY ? pick('qkv.context_vec_2') : null;
		case 'causal-weights':
			return linear789 ? pick('causal.attn_weights') : null;
		case 'causal-weights-row':
		case 'renormalized-weights-row':
			return linear789 ? pick('causal.attn_weights', q) : null;
		case 'masked-weights-row':
			return linear789 ? pick('causal.masked_simple', q) : null;
		case 'dropout-row':
			return linear789 && seed === 123 && params.dropout === 0.5
				? pick('dropout123.attn_weights', q)
				: null;
		case 'dropout-kept-value':
			return seed === 123 && params.dropout === 0.5
				? { source: 'dropout123.ones', value: 2 }
				: null;
		case 'self-attention-v1':
			return seed === 123 && d2 ? pick('sa_v1.output') : null;
		case 'self-attention-v2':
			return seed === 789 && d2 ? pick('sa_v2.output') : null;
		case 'causal-attention':
			return seed === 123 && d2 ? pick('causal_attention.context_vecs', 0) : null;
		case 'mha-wrapper':
			return seed === 123 && d2 && heads2 ? pick('mha_wrapper.context_vecs', 0) : null;
		case 'multi-head-attention':
			return seed === 123 && d2 && heads2 ? pick('mha.context_vecs', 0) : null;
		default:
			return null;
	}
}

/** Attempt seeds scanned for draws the book prints. */
const SCANNED_SEEDS = 20_000;

/** An attempt of a question whose numbers the book prints. */
export interface BookAttempt {
	/** The attempt's seed (what `freshSeed()` returns on the page). */
	seed: number;
	params: AttemptParams;
	book: BookValue;
}

/**
 * The first attempt seeds (small, in the range of `freshSeed()`) whose draws the book prints, or
 * an empty list when no attempt of `question` is on the book's numbers. Every drawn query and key
 * the book prints gets one attempt (up to `limit` attempts).
 */
export function bookAttempts(question: EngineQuestion, limit = 8): BookAttempt[] {
	const found = new Map<string, BookAttempt>();
	if (question.compute.inputs.source !== 'book') return [];
	// a module seed is drawn from 0..999: 20 000 attempts miss 123 with probability e^-20
	for (let seed = 0; seed < SCANNED_SEEDS && found.size < limit; seed++) {
		const params = drawParams(question.compute, seed);
		const book = bookValue(question, params);
		if (book && !found.has(book.source)) found.set(book.source, { seed, params, book });
	}
	return [...found.values()];
}

/**
 * The book's value as a learner types it from the book: each number rounded to the question's
 * decimals (what PyTorch prints at 4 decimals), separated by commas, rows by new lines.
 */
export function typed(value: Numeric, decimals: number): string {
	const fmt = (v: number) => v.toFixed(decimals);
	if (typeof value === 'number') return fmt(value);
	if (Array.isArray(value[0]))
		return (value as number[][]).map((r) => r.map(fmt).join(', ')).join('\n');
	return (value as number[]).map(fmt).join(', ');
}
