import { describe, expect, it } from 'vitest';
import { Arm, globalNorm } from '../../../src/lib/experiment/arm.js';
import { buildVocab, encode, sampleBatch } from '../../../src/lib/experiment/data.js';
import {
	causalMask,
	createParams,
	disposeParams,
	initialWeights,
	PARAM_NAMES,
	readParams,
	windowLoss,
	type ModelShape
} from '../../../src/lib/experiment/model.js';
import { resolveConfig } from '../../../src/lib/experiment/config.js';
import { mulberry32 } from '../../../src/lib/random/rng.js';
import { setupBackend, tf } from '../../../src/lib/experiment/tf.js';

/** Largest |a - b| / max(|b|, 1e-3) over the values. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let worst = 0;
	for (let i = 0; i < b.length; i++)
		worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-3));
	return worst;
}

describe('Arm (one flat variable, one Adam)', () => {
	it.each([true, false])(
		'causal %s: the same losses, norms and weights as one Adam per weight variable',
		async (causal) => {
			await setupBackend('wasm');
			const config = resolveConfig({});
			const vocab = buildVocab(config.corpus);
			const shape: ModelShape = { vocab: vocab.chars.length, dModel: 16, heads: 2, positions: 9 };
			const init = initialWeights(shape, mulberry32(11));
			const arm = new Arm(causal, shape, init, 0.01);
			const reference = createParams(shape, init);
			const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
			const mask = causalMask(9);
			const data = encode(vocab, config.corpus);
			const rng = mulberry32(3);
			try {
				for (let step = 0; step < 5; step++) {
					const windows = tf.tensor2d(sampleBatch(rng, data, 8, 8), [8, 9], 'int32');
					const metrics = arm.trainStep(windows, mask);
					const [loss, norm] = tf.tidy(() => {
						const { value, grads } = tf.variableGrads(
							() => windowLoss(reference, windows, causal ? mask : null, shape.heads),
							PARAM_NAMES.map((name) => reference[name] as tf.Variable)
						);
						const gradNorm = globalNorm(Object.values(grads));
						optimizer.applyGradients(
							Object.entries(grads).map(([name, tensor]) => ({ name, tensor }))
						);
						return [value.dataSync()[0], gradNorm.dataSync()[0]];
					});
					windows.dispose();
					expect(relativeError([metrics.trainLoss, metrics.gradNorm], [loss, norm])).toBeLessThan(
						1e-5
					);
				}
				const got = readParams(arm.params);
				const want = readParams(reference);
				for (const name of PARAM_NAMES)
					expect(relativeError(got[name], want[name]), name).toBeLessThan(1e-4);
			} finally {
				arm.dispose();
				disposeParams(reference);
				optimizer.dispose();
				mask.dispose();
			}
		}
	);
});
