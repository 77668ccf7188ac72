/** The book's self-attention modules without a mask, §3.4.2: Listing 3.1 and 3.2. */
import {
	AttentionModule,
	checkTokens,
	linearParams,
	readAll,
	selfAttentionCore,
	type ModuleOptions
} from './attention-core.js';
import { compute } from './compute.js';
import { flatten, toNested, type Matrix, type NestedArray } from './ndarray.js';
import { linearInitData, type LinearData } from './rng.js';
import { checkDim, linear } from './layers.js';

/** What `forwardWithSteps` returns for SelfAttention_v1/_v2 (all tokens × …). */
export interface SelfAttentionSteps {
	queries: Matrix;
	keys: Matrix;
	values: Matrix;
	attn_scores: Matrix;
	attn_weights: Matrix;
	context_vecs: Matrix;
}

/**
 * Listing 3.1, §3.4.2: weights from `torch.rand(d_in, d_out)` (query, key, value, in that order);
 * context = softmax(q kᵀ / √d_k) v with q = x W_q, k = x W_k, v = x W_v.
 */
export class SelfAttention_v1 extends AttentionModule {
	readonly W_query: Float32Array;
	readonly W_key: Float32Array;
	readonly W_value: Float32Array;

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('d_in', d_in);
		checkDim('d_out', d_out);
		this.W_query = this.generator.randData(d_in * d_out);
		this.W_key = this.generator.randData(d_in * d_out);
		this.W_value = this.generator.randData(d_in * d_out);
	}

	parameters(): Record<string, NestedArray> {
		const shape = [this.d_in, this.d_out];
		return {
			W_query: toNested(this.W_query, shape),
			W_key: toNested(this.W_key, shape),
			W_value: toNested(this.W_value, shape)
		};
	}

	forward(x: Matrix): Matrix {
		return this.run(x, false).context_vecs;
	}

	forwardWithSteps(x: Matrix): SelfAttentionSteps {
		return this.run(x, true) as SelfAttentionSteps;
	}

	private run(x: Matrix, steps: boolean): Partial<SelfAttentionSteps> & { context_vecs: Matrix } {
		const [t] = checkTokens(x, this.d_in);
		const { d_in, d_out } = this;
		const r = compute((tf) => {
			const xs = tf.tensor2d(flatten(x, t * d_in), [t, d_in]);
			const keys = tf.matMul(xs, tf.tensor2d(this.W_key, [d_in, d_out]));
			const queries = tf.matMul(xs, tf.tensor2d(this.W_query, [d_in, d_out]));
			const values = tf.matMul(xs, tf.tensor2d(this.W_value, [d_in, d_out]));
			return selfAttentionCore(tf, queries, keys, values, steps);
		});
		return readAll(r) as Partial<SelfAttentionSteps> & { context_vecs: Matrix };
	}
}

/** Listing 3.2, §3.4.2: `nn.Linear(d_in, d_out, bias=qkv_bias)` for query, key and value, in that order. */
export class SelfAttention_v2 extends AttentionModule {
	readonly W_query: LinearData;
	readonly W_key: LinearData;
	readonly W_value: LinearData;

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		readonly qkv_bias = false,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('d_in', d_in);
		checkDim('d_out', d_out);
		this.W_query = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_key = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_value = linearInitData(this.generator, d_in, d_out, qkv_bias);
	}

	parameters(): Record<string, NestedArray> {
		return {
			...linearParams('W_query', this.W_query),
			...linearParams('W_key', this.W_key),
			...linearParams('W_value', this.W_value)
		};
	}

	forward(x: Matrix): Matrix {
		return this.run(x, false).context_vecs;
	}

	forwardWithSteps(x: Matrix): SelfAttentionSteps {
		return this.run(x, true) as SelfAttentionSteps;
	}

	private run(x: Matrix, steps: boolean): Partial<SelfAttentionSteps> & { context_vecs: Matrix } {
		const [t] = checkTokens(x, this.d_in);
		const r = compute((tf) => {
			const xs = tf.tensor2d(flatten(x, t * this.d_in), [t, this.d_in]);
			const keys = linear(tf, xs, this.W_key);
			const queries = linear(tf, xs, this.W_query);
			const values = linear(tf, xs, this.W_value);
			return selfAttentionCore(tf, queries, keys, values, steps);
		});
		return readAll(r) as Partial<SelfAttentionSteps> & { context_vecs: Matrix };
	}
}
