/**
 * runPipeline: with the book's settings every step equals the module classes' forwardWithSteps bit
 * for bit (wasm and cpu); the playground's own settings (mask placement, temperature, dropout seed)
 * do what they say; no tensor outlives a call.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	BOOK_INPUTS,
	CausalAttention,
	Generator,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2,
	allAttentionScores,
	contextVectors,
	defaultGenerator,
	dropout,
	engineMemory,
	initEngine,
	manualSeed,
	runPipeline,
	softmaxRows,
	type Matrix,
	type PipelineConfig,
	type PipelineResult
} from '../../../src/lib/engine/index.js';
import { expectClose } from './helpers.js';

const f32 = Math.fround;

function config(overrides: Partial<PipelineConfig> = {}): PipelineConfig {
	return {
		module: 'CausalAttention',
		inputs: BOOK_INPUTS,
		d_out: 2,
		num_heads: 2,
		qkv_bias: false,
		seed: 123,
		mask: 'before',
		scale: true,
		temperature: 1,
		dropout: 0,
		mode: 'train',
		dropoutSeed: null,
		...overrides
	};
}

/** Tokens × d entries in [−1, 1), from their own generator. */
function randomInputs(t: number, d: number, seed: number): Matrix {
	const u = new Generator(seed).rand([t, d]) as Matrix;
	return u.map((row) => row.map((v) => 2 * v - 1));
}

const f32Matrix = (m: Matrix): Matrix => m.map((row) => row.map(f32));
const gen = (seed: number): { generator: Generator } => ({ generator: new Generator(seed) });

const inputSets: [string, Matrix][] = [
	['the book inputs', BOOK_INPUTS],
	['5 random tokens x 4', randomInputs(5, 4, 1)],
	['20 random tokens x 8', randomInputs(20, 8, 2)]
];

