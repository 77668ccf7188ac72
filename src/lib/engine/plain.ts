/**
 * A tfjs-free MultiHeadAttention forward on Float32Arrays (§3.6.2), the same math as
 * `MultiHeadAttention.forward`: the benchmark's baseline and the tests' independent cross-check.
 * Sums run in doubles and are stored as float32, so results agree with tfjs to ~1e-7, not bitwise.
 */
import type { LinearData } from './rng.js';

export interface PlainMhaParams {
	W_query: LinearData;
	W_key: LinearData;
	W_value: LinearData;
	out_proj: LinearData;
	num_heads: number;
}

/** y = x Wᵀ + b for `rows` rows of x (row-major), W of shape (out, in). */
export function plainLinear(x: Float32Array, rows: number, l: LinearData): Float32Array {
	const { in_features: n, out_features: m, weight: w, bias } = l;
	const y = new Float32Array(rows * m);
	for (let r = 0; r < rows; r++) {
		const xo = r * n;
		for (let o = 0; o < m; o++) {
			const wo = o * n;
			let s = 0;
			for (let i = 0; i < n; i++) s += x[xo + i] * w[wo + i];
			y[r * m + o] = bias ? Math.fround(s) + bias[o] : s;
		}
	}
	return y;
}

/**
 * MultiHeadAttention forward on x of shape (b, t, d_in), row-major. `noise` is dropout's
 * (b, heads, t, t) float32 noise (0 or 1/(1−p)), or null when dropout draws nothing.
 * Returns the (b, t, d_out) context vectors, row-major.
 */
export function plainMultiHeadAttention(
	p: PlainMhaParams,
	x: Float32Array,
	b: number,
	t: number,
	noise: Float32Array | null = null
): Float32Array {
	const dOut = p.W_query.out_features;
	const h = p.num_heads;
	const hd = dOut / h;
	const rows = b * t;
	const q = plainLinear(x, rows, p.W_query);
	const k = plainLinear(x, rows, p.W_key);
	const v = plainLinear(x, rows, p.W_value);
	const scale = Math.fround(Math.sqrt(hd));
	const ctx = new Float32Array(rows * dOut);
	const w = new Float32Array(t);
	const acc = new Float64Array(hd);
	for (let bi = 0; bi < b; bi++) {
		for (let hi = 0; hi < h; hi++) {
			const col = hi * hd;
			for (let i = 0; i < t; i++) {
				const qo = (bi * t + i) * dOut + col;
				// Causal: only keys j <= i; the rest get weight exp(−∞) = 0.
				let max = -Infinity;
				for (let j = 0; j <= i; j++) {
					const ko = (bi * t + j) * dOut + col;
					let s = 0;
					for (let d = 0; d < hd; d++) s += q[qo + d] * k[ko + d];
					const scaled = Math.fround(Math.fround(s) / scale);
					w[j] = scaled;
					if (scaled > max) max = scaled;
				}
				let sum = 0;
				for (let j = 0; j <= i; j++) {
					w[j] = Math.exp(w[j] - max);
					sum += w[j];
				}
				acc.fill(0);
				const no = ((bi * h + hi) * t + i) * t;
				for (let j = 0; j <= i; j++) {
					let a = Math.fround(w[j] / sum);
					if (noise) a = Math.fround(a * noise[no + j]);
					if (a === 0) continue;
					const vo = (bi * t + j) * dOut + col;
					for (let d = 0; d < hd; d++) acc[d] += a * v[vo + d];
				}
				const co = (bi * t + i) * dOut + col;
				for (let d = 0; d < hd; d++) ctx[co + d] = acc[d];
			}
		}
	}
	return plainLinear(ctx, rows, p.out_proj);
}
