/**
 * The chapter's attention steps (§3.3–§3.5), one function each, in float32 like PyTorch. Each
 * returns the intermediate values a worked solution shows. Synchronous after `initEngine()`.
 */
import {
	checkMaskedMatrix,
	checkMatrix,
	checkVector,
	compute,
	maskFutureNegInf,
	tensor2d,
	trilData
} from './compute.js';
import {
	flatten,
	shapeOf,
	sizeOf,
	toMatrix,
	toNested,
	toVector,
	type Matrix,
	type NestedArray,
	type Vector
} from './ndarray.js';
import { defaultGenerator, type Generator } from './rng.js';

const f32 = Math.fround;

/**
 * Dot product the way §3.3.1's Python loop computes it: `res += x[i] * y[i]`, each product and each
 * partial sum rounded to float32.
 */
export function dot(a: Vector, b: Vector): { products: Vector; value: number } {
	const n = checkVector('a', a);
	if (checkVector('b', b) !== n) throw new RangeError(`b: expected length ${n}, got ${b.length}`);
	const products = a.map((x, i) => f32(f32(x) * f32(b[i])));
	let value = 0;
	for (const p of products) value = f32(value + p);
	return { products, value };
}

/**
 * Attention scores of one query against every input, §3.3.1: ω_qi = x⁽ⁱ⁾ · x⁽q⁾.
 * `queryIndex` is 0-based (the book's "journey", x⁽²⁾, is 1). `products[i][k] = x⁽ⁱ⁾_k · x⁽q⁾_k`.
 */
export function attentionScores(
	inputs: Matrix,
	queryIndex: number
): { query: Vector; products: Matrix; scores: Vector } {
	const [n] = checkMatrix('inputs', inputs);
	if (!Number.isInteger(queryIndex) || queryIndex < 0 || queryIndex >= n) {
		throw new RangeError(`queryIndex: expected an integer in [0, ${n - 1}], got ${queryIndex}`);
	}
	const query = inputs[queryIndex].map(f32);
	const products = inputs.map((row) => row.map((x, k) => f32(f32(x) * query[k])));
	const r = compute((tf) => ({
		scores: tf.matMul(tensor2d(tf, inputs), tf.tensor2d(query, [query.length, 1]))
	}));
	return { query, products, scores: toVector(r.scores.data) };
}

/** All attention scores at once, §3.3.2: `inputs @ inputs.T`, ω_ij = x⁽ⁱ⁾ · x⁽ʲ⁾. */
export function allAttentionScores(inputs: Matrix): Matrix {
	const [n] = checkMatrix('inputs', inputs);
	const r = compute((tf) => {
		const x = tensor2d(tf, inputs);
		return { scores: tf.matMul(x, tf.transpose(x)) };
	});
	return toMatrix(r.scores.data, n, n);
}

/** Naive normalisation, §3.3.1: α_i = ω_i / Σ_j ω_j. */
export function naiveNormalize(scores: Vector): { sum: number; weights: Vector } {
	checkVector('scores', scores);
	const r = compute((tf) => {
		const w = tf.tensor1d(scores);
		const sum = tf.sum(w);
		return { sum, weights: tf.div(w, sum) };
	});
	return { sum: r.sum.data[0], weights: toVector(r.weights.data) };
}

/** Naive softmax, §3.3.1: α_i = exp(ω_i) / Σ_j exp(ω_j) (overflows for large scores; see `softmax`). */
export function naiveSoftmax(scores: Vector): { exps: Vector; sum: number; weights: Vector } {
	checkVector('scores', scores);
	const r = compute((tf) => {
		const exps = tf.exp(tf.tensor1d(scores));
		const sum = tf.sum(exps);
		return { exps, sum, weights: tf.div(exps, sum) };
	});
	return { exps: toVector(r.exps.data), sum: r.sum.data[0], weights: toVector(r.weights.data) };
}

/**
 * `torch.softmax(scores, dim=0)`, §3.3.1: α_i = exp(ω_i − m) / Σ_j exp(ω_j − m) with m = max ω.
 * Subtracting the max changes nothing mathematically and keeps exp from overflowing.
 * `exps` and `sum` are those of the shifted scores; `weights` is tfjs's softmax.
 */
