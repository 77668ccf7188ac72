/** `mha-shape`: the shapes of MultiHeadAttention.forward's tensors, read from the engine's run. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/lib/engine/index.js';
import {
	MHA_STEPS,
	MHA_STEP_NAMES,
	parseDeck,
	type EngineQuestion,
	type MhaStep
} from '../../../src/lib/content/index.js';
import { computeExpectedSync } from '../../../src/lib/quiz/compute.js';

beforeAll(async () => {
	await initEngine('cpu');
});

function question(step: MhaStep, extra = ''): EngineQuestion {
	const deck = [
		'---',
		'id: shapes',
		'title: T',
		'order: 1',
		'summary: S',
		'section: "3.6"',
		'---',
		'```quiz',
		'id: q',
		'kind: vector',
		'prompt: P.',
		'compute:',
		'  target: mha-shape',
		`  step: ${step}`,
		'  inputs: random',
		'  tokens: [2, 8]',
		'  d_in: [1, 6]',
		'  d_out: 6',
		'  num_heads: { one_of: [1, 2, 3] }',
		'  batch: [1, 4]',
		extra,
		`shape: [${MHA_STEPS[step].rank}]`,
		'decimals: 0',
		'explanation: E.',
		'```'
	]
		.filter((line) => line !== '')
		.join('\n');
	return parseDeck(deck, 'shapes.md').questions[0] as EngineQuestion;
}

/** The shape of each step in terms of the sizes, as the book's comments give it. */
function bookShape(step: MhaStep, b: number, t: number, d: number, h: number): number[] {
	const dh = d / h;
	return {
		keys: [b, t, d],
		'keys-view': [b, t, h, dh],
		'keys-transposed': [b, h, t, dh],
		'attn-scores': [b, h, t, t],
		'attn-weights': [b, h, t, t],
		'context-per-head': [b, h, t, dh],
		'context-transposed': [b, t, h, dh],
		'context-merged': [b, t, d],
		output: [b, t, d]
	}[step];
}

describe('mha-shape', () => {
	it('reads every step’s shape from the engine, as the book’s comments say', () => {
		for (const step of MHA_STEP_NAMES) {
			const q = question(step);
			for (const seed of [0, 1, 2, 3, 4, 5]) {
				const c = computeExpectedSync(q, seed);
				const { batch = 2, tokens, d_out = 2, num_heads = 2 } = c.params;
				expect(c.expected, `${step} seed ${seed}`).toEqual(
					bookShape(step, batch, tokens, d_out, num_heads)
				);
				expect(c.shape).toEqual([MHA_STEPS[step].rank]);
			}
		}
	});

	it('is declared with the rank of its step', () => {
		expect(() =>
			parseDeck(
				[
					'---',
					'id: shapes',
					'title: T',
					'order: 1',
					'summary: S',
					'section: "3.6"',
					'---',
					'```quiz',
					'id: q',
					'kind: vector',
					'prompt: P {{step}}.',
					'compute:',
					'  target: mha-shape',
					'  step: keys-view',
					'shape: [3]',
					'decimals: 0',
					'explanation: E.',
					'```'
				].join('\n'),
				'shapes.md'
			)
		).toThrow(
			/shape \[3\] does not match target "mha-shape", which computes \[4\][\s\S]*unknown placeholder \{\{step\}\}/
		);
	});
});
