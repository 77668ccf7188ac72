/**
 * The numbers of every lesson figure, computed by the engine (nothing is drawn from typed numbers).
 * Synchronous: call after `await initEngine()`. `figure.svelte.ts` runs it in the browser; the unit
 * tests run it in Node against the book's printed values.
 */
import type { FigureSpec } from '$lib/content/present';
import {
	BOOK_INPUTS,
	BOOK_SEED,
	BOOK_TOKENS,
	Generator,
	MultiHeadAttention,
	shapeOfRect,
	SelfAttention_v2,
	allAttentionScores,
	attentionScores,
	causalAttentionWeights,
	contextVector,
	dot,
	dropout,
	projectQKV,
	scaledAttentionWeights,
	softmax,
	softmaxRows,
	sum,
	type Matrix,
	type Vector
} from '$lib/engine';
import { SOFTMAX_SCALES } from '$lib/content/figures';
import { m } from '$lib/paraglide/messages';
import { VARIANTS } from '$lib/content/variants';
import {
	isMhaVariant,
	runMhaVariant,
	runWeightsVariant,
	type WeightsVariant
} from '$lib/quiz/variants';

/** The book's tokens (§3.3.1): the figures' inputs are their embeddings. */
export const TOKENS: string[] = [...BOOK_TOKENS];

/** The seed of the book's §3.4.2/§3.5.1 `SelfAttention_v2` example. */
export const SA_V2_SEED = 789;

export interface HeatmapData {
	kind: 'attention-weights';
	tokens: string[];
	weights: Matrix;
	masked: boolean;
	from: 'inputs' | 'self-attention-v2';
}

export interface WeightedSumData {
	kind: 'context-vector';
	tokens: string[];
	query: number;
	weights: Vector;
	inputs: Matrix;
	terms: Matrix;
	context: Vector;
}

export interface DotProductData {
	kind: 'dot-product';
	tokens: string[];
	query: number;
	key: number;
	a: Vector;
	b: Vector;
	products: Vector;
	dot: number;
	normA: number;
	normB: number;
	cos: number;
	/** Degrees. */
	angle: number;
}

export interface ProjectionData {
	kind: 'projection';
	tokens: string[];
	query: number;
	x: Vector;
	W: { query: Matrix; key: Matrix; value: Matrix };
	q: Vector;
	k: Vector;
	v: Vector;
}

export interface SoftmaxScaleData {
	kind: 'softmax-scale';
	labels: string[];
	scores: Vector;
	scales: number[];
	/** Per scale c: the scores times c, and their softmax. */
	scaled: Matrix;
	weights: Matrix;
}

export interface ShiftData {
	kind: 'shift';
	/** A training window of the sentence: its first five tokens, and each one's target, the next token. */
	inputs: string[];
	targets: string[];
	/**
	 * The attention weight position i puts on input i+1, which is its own target, without the mask and
	 * with it; null for the last position, whose target is outside the window.
	 */
	leak: (number | null)[];
	leakMasked: (number | null)[];
}

export interface DropoutData {
	kind: 'dropout-mask';
	labels: string[];
	p: number;
	seed: number;
	scale: number;
	input: Matrix;
	keep: Matrix;
	output: Matrix;
	rowSumsIn: Vector;
	rowSumsOut: Vector;
	fromWeights: boolean;
}

export interface HeadSplitData {
	kind: 'head-split';
	tokens: string[];
	d_out: number;
	num_heads: number;
	head_dim: number;
	/** keys = W_key(x), the first batch item: T × d_out. */
	keys: Matrix;
	/** keys.view(b, T, h, d_h), the first batch item: T × h × d_h. */
	view: Matrix[];
	/** .transpose(1, 2), the first batch item: h × T × d_h. */
	heads: Matrix[];
	/** Shapes of the three tensors (with the batch axis), read from the engine's arrays. */
	shapes: { keys: number[]; view: number[]; heads: number[] };
}

export interface BugCompareData {
	kind: 'bug-compare';
	title: string;
	bug: string;
	fix: string;
	/** Markdown: what goes wrong. */
	why: string;
	/** What is compared: "attention weights" or "output (context vectors)" (shown translated). */
	what: string;
	rowLabels: string[];
	colLabels: string[];
	correct: Matrix;
	buggy: Matrix;
	/** The setting, in words (in the page's language). */
	setting: string;
}

export type FigureData =
	| HeatmapData
	| WeightedSumData
	| DotProductData
	| ProjectionData
	| SoftmaxScaleData
	| ShiftData
	| DropoutData
	| HeadSplitData
	| BugCompareData;

