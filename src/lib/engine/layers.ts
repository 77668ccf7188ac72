/**
 * Engine-internal building blocks shared by the module classes (`modules.ts`) and the playground's
 * pipeline (`pipeline.ts`): `nn.Linear` on uploaded rows, the last-two-axes transpose, and when
 * attention runs per (batch, head) slice. Tensors only; callers run them inside `compute`.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import { flatten, type Tensor3 } from './ndarray.js';
import type { LinearData } from './rng.js';

/**
 * From this many tokens on, batched attention runs as one 2-D matMul chain per (batch, head) slice:
 * tfjs-wasm multiplies a single matrix pair with XNNPACK but falls back to a slow loop for
 * batch > 1, while for tiny inputs fewer, batched ops cost less.
 */
export const PER_SLICE_MIN_TOKENS = 16;

export function checkDim(name: string, v: number): void {
	if (!Number.isInteger(v) || v < 1)
		throw new RangeError(`${name}: expected a positive integer, got ${v}`);
}

const transposedWeights = new WeakMap<LinearData, Float32Array>();

/** Wᵀ (in × out, row-major), cached per layer. */
export function weightT(l: LinearData): Float32Array {
	let wt = transposedWeights.get(l);
	if (!wt) {
		const { in_features: n, out_features: m, weight } = l;
		wt = new Float32Array(n * m);
		for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) wt[i * m + o] = weight[o * n + i];
		transposedWeights.set(l, wt);
	}
	return wt;
}

/**
 * `nn.Linear` forward on rows: y = x Wᵀ + b, x of shape (rows, in). Wᵀ is uploaded already
 * transposed: tfjs-wasm runs matMul with transposeB in a slow loop instead of XNNPACK.
 */
export function linear(tf: Tf, x: Tensor, l: LinearData): Tensor {
	const y = tf.matMul(x, tf.tensor2d(weightT(l), [l.in_features, l.out_features]));
	return l.bias ? tf.add(y, tf.tensor1d(l.bias)) : y;
}

/** xᵀ over the last two axes, as its own op (faster on wasm than matMul's transpose flags). */
export function transposeLast(tf: Tf, x: Tensor): Tensor {
	const perm = [...Array(x.rank).keys()];
	[perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
	return tf.transpose(x, perm);
}

/** x of shape (b, T, d), checked by the caller, uploaded as (b·T, d) rows. */
export function batchRows(tf: Tf, x: Tensor3, b: number, t: number, d: number): Tensor {
	return tf.tensor2d(flatten(x, b * t * d), [b * t, d]);
}
