import { randNormal, type Rng } from '../random/rng.js';
import { crossEntropy, groupedMatMul, linear, oneHot } from './ops.js';
import { tf } from './tf.js';

/** Sizes of the tiny next-token model. */
export interface ModelShape {
	vocab: number;
	dModel: number;
	heads: number;
	/** Longest input the model reads: context + 1 characters (a window with its last target). */
	positions: number;
}

/** Initial weights as plain arrays, so that two arms can start from exactly the same numbers. */
export type InitialWeights = Record<ParamName, Float32Array>;

export const PARAM_NAMES = [
	'tokEmb',
	'posEmb',
	'wq',
	'wk',
	'wv',
	'wo',
	'bo',
	'wOut',
	'bOut'
] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/**
 * One model's weights. Linear layers are x @ W (+ b), W of shape [in, out]. Variables (createParams), or
 * views of one flat variable (unflatten: how an Arm trains, with one Adam update for all of them).
 */
export type Params = Record<ParamName, tf.Tensor>;

export function paramShapes(shape: ModelShape): Record<ParamName, number[]> {
	const { vocab, dModel: d, positions } = shape;
	return {
		tokEmb: [vocab, d],
		posEmb: [positions, d],
		wq: [d, d],
		wk: [d, d],
		wv: [d, d],
		wo: [d, d],
		bo: [d],
		wOut: [d, vocab],
		bOut: [vocab]
	};
}

/**
 * PyTorch's default initialisation: embeddings ~ N(0, 1); linear weights and biases
 * ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Query, key and value have no bias (the book's qkv_bias=False).
 */
export function initialWeights(shape: ModelShape, rng: Rng): InitialWeights {
	const shapes = paramShapes(shape);
	const bound = 1 / Math.sqrt(shape.dModel);
	const uniform = () => (2 * rng() - 1) * bound;
	const fill = (name: ParamName, draw: () => number) =>
		Float32Array.from({ length: shapes[name].reduce((a, b) => a * b, 1) }, draw);
	const out = {} as InitialWeights;
	for (const name of PARAM_NAMES) {
		out[name] = fill(name, name.endsWith('Emb') ? () => randNormal(rng) : uniform);
	}
	return out;
}

export function createParams(shape: ModelShape, init: InitialWeights): Params {
	const shapes = paramShapes(shape);
	const out = {} as Params;
	// tidy disposes the temporary tensor; the variable keeps its data
	for (const name of PARAM_NAMES)
		out[name] = tf.tidy(() => tf.variable(tf.tensor(init[name], shapes[name])));
	return out;
}

/** Number of values of each weight, in PARAM_NAMES order. */
export function paramSizes(shape: ModelShape): number[] {
	const shapes = paramShapes(shape);
	return PARAM_NAMES.map((name) => shapes[name].reduce((a, b) => a * b, 1));
}

/** All weights end to end in PARAM_NAMES order: the layout of unflatten's input. */
export function flattenWeights(shape: ModelShape, init: InitialWeights): Float32Array {
	const out = new Float32Array(paramSizes(shape).reduce((a, b) => a + b, 0));
	let offset = 0;
	for (const name of PARAM_NAMES) {
		out.set(init[name], offset);
		offset += init[name].length;
	}
	return out;
}

/**
 * The weights as views of one flat tensor (flattenWeights' layout): one split, whose gradient is one
 * concat, so that the optimiser and the gradient norm see a single tensor. Call inside tf.tidy.
 */
export function unflatten(flat: tf.Tensor1D, shape: ModelShape): Params {
	const shapes = paramShapes(shape);
	const parts = tf.split(flat, paramSizes(shape));
	const out = {} as Params;
	PARAM_NAMES.forEach((name, i) => (out[name] = tf.reshape(parts[i], shapes[name])));
	return out;
}

export function disposeParams(params: Params): void {
	for (const name of PARAM_NAMES) params[name].dispose();
}

/** Current weights as plain arrays (for tests and inspection). */
export function readParams(params: Params): InitialWeights {
	const out = {} as InitialWeights;
	for (const name of PARAM_NAMES) out[name] = params[name].dataSync() as Float32Array;
	return out;
}

/**
 * Additive causal mask M of shape [n, n]: M[i][j] = 0 for j <= i (the past and the position itself),
 * -Infinity for j > i (the future). -Infinity, not a large finite number: softmax then gives those
 * scores a weight of exactly 0, which no amount of training can grow back.
 */
export function causalMask(n: number): tf.Tensor2D {
	const values = new Float32Array(n * n);
	for (let i = 0; i < n; i++) values.fill(-Infinity, i * n + i + 1, (i + 1) * n);
	return tf.tensor2d(values, [n, n]);
}

/**
 * Embedding lookup as onehot(tokens) @ table: tokens [a, b] give [a, b, dModel]. Same numbers as a gather, but its
 * gradient is a matMul: the wasm backend has no UnsortedSegmentSum kernel for gather's gradient.
 */