/** What the learner chose in an interactive figure. */
export interface FigureChoice {
	query?: number;
	key?: number;
}

function tokenIndex(word: string): number {
	return Math.max(0, TOKENS.indexOf(word));
}

/** The book's §3.4.2 `torch.manual_seed(789); SelfAttention_v2(3, 2)` on the book's inputs. */
export function selfAttentionV2Steps() {
	const sa = new SelfAttention_v2(3, 2, false, { generator: new Generator(SA_V2_SEED) });
	return sa.forwardWithSteps(BOOK_INPUTS);
}

/** The §3.5.1 causal weights: SelfAttention_v2's scores masked with −∞, scaled by √2, softmax. */
export function bookCausalWeights(): Matrix {
	const steps = selfAttentionV2Steps();
	return causalAttentionWeights(steps.attn_scores, steps.keys[0].length).weights;
}

function heatmap(spec: Extract<FigureSpec, { kind: 'attention-weights' }>): HeatmapData {
	const masked = spec.mask === 'causal';
	let weights: Matrix;
	if (spec.from === 'self-attention-v2') {
		const steps = selfAttentionV2Steps();
		const d_k = steps.keys[0].length;
		weights = masked
			? causalAttentionWeights(steps.attn_scores, d_k).weights
			: scaledAttentionWeights(steps.attn_scores, d_k).weights;
	} else {
		const scores = allAttentionScores(BOOK_INPUTS);
		weights = masked ? causalAttentionWeights(scores, 1).weights : softmaxRows(scores).weights;
	}
	return { kind: 'attention-weights', tokens: TOKENS, weights, masked, from: spec.from };
}

function weightedSum(query: number): WeightedSumData {
	const scores = allAttentionScores(BOOK_INPUTS);
	const weights = softmax(scores[query]).weights;
	const { terms, vector } = contextVector(weights, BOOK_INPUTS);
	return {
		kind: 'context-vector',
		tokens: TOKENS,
		query,
		weights,
		inputs: BOOK_INPUTS,
		terms,
		context: vector
	};
}

function dotProduct(query: number, key: number): DotProductData {
	const a = BOOK_INPUTS[query];
	const b = BOOK_INPUTS[key];
	const { products, value } = dot(a, b);
	const normA = Math.sqrt(dot(a, a).value);
	const normB = Math.sqrt(dot(b, b).value);
	const cos = Math.max(-1, Math.min(1, value / (normA * normB)));
	return {
		kind: 'dot-product',
		tokens: TOKENS,
		query,
		key,
		a,
		b,
		products,
		dot: value,
		normA,
		normB,
		cos,
		angle: (Math.acos(cos) * 180) / Math.PI
	};
}

/** §3.4.1: `torch.manual_seed(123)`, then `torch.rand(3, 2)` for W_query, W_key, W_value. */
export function bookQkvWeights(): { query: Matrix; key: Matrix; value: Matrix } {
	const gen = new Generator(BOOK_SEED);
	const draw = () => gen.rand([3, 2]) as Matrix;
	return { query: draw(), key: draw(), value: draw() };
}

function projection(query: number): ProjectionData {
	const W = bookQkvWeights();
	const x = BOOK_INPUTS[query];
	const r = projectQKV([x], W.query, W.key, W.value);
	return {
		kind: 'projection',
		tokens: TOKENS,
		query,
		x,
		W,
		q: r.queries[0],
		k: r.keys[0],
		v: r.values[0]
	};
}

function softmaxScale(spec: Extract<FigureSpec, { kind: 'softmax-scale' }>): SoftmaxScaleData {
	const fromBook = spec.scores === null;
	const scores = spec.scores ?? attentionScores(BOOK_INPUTS, tokenIndex(spec.query)).scores;
	const labels = fromBook ? TOKENS : scores.map((_, i) => m.study_fig_score_label({ n: i + 1 }));
	// softmax(c · s) is softmax(s / √d_k) with d_k = 1 / c²: the engine's scaled softmax
	const runs = SOFTMAX_SCALES.map((c) => scaledAttentionWeights(scores, 1 / (c * c)));
	return {
		kind: 'softmax-scale',
		labels,
		scores,
		scales: [...SOFTMAX_SCALES],
		scaled: runs.map((r) => r.scaled),
		weights: runs.map((r) => r.weights)
	};
}