describe.each(['wasm', 'cpu'] as const)('runPipeline equals the modules on %s', (backend) => {
	beforeAll(async () => {
		expect(await initEngine(backend)).toBe(backend);
	});

	describe.each(inputSets)('on %s', (_, x) => {
		const [t, d_in] = [x.length, x[0].length];

		it('simplified: softmaxRows(inputs @ inputs.T) and contextVectors', () => {
			const r = runPipeline(config({ module: 'simplified', inputs: x, mask: 'off', scale: false }));
			const scores = allAttentionScores(x);
			const { weights } = softmaxRows(scores);
			const [head] = r.heads;
			expect(r.heads).toHaveLength(1);
			expect([r.queries, r.keys, r.values, head.queries]).toEqual(Array(4).fill(f32Matrix(x)));
			expect(head.scores).toEqual(scores);
			expect(head.scaled).toEqual(scores);
			expect(head.softmax).toEqual(weights);
			expect(head.weights).toEqual(weights);
			expect(head.context).toEqual(contextVectors(weights, x));
			expect(r.context).toEqual(head.context);
			expect([r.d_in, r.d_k, r.scaleFactor, r.dropoutScale]).toEqual([d_in, d_in, 1, 1]);
			expect(r.parameters).toEqual({});
			expect(r.concat).toBeNull();
		});

		it.each([
			['SelfAttention_v1', 123, () => new SelfAttention_v1(d_in, 2, gen(123))],
			['SelfAttention_v2', 789, () => new SelfAttention_v2(d_in, 2, false, gen(789))],
			['SelfAttention_v2 with bias', 789, () => new SelfAttention_v2(d_in, 2, true, gen(789))]
		] as const)('%s (seed %i, mask off)', (name, seed, make) => {
			const m = make();
			const steps = m.forwardWithSteps(x);
			const r = runPipeline(
				config({
					module: name.startsWith('SelfAttention_v1') ? 'SelfAttention_v1' : 'SelfAttention_v2',
					qkv_bias: name.endsWith('bias'),
					inputs: x,
					seed,
					mask: 'off'
				})
			);
			const [head] = r.heads;
			expect(r.parameters).toEqual(m.parameters());
			expect([r.queries, r.keys, r.values]).toEqual([steps.queries, steps.keys, steps.values]);
			expect([head.queries, head.keys, head.values]).toEqual([r.queries, r.keys, r.values]);
			expect(head.scores).toEqual(steps.attn_scores);
			expect(head.masked).toBeNull();
			expect(head.softmax).toEqual(steps.attn_weights);
			expect(head.weights).toEqual(steps.attn_weights);
			expect(head.context).toEqual(steps.context_vecs);
			expect(r.context).toEqual(steps.context_vecs);
			expect(r.scaleFactor).toBe(f32(Math.SQRT2));
		});

		it.each([0, 0.5])('CausalAttention (seed 123, dropout %s, train)', (p) => {
			const m = new CausalAttention(d_in, 2, t, p, false, gen(123));
			const steps = m.forwardWithSteps([x]);
			const r = runPipeline(config({ inputs: x, dropout: p }));
			const [head] = r.heads;
			expect(r.parameters).toEqual(m.parameters());
			expect([r.queries, r.keys, r.values]).toEqual([
				steps.queries[0],
				steps.keys[0],
				steps.values[0]
			]);
			expect(head.scores).toEqual(steps.attn_scores[0]);
			expect(head.masked).toEqual(steps.masked[0]);
			expect(head.softmax).toEqual(steps.attn_weights_pre_dropout[0]);
			expect(head.maskedAfter).toBeNull();
			expect(head.dropoutKeep).toEqual(steps.dropout_keep?.[0] ?? null);
			expect(head.weights).toEqual(steps.attn_weights[0]);
			expect(head.context).toEqual(steps.context_vecs[0]);
			expect(r.context).toEqual(steps.context_vecs[0]);
			expect(r.dropoutScale).toBe(p ? 2 : 1);
			expect(r.concat).toBeNull();
		});

		it.each([0, 0.5])('MultiHeadAttentionWrapper (2 heads, dropout %s, train)', (p) => {
			const m = new MultiHeadAttentionWrapper(d_in, 2, t, p, 2, false, gen(123));
			const steps = m.forwardWithSteps([x]);
			const r = runPipeline(config({ module: 'MultiHeadAttentionWrapper', inputs: x, dropout: p }));
			expect(r.parameters).toEqual(m.parameters());
			expect(r.heads).toHaveLength(2);
			r.heads.forEach((head, i) => {
				const s = steps.heads[i];
				expect([head.queries, head.keys, head.values]).toEqual([
					s.queries[0],
					s.keys[0],
					s.values[0]
				]);
				expect(head.scores).toEqual(s.attn_scores[0]);
				expect(head.masked).toEqual(s.masked[0]);
				expect(head.softmax).toEqual(s.attn_weights_pre_dropout[0]);
				expect(head.dropoutKeep).toEqual(s.dropout_keep?.[0] ?? null);
				expect(head.weights).toEqual(s.attn_weights[0]);
				expect(head.context).toEqual(s.context_vecs[0]);
			});
			expect(r.queries.map((row) => row.length)).toEqual(Array(t).fill(4));
			expect(r.concat).toEqual(steps.context_vecs[0]);
			expect(r.context).toEqual(steps.context_vecs[0]);
		});

		it.each([
			[2, 2, 0],
			[2, 2, 0.5],
			[4, 8, 0.5]
		])('MultiHeadAttention (%i heads, d_out %i, dropout %s, train)', (h, d_out, p) => {
			const m = new MultiHeadAttention(d_in, d_out, t, p, h, false, gen(123));
			const steps = m.forwardWithSteps([x]);
			const r = runPipeline(
				config({ module: 'MultiHeadAttention', inputs: x, d_out, num_heads: h, dropout: p })
			);
			expect(r.parameters).toEqual(m.parameters());
			expect([r.queries, r.keys, r.values]).toEqual([
				steps.queries[0],
				steps.keys[0],
				steps.values[0]
			]);
			expect(r.d_k).toBe(d_out / h);
			expect(r.heads).toHaveLength(h);
			r.heads.forEach((head, i) => {
				expect([head.queries, head.keys, head.values]).toEqual([
					steps.queries_heads[0][i],
					steps.keys_heads[0][i],
					steps.values_heads[0][i]
				]);
				expect(head.scores).toEqual(steps.attn_scores[0][i]);
				expect(head.masked).toEqual(steps.masked[0][i]);
				expect(head.softmax).toEqual(steps.attn_weights_pre_dropout[0][i]);
				expect(head.dropoutKeep).toEqual(steps.dropout_keep?.[0][i] ?? null);
				expect(head.weights).toEqual(steps.attn_weights[0][i]);
				expect(head.context).toEqual(steps.context_per_head[0][i]);
			});
			expect(r.concat).toEqual(steps.context_heads[0]);
			expect(r.context).toEqual(steps.context_vecs[0]);
		});
	});
});

