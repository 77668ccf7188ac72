import { afterEach, describe, expect, it, vi } from 'vitest';
import { Arm } from '../../../src/lib/experiment/arm.js';
import { resolveConfig, type ExperimentConfig } from '../../../src/lib/experiment/config.js';
import { buildVocab, encode, sampleBatch } from '../../../src/lib/experiment/data.js';
import { createArms, modelShape, runExperiment } from '../../../src/lib/experiment/experiment.js';
import { tailMedian } from '../../../src/lib/experiment/result.js';
import { causalMask, readParams, windowLoss } from '../../../src/lib/experiment/model.js';
import { mulberry32 } from '../../../src/lib/random/rng.js';
import { setupBackend, tf } from '../../../src/lib/experiment/tf.js';

/** Small enough for a test, big enough to learn something. */
const SMALL: Partial<ExperimentConfig> = {
	dModel: 16,
	heads: 1,
	context: 16,
	batch: 16,
	steps: 8,
	sampleLength: 20,
	backend: 'wasm'
};

afterEach(() => vi.restoreAllMocks());

describe('two arms, one starting point', () => {
	it('builds both arms from identical initial weights', async () => {
		await setupBackend('wasm');
		const config = resolveConfig(SMALL);
		const arms = createArms(config, modelShape(config, buildVocab(config.corpus)));
		try {
			const masked = readParams(arms.masked.params);
			const unmasked = readParams(arms.unmasked.params);
			for (const name of Object.keys(masked) as (keyof typeof masked)[]) {
				expect(Array.from(unmasked[name]), name).toEqual(Array.from(masked[name]));
			}
			expect(arms.masked.causal).toBe(true);
			expect(arms.unmasked.causal).toBe(false);
		} finally {
			arms.masked.dispose();
			arms.unmasked.dispose();
		}
	});

	it('feeds both arms the same batch at every step', async () => {
		const seen: { causal: boolean; batch: number[] }[] = [];
		const original = Arm.prototype.trainStep;
		vi.spyOn(Arm.prototype, 'trainStep').mockImplementation(function (this: Arm, windows, mask) {
			seen.push({ causal: this.causal, batch: Array.from(windows.dataSync()) });
			return original.call(this, windows, mask);
		});
		await runExperiment({ ...SMALL, steps: 5 });
		expect(seen).toHaveLength(10);
		for (let step = 0; step < 5; step++) {
			const [a, b] = [seen[2 * step], seen[2 * step + 1]];
			expect([a.causal, b.causal]).toEqual([true, false]);
			expect(b.batch).toEqual(a.batch);
			if (step > 0) expect(a.batch).not.toEqual(seen[2 * step - 2].batch);
		}
	});

	it('so at step 1 both honest losses are the same number, and the training losses are not', async () => {
		const outcome = await runExperiment({ ...SMALL, steps: 1 });
		if (outcome.status !== 'done') throw new Error('not done');
		const { masked, unmasked } = outcome.result;
		expect(unmasked.honest_loss[0]).toBe(masked.honest_loss[0]);
		expect(unmasked.train_loss[0]).toBeLessThan(masked.train_loss[0]);
	});
});

describe('the honest loss', () => {
	it('is the loss with the causal mask, before the update, on the training batch', async () => {
		await setupBackend('wasm');
		const config = resolveConfig(SMALL);
		const vocab = buildVocab(config.corpus);
		const arms = createArms(config, modelShape(config, vocab));
		const mask = causalMask(config.context + 1);
		const data = sampleBatch(
			mulberry32(5),
			encode(vocab, config.corpus),
			config.batch,
			config.context
		);
		const windows = tf.tensor2d(data, [config.batch, config.context + 1], 'int32');
		try {
			for (let i = 0; i < 20; i++) arms.unmasked.trainStep(windows, mask); // learn to peek at this batch
			const loss = (useMask: boolean) =>
				tf.tidy(
					() => windowLoss(arms.unmasked.params, windows, useMask ? mask : null, 1).dataSync()[0]
				);
			const withMask = loss(true);
			const withoutMask = loss(false);
			expect(withMask).toBeGreaterThan(withoutMask + 0.05);
			const metrics = arms.unmasked.trainStep(windows, mask);
			expect(metrics.honestLoss).toBeCloseTo(withMask, 5);
			expect(metrics.trainLoss).toBeCloseTo(withoutMask, 5);
			expect(loss(true)).not.toBeCloseTo(withMask, 5); // the update came after the measurement
		} finally {
			tf.dispose([windows, mask]);
			arms.masked.dispose();
			arms.unmasked.dispose();
		}
	});
});

describe('runExperiment', () => {
	it('stops mid-run when asked, and leaks no tensors', async () => {
		await setupBackend('wasm');
		const before = tf.memory().numTensors;
		let steps = 0;
		const outcome = await runExperiment(
			{ ...SMALL, steps: 50 },
			{ onStep: () => steps++, shouldStop: () => steps >= 3 }
		);
		expect(outcome).toEqual({ status: 'stopped', step: 3 });
		expect(tf.memory().numTensors).toBe(before);
	});

	it('leaks no tensors after a full run either', async () => {
		await setupBackend('wasm');
		const before = tf.memory().numTensors;
		const outcome = await runExperiment({ ...SMALL, steps: 3 });
		expect(outcome.status).toBe('done');
		expect(tf.memory().numTensors).toBe(before);
	});

	it('is deterministic for a seed, and a different seed gives different numbers', async () => {
		const run = async (seed: number) => {
			const outcome = await runExperiment({ ...SMALL, steps: 3, seed });
			if (outcome.status !== 'done') throw new Error('not done');
			return [outcome.result.masked.train_loss, outcome.result.unmasked.sample];
		};
		expect(await run(9)).toEqual(await run(9));
		expect(await run(10)).not.toEqual(await run(9));
	});

	it('shows the peek: in 60 short steps the unmasked loss falls far below the masked one', async () => {
		const outcome = await runExperiment({ ...SMALL, steps: 60, lr: 0.02 });
		if (outcome.status !== 'done') throw new Error('not done');
		const { masked, unmasked, config } = outcome.result;
		expect(config).toMatchObject({
			d_model: 16,
			context: 16,
			batch: 16,
			steps: 60,
			heads: 1,
			backend: 'wasm'
		});
		expect(masked.train_loss).toHaveLength(60);
		expect(unmasked.end.train_loss).toBeLessThan(0.5 * masked.end.train_loss);
		expect(masked.end.train_loss).toBeGreaterThan(1.5);
		expect(unmasked.end.honest_loss).toBeGreaterThan(masked.end.honest_loss);
		expect(masked.honest_loss).toEqual(masked.train_loss);
		expect(masked.attention.next_token_share).toBe(0);
		expect(unmasked.attention.next_token_share).toBeGreaterThan(0.3);
		expect(unmasked.sample.startsWith(config.prompt)).toBe(true);
		expect(unmasked.sample).toHaveLength(config.prompt.length + 20);
	});
});

describe('tailMedian', () => {
	it('takes the median of the last 10% of the values', () => {
		expect(tailMedian([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 100, 3, 2, 5, 9, 9, 9, 9, 9])).toBe(9);
		expect(tailMedian(Array.from({ length: 20 }, (_, i) => i))).toBe(18.5);
		expect(tailMedian([4])).toBe(4);
	});
});
