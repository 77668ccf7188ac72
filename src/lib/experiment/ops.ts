/**
 * Three tfjs building blocks with hand-written gradients, each chosen for speed on the wasm backend
 * (its matMul with a transpose flag or a batch dimension is a scalar loop). All have tests against
 * autodiff of the plain ops (tests/unit/experiment/model.test.ts).
 */
import { tf } from './tf.js';

/**
 * One-hot encoding as float32, [...indices.shape, depth]. Cast rather than tf.oneHot's dtype argument:
 * the wasm kernel writes int32 bits whatever the dtype (1 reads as 1.4e-45).
 */
export function oneHot(indices: tf.Tensor, depth: number): tf.Tensor {
	return tf.cast(tf.oneHot(indices, depth), 'float32');
}

/**
 * x @ w for 2D tensors. Its gradient uses explicit transposes, dx = dy w^T and dw = x^T dy: the wasm
 * backend multiplies with a transpose flag (or a batch > 1) in a scalar loop instead of XNNPACK.
 */
export const linear = tf.customGrad((x, w, save) => {
	(save as tf.GradSaveFunc)([x as tf.Tensor2D, w as tf.Tensor2D]);
	return {
		value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
		gradFunc: (dy, [sx, sw]) => [tf.matMul(dy, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy)]
	};
}) as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

/**
 * Mean cross-entropy of rows of logits z [R, V] against one-hot targets y [R, V]:
 * L = (1/R) sum_r (log sum_v exp z_rv - sum_v y_rv z_rv), with dL/dz = (softmax(z) - y) / R.
 * One exp serves both passes (tf.losses.softmaxCrossEntropy computes it twice).
 */
export function crossEntropy(z: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
	const rows = z.shape[0];
	const loss = tf.customGrad((logits, save) => {
		const zt = logits as tf.Tensor2D;
		const shifted = tf.sub(zt, tf.max(zt, 1, true));
		const e = tf.exp(shifted);
		const total = tf.sum(e, 1, true);
		// tensors the gradient needs must be saved: the rest of the forward pass is disposed before it runs
		(save as tf.GradSaveFunc)([e, total, y]);
		const perRow = tf.sub(tf.log(total), tf.sum(tf.mul(shifted, y), 1, true));
		return {
			value: tf.mean(perRow) as tf.Scalar,
			gradFunc: (dy, [se, stotal, sy]) => tf.mul(tf.sub(tf.div(se, stotal), sy), tf.div(dy, rows))
		};
	});
	return loss(z) as tf.Scalar;
}

/**
 * out[m, g, n] = sum_k x[m, k, g] f[k, g, n]: G independent matrix products in one depthwise
 * convolution (x as a 1 x M x K image with G channels, f as a 1 x K filter with channel multiplier N).
 */
export function depthwiseMatMul(x: tf.Tensor3D, f: tf.Tensor3D): tf.Tensor3D {
	const [m, k, g] = x.shape;
	const n = f.shape[2];
	const image = tf.reshape(x, [1, m, k, g]) as tf.Tensor4D;
	const filter = tf.reshape(f, [1, k, g, n]) as tf.Tensor4D;
	return tf.reshape(tf.depthwiseConv2d(image, filter, 1, 'valid'), [m, g, n]);
}

/**
 * The per-(window, head) products of attention, in a channels-last layout: x [M, K, G] and
 * f [K, G, N] give out [M, G, N], out[., g, .] = x[., ., g] @ f[., g, .].
 * Why not a batched tf.matMul: on the wasm backend a batched matMul runs a scalar loop, while the
 * depthwise convolution runs in XNNPACK. Gradients, with the same primitive:
 * dx[m, k, g] = sum_n dy[m, g, n] f[k, g, n];  df[k, g, n] = sum_m x[m, k, g] dy[m, g, n].
 */
export const groupedMatMul = tf.customGrad((x, f, save) => {
	(save as tf.GradSaveFunc)([x as tf.Tensor3D, f as tf.Tensor3D]);
	return {
		value: depthwiseMatMul(x as tf.Tensor3D, f as tf.Tensor3D),
		gradFunc: (dy, [sx, sf]) => {
			const dyT = tf.transpose(dy, [0, 2, 1]) as tf.Tensor3D;
			const dx = tf.transpose(
				depthwiseMatMul(dyT, tf.transpose(sf, [2, 1, 0]) as tf.Tensor3D),
				[0, 2, 1]
			);
			const df = depthwiseMatMul(tf.transpose(sx, [1, 0, 2]) as tf.Tensor3D, dy as tf.Tensor3D);
			return [dx, df];
		}
	};
}) as (x: tf.Tensor3D, f: tf.Tensor3D) => tf.Tensor3D;
