/**
 * The catalogue of buggy variants (spot the bug): the engine runs each one that changes numbers next
 * to the book's code, and the book's side is the book's printed numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	BOOK_INPUTS,
	Generator,
	MultiHeadAttention,
	SelfAttention_v2,
	initEngine
} from '../../../src/lib/engine/index.js';
import {
	VARIANTS,
	VARIANT_NAMES,
	runnableVariants,
	type VariantInfo
} from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import {
	compareTable,
	runMhaVariant,
	runWeightsVariant,
	wiredMultiHeadAttention,
	type WeightsVariant
} from '../../../src/lib/quiz/variants.js';
import { expectClose, loadReference, numeric } from '../engine/helpers.js';

const ref = loadReference().byName;
const book = (name: string) => numeric(ref.get(name)!.values) as number[][];

let setting: { queries: number[][]; keys: number[][] };

beforeAll(async () => {
	await initEngine('cpu');
	// the book's §3.5.1 example: torch.manual_seed(789); SelfAttention_v2(3, 2)
	const steps = new SelfAttention_v2(3, 2, false, {
		generator: new Generator(789)
	}).forwardWithSteps(BOOK_INPUTS);
	setting = { queries: steps.queries, keys: steps.keys };
});

const rowSums = (m: number[][]) => m.map((r) => r.reduce((a, b) => a + b, 0));

describe('the catalogue', () => {
	it('names every bug once, with its lines, and a target for those that change numbers', () => {
		expect(VARIANT_NAMES.length).toBeGreaterThanOrEqual(12);
		for (const name of VARIANT_NAMES) {
			const info: VariantInfo = VARIANTS[name];
			expect(info.bug, name).not.toBe(info.fix);
			expect(info.target !== undefined, name).toBe(info.effect === 'numbers');
		}
		expect(runnableVariants('buggy-weights')).toHaveLength(7);
		expect(runnableVariants('buggy-mha')).toEqual(['view-without-transpose', 'scale-by-d-out']);
	});

	it('is quizzed: every variant has a spot-the-bug question, every runnable one an engine run', async () => {
		const index = await loadDecks('content/en');
		const questions = index.decks.flatMap((d) => d.questions);
		const spot = questions.filter((q) => q.tags.includes('spot-the-bug'));
		expect(spot.length).toBeGreaterThanOrEqual(12);
		for (const name of VARIANT_NAMES) {
			expect(
				spot.some((q) => q.tags.includes(name)),
				name
			).toBe(true);
		}
		for (const name of runnableVariants()) {
			const run = questions.find(
				(q) => (q.kind === 'vector' || q.kind === 'matrix') && q.compute.variant === name
			);
			expect(run, name).toBeDefined();
		}
	});
});

describe('weights variants on the book’s §3.5.1 example', () => {
	const run = (name: WeightsVariant) =>
		runWeightsVariant(name, { ...setting, dropout: { p: 0.5, seed: 123 } });

	it('the book’s side is the book’s causal weights', () => {
		for (const name of runnableVariants('buggy-weights')) {
			if (name === 'dropout-not-rescaled') continue;
			expectClose(run(name as WeightsVariant).correct, book('causal.attn_weights'), 1e-6, name);
		}
	});

	it('masked_fill without _ gives the unmasked weights; zeroing after softmax the book’s masked_simple', () => {
		expectClose(run('masked-fill-dropped').buggy, book('causal.attn_weights_unmasked'), 1e-6);
		expectClose(run('zero-after-softmax').buggy, book('causal.masked_simple'), 1e-6);
		for (const s of rowSums(run('zero-after-softmax').buggy).slice(0, -1))
			expect(s).toBeLessThan(1);
	});

	it('softmax over dim=0 normalises the columns, not the rows', () => {
		const w = run('softmax-dim0').buggy;
		for (let j = 0; j < 6; j++) {
			expect(w.reduce((a, row) => a + row[j], 0)).toBeCloseTo(1, 6);
		}
		expect(rowSums(w)[0]).not.toBeCloseTo(1, 2);
	});

	it('masking with 0 leaks weight to the future; no scaling sharpens the rows', () => {
		const zero = run('mask-with-zero').buggy;
		expect(zero[0][1]).toBeGreaterThan(0);
		for (const s of rowSums(zero)) expect(s).toBeCloseTo(1, 6);
		const unscaled = run('no-scaling');
		for (let i = 1; i < 6; i++) {
			expect(Math.max(...unscaled.buggy[i])).toBeGreaterThanOrEqual(
				Math.max(...unscaled.correct[i])
			);
		}
	});

	it('triu(diagonal=0) zeroes the diagonal and leaves the first row nan, as PyTorch does', () => {
		const w = run('triu-diagonal-0').buggy;
		expect(w[0].every(Number.isNaN)).toBe(true);
		for (let i = 1; i < 6; i++) {
			expect(w[i][i]).toBe(0);
			expect(rowSums([w[i]])[0]).toBeCloseTo(1, 6);
		}
	});

	it('dropout without the rescale is nn.Dropout’s output times 1 - p', () => {
		const r = run('dropout-not-rescaled');
		expectClose(r.correct, book('dropout123.attn_weights'), 1e-6, 'nn.Dropout');
		const halved = r.correct.map((row) => row.map((v) => v * 0.5));
		expectClose(r.buggy, halved, 1e-7, 'no rescale');
		expect(r.keep?.flat().every((k) => k === 0 || k === 1)).toBe(true);
	});
});

describe('MultiHeadAttention variants', () => {
	it('wired from engine steps with the book’s split, it is the engine’s module', () => {
		for (const [d_out, h] of [
			[2, 2],
			[4, 2],
			[6, 3]
		]) {
			const mha = new MultiHeadAttention(3, d_out, 6, 0, h, false, {
				generator: new Generator(123)
			});
			const module = mha.forward([BOOK_INPUTS])[0];
			expectClose(wiredMultiHeadAttention(mha, BOOK_INPUTS, 'book', mha.head_dim), module, 1e-6);
		}
		const mha = runMhaVariant('view-without-transpose', {
			x: BOOK_INPUTS,
			seed: 123,
			d_out: 2,
			num_heads: 2
		});
		// the book's MultiHeadAttention(3, 2, 6, 0.0, num_heads=2), first batch item
		expectClose(
			mha.correct,
			(numeric(ref.get('mha.context_vecs')!.values) as number[][][])[0],
			1e-6
		);
	});

	it('view without transpose and √d_out change the output; with one head √d_out is √head_dim', () => {
		const setting = { x: BOOK_INPUTS, seed: 123, d_out: 4, num_heads: 2 };
		const view = runMhaVariant('view-without-transpose', setting);
		expect(view.buggy).not.toEqual(view.correct);
		const scale = runMhaVariant('scale-by-d-out', setting);
		expect(scale.buggy[5]).not.toEqual(scale.correct[5]);
		const one = runMhaVariant('scale-by-d-out', { ...setting, num_heads: 1 });
		expectClose(one.buggy, one.correct, 1e-6);
	});
});

describe('compareTable', () => {
	it('puts the book’s and the buggy numbers side by side, nan included', () => {
		expect(
			compareTable([1, 0], [Number.NaN, 0.25], { labels: ['a', 'b'], decimals: 2, sums: true })
		).toBe(
			[
				"| token | book's code | buggy code | buggy − book |",
				'| --- | ---: | ---: | ---: |',
				'| a | 1.00 | nan | nan |',
				'| b | 0.00 | 0.25 | 0.25 |',
				'| sum | 1.00 | nan | |'
			].join('\n')
		);
	});
});
