import { describe, expect, it } from 'vitest';
import { Arm } from '../../../src/lib/experiment/arm.js';
import { resolveConfig } from '../../../src/lib/experiment/config.js';
import { buildVocab, encode, sampleBatch } from '../../../src/lib/experiment/data.js';
import {
	causalMask,
	initialWeights,
	PARAM_NAMES,
	readParams,
	type ModelShape
} from '../../../src/lib/experiment/model.js';
import { ArmPair } from '../../../src/lib/experiment/pair.js';
import { packArms, unpackArms } from '../../../src/lib/experiment/pair-layout.js';
import { mulberry32 } from '../../../src/lib/random/rng.js';
import { setupBackend, tf } from '../../../src/lib/experiment/tf.js';

/** Largest |a - b| / max(|b|, floor) over the values. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
	let worst = 0;
	for (let i = 0; i < b.length; i++)
		worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
	return worst;
}

describe('pair layout', () => {
	it('packs two different weight sets and unpacks the same numbers', () => {
		const shape: ModelShape = { vocab: 7, dModel: 4, heads: 2, positions: 5 };
		const a = initialWeights(shape, mulberry32(1));
		const b = initialWeights(shape, mulberry32(2));
		const [ua, ub] = unpackArms(shape, packArms(shape, [a, b]));
		for (const name of PARAM_NAMES) {
			expect(Array.from(ua[name]), name).toEqual(Array.from(a[name]));
			expect(Array.from(ub[name]), name).toEqual(Array.from(b[name]));
		}
	});
});

describe('ArmPair (both arms as one batched computation)', () => {
	it.each([1, 2])(
		'heads %i: 20 steps give the same losses, honest losses, norms and weights as training each arm apart',
		async (heads) => {
			await setupBackend('wasm');
			const config = resolveConfig({});
			const vocab = buildVocab(config.corpus);
			const shape: ModelShape = { vocab: vocab.chars.length, dModel: 16, heads, positions: 9 };
			const init = initialWeights(shape, mulberry32(11));
			const pair = new ArmPair(shape, init, 0.01);
			const apart = {
				masked: new Arm(true, shape, init, 0.01),
				unmasked: new Arm(false, shape, init, 0.01)
			};
			const mask = causalMask(9);
			const data = encode(vocab, config.corpus);
			const rng = mulberry32(3);
			try {
				for (let step = 0; step < 20; step++) {
					const batch = sampleBatch(rng, data, 8, 8);
					const windows = tf.tensor2d(batch, [8, 9], 'int32');
					const together = pair.trainStep(batch, 8);
					for (const arm of ['masked', 'unmasked'] as const) {
						const alone = apart[arm].trainStep(windows, mask);
						const got = together[arm];
						expect(
							relativeError(
								[got.trainLoss, got.honestLoss, got.gradNorm],
								[alone.trainLoss, alone.honestLoss, alone.gradNorm]
							),
							`${arm} step ${step}`
						).toBeLessThan(1e-3);
					}
					windows.dispose();
				}
				const [masked, unmasked] = pair.weights();
				for (const [arm, got] of [
					['masked', masked],
					['unmasked', unmasked]
				] as const) {
					const want = readParams(apart[arm].params);
					for (const name of PARAM_NAMES)
						expect(relativeError(got[name], want[name], 1e-2), `${arm} ${name}`).toBeLessThan(1e-3);
				}
			} finally {
				pair.dispose();
				apart.masked.dispose();
				apart.unmasked.dispose();
				mask.dispose();
			}
		}
	);
});