export function softmax(scores: Vector): {
	max: number;
	exps: Vector;
	sum: number;
	weights: Vector;
} {
	checkVector('scores', scores);
	const r = compute((tf) => {
		const x = tf.tensor1d(scores);
		const max = tf.max(x);
		const exps = tf.exp(tf.sub(x, max));
		return { max, exps, sum: tf.sum(exps), weights: tf.softmax(x) };
	});
	return {
		max: r.max.data[0],
		exps: toVector(r.exps.data),
		sum: r.sum.data[0],
		weights: toVector(r.weights.data)
	};
}

/** `torch.softmax(scores, dim=-1)` on each row, §3.3.2, with each row's sum (≈ 1). */
export function softmaxRows(scores: Matrix): { weights: Matrix; rowSums: Vector } {
	const [n, m] = checkMaskedMatrix('scores', scores);
	const r = compute((tf) => {
		const weights = tf.softmax(tensor2d(tf, scores));
		return { weights, rowSums: tf.sum(weights, -1) };
	});
	return { weights: toMatrix(r.weights.data, n, m), rowSums: toVector(r.rowSums.data) };
}

/**
 * One context vector, §3.3.1: z = Σ_i α_i x⁽ⁱ⁾. `terms[i] = α_i · x⁽ⁱ⁾` (float32 products).
 */
export function contextVector(weights: Vector, values: Matrix): { terms: Matrix; vector: Vector } {
	const n = checkVector('weights', weights);
	const [rows] = checkMatrix('values', values);
	if (rows !== n) throw new RangeError(`values: expected ${n} rows (one per weight), got ${rows}`);
	const terms = values.map((row, i) => row.map((x) => f32(f32(weights[i]) * f32(x))));
	const r = compute((tf) => ({
		vector: tf.matMul(tf.tensor2d(weights, [1, n]), tensor2d(tf, values))
	}));
	return { terms, vector: toVector(r.vector.data) };
}

/** All context vectors, §3.3.2: `attn_weights @ values`. */
export function contextVectors(weights: Matrix, values: Matrix): Matrix {
	return matmul(weights, values);
}

/** Matrix product `a @ b` in float32. */
export function matmul(a: Matrix, b: Matrix): Matrix {
	const [n, k] = checkMatrix('a', a);
	const [k2, m] = checkMatrix('b', b);
	if (k !== k2) throw new RangeError(`b: expected ${k} rows to match a's ${k} columns, got ${k2}`);
	const r = compute((tf) => ({ c: tf.matMul(tensor2d(tf, a), tensor2d(tf, b)) }));
	return toMatrix(r.c.data, n, m);
}

/** `values.sum()` in float32, e.g. to check that weights sum to 1 (§3.3.1). */
export function sum(values: Vector): number {
	checkVector('values', values);
	const r = compute((tf) => ({ sum: tf.sum(tf.tensor1d(values)) }));
	return r.sum.data[0];
}

/**
 * Batched matrix product `a @ b` over the last two axes (§3.6.2, e.g. `a @ a.transpose(2, 3)`);
 * the leading (batch) axes must be equal.
 */
export function batchedMatmul(a: NestedArray, b: NestedArray): NestedArray {
	const sa = arrayShape('a', a);
	const sb = arrayShape('b', b);
	if (sa.length < 2 || sa.length !== sb.length) {
		throw new RangeError(`b: expected the same rank (>= 2) as a (${sa.length}), got ${sb.length}`);
	}
	const batch = sa.slice(0, -2);
	if (batch.join('x') !== sb.slice(0, -2).join('x') || sa[sa.length - 1] !== sb[sb.length - 2]) {
		throw new RangeError(
			`b: expected shape ${[...batch, sa[sa.length - 1], 'n'].join(' x ')}, got ${sb.join(' x ')}`
		);
	}
	const r = compute((tf) => ({
		c: tf.matMul(tf.tensor(flatten(a, sizeOf(sa)), sa), tf.tensor(flatten(b, sizeOf(sb)), sb))
	}));
	return toNested(r.c.data, r.c.shape);
}