function shift(): ShiftData {
	const n = TOKENS.length - 1;
	const sa = new SelfAttention_v2(3, 2, false, { generator: new Generator(SA_V2_SEED) });
	const steps = sa.forwardWithSteps(BOOK_INPUTS.slice(0, n));
	const masked = causalAttentionWeights(steps.attn_scores, steps.keys[0].length).weights;
	const next = (w: Matrix) => Array.from({ length: n }, (_, i) => (i + 1 < n ? w[i][i + 1] : null));
	return {
		kind: 'shift',
		inputs: TOKENS.slice(0, n),
		targets: TOKENS.slice(1),
		leak: next(steps.attn_weights),
		leakMasked: next(masked)
	};
}

function dropoutMask(spec: Extract<FigureSpec, { kind: 'dropout-mask' }>): DropoutData {
	const fromWeights = spec.input === 'causal-weights';
	const n = TOKENS.length;
	const input = fromWeights
		? bookCausalWeights()
		: Array.from({ length: n }, () => Array<number>(n).fill(1));
	const r = dropout(input, spec.p, { generator: new Generator(spec.seed), training: true });
	return {
		kind: 'dropout-mask',
		labels: TOKENS,
		p: spec.p,
		seed: spec.seed,
		scale: r.scale,
		input,
		keep: r.keep,
		output: r.output,
		rowSumsIn: input.map((row) => sum(row)),
		rowSumsOut: r.output.map((row) => sum(row)),
		fromWeights
	};
}

function headSplit(spec: Extract<FigureSpec, { kind: 'head-split' }>): HeadSplitData {
	const n = TOKENS.length;
	const mha = new MultiHeadAttention(3, spec.d_out, n, 0, spec.num_heads, false, {
		generator: new Generator(BOOK_SEED)
	});
	const steps = mha.forwardWithSteps([BOOK_INPUTS]);
	return {
		kind: 'head-split',
		tokens: TOKENS,
		d_out: spec.d_out,
		num_heads: spec.num_heads,
		head_dim: mha.head_dim,
		keys: steps.keys[0],
		view: steps.keys_view[0],
		heads: steps.keys_heads[0],
		shapes: {
			keys: shapeOfRect(steps.keys),
			view: shapeOfRect(steps.keys_view),
			heads: shapeOfRect(steps.keys_heads)
		}
	};
}

/** The bug-compare figures' MultiHeadAttention: seed 123, d_out 4, two heads of 2. */
const MHA_SETTING = { seed: BOOK_SEED, d_out: 4, num_heads: 2 };

function bugCompare(spec: Extract<FigureSpec, { kind: 'bug-compare' }>): BugCompareData {
	const info = VARIANTS[spec.variant];
	const base = { kind: 'bug-compare' as const, title: info.title, bug: info.bug, fix: info.fix };
	if (isMhaVariant(spec.variant)) {
		const run = runMhaVariant(spec.variant, { x: BOOK_INPUTS, ...MHA_SETTING });
		return {
			...base,
			why: run.why,
			what: 'output (context vectors)',
			rowLabels: TOKENS,
			colLabels: Array.from({ length: MHA_SETTING.d_out }, (_, j) => String(j + 1)),
			correct: run.correct,
			buggy: run.buggy,
			setting: m.study_fig_setting_mha({
				seed: MHA_SETTING.seed,
				d_out: MHA_SETTING.d_out,
				heads: MHA_SETTING.num_heads
			})
		};
	}
	const steps = selfAttentionV2Steps();
	const run = runWeightsVariant(spec.variant as WeightsVariant, {
		queries: steps.queries,
		keys: steps.keys,
		dropout: { p: 0.5, seed: BOOK_SEED }
	});
	return {
		...base,
		why: run.why,
		what: 'attention weights',
		rowLabels: TOKENS,
		colLabels: TOKENS,
		correct: run.correct,
		buggy: run.buggy,
		setting:
			spec.variant === 'dropout-not-rescaled'
				? m.study_fig_setting_weights_dropout()
				: m.study_fig_setting_weights()
	};
}

/** The figure's numbers; `choice` is the query (and key) the learner picked, if any. */
export function computeFigure(spec: FigureSpec, choice: FigureChoice = {}): FigureData {
	switch (spec.kind) {
		case 'attention-weights':
			return heatmap(spec);
		case 'context-vector':
			return weightedSum(choice.query ?? tokenIndex(spec.query));
		case 'dot-product':
			return dotProduct(choice.query ?? tokenIndex(spec.query), choice.key ?? tokenIndex(spec.key));
		case 'projection':
			return projection(choice.query ?? tokenIndex(spec.query));
		case 'softmax-scale':
			return softmaxScale(spec);
		case 'shift':
			return shift();
		case 'dropout-mask':
			return dropoutMask(spec);
		case 'head-split':
			return headSplit(spec);
		case 'bug-compare':
			return bugCompare(spec);
	}
}
