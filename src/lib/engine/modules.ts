/**
 * The book's attention modules (§3.4.2–§3.6.2) with the book's names, arguments and random-draw
 * order. Constructors draw weights like PyTorch's constructors; dropout draws happen in `forward`,
 * in the order the book's forward runs them. Weights live in Float32Arrays; each forward uploads
 * them inside one `tf.tidy` and reads back plain arrays.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import {
	checkArray,
	checkMatrix,
	compute,
	futureMask,
	maskFutureNegInf,
	type FutureMask,
	type Read
} from './compute.js';
import { flatten, toNested, type Matrix, type NestedArray, type Tensor3 } from './ndarray.js';
import { defaultGenerator, linearInitData, type Generator, type LinearData } from './rng.js';
import { batchRows, checkDim, linear, PER_SLICE_MIN_TOKENS, transposeLast } from './layers.js';
import { dropoutNoise } from './steps.js';

export interface ModuleOptions {
	/** Where weights (at construction) and dropout masks (at forward) are drawn. Default: the default generator. */
	generator?: Generator;
}

/** What `forwardWithSteps` returns for SelfAttention_v1/_v2 (all tokens × …). */
export interface SelfAttentionSteps {
	queries: Matrix;
	keys: Matrix;
	values: Matrix;
	attn_scores: Matrix;
	attn_weights: Matrix;
	context_vecs: Matrix;
}

/** What `forwardWithSteps` returns for CausalAttention (batch × tokens × …). */
export interface CausalAttentionSteps {
	queries: Tensor3;
	keys: Tensor3;
	values: Tensor3;
	attn_scores: Tensor3;
	/** attn_scores with −∞ above the diagonal. */
	masked: Tensor3;
	/** softmax(masked / √d_k), before dropout. */
	attn_weights_pre_dropout: Tensor3;
	/** Dropout's 0/1 keep mask, or null when dropout drew nothing (p = 0 or eval mode). */
	dropout_keep: Tensor3 | null;
	/** The weights the values are averaged with (after dropout). */
	attn_weights: Tensor3;
	context_vecs: Tensor3;
}

/** What `forwardWithSteps` returns for MultiHeadAttentionWrapper: each head's steps, then the concatenation. */
export interface WrapperSteps {
	heads: CausalAttentionSteps[];
	context_vecs: Tensor3;
}

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

const f32 = Math.fround;

function checkDropout(p: number): void {
	if (!(p >= 0 && p <= 1))
		throw new RangeError(`dropout: expected a probability in [0, 1], got ${p}`);
}

function linearParams(prefix: string, l: LinearData): Record<string, NestedArray> {
	const out: Record<string, NestedArray> = {
		[`${prefix}.weight`]: toNested(l.weight, [l.out_features, l.in_features])
	};
	if (l.bias) out[`${prefix}.bias`] = Array.from(l.bias);
	return out;
}

type CoreTensors = Record<'scores' | 'masked' | 'pre' | 'weights' | 'context', Tensor>;
type StepKey = 'queries' | 'keys' | 'values' | keyof CoreTensors;

/**
 * Causal scaled dot-product attention on (…, T, d_k) queries/keys/values, §3.5.3:
 * α = dropout(softmax(masked_fill(q kᵀ, future, −∞) / √d_k)), context = α v.
 * `noise` is dropout's float32 noise for the (…, T, T) weights, row-major, or null.
 */
function causalCore(
	tf: Tf,
	q: Tensor,
	k: Tensor,
	v: Tensor,
	noise: Float32Array | null,
	steps = true
): Partial<CoreTensors> & { context: Tensor } {
	const t = q.shape[q.rank - 2];
	const lead = q.shape.slice(0, -2);
	const slices = lead.reduce((n, d) => n * d, 1);
	if (slices === 1 || t < PER_SLICE_MIN_TOKENS) {
		return causalSlice(
			tf,
			q,
			k,
			v,
			noise && tf.tensor(noise, [...lead, t, t]),
			futureMask(tf, [...lead, t, t])
		);
	}
	const mask = futureMask(tf, [t, t]);
	const flat3 = (x: Tensor): Tensor[] =>
		tf.unstack(tf.reshape(x, [slices, t, x.shape[x.rank - 1]]));
	const [qs, ks, vs] = [flat3(q), flat3(k), flat3(v)];
	const parts = qs.map((qi, i) => {
		const n = noise && tf.tensor2d(noise.subarray(i * t * t, (i + 1) * t * t), [t, t]);
		return causalSlice(tf, qi, ks[i], vs[i], n, mask);
	});
	const join = (key: keyof CoreTensors): Tensor => {
		const stacked = tf.stack(parts.map((p) => p[key]));
		return tf.reshape(stacked, [...lead, ...stacked.shape.slice(1)]);
	};
	// Without steps only the context is joined; tidy disposes the per-slice rest.
	if (!steps) return { context: join('context') };
	return {
		scores: join('scores'),
		masked: join('masked'),
		pre: join('pre'),
		weights: join('weights'),
		context: join('context')
	};
}

