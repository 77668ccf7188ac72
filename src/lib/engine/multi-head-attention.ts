/** The book's efficient multi-head attention, §3.6.2 (Listing 3.5). */
import type { Tensor } from '@tensorflow/tfjs-core';
import {
	AttentionModule,
	causalCore,
	checkBatch,
	checkDropout,
	linearParams,
	readAll,
	type ModuleOptions
} from './attention-core.js';
import { compute } from './compute.js';
import { toNested, type NestedArray, type Tensor3 } from './ndarray.js';
import { linearInitData, type LinearData } from './rng.js';
import { batchRows, checkDim, linear } from './layers.js';
import { dropoutNoise } from './steps.js';

/** What `forwardWithSteps` returns for MultiHeadAttention (heads split out: batch × heads × tokens × …). */
export interface MultiHeadAttentionSteps {
	queries: Tensor3;
	keys: Tensor3;
	values: Tensor3;
	attn_scores: number[][][][];
	masked: number[][][][];
	attn_weights_pre_dropout: number[][][][];
	dropout_keep: number[][][][] | null;
	attn_weights: number[][][][];
	/** Head outputs concatenated (batch × tokens × d_out), before out_proj. */
	context_heads: Tensor3;
	context_vecs: Tensor3;
	/** `keys.view(b, num_tokens, num_heads, head_dim)`: batch × tokens × heads × head_dim. */
	keys_view: number[][][][];
	/** After `.transpose(1, 2)`: batch × heads × tokens × head_dim (queries, keys, values). */
	queries_heads: number[][][][];
	keys_heads: number[][][][];
	values_heads: number[][][][];
	/** `attn_weights @ values`: batch × heads × tokens × head_dim. */
	context_per_head: number[][][][];
	/** `(attn_weights @ values).transpose(1, 2)`: batch × tokens × heads × head_dim. */
	context_transposed: number[][][][];
}

/**
 * Listing 3.5, §3.6.2: one Linear(d_in, d_out) each for query, key and value (in that order), then
 * out_proj = Linear(d_out, d_out) with bias. Heads are split by reshaping to
 * (b, T, num_heads, head_dim) and transposing to (b, num_heads, T, head_dim); attention is causal
 * with dropout on the (b, num_heads, T, T) weights; heads are merged back and projected.
 */
export class MultiHeadAttention extends AttentionModule {
	readonly head_dim: number;
	readonly W_query: LinearData;
	readonly W_key: LinearData;
	readonly W_value: LinearData;
	readonly out_proj: LinearData;

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		readonly context_length: number,
		readonly dropout: number,
		readonly num_heads: number,
		readonly qkv_bias = false,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('d_in', d_in);
		checkDim('d_out', d_out);
		checkDim('context_length', context_length);
		checkDim('num_heads', num_heads);
		checkDropout(dropout);
		if (d_out % num_heads !== 0) {
			throw new RangeError(`d_out: expected a multiple of num_heads (${num_heads}), got ${d_out}`);
		}
		this.head_dim = d_out / num_heads;
		this.W_query = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_key = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_value = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.out_proj = linearInitData(this.generator, d_out, d_out, true);
	}

	parameters(): Record<string, NestedArray> {
		return {
			...linearParams('W_query', this.W_query),
			...linearParams('W_key', this.W_key),
			...linearParams('W_value', this.W_value),
			...linearParams('out_proj', this.out_proj)
		};
	}

	forward(x: Tensor3): Tensor3 {
		return this.run(x, false).context_vecs;
	}

	forwardWithSteps(x: Tensor3): MultiHeadAttentionSteps {
		return this.run(x, true) as MultiHeadAttentionSteps;
	}

	private run(
		x: Tensor3,
		steps: boolean
	): Partial<MultiHeadAttentionSteps> & { context_vecs: Tensor3 } {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		const { d_in, d_out, num_heads: h, head_dim: hd } = this;
		const drop = dropoutNoise(this.generator, b * h * t * t, this.dropout, this.training);
		const r = compute((tf): Record<string, Tensor> => {
			const rows = batchRows(tf, x, b, t, d_in);
			const keys = linear(tf, rows, this.W_key);
			const queries = linear(tf, rows, this.W_query);
			const values = linear(tf, rows, this.W_value);
			const split = (y: Tensor): Tensor => tf.transpose(tf.reshape(y, [b, t, h, hd]), [0, 2, 1, 3]);
			const noise = drop?.noise ?? null;
			const [qh, kh, vh] = [split(queries), split(keys), split(values)];
			const core = causalCore(tf, qh, kh, vh, noise, steps);
			const transposed = tf.transpose(core.context, [0, 2, 1, 3]);
			const merged = tf.reshape(transposed, [b * t, d_out]);
			const context_vecs = tf.reshape(linear(tf, merged, this.out_proj), [b, t, d_out]);
			if (!steps) return { context_vecs };
			const bt = (y: Tensor): Tensor => tf.reshape(y, [b, t, d_out]);
			return {
				queries: bt(queries),
				keys: bt(keys),
				values: bt(values),
				attn_scores: core.scores!,
				masked: core.masked!,
				attn_weights_pre_dropout: core.pre!,
				attn_weights: core.weights!,
				context_heads: bt(merged),
				context_vecs,
				keys_view: tf.reshape(keys, [b, t, h, hd]),
				queries_heads: qh,
				keys_heads: kh,
				values_heads: vh,
				context_per_head: core.context,
				context_transposed: transposed
			};
		});
		const out = readAll(r) as Partial<MultiHeadAttentionSteps> & { context_vecs: Tensor3 };
		if (steps)
			out.dropout_keep = drop ? (toNested(drop.keep, [b, h, t, t]) as number[][][][]) : null;
		return out;
	}
}
