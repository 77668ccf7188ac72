/** Invariants of the attention steps and modules, checked on random inputs with fast-check. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	CausalAttention,
	Generator,
	MT19937,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	causalAttentionWeights,
	dropout,
	initEngine,
	maskAndRenormalize,
	maskWithNegInf,
	plainMultiHeadAttention,
	runSpec,
	scaledAttentionWeights,
	softmaxRows,
	type Matrix,
	type Tensor3
} from '../../../src/lib/engine/index.js';
import { dropoutNoise } from '../../../src/lib/engine/steps.js';
import { expectClose, flat } from './helpers.js';

const RUNS = { numRuns: 25 };

const value = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });
const matrix = (rows: number, cols: number): fc.Arbitrary<Matrix> =>
	fc.array(fc.array(value, { minLength: cols, maxLength: cols }), {
		minLength: rows,
		maxLength: rows
	});
const squareScores = fc.integer({ min: 1, max: 8 }).chain((n) => matrix(n, n));
const batch = (b: number, t: number, d: number): fc.Arbitrary<Tensor3> =>
	fc.array(matrix(t, d), { minLength: b, maxLength: b });

/** A random small multi-head setup: shapes, inputs, seed, dropout. */
const mhaCase = fc
	.record({
		b: fc.integer({ min: 1, max: 2 }),
		t: fc.integer({ min: 1, max: 6 }),
		d_in: fc.integer({ min: 1, max: 5 }),
		head_dim: fc.integer({ min: 1, max: 3 }),
		num_heads: fc.integer({ min: 1, max: 3 }),
		seed: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
		dropout: fc.constantFrom(0, 0.1, 0.5, 0.9),
		qkv_bias: fc.boolean()
	})
	.chain((c) => batch(c.b, c.t, c.d_in).map((inputs) => ({ ...c, inputs })));

/** Whether `gen` is exactly `draws` u32 further along than a fresh stream of `seed`. */
function advancedBy(gen: Generator, seed: number, draws: number): boolean {
	const mt = new MT19937(Number(BigInt.asUintN(32, BigInt(seed))));
	for (let i = 0; i < draws; i++) mt.nextU32();
	return gen.randomU32() === mt.nextU32();
}

beforeAll(async () => {
	await initEngine('wasm');
});

describe('softmax and the causal masks', () => {
	it('attention weight rows sum to 1 and are non-negative', () => {
		fc.assert(
			fc.property(squareScores, (s) => {
				const { weights, rowSums } = softmaxRows(s);
				for (const r of rowSums) expect(Math.abs(r - 1)).toBeLessThan(1e-5);
				for (const w of flat(weights)) expect(w).toBeGreaterThanOrEqual(0);
			}),
			RUNS
		);
	});

	it('puts -Infinity exactly above the diagonal and leaves the rest unchanged', () => {
		fc.assert(
			fc.property(squareScores, (s) => {
				const m = maskWithNegInf(s);
				m.forEach((row, i) =>
					row.forEach((v, j) => expect(v).toBe(j > i ? -Infinity : Math.fround(s[i][j])))
				);
			}),
			RUNS
		);
	});

	it('leaves nothing above the diagonal after the causal softmax; rows still sum to 1', () => {
		fc.assert(
			fc.property(squareScores, fc.integer({ min: 1, max: 64 }), (s, dk) => {
				const { weights } = causalAttentionWeights(s, dk);
				weights.forEach((row, i) => {
					row.forEach((v, j) => (j > i ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
					expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
				});
			}),
			RUNS
		);
	});

	it('the two masking methods (zero and renormalise; -inf before softmax) agree', () => {
		fc.assert(
			fc.property(squareScores, fc.integer({ min: 1, max: 64 }), (s, dk) => {
				const method1 = maskAndRenormalize(scaledAttentionWeights(s, dk).weights).normalized;
				const method2 = causalAttentionWeights(s, dk).weights;
				expectClose(method1, method2, 1e-6);
			}),
			RUNS
		);
	});
});

describe('dropout', () => {
	it('zeroes dropped elements and scales kept ones by float32(1 / float32(1 - p))', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.double({ min: 0.01, max: 0.99, noNaN: true }),
				matrix(4, 5),
				(seed, p, x) => {
					const { keep, scale, output } = dropout(x, p, { generator: new Generator(seed) });
					expect(scale).toBe(Math.fround(1 / Math.fround(1 - p)));
					output.forEach((row, i) =>
						row.forEach((v, j) => {
							expect(v === 0 || keep[i][j] === 1).toBe(true);
							if (keep[i][j] === 1) expect(v).toBe(Math.fround(Math.fround(x[i][j]) * scale));
						})
					);
				}
			),
			RUNS
		);
	});

	it('keeps the expected value: mean of dropout(ones) is 1 within 5 standard errors', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.constantFrom(0.1, 0.2, 0.5, 0.8),
				(seed, p) => {
					const n = 4000;
					const { output } = dropout(new Array<number>(n).fill(1), p, {
						generator: new Generator(seed)
					});
					const mean = output.reduce((a, b) => a + b, 0) / n;
					expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(p / (1 - p) / n));
				}
			),
			{ numRuns: 8 }
		);
	});

	it('draws two u32 per element in training mode, nothing for p = 0 or in eval mode', () => {
		const x = [
			[1, 2, 3],
			[4, 5, 6]
		];
		for (const [p, training, draws] of [
			[0.3, true, 12],
			[0, true, 0],
			[0.3, false, 0]
		] as const) {
			const g = new Generator(11);
			const { output } = dropout(x, p, { generator: g, training });
			expect(advancedBy(g, 11, draws)).toBe(true);
			if (draws === 0) expect(output).toEqual(x);
		}
	});
});