function causalSlice(
	tf: Tf,
	q: Tensor,
	k: Tensor,
	v: Tensor,
	noise: Tensor | null,
	mask: FutureMask
): CoreTensors {
	const dk = k.shape[k.rank - 1];
	const scores = tf.matMul(q, transposeLast(tf, k));
	const masked = maskFutureNegInf(tf, scores, mask);
	const pre = tf.softmax(tf.div(masked, tf.scalar(f32(Math.sqrt(dk)))));
	const weights = noise ? tf.mul(pre, noise) : pre;
	return { scores, masked, pre, weights, context: tf.matMul(weights, v) };
}

abstract class AttentionModule {
	/** A fresh PyTorch module is in training mode. */
	training = true;
	protected readonly generator: Generator;

	constructor(options: ModuleOptions) {
		this.generator = options.generator ?? defaultGenerator();
	}

	/** `module.train(mode)`. */
	train(mode = true): this {
		this.training = mode;
		return this;
	}

	/** `module.eval()`: dropout draws nothing and changes nothing. */
	eval(): this {
		return this.train(false);
	}

	/** The module's parameters under PyTorch's `state_dict()` names. */
	abstract parameters(): Record<string, NestedArray>;
}

/** Input of shape tokens × d_in, checked. */
function checkTokens(x: Matrix, d_in: number): [number, number] {
	const [t, d] = checkMatrix('x', x);
	if (d !== d_in) throw new RangeError(`x: expected tokens x ${d_in} (d_in), got tokens x ${d}`);
	return [t, d];
}

/** Input of shape batch × tokens × d_in, checked against d_in and context_length. */
function checkBatch(x: Tensor3, d_in: number, contextLength: number): [number, number, number] {
	const [b, t, d] = checkArray('x', x, 3);
	if (d !== d_in)
		throw new RangeError(`x: expected batch x tokens x ${d_in} (d_in), got last size ${d}`);
	if (t > contextLength) {
		throw new RangeError(`x: expected at most ${contextLength} tokens (context_length), got ${t}`);
	}
	return [b, t, d];
}

