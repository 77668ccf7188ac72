/**
 * The engine benchmark, runnable in Node and in the browser: median time of one
 * `MultiHeadAttention.forward` (arrays in, arrays out, tfjs upload and read-back included) against
 * the plain Float32Array implementation of the same math.
 */
import {
	BOOK_INPUTS,
	Generator,
	MultiHeadAttention,
	initEngine,
	plainMultiHeadAttention,
	type EngineBackend,
	type Tensor3
} from '../../src/lib/engine/index.js';

export interface BenchCase {
	name: string;
	batch: number;
	tokens: number;
	d_in: number;
	d_out: number;
	num_heads: number;
	/** Timed runs per implementation (after warm-up). */
	runs: number;
}

export const BENCH_CASES: BenchCase[] = [
	{
		name: 'book (2 x 6 x 3 -> 2, 2 heads)',
		batch: 2,
		tokens: 6,
		d_in: 3,
		d_out: 2,
		num_heads: 2,
		runs: 100
	},
	{
		name: '256 tokens, d 64, 4 heads',
		batch: 1,
		tokens: 256,
		d_in: 64,
		d_out: 64,
		num_heads: 4,
		runs: 30
	}
];

export interface BenchResult {
	case: string;
	backend: EngineBackend;
	engineMedianMs: number;
	plainMedianMs: number;
	/** engine / plain: below 1 means the engine is faster. */
	ratio: number;
	/** Largest |engine − plain| over the output (both compute the same numbers). */
	maxAbsDiff: number;
}

function inputsFor(c: BenchCase): Tensor3 {
	if (c.tokens === 6 && c.d_in === 3) return Array.from({ length: c.batch }, () => BOOK_INPUTS);
	const g = new Generator(1);
	return Array.from({ length: c.batch }, () => g.rand([c.tokens, c.d_in]) as number[][]);
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Median milliseconds per call over `runs` timed batches after `warmup` calls. A batch repeats the
 * call until it lasts >= 2 ms, because browsers coarsen performance.now() (to 0.1 ms in Chromium
 * without cross-origin isolation).
 */
function timeRuns(fn: () => unknown, warmup: number, runs: number): number {
	const t0 = performance.now();
	for (let i = 0; i < warmup; i++) fn();
	const perCall = Math.max((performance.now() - t0) / warmup, 1e-4);
	const batch = Math.max(1, Math.ceil(2 / perCall));
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		for (let j = 0; j < batch; j++) fn();
		times.push((performance.now() - start) / batch);
	}
	return median(times);
}

/** Benchmarks every case on `backend` (which must be available). */
export async function runBench(
	backend: EngineBackend,
	cases = BENCH_CASES
): Promise<BenchResult[]> {
	const got = await initEngine(backend);
	if (got !== backend) throw new Error(`backend ${backend} unavailable (got ${got})`);
	return cases.map((c) => {
		const m = new MultiHeadAttention(c.d_in, c.d_out, c.tokens, 0.0, c.num_heads, false, {
			generator: new Generator(123)
		});
		const x = inputsFor(c);
		const flat = Float32Array.from(x.flat(2));
		const warmup = Math.max(5, Math.round(c.runs / 5));
		const engineMedianMs = timeRuns(() => m.forward(x), warmup, c.runs);
		const plainMedianMs = timeRuns(
			() => plainMultiHeadAttention(m, flat, c.batch, c.tokens),
			warmup,
			c.runs
		);
		const a = m.forward(x).flat(2);
		const b = plainMultiHeadAttention(m, flat, c.batch, c.tokens);
		const maxAbsDiff = a.reduce((mx, v, i) => Math.max(mx, Math.abs(v - b[i])), 0);
		return {
			case: c.name,
			backend,
			engineMedianMs,
			plainMedianMs,
			ratio: engineMedianMs / plainMedianMs,
			maxAbsDiff
		};
	});
}
