/** No tensor outlives a call: tf.memory().numTensors is the same before and after, errors included. */
import { describe, expect, it } from 'vitest';
import {
	CausalAttention,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2,
	allAttentionScores,
	attentionScores,
	batchedMatmul,
	causalAttentionWeights,
	contextVector,
	contextVectors,
	engineMemory,
	initEngine,
	isEngineReady,
	maskAndRenormalize,
	maskWithNegInf,
	matmul,
	naiveNormalize,
	naiveSoftmax,
	projectQKV,
	runSpec,
	scaledAttentionWeights,
	softmax,
	softmaxRows,
	sum,
	transposeLastTwo,
	type Matrix
} from '../../../src/lib/engine/index.js';
import { BAD_SPECS, GOOD_SPEC } from './bad-specs.js';

const x: Matrix = [
	[0.43, 0.15, 0.89],
	[0.55, 0.87, 0.66],
	[0.57, 0.85, 0.64]
];
const w: Matrix = [
	[0.1, 0.2],
	[0.3, 0.4],
	[0.5, 0.6]
];

const calls: [string, () => unknown][] = [
	['attentionScores', () => attentionScores(x, 1)],
	['allAttentionScores', () => allAttentionScores(x)],
	['naiveNormalize', () => naiveNormalize([1, 2, 3])],
	['naiveSoftmax', () => naiveSoftmax([1, 2, 3])],
	['softmax', () => softmax([1, 2, 3])],
	['softmaxRows', () => softmaxRows(x)],
	['sum', () => sum([1, 2, 3])],
	['contextVector', () => contextVector([0.2, 0.3, 0.5], x)],
	['contextVectors', () => contextVectors(x, x)],
	['matmul', () => matmul(x, w)],
	['batchedMatmul', () => batchedMatmul([x], [transposeLastTwo(x) as Matrix])],
	['projectQKV', () => projectQKV(x, w, w, w)],
	['scaledAttentionWeights', () => scaledAttentionWeights(x, 2)],
	['maskAndRenormalize', () => maskAndRenormalize(x)],
	['maskWithNegInf', () => maskWithNegInf(x)],
	['causalAttentionWeights', () => causalAttentionWeights(x, 2)],
	['SelfAttention_v1', () => new SelfAttention_v1(3, 2).forwardWithSteps(x)],
	['SelfAttention_v2', () => new SelfAttention_v2(3, 2, true).forward(x)],
	['CausalAttention', () => new CausalAttention(3, 2, 3, 0.5).forwardWithSteps([x, x])],
	[
		'MultiHeadAttentionWrapper',
		() => new MultiHeadAttentionWrapper(3, 2, 3, 0.5, 2).forwardWithSteps([x])
	],
	['MultiHeadAttention', () => new MultiHeadAttention(3, 4, 3, 0.5, 2, true).forwardWithSteps([x])],
	['runSpec', () => runSpec(GOOD_SPEC)]
];

describe.each(['wasm', 'cpu'] as const)('tensor leaks on %s', (backend) => {
	it.each(calls)('%s leaves no tensor behind', async (_, call) => {
		await initEngine(backend);
		expect(isEngineReady()).toBe(true);
		const before = engineMemory().numTensors;
		call();
		call();
		expect(engineMemory().numTensors).toBe(before);
	});

	it('bad input and bad specs leave no tensor behind either', async () => {
		await initEngine(backend);
		const before = engineMemory().numTensors;
		expect(() => matmul(x, x.slice(0, 2))).toThrow(RangeError);
		expect(() => new MultiHeadAttention(3, 2, 2, 0, 2).forward([x])).toThrow(/context_length/);
		for (const bad of BAD_SPECS) {
			expect(() => runSpec(JSON.parse(bad.field === 'spec' ? '[]' : bad.text))).toThrow();
		}
		expect(engineMemory().numTensors).toBe(before);
	});
});