function nested<T>(r: Read): T {
	return toNested(r.data, r.shape) as T;
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

/** softmax(q kᵀ / √d_k) v, §3.4.1, without a mask. */
function selfAttentionCore(
	tf: Tf,
	queries: Tensor,
	keys: Tensor,
	values: Tensor,
	steps: boolean
): Record<string, Tensor> {
	const dk = keys.shape[keys.rank - 1];
	const attn_scores = tf.matMul(queries, transposeLast(tf, keys));
	const attn_weights = tf.softmax(tf.div(attn_scores, tf.scalar(f32(Math.sqrt(dk)))));
	const context_vecs = tf.matMul(attn_weights, values);
	return steps
		? { queries, keys, values, attn_scores, attn_weights, context_vecs }
		: { context_vecs };
}

function readAll(r: Record<string, Read>): Record<string, NestedArray> {
	const out: Record<string, NestedArray> = {};
	for (const [k, v] of Object.entries(r)) out[k] = nested<NestedArray>(v);
	return out;
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

/**
 * Listing 3.3, §3.5.3: SelfAttention_v2 plus the causal −∞ mask and dropout on the attention
 * weights (`nn.Dropout(dropout)`, active in training mode), for batch × tokens × d_in inputs.
 */
export class CausalAttention extends AttentionModule {
	readonly W_query: LinearData;
	readonly W_key: LinearData;
	readonly W_value: LinearData;

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		readonly context_length: number,
		readonly dropout: number,
		readonly qkv_bias = false,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('d_in', d_in);
		checkDim('d_out', d_out);
		checkDim('context_length', context_length);
		checkDropout(dropout);
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

	forward(x: Tensor3): Tensor3 {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		const noise = this.drawDropout(b, t);
		const r = compute((tf) => ({
			context: this.build(tf, batchRows(tf, x, b, t, this.d_in), b, t, noise, false).context
		}));
		return nested<Tensor3>(r.context);
	}

	forwardWithSteps(x: Tensor3): CausalAttentionSteps {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		const noise = this.drawDropout(b, t);
		const r = compute((tf) => this.build(tf, batchRows(tf, x, b, t, this.d_in), b, t, noise));
		return causalSteps(r, noise);
	}

	/** Dropout noise for the (b, T, T) attention weights; draws happen now, in forward order. */
	drawDropout(b: number, t: number): { noise: Float32Array; keep: Float32Array } | null {
		return dropoutNoise(this.generator, b * t * t, this.dropout, this.training);
	}

	/** The forward graph on x already flattened to (b·T, d_in) rows. Engine-internal. */
	build(
		tf: Tf,
		rows: Tensor,
		b: number,
		t: number,
		drop: { noise: Float32Array } | null,
		steps = true
	): Record<StepKey, Tensor> {
		const keys = tf.reshape(linear(tf, rows, this.W_key), [b, t, this.d_out]);
		const queries = tf.reshape(linear(tf, rows, this.W_query), [b, t, this.d_out]);
		const values = tf.reshape(linear(tf, rows, this.W_value), [b, t, this.d_out]);
		const core = causalCore(tf, queries, keys, values, drop?.noise ?? null, steps);
		return { queries, keys, values, ...(core as CoreTensors) };
	}
}

function causalSteps(
	r: Record<
		'queries' | 'keys' | 'values' | 'scores' | 'masked' | 'pre' | 'weights' | 'context',
		Read
	>,
	drop: { keep: Float32Array } | null
): CausalAttentionSteps {
	return {
		queries: nested(r.queries),
		keys: nested(r.keys),
		values: nested(r.values),
		attn_scores: nested(r.scores),
		masked: nested(r.masked),
		attn_weights_pre_dropout: nested(r.pre),
		dropout_keep: drop ? (toNested(drop.keep, r.weights.shape) as Tensor3) : null,
		attn_weights: nested(r.weights),
		context_vecs: nested(r.context)
	};
}

/**
 * Listing 3.4, §3.6.1: `num_heads` CausalAttention heads built in order (each drawing W_query,
 * W_key, W_value), run in order, outputs concatenated along the last axis (d_out · num_heads).
 */
export class MultiHeadAttentionWrapper extends AttentionModule {
	readonly heads: CausalAttention[];

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
		checkDim('num_heads', num_heads);
		this.heads = Array.from(
			{ length: num_heads },
			() =>
				new CausalAttention(d_in, d_out, context_length, dropout, qkv_bias, {
					generator: this.generator
				})
		);
	}

	override train(mode = true): this {
		this.training = mode;
		for (const h of this.heads ?? []) h.train(mode);
		return this;
	}

	parameters(): Record<string, NestedArray> {
		const out: Record<string, NestedArray> = {};
		this.heads.forEach((h, i) => {
			for (const [k, v] of Object.entries(h.parameters())) out[`heads.${i}.${k}`] = v;
		});
		return out;
	}

	forward(x: Tensor3): Tensor3 {
		return this.run(x, false).context_vecs;
	}

	forwardWithSteps(x: Tensor3): WrapperSteps {
		return this.run(x, true) as WrapperSteps;
	}

	private run(
		x: Tensor3,
		steps: boolean
	): { heads?: CausalAttentionSteps[]; context_vecs: Tensor3 } {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		// Head by head, as torch.cat([head(x) for head in self.heads]) runs them.
		const drops = this.heads.map((h) => h.drawDropout(b, t));
		const r = compute((tf) => {
			const rows = batchRows(tf, x, b, t, this.d_in);
			const out: Record<string, Tensor> = {};
			const contexts = this.heads.map((h, i) => {
				const g = h.build(tf, rows, b, t, drops[i], steps);
				if (steps) for (const [k, v] of Object.entries(g)) out[`${i}.${k}`] = v;
				return g.context;
			});
			out.context_vecs = tf.concat(contexts, -1);
			return out;
		});
		const context_vecs = nested<Tensor3>(r.context_vecs);
		if (!steps) return { context_vecs };
		const heads = this.heads.map((_, i) => {
			const pick = (k: string): Read => r[`${i}.${k}`];
			return causalSteps(
				{
					queries: pick('queries'),
					keys: pick('keys'),
					values: pick('values'),
					scores: pick('scores'),
					masked: pick('masked'),
					pre: pick('pre'),
					weights: pick('weights'),
					context: pick('context')
				},
				drops[i]
			);
		});
		return { heads, context_vecs };
	}
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