/** `x.transpose(-2, -1)`: swap the last two axes (exact). */
export function transposeLastTwo(x: NestedArray): NestedArray {
	const shape = arrayShape('x', x);
	if (shape.length < 2) throw new RangeError(`x: expected at least 2 axes, got ${shape.length}`);
	const data = flatten(x, sizeOf(shape));
	const [n, m] = shape.slice(-2);
	const out = new Float32Array(data.length);
	for (let off = 0; off < data.length; off += n * m) {
		for (let i = 0; i < n; i++)
			for (let j = 0; j < m; j++) out[off + j * n + i] = data[off + i * m + j];
	}
	return toNested(out, [...shape.slice(0, -2), m, n]);
}

function arrayShape(name: string, x: NestedArray): number[] {
	const s = shapeOf(x);
	if ('error' in s) throw new TypeError(`${name}: expected ${s.error.message}`);
	return s.shape;
}

/** `a.T` (exact; the values are only moved). */
export function transpose(a: Matrix): Matrix {
	const [n, m] = checkMaskedMatrix('a', a);
	return Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, i) => f32(a[i][j])));
}

/**
 * Queries, keys and values, §3.4.1: q = x W_q, k = x W_k, v = x W_v, with each W of shape
 * d_in × d_out as `torch.rand(d_in, d_out)` makes them.
 */
export function projectQKV(
	inputs: Matrix,
	W_query: Matrix,
	W_key: Matrix,
	W_value: Matrix
): { queries: Matrix; keys: Matrix; values: Matrix } {
	return {
		queries: matmul(inputs, W_query),
		keys: matmul(inputs, W_key),
		values: matmul(inputs, W_value)
	};
}

type ScaledSteps<T> = { scale: number; scaled: T; weights: T };

/**
 * Scaled dot-product attention weights, §3.4.1: α = softmax(ω / √d_k) along the last axis.
 * `scale` is float32(√d_k), the number PyTorch divides by.
 */
export function scaledAttentionWeights(scores: Vector, d_k: number): ScaledSteps<Vector>;
export function scaledAttentionWeights(scores: Matrix, d_k: number): ScaledSteps<Matrix>;
export function scaledAttentionWeights(
	scores: Vector | Matrix,
	d_k: number
): ScaledSteps<Vector> | ScaledSteps<Matrix> {
	const { matrix, unwrap } = asMatrix(scores);
	const [n, m] = checkMaskedMatrix('scores', matrix);
	if (!(d_k > 0)) throw new RangeError(`d_k: expected a positive number, got ${d_k}`);
	const scale = f32(Math.sqrt(d_k));
	const r = compute((tf) => {
		const scaled = tf.div(tensor2d(tf, matrix), tf.scalar(scale));
		return { scaled, weights: tf.softmax(scaled) };
	});
	const scaled = toMatrix(r.scaled.data, n, m);
	const weights = toMatrix(r.weights.data, n, m);
	return unwrap ? { scale, scaled: scaled[0], weights: weights[0] } : { scale, scaled, weights };
}

function asMatrix(x: Vector | Matrix): { matrix: Matrix; unwrap: boolean } {
	if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'number') {
		return { matrix: [x as Vector], unwrap: true };
	}
	return { matrix: x as Matrix, unwrap: false };
}

/** `torch.tril(torch.ones(n, n))`, §3.5.1: 1 on and below the diagonal, 0 above. */
export function causalMask(n: number): Matrix {
	if (!Number.isInteger(n) || n < 1)
		throw new RangeError(`n: expected a positive integer, got ${n}`);
	return toMatrix(trilData(n), n, n);
}

/**
 * Causal mask, method 1 (§3.5.1): zero the weights above the diagonal, then renormalise each row:
 * masked = α ⊙ tril(1); normalized_ij = masked_ij / Σ_j masked_ij.
 */
export function maskAndRenormalize(weights: Matrix): {
	mask: Matrix;
	masked: Matrix;
	rowSums: Vector;
	normalized: Matrix;
} {
	const [n, m] = checkMatrix('weights', weights);
	if (n !== m) throw new RangeError(`weights: expected a square matrix, got ${n} x ${m}`);
	const tril = trilData(n);
	const r = compute((tf) => {
		const masked = tf.mul(tensor2d(tf, weights), tf.tensor2d(tril, [n, n]));
		const rowSums = tf.sum(masked, -1, true);
		return { masked, rowSums, normalized: tf.div(masked, rowSums) };
	});
	return {
		mask: toMatrix(tril, n, n),
		masked: toMatrix(r.masked.data, n, n),
		rowSums: toVector(r.rowSums.data),
		normalized: toMatrix(r.normalized.data, n, n)
	};
}