describe('modules', () => {
	it('CausalAttention: causal weights, and 2·b·T·T draws per forward only in train mode with p > 0', () => {
		fc.assert(
			fc.property(mhaCase, (c) => {
				const g = new Generator(c.seed);
				const m = new CausalAttention(c.d_in, c.head_dim, c.t, c.dropout, c.qkv_bias, {
					generator: g
				});
				const s = m.forwardWithSteps(c.inputs);
				for (const w of s.attn_weights_pre_dropout) {
					w.forEach((row, i) => {
						row.forEach((v, j) => j > i && expect(v).toBe(0));
						expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
					});
				}
				const weightDraws = 3 * c.head_dim * c.d_in + (c.qkv_bias ? 3 * c.head_dim : 0);
				const dropDraws = c.dropout > 0 ? 2 * c.b * c.t * c.t : 0;
				expect(advancedBy(g, c.seed, weightDraws + dropDraws)).toBe(true);
			}),
			RUNS
		);
	});

	it('MultiHeadAttentionWrapper = its heads built in order, run in order, concatenated', () => {
		fc.assert(
			fc.property(mhaCase, (c) => {
				const args = [c.d_in, c.head_dim, c.t, c.dropout] as const;
				const wrapper = new MultiHeadAttentionWrapper(...args, c.num_heads, c.qkv_bias, {
					generator: new Generator(c.seed)
				});
				const g = new Generator(c.seed);
				const heads = Array.from(
					{ length: c.num_heads },
					() => new CausalAttention(...args, c.qkv_bias, { generator: g })
				);
				const outs = heads.map((h) => h.forward(c.inputs));
				const concatenated = outs[0].map((rows, bi) =>
					rows.map((_, ti) => outs.flatMap((o) => o[bi][ti]))
				);
				expect(wrapper.forward(c.inputs)).toEqual(concatenated);
			}),
			RUNS
		);
	});

	it('MultiHeadAttention agrees with the plain Float32Array implementation, dropout included', () => {
		fc.assert(
			fc.property(mhaCase, (c) => {
				const d_out = c.head_dim * c.num_heads;
				const g = new Generator(c.seed);
				const m = new MultiHeadAttention(c.d_in, d_out, c.t, c.dropout, c.num_heads, c.qkv_bias, {
					generator: g
				});
				const oracle = new Generator(c.seed);
				new MultiHeadAttention(c.d_in, d_out, c.t, c.dropout, c.num_heads, c.qkv_bias, {
					generator: oracle
				});
				const got = m.forward(c.inputs);
				const n = c.b * c.num_heads * c.t * c.t;
				const noise = dropoutNoise(oracle, n, c.dropout, true)?.noise ?? null;
				const x = Float32Array.from(flat(c.inputs));
				const plain = plainMultiHeadAttention(m, x, c.b, c.t, noise);
				expectClose(flat(got), Array.from(plain), 1e-5);
				expect(g.randomU32()).toBe(oracle.randomU32());
			}),
			RUNS
		);
	});

	it('long inputs (per-slice path, >= 16 tokens) agree with the plain implementation and keep the mask', () => {
		const longCase = fc
			.record({
				b: fc.integer({ min: 1, max: 2 }),
				t: fc.integer({ min: 16, max: 24 }),
				num_heads: fc.integer({ min: 1, max: 3 }),
				seed: fc.integer({ min: 0, max: 1000 }),
				dropout: fc.constantFrom(0, 0.3)
			})
			.chain((c) => batch(c.b, c.t, 4).map((inputs) => ({ ...c, inputs })));
		fc.assert(
			fc.property(longCase, (c) => {
				const d_out = 2 * c.num_heads;
				const m = new MultiHeadAttention(4, d_out, c.t, c.dropout, c.num_heads, true, {
					generator: new Generator(c.seed)
				});
				const oracle = new Generator(c.seed);
				new MultiHeadAttention(4, d_out, c.t, c.dropout, c.num_heads, true, { generator: oracle });
				const s = m.forwardWithSteps(c.inputs);
				const n = c.b * c.num_heads * c.t * c.t;
				const noise = dropoutNoise(oracle, n, c.dropout, true)?.noise ?? null;
				const plain = plainMultiHeadAttention(
					m,
					Float32Array.from(flat(c.inputs)),
					c.b,
					c.t,
					noise
				);
				expectClose(flat(s.context_vecs), Array.from(plain), 1e-5);
				for (const w of s.attn_weights_pre_dropout.flat(1)) {
					w.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)));
				}
				// forward (context only) and forwardWithSteps run the same graph
				const fresh = new MultiHeadAttention(4, d_out, c.t, c.dropout, c.num_heads, true, {
					generator: new Generator(c.seed)
				});
				expect(fresh.forward(c.inputs)).toEqual(s.context_vecs);
			}),
			{ numRuns: 5 }
		);
	});

	it('eval mode draws nothing at forward time and gives the dropout-free result', () => {
		fc.assert(
			fc.property(mhaCase, (c) => {
				const d_out = c.head_dim * c.num_heads;
				const make = (p: number) =>
					new MultiHeadAttention(c.d_in, d_out, c.t, p, c.num_heads, c.qkv_bias, {
						generator: new Generator(c.seed)
					});
				const evalOut = make(c.dropout).eval().forward(c.inputs);
				expect(evalOut).toEqual(make(0).forward(c.inputs));
			}),
			RUNS
		);
	});
});

describe('backends', () => {
	it('cpu and wasm agree on every module, train mode and dropout included', async () => {
		const modules = [
			'SelfAttention_v1',
			'SelfAttention_v2',
			'CausalAttention',
			'MultiHeadAttentionWrapper',
			'MultiHeadAttention'
		] as const;
		const specs = fc.sample(
			fc.tuple(mhaCase, fc.constantFrom(...modules)).map(([c, module]) => ({
				module,
				d_in: c.d_in,
				d_out: c.head_dim * c.num_heads,
				num_heads: c.num_heads,
				context_length: c.t + 1,
				dropout: c.dropout,
				qkv_bias: c.qkv_bias,
				seed: c.seed,
				inputs: module.startsWith('SelfAttention') ? c.inputs[0] : c.inputs
			})),
			{ numRuns: 20, seed: 42 }
		);
		await initEngine('cpu');
		const onCpu = specs.map(runSpec);
		await initEngine('wasm');
		const onWasm = specs.map(runSpec);
		specs.forEach((s, i) => {
			expectClose(onWasm[i].context_vecs, onCpu[i].context_vecs, 1e-6, s.module);
			expectClose(onWasm[i].attn_weights, onCpu[i].attn_weights, 1e-6, s.module);
		});
	});
});
