/** `parameter-count`: a module's trainable parameters, counted from the engine's module. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/lib/engine/index.js';
import { checkDeck, parseDeck, type EngineQuestion } from '../../../src/lib/content/index.js';
import { computeExpectedSync } from '../../../src/lib/quiz/compute.js';

beforeAll(async () => {
	await initEngine('cpu');
});

function deck(compute: string[]): string {
	return [
		'---',
		'id: params',
		'title: T',
		'order: 1',
		'summary: S',
		'section: "3.6"',
		'---',
		'```quiz',
		'id: q',
		'kind: number',
		'prompt: How many in {{module}}({{d_out}}, heads {{num_heads}})?',
		'compute:',
		'  target: parameter-count',
		...compute.map((line) => `  ${line}`),
		'decimals: 0',
		'explanation: E.',
		'```'
	].join('\n');
}

function count(compute: string[], seed = 0): number {
	const q = parseDeck(deck(compute), 'params.md').questions[0] as EngineQuestion;
	return computeExpectedSync(q, seed).expected as number;
}

describe('parameter-count', () => {
	it('counts what the book’s formulas give, for every module', () => {
		const d = 5;
		expect(count(['module: SelfAttention_v1', `d_out: ${d}`])).toBe(3 * d * d);
		expect(count(['module: SelfAttention_v2', `d_out: ${d}`, 'qkv_bias: true'])).toBe(
			3 * (d * d + d)
		);
		expect(count(['module: CausalAttention', `d_out: ${d}`])).toBe(3 * d * d);
		expect(count(['module: MultiHeadAttentionWrapper', `d_out: ${d}`, 'num_heads: 3'])).toBe(
			3 * 3 * d * d
		);
		expect(
			count(['module: MultiHeadAttention', 'd_out: 6', 'num_heads: 3', 'qkv_bias: true'])
		).toBe(4 * (36 + 6));
	});

	it('gives GPT-2 small’s attention layer, MultiHeadAttention(768, 768, 12 heads), 4d² + d', () => {
		const d = 768;
		expect(count(['module: MultiHeadAttention', `d_out: ${d}`, 'num_heads: 12'])).toBe(
			4 * d * d + d
		);
	});

	it('does not depend on the number of heads of MultiHeadAttention', () => {
		const heads = [1, 2, 4, 8].map((h) =>
			count(['module: MultiHeadAttention', 'd_out: 16', `num_heads: ${h}`])
		);
		expect(new Set(heads).size).toBe(1);
	});

	it('rejects sizes too large to build and fields the module does not read', () => {
		const issues = (compute: string[]) =>
			checkDeck(deck(compute), 'params.md').issues.map((i) => i.message);
		expect(issues(['module: MultiHeadAttention', 'd_out: 2048'])).toEqual([
			'question "q": "compute.d_out" must stay within 1..1024 (a range is [min, max])',
			'question "q": MultiHeadAttention with d_out = 2048 has 16777216 weights; at most 5000000 can be counted'
		]);
		expect(issues(['module: CausalAttention', 'd_out: 8', 'num_heads: 2'])).toEqual([
			'question "q": "compute.num_heads" is not used by CausalAttention'
		]);
		expect(issues(['module: MultiHeadAttention', 'd_out: 10', 'num_heads: 4'])).toEqual([
			'question "q": d_out = 10 is not divisible by num_heads = 4'
		]);
	});
});
