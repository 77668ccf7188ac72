/** runSpec / validateSpec: defaults, seeds, and every kind of bad spec (without the CLI). */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	Generator,
	MultiHeadAttention,
	SpecError,
	defaultGenerator,
	initEngine,
	manualSeed,
	parseSpecJson,
	runSpec,
	validateSpec
} from '../../../src/lib/engine/index.js';
import { BAD_SPECS, GOOD_SPEC } from './bad-specs.js';

beforeAll(async () => {
	await initEngine('wasm');
});

describe('validateSpec', () => {
	it('fills the defaults of design.md: mode train, dropout 0, qkv_bias false', () => {
		const { mode, dropout, qkv_bias, ...rest } = GOOD_SPEC;
		expect([mode, dropout, qkv_bias]).toBeDefined();
		const spec = validateSpec(rest);
		expect(spec.mode).toBe('train');
		expect(spec.dropout).toBe(0);
		expect(spec.qkv_bias).toBe(false);
	});

	it.each(BAD_SPECS.map((b) => [b.name, b] as const))('rejects %s, naming the field', (_, bad) => {
		let error: unknown;
		try {
			validateSpec(parseSpecJson(bad.text));
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(SpecError);
		const e = error as SpecError;
		expect(e.field).toBe(bad.field);
		expect(e.message.startsWith(`${bad.field}: expected `)).toBe(true);
		expect(e.message).not.toContain('\n');
	});

	it('mentions context_length when there are too many tokens', () => {
		expect(() => validateSpec({ ...GOOD_SPEC, context_length: 1 })).toThrow(/context_length/);
	});
});

describe('runSpec', () => {
	it('equals building the module after manual_seed(seed) and running it', () => {
		manualSeed(123);
		const m = new MultiHeadAttention(3, 2, 6, 0.0, 2);
		expect(runSpec(GOOD_SPEC).context_vecs).toEqual(m.forward(GOOD_SPEC.inputs));
	});

	it('reduces seeds to their low 32 bits, negative ones included', () => {
		const run = (seed: number) => runSpec({ ...GOOD_SPEC, seed, dropout: 0.5 }).context_vecs;
		expect(run(-5)).toEqual(run(2 ** 32 - 5));
		expect(run(2 ** 40 + 7)).toEqual(run(7));
		expect(run(-5)).not.toEqual(run(5));
	});

	it('runs dropout in train mode and not in eval mode', () => {
		const spec = { ...GOOD_SPEC, dropout: 0.5, seed: 1 };
		const train = runSpec(spec).attn_weights as number[][][][];
		const evalW = runSpec({ ...spec, mode: 'eval' }).attn_weights as number[][][][];
		expect(runSpec({ ...spec, dropout: 0, mode: 'train' }).attn_weights).toEqual(evalW);
		const t = train.flat(3);
		const e = evalW.flat(3);
		t.forEach((v, i) => expect(v === 0 || v === Math.fround(e[i] * 2)).toBe(true));
		expect(t.some((v, i) => v === 0 && e[i] !== 0)).toBe(true);
		expect(train).not.toEqual(evalW);
	});

	it('uses its own generator and leaves the default one alone', () => {
		manualSeed(9);
		runSpec(GOOD_SPEC);
		expect(defaultGenerator().randomU32()).toBe(new Generator(9).randomU32());
	});

	it('gives each module its output shape', () => {
		const x2 = GOOD_SPEC.inputs[0];
		const shape = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shape(v[0])] : []);
		const base = { d_in: 3, d_out: 4, seed: 1, context_length: 6, num_heads: 2 };
		expect(
			shape(runSpec({ ...base, module: 'SelfAttention_v1', inputs: x2 }).context_vecs)
		).toEqual([2, 4]);
		expect(
			shape(runSpec({ ...base, module: 'SelfAttention_v2', inputs: x2 }).context_vecs)
		).toEqual([2, 4]);
		const x3 = GOOD_SPEC.inputs;
		expect(shape(runSpec({ ...base, module: 'CausalAttention', inputs: x3 }).context_vecs)).toEqual(
			[1, 2, 4]
		);
		expect(
			shape(runSpec({ ...base, module: 'MultiHeadAttentionWrapper', inputs: x3 }).context_vecs)
		).toEqual([1, 2, 8]);
		expect(
			shape(runSpec({ ...base, module: 'MultiHeadAttention', inputs: x3 }).context_vecs)
		).toEqual([1, 2, 4]);
	});
});
