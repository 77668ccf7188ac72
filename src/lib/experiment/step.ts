/**
 * One training step's arithmetic with a hand-written backward pass: the loss of windowLoss (model.ts)
 * and its gradient with respect to the flat weight vector (flattenWeights' layout), in plain tfjs ops
 * and without the gradient tape. Autodiff of the same model spends more than half its operations on
 * bookkeeping (identities around every custom gradient, reshape and slice gradients, one gradient per
 * weight); here each product and each transpose is written once. tests/unit/experiment/arm.test.ts checks losses, norms and weights against autodiff.
 */
import { paramShapes, paramSizes, PARAM_NAMES, type ModelShape, type ParamName } from './model.js';
import { depthwiseMatMul } from './ops.js';
import { tf } from './tf.js';

export interface StepTensors {
	/** Mean next-character cross-entropy with the training mask (or none). */
	loss: tf.Scalar;
	/** The same loss with `honestMask`, when one was given (same weights, no gradient). */
	honest: tf.Scalar | null;
	/** dLoss/dflat, [flat length]. */
	grad: tf.Tensor1D;
}

const mm = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
/** a^T b and a b^T with explicit transposes: the wasm backend's matMul with a flag is a scalar loop. */
const mmTA = (a: tf.Tensor, b: tf.Tensor) => mm(tf.transpose(a), b);
const mmTB = (a: tf.Tensor, b: tf.Tensor) => mm(a, tf.transpose(b));

/** Offsets of each weight in the flat vector. */
function offsets(shape: ModelShape): Record<ParamName, number> {
	const sizes = paramSizes(shape);
	const out = {} as Record<ParamName, number>;
	let at = 0;
	PARAM_NAMES.forEach((name, i) => {
		out[name] = at;
		at += sizes[i];
	});
	return out;
}

/**
 * Loss and gradient of windows [batch, n] (n = T + 1 <= positions) for the flat weights `flat`, with the
 * additive mask `mask` ([n', n'] with n' >= n, or null), and optionally the loss with `honestMask`
 * (the attention scores are shared: only softmax onwards runs twice). Call inside tf.tidy.
 */