describe('runPipeline settings', () => {
	beforeAll(async () => {
		await initEngine('wasm');
	});

	const rowSums = (m: Matrix): number[] => m.map((row) => row.reduce((a, b) => a + b, 0));

	it("'after-renorm' gives the same weights as 'before' (§3.5.1's two ways)", () => {
		for (const module of ['CausalAttention', 'MultiHeadAttention'] as const) {
			const before = runPipeline(config({ module, mask: 'before' }));
			const after = runPipeline(config({ module, mask: 'after-renorm' }));
			after.heads.forEach((head, i) => {
				expect(head.masked).toBeNull();
				expect(head.maskedAfter).toEqual(head.weights);
				head.maskedAfter!.forEach((row, q) => row.forEach((v, k) => k > q && expect(v).toBe(0)));
				expectClose(head.weights, before.heads[i].weights, 1e-6, `${module} head ${i}`);
			});
			expectClose(after.context, before.context, 1e-6, module);
		}
	});

	it("'after' zeroes the future without renormalising: rows no longer sum to 1", () => {
		const [head] = runPipeline(config({ mask: 'after' })).heads;
		const sums = rowSums(head.weights);
		expect(Math.abs(sums[sums.length - 1] - 1)).toBeLessThan(1e-6);
		for (const s of sums.slice(0, -1)) expect(s).toBeLessThan(1 - 1e-3);
		head.softmax.forEach((row, q) =>
			row.forEach((v, k) => expect(head.maskedAfter![q][k]).toBe(k > q ? 0 : v))
		);
	});

	it("mask 'off' lets every token see the future; masks apply to SelfAttention_v2 too", () => {
		const off = runPipeline(config({ mask: 'off' })).heads[0];
		expect(off.masked).toBeNull();
		expect(off.weights[0][5]).toBeGreaterThan(0);
		const v2 = runPipeline(config({ module: 'SelfAttention_v2', mask: 'before' })).heads[0];
		expect(v2.masked![0][1]).toBe(-Infinity);
		expect(v2.weights[0]).toEqual([1, 0, 0, 0, 0, 0]);
	});

	it('temperature 1 multiplies nothing; 2 doubles the scaled scores exactly', () => {
		for (const module of ['SelfAttention_v1', 'CausalAttention', 'MultiHeadAttention'] as const) {
			const one = runPipeline(config({ module }));
			const two = runPipeline(config({ module, temperature: 2 }));
			two.heads.forEach((head, i) => {
				expect(head.scaled).toEqual(one.heads[i].scaled.map((row) => row.map((v) => 2 * v)));
				expect(head.softmax).not.toEqual(one.heads[i].softmax);
			});
		}
		const plain = runPipeline(config({ mask: 'off', scale: false })).heads[0];
		expect(plain.scaled).toEqual(plain.scores);
	});

	it('eval mode and dropout 0 draw nothing', () => {
		for (const c of [config({ dropout: 0.5, mode: 'eval' }), config({ dropout: 0 })]) {
			const r = runPipeline(c);
			expect(r.dropoutScale).toBe(1);
			for (const head of r.heads) {
				expect(head.dropoutKeep).toBeNull();
				expect(head.weights).toEqual(head.softmax);
			}
		}
		const train = runPipeline(config({ dropout: 0.5 })).heads[0];
		expect(train.dropoutKeep).not.toBeNull();
		train.weights.forEach((row, q) =>
			row.forEach((v, k) => expect(v).toBe(f32(train.softmax[q][k] * 2 * train.dropoutKeep![q][k])))
		);
	});

	it('dropoutSeed re-seeds the generator right before the dropout draws', () => {
		const ones = Array.from({ length: 6 }, () => Array<number>(6).fill(1));
		const expected = dropout(ones, 0.5, { generator: new Generator(7) }).keep;
		const a = runPipeline(config({ dropout: 0.5, dropoutSeed: 7 }));
		const b = runPipeline(config({ dropout: 0.5, dropoutSeed: 7, seed: 456 }));
		const c = runPipeline(config({ dropout: 0.5 }));
		expect(a.heads[0].dropoutKeep).toEqual(expected);
		expect(b.heads[0].dropoutKeep).toEqual(expected);
		expect(c.heads[0].dropoutKeep).not.toEqual(expected);
		expect(b.parameters).not.toEqual(a.parameters);
		expect(a.parameters).toEqual(c.parameters);
		const mha = runPipeline(config({ module: 'MultiHeadAttention', dropout: 0.5, dropoutSeed: 7 }));
		const both = dropout([ones, ones], 0.5, { generator: new Generator(7) }).keep;
		expect(mha.heads.map((h) => h.dropoutKeep)).toEqual(both);
	});

	it('leaves the default generator alone', () => {
		manualSeed(42);
		const expected = defaultGenerator().randomU32();
		manualSeed(42);
		runPipeline(config({ dropout: 0.5 }));
		expect(defaultGenerator().randomU32()).toBe(expected);
	});

	it('shapes: per-head key size, the wrapper concatenates, simplified keeps d_in', () => {
		const shape = (m: Matrix): number[] => [m.length, m[0].length];
		const wrapper = runPipeline(config({ module: 'MultiHeadAttentionWrapper', num_heads: 3 }));
		expect(shape(wrapper.context)).toEqual([6, 6]);
		expect(wrapper.heads.map((h) => shape(h.context))).toEqual(Array(3).fill([6, 2]));
		const one = runPipeline(config({ module: 'MultiHeadAttentionWrapper', num_heads: 1 }));
		expect(one.concat).toEqual(one.context);
		expect(one.context).toEqual(runPipeline(config()).context);
		const mha = runPipeline(config({ module: 'MultiHeadAttention', d_out: 6, num_heads: 3 }));
		expect([mha.d_k, ...shape(mha.context), ...shape(mha.concat!)]).toEqual([2, 6, 6, 6, 6]);
		expect(mha.scaleFactor).toBe(f32(Math.SQRT2));
		expect(Object.keys(mha.parameters)).toContain('out_proj.bias');
		const simplified = runPipeline(config({ module: 'simplified', d_out: 5, scale: true }));
		expect([simplified.d_k, simplified.scaleFactor]).toEqual([3, f32(Math.sqrt(3))]);
		expect(shape(simplified.context)).toEqual([6, 3]);
	});

	it.each([
		[{ module: 'MultiHeadAttention', d_out: 3, num_heads: 2 }, /multiple of num_heads \(2\)/],
		[{ module: 'MultiHeadAttentionWrapper', num_heads: 0 }, /num_heads/],
		[{ d_out: 0 }, /d_out/],
		[{ dropout: 1 }, /dropout/],
		[{ temperature: 0 }, /temperature/],
		[{ mask: 'later' }, /mask/],
		[{ module: 'GPT' }, /module/],
		[{ inputs: [[1, 2], [3]] }, /inputs/],
		[{ seed: 1.5 }, /seed/],
		[{ dropoutSeed: Number.NaN }, /dropoutSeed/]
	] as [Partial<PipelineConfig>, RegExp][])('rejects %o', (bad, message) => {
		expect(() => runPipeline(config(bad))).toThrow(message);
	});
});