function embed(table: tf.Tensor, tokens: tf.Tensor2D): tf.Tensor3D {
	const [a, b] = tokens.shape;
	const [vocab, d] = table.shape as [number, number];
	const rows = linear(tf.reshape(oneHot(tokens, vocab), [a * b, vocab]) as tf.Tensor2D, table);
	return tf.reshape(rows, [a, b, d]);
}

/**
 * Tensors of one forward pass. Inside, the model works position-major (row = position * batch + b),
 * which lets attention run as grouped products with few transposes.
 */
export interface ForwardOutput {
	/** Final hidden state, position-major: [length * batch, dModel]. */
	hidden: tf.Tensor2D;
	/** Attention weights, [length (query), batch * heads, length (key)]. */
	weights: tf.Tensor3D;
}

/**
 * For tokens [batch, n] and an optional causal mask M (see causalMask):
 * x = tokEmb[tokens] + posEmb[0..n); per window and head h: A_h = softmax(Q_h K_h^T / sqrt(d_head) + M),
 * context = concat_h(A_h V_h) Wo + bo; hidden = x + context (residual). Call inside tf.tidy.
 */
export function forward(
	params: Params,
	tokens: tf.Tensor2D,
	mask: tf.Tensor2D | null,
	heads: number
): ForwardOutput {
	const [batch, n] = tokens.shape;
	const d = params.wq.shape[0];
	const dHead = d / heads;
	const groups = batch * heads;
	const positionMajor = tf.transpose(tokens) as tf.Tensor2D;
	const embedded = tf.add(
		embed(params.tokEmb, positionMajor),
		tf.reshape(tf.slice(params.posEmb, [0, 0], [n, d]), [n, 1, d])
	);
	const x = tf.reshape(embedded, [n * batch, d]) as tf.Tensor2D;
	const project = (w: tf.Tensor) => tf.reshape(linear(x, w), [n, groups, dHead]) as tf.Tensor3D;
	const [q, k, v] = [project(params.wq), project(params.wk), project(params.wv)];
	// scores[i, g, j] = q[i, g, .] . k[j, g, .] / sqrt(d_head)
	const qT = tf.transpose(q, [0, 2, 1]) as tf.Tensor3D;
	const kT = tf.transpose(k, [2, 1, 0]) as tf.Tensor3D;
	let scores: tf.Tensor3D = tf.mul(groupedMatMul(qT, kT), 1 / Math.sqrt(dHead));
	if (mask) {
		const m = n === mask.shape[0] ? mask : tf.slice(mask, [0, 0], [n, n]);
		scores = tf.add(scores, tf.reshape(m, [n, 1, n]));
	}
	const weights = tf.softmax(scores) as tf.Tensor3D;
	// context[i, g, .] = sum_j weights[i, g, j] v[j, g, .]
	const context = groupedMatMul(tf.transpose(weights, [0, 2, 1]) as tf.Tensor3D, v);
	const merged = tf.reshape(context, [n * batch, d]) as tf.Tensor2D;
	const hidden = tf.add(x, tf.add(linear(merged, params.wo), params.bo)) as tf.Tensor2D;
	return { hidden, weights };
}

/** Attention weights of forward() as [batch, heads, query, key]. */
export function weightsByWindow(weights: tf.Tensor3D, batch: number, heads: number): tf.Tensor4D {
	const n = weights.shape[0];
	return tf.transpose(tf.reshape(weights, [n, batch, heads, n]), [1, 2, 0, 3]);
}

/** Next-character logits at every position, [batch, n, vocab]. Call inside tf.tidy. */
export function positionLogits(
	params: Params,
	tokens: tf.Tensor2D,
	mask: tf.Tensor2D | null,
	heads: number
): tf.Tensor3D {
	const [batch, n] = tokens.shape;
	const out = logits(params, forward(params, tokens, mask, heads).hidden);
	return tf.transpose(tf.reshape(out, [n, batch, out.shape[1]]), [1, 0, 2]);
}

export function logits(params: Params, hidden: tf.Tensor2D): tf.Tensor2D {
	return tf.add(linear(hidden, params.wOut), params.bOut) as tf.Tensor2D;
}

/**
 * Mean next-character cross-entropy of a batch of windows [batch, T + 1]: positions 0..T-1 predict
 * characters 1..T. L = -(1 / (B T)) sum_{b,t} log softmax(logits_{b,t})[x_{b,t+1}]. Call inside tf.tidy.
 */
export function windowLoss(
	params: Params,
	windows: tf.Tensor2D,
	mask: tf.Tensor2D | null,
	heads: number
): tf.Scalar {
	const [batch, width] = windows.shape;
	const t = width - 1;
	const vocab = params.tokEmb.shape[0];
	const { hidden } = forward(params, windows, mask, heads);
	// position-major: the first T * batch rows are positions 0..T-1
	const predicting = tf.slice(hidden, [0, 0], [t * batch, hidden.shape[1]]);
	const next = tf.reshape(tf.slice(tf.transpose(windows), [1, 0], [t, batch]), [t * batch]);
	return crossEntropy(logits(params, predicting), oneHot(next, vocab) as tf.Tensor2D);
}
