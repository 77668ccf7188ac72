/**
 * What the playground shows: the tokens, their vectors and the settings of one of the book's modules.
 * Plain data, framework-free; `url.ts` puts it in a link, `pipeline.ts` (engine) computes it.
 */
import {
	BOOK_INPUTS,
	BOOK_SEED,
	BOOK_TOKENS,
	MASK_MODES,
	PIPELINE_MODULES,
	type MaskMode,
	type PipelineModule
} from '../engine/index.js';

/** The modules whose forward pass the playground runs (book §3.3–§3.6): the engine's pipeline list. */
export const PLAYGROUND_MODULES = PIPELINE_MODULES;
export type PlaygroundModule = PipelineModule;
export { MASK_MODES, type MaskMode };

/** Side-by-side comparisons: B is A with one thing changed. */
export const COMPARISONS = ['none', 'mask', 'scale', 'dropout', 'heads'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const LIMITS = {
	maxTokens: 16,
	minTokens: 1,
	maxDim: 64,
	maxHeads: 16,
	/** Largest |entry| a vector may hold (the slider's range is ±2; typing allows more). */
	maxAbs: 100,
	maxTokenLength: 24,
	maxSeed: 2 ** 32 - 1,
	minTemperature: 0.1,
	maxTemperature: 20
} as const;

export interface PlaygroundState {
	/** Token names shown as row and column labels (1–16, each 1–24 characters). */
	tokens: string[];
	/** One row per token, d_in entries each (finite, |x| ≤ 100). */
	inputs: number[][];
	module: PlaygroundModule;
	/** Output size of W_query/W_key/W_value (per head for the wrapper); ignored by `simplified`. */
	d_out: number;
	/** For the wrapper and MultiHeadAttention (must divide d_out for MultiHeadAttention). */
	num_heads: number;
	qkv_bias: boolean;
	/** `torch.manual_seed(seed)` before the module is built. */
	seed: number;
	mask: MaskMode;
	/** Divide the scores by √d_k before softmax (§3.4.1). */
	scale: boolean;
	/** Multiplies the (scaled) scores before softmax: above 1 sharpens, below 1 flattens. */
	temperature: number;
	/** Dropout probability on the attention weights, in [0, 1). */
	dropout: number;
	/** Dropout is active in 'train' mode only. */
	mode: 'train' | 'eval';
	/** `torch.manual_seed(dropoutSeed)` right before the forward pass; null: continue the weights' generator, as one script would. */
	dropoutSeed: number | null;
	compare: Comparison;
}

/** The module's settings as the book's example of it uses them. */
export function moduleDefaults(
	module: PlaygroundModule
): Pick<PlaygroundState, 'seed' | 'mask' | 'scale' | 'd_out' | 'num_heads'> {
	return {
		// §3.4.2 seeds SelfAttention_v2 with 789; the other examples use 123
		seed: module === 'SelfAttention_v2' ? 789 : BOOK_SEED,
		mask: ['simplified', 'SelfAttention_v1', 'SelfAttention_v2'].includes(module)
			? 'off'
			: 'before',
		// §3.3's simplified attention does not scale
		scale: module !== 'simplified',
		d_out: 2,
		num_heads: 2
	};
}

/** The book's example: six tokens, 3-d vectors, SelfAttention_v2 with its seed. */
export function bookState(module: PlaygroundModule = 'SelfAttention_v2'): PlaygroundState {
	return {
		tokens: [...BOOK_TOKENS],
		inputs: BOOK_INPUTS.map((row) => [...row]),
		module,
		qkv_bias: false,
		temperature: 1,
		dropout: 0,
		mode: 'train',
		dropoutSeed: null,
		compare: 'none',
		...moduleDefaults(module)
	};
}