describe.each(['wasm', 'cpu'] as const)('runPipeline leaks no tensor on %s', (backend) => {
	const configs: PipelineConfig[] = [
		config({ module: 'simplified', mask: 'after', scale: false }),
		config({ module: 'SelfAttention_v1', mask: 'off', temperature: 2 }),
		config({ module: 'SelfAttention_v2', qkv_bias: true, mask: 'after-renorm', dropout: 0.5 }),
		config({ dropout: 0.5 }),
		config({ module: 'MultiHeadAttentionWrapper', mask: 'after', dropout: 0.5 }),
		config({ module: 'MultiHeadAttention', d_out: 8, num_heads: 4, dropout: 0.5 }),
		config({
			module: 'MultiHeadAttention',
			inputs: randomInputs(20, 8, 3),
			d_out: 8,
			num_heads: 4,
			mask: 'after-renorm',
			temperature: 0.5,
			dropout: 0.1
		})
	];

	it('numTensors is unchanged after every module and setting, and after a rejected config', async () => {
		await initEngine(backend);
		const before = engineMemory().numTensors;
		const results: PipelineResult[] = configs.map((c) => runPipeline(c));
		expect(results).toHaveLength(configs.length);
		expect(engineMemory().numTensors).toBe(before);
		expect(() => runPipeline(config({ module: 'MultiHeadAttention', d_out: 3 }))).toThrow(
			RangeError
		);
		expect(engineMemory().numTensors).toBe(before);
	});
});