export function lossAndGrad(
	flat: tf.Tensor1D,
	shape: ModelShape,
	windows: tf.Tensor2D,
	mask: tf.Tensor2D | null,
	honestMask: tf.Tensor2D | null = null
): StepTensors {
	const [batch, n] = windows.shape;
	const { vocab, dModel: d, heads, positions } = shape;
	const dHead = d / heads;
	const groups = batch * heads;
	const rows = n * batch;
	const t = n - 1;
	const scale = 1 / Math.sqrt(dHead);
	const shapes = paramShapes(shape);
	const at = offsets(shape);
	const take = (name: ParamName, size = shapes[name].reduce((a, b) => a * b, 1)) =>
		tf.slice(flat, [at[name]], [size]);
	const tokEmb = tf.reshape(take('tokEmb'), [vocab, d]);
	const posEmb = tf.reshape(take('posEmb', n * d), [n, 1, d]);
	const wqkv = (['wq', 'wk', 'wv'] as const).map((name) => tf.reshape(take(name), [d, d]));
	const wo = tf.reshape(take('wo'), [d, d]);
	const bo = take('bo');
	const wOut = tf.reshape(take('wOut'), [d, vocab]);
	const bOut = take('bOut');

	// forward, position-major rows (row = position * batch + b), as model.ts's forward
	const onehot = tf.reshape(tf.cast(tf.oneHot(tf.transpose(windows), vocab), 'float32'), [
		rows,
		vocab
	]);
	const x = tf.reshape(tf.add(tf.reshape(mm(onehot, tokEmb), [n, batch, d]), posEmb), [rows, d]);
	// three products, not one [d, 3d] product and a split: the wasm backend slices columns in a slow loop
	const [q, k, v] = wqkv.map((w) => tf.reshape(mm(x, w), [n, groups, dHead]) as tf.Tensor3D);
	// scores[i, g, j] = q[i, g, .] . k[j, g, .] * scale
	const scores = tf.mul(
		depthwiseMatMul(tf.transpose(q, [0, 2, 1]), tf.transpose(k, [2, 1, 0])),
		scale
	);
	const targets = tf.slice(onehot, [batch, 0], [t * batch, vocab]);
	const fitted = (m: tf.Tensor2D | null) => {
		const masked = m
			? tf.add(scores, tf.reshape(n === m.shape[0] ? m : tf.slice(m, [0, 0], [n, n]), [n, 1, n]))
			: scores;
		const weights = tf.softmax(masked) as tf.Tensor3D;
		// context[i, g, .] = sum_j weights[i, g, j] v[j, g, .]
		const merged = tf.reshape(depthwiseMatMul(tf.transpose(weights, [0, 2, 1]), v), [rows, d]);
		const hidden = tf.add(x, tf.add(mm(merged, wo), bo));
		const predicting = tf.slice(hidden, [0, 0], [t * batch, d]);
		const z = tf.add(mm(predicting, wOut), bOut);
		// cross-entropy from the softmax kernel (several times faster than exp on wasm):
		// L = -mean_r log p_r[target], dL/dz = (p - y) / rows
		const p = tf.softmax(z);
		const pTarget = tf.sum(tf.mul(p, targets), 1);
		const loss = tf.neg(tf.mean(tf.log(pTarget))) as tf.Scalar;
		return { weights, merged, hidden, p, loss };
	};
	const train = fitted(mask);
	const honest = honestMask ? fitted(honestMask).loss : null;

	// backward; the last position predicts nothing: its rows get a zero gradient (padding dz rather
	// than dHidden lets dwOut transpose all of hidden: on wasm a transpose of the [1024, 32] rows
	// that predict took 0.22 ms, of the [1056, 32] hidden 0.025 ms)
	const dz = tf.pad(tf.div(tf.sub(train.p, targets), t * batch), [
		[0, batch],
		[0, 0]
	]);
	const ones = tf.ones([1, rows]);
	// sums over rows as products with ones: the wasm backend reduces over axis 0 in a slow loop
	const dbOut = mm(ones, dz);
	const dwOut = mmTA(train.hidden, dz);
	const dHidden = mmTB(dz, wOut);
	const dbo = mm(ones, dHidden);
	const dwo = mmTA(train.merged, dHidden);
	const dContext = tf.reshape(mmTB(dHidden, wo), [n, groups, dHead]) as tf.Tensor3D;
	const a = train.weights;
	// context = A v per group: dA[i, g, j] = dContext[i, g, .] . v[j, g, .]; dv[j, g, .] = sum_i A[i, g, j] dContext[i, g, .]
	const dA = depthwiseMatMul(tf.transpose(dContext, [0, 2, 1]), tf.transpose(v, [2, 1, 0]));
	const dv = depthwiseMatMul(tf.transpose(a, [2, 0, 1]), dContext);
	// softmax: dS = A (dA - sum_j dA A), times the scale of the scores
	const dS = tf.mul(tf.mul(a, tf.sub(dA, tf.sum(tf.mul(dA, a), 2, true))), scale) as tf.Tensor3D;
	// S = q k^T per group: dq[i, g, .] = sum_j dS[i, g, j] k[j, g, .]; dk[j, g, .] = sum_i dS[i, g, j] q[i, g, .]
	const dq = depthwiseMatMul(tf.transpose(dS, [0, 2, 1]), k);
	const dk = depthwiseMatMul(tf.transpose(dS, [2, 0, 1]), q);
	const dqkv = [dq, dk, dv].map((g) => tf.reshape(g, [rows, d]));
	const xT = tf.transpose(x);
	const dwqkv = dqkv.map((g) => mm(xT, g));
	const dx = tf.addN([dHidden, ...dqkv.map((g, i) => mmTB(g, wqkv[i]))]);
	const dTokEmb = mmTA(onehot, dx);
	let dPosEmb: tf.Tensor = tf.sum(tf.reshape(dx, [n, batch, d]), 1);
	if (n < positions)
		dPosEmb = tf.pad(dPosEmb, [
			[0, positions - n],
			[0, 0]
		]);
	const grad = tf.concat(
		[dTokEmb, dPosEmb, ...dwqkv, dwo, dbo, dwOut, dbOut].map((g) => tf.reshape(g, [-1])),
		0
	) as tf.Tensor1D;
	return { loss: train.loss, honest, grad };
}
