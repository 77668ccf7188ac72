/**
 * The lesson figures' numbers come from the engine: checked against the book's PyTorch values
 * (tests/fixtures/ch03-reference.json) wherever the book prints them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/lib/engine/index.js';
import type { FigureSpec } from '../../../src/lib/content/figures.js';
import {
	computeFigure,
	type BugCompareData,
	type DotProductData,
	type DropoutData,
	type HeadSplitData,
	type HeatmapData,
	type ProjectionData,
	type ShiftData,
	type SoftmaxScaleData,
	type WeightedSumData
} from '../../../src/routes/learn/[deck]/figure-data.js';
import { expectClose, loadReference, numeric } from '../engine/helpers.js';

const ref = loadReference().byName;
const book = (name: string) => numeric(ref.get(name)!.values);
const caption = 'c';

beforeAll(async () => {
	await initEngine('cpu');
});

describe('figure numbers, computed by the engine', () => {
	it("attention-weights from self-attention-v2 is the book's §3.5.1 matrix, masked or not", () => {
		const masked = computeFigure({
			kind: 'attention-weights',
			mask: 'causal',
			from: 'self-attention-v2',
			caption
		}) as HeatmapData;
		expectClose(masked.weights, book('causal.attn_weights'), 1e-6, 'masked');
		const plain = computeFigure({
			kind: 'attention-weights',
			mask: 'none',
			from: 'self-attention-v2',
			caption
		}) as HeatmapData;
		expectClose(plain.weights, book('causal.attn_weights_unmasked'), 1e-6, 'unmasked');
		const simple = computeFigure({
			kind: 'attention-weights',
			mask: 'none',
			from: 'inputs',
			caption
		}) as HeatmapData;
		expectClose(simple.weights, book('simple.attn_weights'), 1e-6, 'simple');
	});

	it('context-vector of journey is the book’s context_vec_2', () => {
		const data = computeFigure({
			kind: 'context-vector',
			query: 'journey',
			caption
		}) as WeightedSumData;
		expectClose(data.context, book('simple.context_vec_2'), 1e-6);
		expect(
			(
				computeFigure(
					{ kind: 'context-vector', query: 'journey', caption },
					{ query: 0 }
				) as WeightedSumData
			).query
		).toBe(0);
	});

	it('dot-product: the book’s score, with lengths and an angle that agree with it', () => {
		const data = computeFigure({
			kind: 'dot-product',
			query: 'journey',
			key: 'starts',
			caption
		}) as DotProductData;
		expect(data.dot).toBeCloseTo((book('simple.attn_scores_2') as number[])[2], 6);
		expect(data.normA * data.normB * Math.cos((data.angle * Math.PI) / 180)).toBeCloseTo(
			data.dot,
			5
		);
		const self = computeFigure({
			kind: 'dot-product',
			query: 'step',
			key: 'step',
			caption
		}) as DotProductData;
		expect(self.angle).toBeCloseTo(0, 2);
		expect(self.dot).toBeCloseTo(self.normA ** 2, 5);
	});

	it('projection of journey gives the book’s query_2, key_2 and value_2', () => {
		const data = computeFigure({ kind: 'projection', query: 'journey', caption }) as ProjectionData;
		expectClose(data.q, book('qkv.query_2'), 1e-6, 'q');
		expectClose(data.k, book('qkv.key_2'), 1e-6, 'k');
		expectClose(data.v, book('qkv.value_2'), 1e-6, 'v');
		expectClose(data.W.query, book('rand123.W_query'), 0, 'W_query');
	});

	it('softmax-scale: × 1 is the book’s attn_weights_2, and larger factors saturate', () => {
		const spec: FigureSpec = {
			kind: 'softmax-scale',
			scores: null,
			query: 'journey',
			scale: 1,
			caption
		};
		const data = computeFigure(spec) as SoftmaxScaleData;
		const at = (c: number) => data.weights[data.scales.indexOf(c)];
		expectClose(at(1), book('simple.attn_weights_2'), 1e-6);
		const given = computeFigure({ ...spec, scores: [1, 2, 3] }) as SoftmaxScaleData;
		expect(given.labels).toEqual(['score 1', 'score 2', 'score 3']);
		expect(given.scaled[given.scales.indexOf(8)]).toEqual([8, 16, 24]);
		const max = given.weights.map((w) => Math.max(...w));
		for (let i = 1; i < max.length; i++) expect(max[i]).toBeGreaterThan(max[i - 1]);
		expect(max[given.scales.indexOf(8)]).toBeGreaterThan(0.99);
	});

	it('shift: without the mask each position puts weight on its target; with it, none', () => {
		const data = computeFigure({ kind: 'shift', caption }) as ShiftData;
		expect(data.inputs).toEqual(['Your', 'journey', 'starts', 'with', 'one']);
		expect(data.targets).toEqual(['journey', 'starts', 'with', 'one', 'step']);
		expect(data.leak.at(-1)).toBeNull();
		for (const w of data.leak.slice(0, -1)) expect(w).toBeGreaterThan(0.1);
		expect(data.leakMasked.slice(0, -1)).toEqual([0, 0, 0, 0]);
	});

	it('dropout-mask reproduces the book’s §3.5.2 printouts', () => {
		const ones = computeFigure({
			kind: 'dropout-mask',
			p: 0.5,
			seed: 123,
			input: 'ones',
			caption
		}) as DropoutData;
		expectClose(ones.output, book('dropout123.ones'), 0, 'ones');
		expect(ones.scale).toBe(2);
		const weights = computeFigure({
			kind: 'dropout-mask',
			p: 0.5,
			seed: 123,
			input: 'causal-weights',
			caption
		}) as DropoutData;
		expectClose(weights.output, book('dropout123.attn_weights'), 1e-6, 'weights');
	});

	it('head-split: the same keys, viewed then transposed, with the shapes the book gives', () => {
		const data = computeFigure({
			kind: 'head-split',
			d_out: 4,
			num_heads: 2,
			caption
		}) as HeadSplitData;
		expect(data.shapes).toEqual({ keys: [1, 6, 4], view: [1, 6, 2, 2], heads: [1, 2, 6, 2] });
		expect(data.view.map((row) => row.flat())).toEqual(data.keys);
		for (let h = 0; h < 2; h++)
			for (let t = 0; t < 6; t++) expect(data.heads[h][t]).toEqual(data.view[t][h]);
	});

	it('bug-compare: the book’s side is the book’s numbers, the buggy side differs', () => {
		const zero = computeFigure({
			kind: 'bug-compare',
			variant: 'zero-after-softmax',
			caption
		}) as BugCompareData;
		expectClose(zero.correct, book('causal.attn_weights'), 1e-6, 'correct');
		expectClose(zero.buggy, book('causal.masked_simple'), 1e-6, 'buggy');
		const mha = computeFigure({
			kind: 'bug-compare',
			variant: 'view-without-transpose',
			caption
		}) as BugCompareData;
		expect(mha.correct).toHaveLength(6);
		expect(mha.correct[0]).toHaveLength(4);
		expect(mha.buggy).not.toEqual(mha.correct);
	});
});
