import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, setupBackend } from '../../../src/lib/experiment/tf.js';
import {
	causalMask,
	createParams,
	disposeParams,
	forward,
	initialWeights,
	positionLogits,
	type ModelShape
} from '../../../src/lib/experiment/model.js';
import { crossEntropy, groupedMatMul, linear } from '../../../src/lib/experiment/ops.js';
import { mulberry32 } from '../../../src/lib/random/rng.js';

const SHAPE: ModelShape = { vocab: 11, dModel: 8, heads: 2, positions: 9 };

beforeAll(async () => {
	await setupBackend('wasm');
});

afterAll(async () => {
	await setupBackend('wasm');
});

/** Logits [n, vocab] of one window, with or without the causal mask. */
function logitsOf(tokens: number[], causal: boolean): number[][] {
	const params = createParams(SHAPE, initialWeights(SHAPE, mulberry32(7)));
	const mask = causalMask(SHAPE.positions);
	try {
		return tf.tidy(() => {
			const input = tf.tensor2d(tokens, [1, tokens.length], 'int32');
			return positionLogits(params, input, causal ? mask : null, SHAPE.heads).arraySync()[0];
		});
	} finally {
		disposeParams(params);
		mask.dispose();
	}
}

describe('causalMask', () => {
	it('keeps the past and the position itself, and hides only the future with -Infinity', () => {
		const mask = causalMask(4);
		const rows = mask.arraySync();
		mask.dispose();
		for (let i = 0; i < 4; i++) {
			for (let j = 0; j < 4; j++) expect(rows[i][j]).toBe(j <= i ? 0 : -Infinity);
		}
	});
});

describe.each(['wasm', 'cpu'] as const)('the mask on the %s backend', (backend) => {
	const before = [3, 1, 4, 1, 5, 9, 2, 6, 5];
	const after = [...before];
	after[5] = 7; // change one later token

	it('hides the future: changing token 5 cannot change positions 0-4 of the masked model', async () => {
		expect(await setupBackend(backend)).toBe(backend);
		const a = logitsOf(before, true);
		const b = logitsOf(after, true);
		for (let i = 0; i < 5; i++) expect(b[i]).toEqual(a[i]);
		expect(b[5]).not.toEqual(a[5]);
		expect(a.flat().every(Number.isFinite)).toBe(true);
	});

	it('without the mask, the same change reaches earlier positions', async () => {
		await setupBackend(backend);
		const a = logitsOf(before, false);
		const b = logitsOf(after, false);
		for (let i = 0; i < 5; i++) expect(b[i]).not.toEqual(a[i]);
	});

	it('gives masked scores a weight of exactly 0', async () => {
		await setupBackend(backend);
		const params = createParams(SHAPE, initialWeights(SHAPE, mulberry32(3)));
		const mask = causalMask(SHAPE.positions);
		const weights = tf.tidy(() =>
			forward(params, tf.tensor2d([before], undefined, 'int32'), mask, 2).weights.arraySync()
		);
		disposeParams(params);
		mask.dispose();
		// weights[i][group][j]: query i, key j
		weights.forEach((row, i) =>
			row.forEach((keys) =>
				keys.forEach((w, j) => (j > i ? expect(w).toBe(0) : expect(w).toBeGreaterThan(0)))
			)
		);
	});
});

describe('hand-written gradients agree with autodiff of the plain ops', () => {
	const rng = mulberry32(11);
	const random = (shape: number[]) =>
		tf.tensor(
			Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng() * 2 - 1),
			shape
		);

	const close = (a: tf.Tensor, b: tf.Tensor) => {
		expect(a.shape).toEqual(b.shape);
		const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
		expect(diff).toBeLessThan(1e-4);
	};

	it.each(['wasm', 'cpu'] as const)('groupedMatMul on %s', async (backend) => {
		await setupBackend(backend);
		tf.tidy(() => {
			const [m, k, g, n] = [5, 3, 4, 6];
			const x = random([m, k, g]);
			const f = random([k, g, n]);
			const probe = random([m, g, n]);
			// reference: a batched matMul over groups, [g, m, k] @ [g, k, n]
			const reference = (a: tf.Tensor, b: tf.Tensor) =>
				tf.transpose(
					tf.matMul(
						tf.transpose(a, [2, 0, 1]) as tf.Tensor3D,
						tf.transpose(b, [1, 0, 2]) as tf.Tensor3D
					),
					[1, 0, 2]
				);
			close(groupedMatMul(x as tf.Tensor3D, f as tf.Tensor3D), reference(x, f));
			const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
				tf.sum(tf.mul(groupedMatMul(a as tf.Tensor3D, b as tf.Tensor3D), probe))
			)([x, f]);
			const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
				tf.sum(tf.mul(reference(a, b), probe))
			)([x, f]);
			close(ours[0], theirs[0]);
			close(ours[1], theirs[1]);
		});
	});

	it.each(['wasm', 'cpu'] as const)('linear and crossEntropy on %s', async (backend) => {
		await setupBackend(backend);
		tf.tidy(() => {
			const x = random([6, 4]);
			const w = random([4, 5]);
			const y = tf.cast(tf.oneHot(tf.tensor1d([0, 4, 2, 2, 1, 3], 'int32'), 5), 'float32');
			const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
				crossEntropy(linear(a, b), y as tf.Tensor2D)
			)([x, w]);
			const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
				tf.losses.softmaxCrossEntropy(y, tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))
			)([x, w]);
			close(
				crossEntropy(linear(x, w), y as tf.Tensor2D),
				tf.losses.softmaxCrossEntropy(y, tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D))
			);
			close(ours[0], theirs[0]);
			close(ours[1], theirs[1]);
		});
	});
});
