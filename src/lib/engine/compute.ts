/**
 * Engine-internal glue between plain arrays and tfjs: argument checks, one `tf.tidy` per
 * computation, and read-back of every requested tensor before all of them are disposed.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { getTf, type Tf } from './backend.js';
import { flatten, shapeOf, type Matrix, type NestedArray, type Vector } from './ndarray.js';

export interface Read {
	data: Float32Array;
	shape: number[];
}

/**
 * Run `build` inside one `tf.tidy`, read back the tensors it returns, dispose them.
 * Tensors never leave this function.
 */
export function compute<K extends string>(build: (tf: Tf) => Record<K, Tensor>): Record<K, Read> {
	const tf = getTf();
	const tensors = tf.tidy(() => build(tf));
	try {
		const out = {} as Record<K, Read>;
		for (const key of Object.keys(tensors) as K[]) {
			const t = tensors[key];
			out[key] = { data: t.dataSync() as Float32Array, shape: t.shape.slice() };
		}
		return out;
	} finally {
		tf.dispose(Object.values(tensors) as Tensor[]);
	}
}

/** Throws unless `x` is a rectangular array of finite numbers of the given rank; returns its shape. */
export function checkArray(name: string, x: unknown, rank: number): number[] {
	const s = shapeOf(x);
	if ('error' in s) throw new TypeError(`${name}: expected ${s.error.message}`);
	if (s.shape.length !== rank) {
		throw new RangeError(`${name}: expected a ${rank}-D array, got ${s.shape.length}-D`);
	}
	if (!allFinite(x as NestedArray)) throw new RangeError(`${name}: expected finite numbers`);
	return s.shape;
}

function allFinite(x: NestedArray): boolean {
	if (typeof x === 'number') return Number.isFinite(x);
	return x.every(allFinite);
}

export function checkVector(name: string, v: Vector): number {
	return checkArray(name, v, 1)[0];
}

export function checkMatrix(name: string, m: Matrix): [number, number] {
	const [r, c] = checkArray(name, m, 2);
	return [r, c];
}

/** Like checkMatrix, but `-Infinity` entries (masked scores) are allowed. */
export function checkMaskedMatrix(name: string, m: Matrix): [number, number] {
	const s = shapeOf(m);
	if ('error' in s) throw new TypeError(`${name}: expected ${s.error.message}`);
	if (s.shape.length !== 2) {
		throw new RangeError(`${name}: expected a 2-D array, got ${s.shape.length}-D`);
	}
	for (const row of m) {
		for (const v of row) {
			if (!(Number.isFinite(v) || v === -Infinity)) {
				throw new RangeError(`${name}: expected finite numbers or -Infinity`);
			}
		}
	}
	return [s.shape[0], s.shape[1]];
}

/** Row-major lower-triangular 0/1 mask (1 on and below the diagonal), `torch.tril(ones(n, n))`. */
export function trilData(n: number): Float32Array {
	const out = new Float32Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[i * n + j] = 1;
	return out;
}

/** Operands of the causal −∞ mask for scores of `shape` (…, T, T): where(cond, fill, scores). */
export interface FutureMask {
	cond: Tensor;
	fill: Tensor;
}

/**
 * The mask operands at full shape, uploaded as data: the −∞ values are never written as shader
 * constants (WebGL has mishandled those), and no broadcastTo is needed (slow on wasm).
 */
export function futureMask(tf: Tf, shape: readonly number[]): FutureMask {
	const t = shape[shape.length - 1];
	const size = shape.reduce((n, d) => n * d, 1);
	const future = new Uint8Array(size);
	const negInf = new Float32Array(size);
	for (let off = 0; off < size; off += t * t) {
		for (let i = 0; i < t; i++) {
			for (let j = i + 1; j < t; j++) {
				future[off + i * t + j] = 1;
				negInf[off + i * t + j] = -Infinity;
			}
		}
	}
	return { cond: tf.tensor(future, shape.slice(), 'bool'), fill: tf.tensor(negInf, shape.slice()) };
}

/**
 * `scores.masked_fill(triu(ones(T, T), diagonal=1).bool(), -inf)` for scores of shape (…, T, T),
 * §3.5.1. Pass `mask` to reuse operands of the same shape.
 */
export function maskFutureNegInf(tf: Tf, scores: Tensor, mask?: FutureMask): Tensor {
	const m = mask ?? futureMask(tf, scores.shape);
	return tf.where(m.cond, m.fill, scores);
}

/** A float32 tensor of a rectangular matrix (checked by the caller). */
export function tensor2d(tf: Tf, m: Matrix): Tensor {
	const [r, c] = [m.length, m[0].length];
	return tf.tensor2d(flatten(m, r * c), [r, c]);
}