/** `scores.masked_fill(torch.triu(torch.ones(n, n), diagonal=1).bool(), -torch.inf)`, §3.5.1. */
export function maskWithNegInf(scores: Matrix): Matrix {
	const [n, m] = checkMatrix('scores', scores);
	if (n !== m) throw new RangeError(`scores: expected a square matrix, got ${n} x ${m}`);
	const r = compute((tf) => ({ masked: maskFutureNegInf(tf, tensor2d(tf, scores)) }));
	return toMatrix(r.masked.data, n, n);
}

/**
 * Causal mask, method 2 (§3.5.1): set the scores above the diagonal to −∞, then
 * α = softmax(masked / √d_k); exp(−∞) = 0, so each row is already normalised over the past.
 */
export function causalAttentionWeights(
	scores: Matrix,
	d_k: number
): { masked: Matrix; scale: number; scaled: Matrix; weights: Matrix } {
	const [n, m] = checkMatrix('scores', scores);
	if (n !== m) throw new RangeError(`scores: expected a square matrix, got ${n} x ${m}`);
	if (!(d_k > 0)) throw new RangeError(`d_k: expected a positive number, got ${d_k}`);
	const scale = f32(Math.sqrt(d_k));
	const r = compute((tf) => {
		const masked = maskFutureNegInf(tf, tensor2d(tf, scores));
		const scaled = tf.div(masked, tf.scalar(scale));
		return { masked, scaled, weights: tf.softmax(scaled) };
	});
	return {
		masked: toMatrix(r.masked.data, n, n),
		scale,
		scaled: toMatrix(r.scaled.data, n, n),
		weights: toMatrix(r.weights.data, n, n)
	};
}

/**
 * Float32 noise of `nn.Dropout(p)` in training mode (CPU, no MKL), §3.5.2: per element, in row-major
 * order, keep with probability 1 − p (one 64-bit draw each); kept elements are scaled by
 * float32(1 / float32(1 − p)). `p = 0`, and eval mode, draw nothing; `p = 1` draws nothing and zeroes.
 * @see aten/src/ATen/native/Dropout.cpp `_dropout_impl`
 */
export function dropoutNoise(
	gen: Generator,
	size: number,
	p: number,
	training: boolean
): { noise: Float32Array; keep: Float32Array; scale: number } | null {
	if (!(p >= 0 && p <= 1)) throw new RangeError(`p: expected a probability in [0, 1], got ${p}`);
	if (!training || p === 0 || size === 0) return null;
	const keep = new Float32Array(size);
	const noise = new Float32Array(size);
	if (p === 1) return { noise, keep, scale: 0 };
	const scale = f32(1 / f32(1 - p));
	const bits = gen.bernoulliData(size, 1 - p);
	for (let i = 0; i < size; i++) {
		keep[i] = bits[i];
		noise[i] = bits[i] ? scale : 0;
	}
	return { noise, keep, scale };
}

/**
 * `nn.Dropout(p)(x)`, §3.5.2: in training mode each element is zeroed with probability p and the
 * survivors are scaled by 1 / (1 − p), so the expected value is unchanged. `keep` is the 0/1 mask.
 * Draws from `options.generator` (default: the default generator), like `torch.manual_seed` + Dropout.
 */
export function dropout<T extends NestedArray>(
	x: T,
	p: number,
	options: { training?: boolean; generator?: Generator } = {}
): { keep: T; scale: number; output: T } {
	const shape = arrayShape('x', x);
	const data = flatten(x, sizeOf(shape));
	const drop = dropoutNoise(
		options.generator ?? defaultGenerator(),
		data.length,
		p,
		options.training ?? true
	);
	if (!drop) {
		return {
			keep: toNested(new Float32Array(data.length).fill(1), shape) as T,
			scale: 1,
			output: toNested(data, shape) as T
		};
	}
	const out = new Float32Array(data.length);
	for (let i = 0; i < data.length; i++) out[i] = data[i] * drop.noise[i];
	return {
		keep: toNested(drop.keep, shape) as T,
		scale: drop.scale,
		output: toNested(out, shape) as T
	};
}
