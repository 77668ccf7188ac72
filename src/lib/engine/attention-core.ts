/**
 * What the book's attention modules share (§3.4–§3.6): the base class (training mode, the
 * generator weights and dropout are drawn from), input checks, and the attention cores: softmax of
 * scaled scores without a mask (§3.4.1) and causal with dropout (§3.5.3), on tfjs tensors.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import {
	checkArray,
	checkMatrix,
	futureMask,
	maskFutureNegInf,
	type FutureMask,
	type Read
} from './compute.js';
import { toNested, type Matrix, type NestedArray, type Tensor3 } from './ndarray.js';
import { defaultGenerator, type Generator, type LinearData } from './rng.js';
import { PER_SLICE_MIN_TOKENS, transposeLast } from './layers.js';

export interface ModuleOptions {
	/** Where weights (at construction) and dropout masks (at forward) are drawn. Default: the default generator. */
	generator?: Generator;
}

export const f32 = Math.fround;

export function checkDropout(p: number): void {
	if (!(p >= 0 && p <= 1))
		throw new RangeError(`dropout: expected a probability in [0, 1], got ${p}`);
}

export function linearParams(prefix: string, l: LinearData): Record<string, NestedArray> {
	const out: Record<string, NestedArray> = {
		[`${prefix}.weight`]: toNested(l.weight, [l.out_features, l.in_features])
	};
	if (l.bias) out[`${prefix}.bias`] = Array.from(l.bias);
	return out;
}

export type CoreTensors = Record<'scores' | 'masked' | 'pre' | 'weights' | 'context', Tensor>;
export type StepKey = 'queries' | 'keys' | 'values' | keyof CoreTensors;

/**
 * Causal scaled dot-product attention on (…, T, d_k) queries/keys/values, §3.5.3:
 * α = dropout(softmax(masked_fill(q kᵀ, future, −∞) / √d_k)), context = α v.
 * `noise` is dropout's float32 noise for the (…, T, T) weights, row-major, or null.
 */
export function causalCore(
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

export function causalSlice(
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

export abstract class AttentionModule {
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
export function checkTokens(x: Matrix, d_in: number): [number, number] {
	const [t, d] = checkMatrix('x', x);
	if (d !== d_in) throw new RangeError(`x: expected tokens x ${d_in} (d_in), got tokens x ${d}`);
	return [t, d];
}

/** Input of shape batch × tokens × d_in, checked against d_in and context_length. */
export function checkBatch(
	x: Tensor3,
	d_in: number,
	contextLength: number
): [number, number, number] {
	const [b, t, d] = checkArray('x', x, 3);
	if (d !== d_in)
		throw new RangeError(`x: expected batch x tokens x ${d_in} (d_in), got last size ${d}`);
	if (t > contextLength) {
		throw new RangeError(`x: expected at most ${contextLength} tokens (context_length), got ${t}`);
	}
	return [b, t, d];
}

export function nested<T>(r: Read): T {
	return toNested(r.data, r.shape) as T;
}

/** softmax(q kᵀ / √d_k) v, §3.4.1, without a mask. */
export function selfAttentionCore(
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

export function readAll(r: Record<string, Read>): Record<string, NestedArray> {
	const out: Record<string, NestedArray> = {};
	for (const [k, v] of Object.entries(r)) out[k] = nested<NestedArray>(v);
	return out;
}
