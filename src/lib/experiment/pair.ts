/**
 * Both arms of the experiment as one computation: their weights side by side in one flat tensor
 * (pair-layout.ts), one forward pass, one hand-written backward pass, one Adam update, one read of
 * the step's six numbers. Each product of step.ts's single-arm step becomes one product of twice the
 * width (block-diagonal weights) instead of two, and attention runs over (window, arm, head) groups;
 * the causal mask is a stacked additive mask (arm 0: -Infinity above the diagonal, arm 1: zeros), so
 * one code path serves both arms. The one-hot inputs and targets are built in JavaScript from the
 * batch (no oneHot, cast, transpose or slice kernels). About 160 kernels a step, against about 320
 * for two single-arm steps (arm.ts, step.ts), yet slower on the wasm backend: the block-diagonal
 * products multiply the zeros too (README "Both arms as one computation"), so runExperiment keeps
 * the arms apart. tests/unit/experiment/pair.test.ts checks it against the arms trained apart.
 */
import { Arm, type ArmStepMetrics } from './arm.js';
import { PARAM_NAMES, type InitialWeights, type ModelShape, type ParamName } from './model.js';
import { depthwiseMatMul } from './ops.js';
import { ARMS, membership, packArms, stackedLayout, structure, unpackArms } from './pair-layout.js';
import { tf } from './tf.js';

const mm = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);

/** Adam's constants (tf.train.adam's defaults as the experiment uses them). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** The batch in the forms the step multiplies with; rows are position-major (row = position * batch + b). */
interface BatchInputs {
	/** onehot[r, c] = 1 if row r's character is c: [rows, vocab]. */
	onehot: tf.Tensor2D;
	/** Its transpose, [vocab, rows]. */
	onehotT: tf.Tensor2D;
	/** Row r's next character, one-hot, [rows, 1, vocab]; the last position (no target) holds 1/vocab everywhere. */
	target: tf.Tensor3D;
	/** target / (T batch) on the predicting rows, 0 on the last position's: dL/dz's target term. */
	targetGrad: tf.Tensor3D;
}

/** Tensors that depend only on the sizes of a step, made once. */
interface StepConstants {
	batch: number;
	width: number;
	/** [n, 1, ARMS * heads, n]: arm 0's groups causal, arm 1's zeros. */
	trainMask: tf.Tensor4D;
	/** [n, 1, ARMS * heads, n]: causal for every group (the honest loss). */
	honestMask: tf.Tensor4D;
	/** 1 / (T batch) on the predicting rows, 0 on the last position's: [rows, 1, 1]. */
	rowWeight: tf.Tensor3D;
	/** -1 / (T batch) on the predicting rows, 0 on the last position's: [1, rows]. */
	lossRow: tf.Tensor2D;
	/** [1, rows] of ones: a sum over rows as a product (the wasm backend reduces axis 0 in a slow loop). */
	ones: tf.Tensor2D;
	/** positionSum[i, r] = 1 if row r is at position i: [n, rows]. */
	positionSum: tf.Tensor2D;
}

function causalValues(
	n: number,
	groups: number,
	causalGroup: (g: number) => boolean
): Float32Array {
	const values = new Float32Array(n * groups * n);
	for (let i = 0; i < n; i++)
		for (let g = 0; g < groups; g++)
			if (causalGroup(g))
				values.fill(-Infinity, (i * groups + g) * n + i + 1, (i * groups + g + 1) * n);
	return values;
}

function stepConstants(shape: ModelShape, batch: number, width: number): StepConstants {
	const n = width;
	const rows = n * batch;
	const predicting = (n - 1) * batch;
	const groups = ARMS * shape.heads;
	const perRow = (inside: number) =>
		Float32Array.from({ length: rows }, (_, r) => (r < predicting ? inside : 0));
	const positionSum = new Float32Array(n * rows);
	for (let r = 0; r < rows; r++) positionSum[Math.floor(r / batch) * rows + r] = 1;
	return {
		batch,
		width,
		trainMask: tf.tensor4d(
			causalValues(n, groups, (g) => g < shape.heads),
			[n, 1, groups, n]
		),
		honestMask: tf.tensor4d(
			causalValues(n, groups, () => true),
			[n, 1, groups, n]
		),
		rowWeight: tf.tensor3d(perRow(1 / predicting), [rows, 1, 1]),
		lossRow: tf.tensor2d(perRow(-1 / predicting), [1, rows]),
		ones: tf.ones([1, rows]),
		positionSum: tf.tensor2d(positionSum, [n, rows])
	};
}

function batchInputs(
	windows: Int32Array,
	batch: number,
	width: number,
	vocab: number
): BatchInputs {
	const rows = width * batch;
	const predicting = (width - 1) * batch;
	const onehot = new Float32Array(rows * vocab);
	const onehotT = new Float32Array(rows * vocab);
	const target = new Float32Array(rows * vocab);
	const targetGrad = new Float32Array(rows * vocab);
	for (let i = 0; i < width; i++)
		for (let b = 0; b < batch; b++) {
			const r = i * batch + b;
			const c = windows[b * width + i];
			onehot[r * vocab + c] = 1;
			onehotT[c * rows + r] = 1;
			if (r < predicting) {
				const next = windows[b * width + i + 1];
				target[r * vocab + next] = 1;
				targetGrad[r * vocab + next] = 1 / predicting;
			} else target.fill(1 / vocab, r * vocab, (r + 1) * vocab);
		}
	return {
		onehot: tf.tensor2d(onehot, [rows, vocab]),
		onehotT: tf.tensor2d(onehotT, [vocab, rows]),
		target: tf.tensor3d(target, [rows, 1, vocab]),
		targetGrad: tf.tensor3d(targetGrad, [rows, 1, vocab])
	};
}

/** What one step computes for both arms: losses [1, ARMS] and the masked flat gradient. */
interface PairStepTensors {
	loss: tf.Tensor2D;
	honest: tf.Tensor2D;
	grad: tf.Tensor1D;
}

/**
 * Loss, honest loss and gradient of both arms (stacked weights `flat`) on one batch of full windows
 * (n = positions). The same arithmetic as step.ts's lossAndGrad per arm, with every product over both
 * arms at once. Call inside tf.tidy.
 */
export function pairLossAndGrad(
	flat: tf.Tensor1D,
	shape: ModelShape,
	input: BatchInputs,
	k: StepConstants
): PairStepTensors {
	const { vocab, heads, positions } = shape;
	const { batch, width: n } = k;
	if (n !== positions) throw new Error(`expected windows of ${positions}, got ${n}`);
	const d = ARMS * shape.dModel;
	const dHead = shape.dModel / heads;
	const groups = batch * ARMS * heads;
	const rows = n * batch;
	const scale = 1 / Math.sqrt(dHead);
	const { at } = stackedLayout(shape);
	const w = {} as Record<ParamName, tf.Tensor>;
	for (const name of PARAM_NAMES) {
		const { offset, shape: s } = at[name];
		w[name] = tf.reshape(tf.slice(flat, [offset], [s.reduce((a, b) => a * b, 1)]), s);
	}

	// forward: rows [rows, ARMS d] hold both arms' features
	const x = tf.reshape(
		tf.add(tf.reshape(mm(input.onehot, w.tokEmb), [n, batch, d]), tf.reshape(w.posEmb, [n, 1, d])),
		[rows, d]
	);
	const wqkv = [w.wq, w.wk, w.wv];
	// features (arm, head, d_head): [n, (window, arm, head), d_head]
	const [q, key, v] = wqkv.map((m) => tf.reshape(mm(x, m), [n, groups, dHead]) as tf.Tensor3D);
	const scores = tf.mul(
		depthwiseMatMul(tf.transpose(q, [0, 2, 1]), tf.transpose(key, [2, 1, 0])),
		scale
	);
	const fitted = (mask: tf.Tensor4D) => {
		const masked = tf.reshape(tf.add(tf.reshape(scores, [n, batch, ARMS * heads, n]), mask), [
			n,
			groups,
			n
		]);
		const weights = tf.softmax(masked) as tf.Tensor3D;
		const merged = tf.reshape(depthwiseMatMul(tf.transpose(weights, [0, 2, 1]), v), [rows, d]);
		const hidden = tf.add(x, tf.add(mm(merged, w.wo), w.bo));
		const z = tf.add(mm(hidden, w.wOut), w.bOut);
		const p = tf.softmax(tf.reshape(z, [rows, ARMS, vocab]));
		// L_a = -(1 / (T batch)) sum over predicting rows of log p_a[target]
		const loss = mm(k.lossRow, tf.log(tf.sum(tf.mul(p, input.target), 2))) as tf.Tensor2D;
		return { weights, merged, hidden, p, loss };
	};
	const train = fitted(k.trainMask);
	const honest = fitted(k.honestMask).loss;

	// backward: dL/dz = (p - y) / (T batch) on the predicting rows, 0 on the last position's
	const dz = tf.reshape(tf.sub(tf.mul(train.p, k.rowWeight), input.targetGrad), [
		rows,
		ARMS * vocab
	]);
	// [W; b] gradients in one product each: [a^T; 1] dy (a row of ones appended to a^T sums dy over
	// rows, the bias gradient, without a product of its own whose right operand XNNPACK would pack)
	const withOnes = (a: tf.Tensor) => tf.concat([tf.transpose(a), k.ones], 0);
	const dwbOut = mm(withOnes(train.hidden), dz);
	const dHidden = mm(dz, tf.transpose(w.wOut));
	const dwbo = mm(withOnes(train.merged), dHidden);
	const dContext = tf.reshape(mm(dHidden, tf.transpose(w.wo)), [n, groups, dHead]) as tf.Tensor3D;
	const a = train.weights;
	const dA = depthwiseMatMul(tf.transpose(dContext, [0, 2, 1]), tf.transpose(v, [2, 1, 0]));
	const dv = depthwiseMatMul(tf.transpose(a, [2, 0, 1]), dContext);
	// softmax: dS = A (dA - sum_j dA A), times the scale of the scores
	const dS = tf.mul(tf.mul(a, tf.sub(dA, tf.sum(tf.mul(dA, a), 2, true))), scale) as tf.Tensor3D;
	const dq = depthwiseMatMul(tf.transpose(dS, [0, 2, 1]), key);
	const dk = depthwiseMatMul(tf.transpose(dS, [2, 0, 1]), q);
	const dqkv = [dq, dk, dv].map((g) => tf.reshape(g, [rows, d]));
	// dW = (dY^T x)^T with x as the right operand of all three: the wasm backend caches the packed
	// right operand of a product by tensor, so x is packed once instead of dq, dk and dv each
	// ([rows, 2d] packing costs more than the product itself)
	const dwqkv = dqkv.map((g) => tf.transpose(mm(tf.transpose(g), x)));
	const dx = tf.addN([dHidden, ...dqkv.map((g, i) => mm(g, tf.transpose(wqkv[i])))]);
	const dTokEmb = mm(input.onehotT, dx);
	const dPosEmb = mm(k.positionSum, dx);
	const grad = tf.concat(
		[dTokEmb, dPosEmb, ...dwqkv, dwbo, dwbOut].map((g) => tf.reshape(g, [-1])),
		0
	) as tf.Tensor1D;
	return { loss: train.loss, honest, grad };
}

/**
 * The two arms of the experiment trained together: arm 0 with the causal mask ("masked"), arm 1
 * without ("unmasked", the peek arm), from the same initial weights, on the same batches, each with
 * its own Adam state (the moments are elementwise, so one update of the stacked vector is each arm's).
 */
export class ArmPair {
	private flat: tf.Tensor1D;
	private m: tf.Tensor1D;
	private v: tf.Tensor1D;
	private t = 0;
	private readonly structure: tf.Tensor1D;
	private readonly membership: tf.Tensor2D;
	private constants: StepConstants | null = null;

	constructor(
		readonly shape: ModelShape,
		init: InitialWeights,
		readonly lr: number
	) {
		const packed = packArms(shape, [init, init]);
		this.flat = tf.tensor1d(packed);
		this.m = tf.zeros([packed.length]);
		this.v = tf.zeros([packed.length]);
		this.structure = tf.tensor1d(structure(shape));
		this.membership = tf.tensor2d(membership(shape), [packed.length, ARMS]);
	}

	/**
	 * One Adam step of both arms on `windows` ([batch * width] character ids, row-major, width =
	 * positions), after measuring each arm's honest loss. Reads the six numbers once.
	 */
	trainStep(
		windows: Int32Array,
		batch: number
	): { masked: ArmStepMetrics; unmasked: ArmStepMetrics } {
		const width = windows.length / batch;
		if (this.constants?.batch !== batch || this.constants.width !== width) {
			if (this.constants) disposeConstants(this.constants);
			this.constants = stepConstants(this.shape, batch, width);
		}
		const k = this.constants;
		this.t++;
		// Adam with bias correction folded into the step size:
		// w -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps sqrt(1 - b2^t))
		const c1 = 1 - BETA1 ** this.t;
		const c2 = Math.sqrt(1 - BETA2 ** this.t);
		const [flat, m, v, metrics] = tf.tidy(() => {
			const input = batchInputs(windows, batch, width, this.shape.vocab);
			const { loss, honest, grad: raw } = pairLossAndGrad(this.flat, this.shape, input, k);
			const grad = tf.mul(raw, this.structure);
			const norms = tf.sqrt(mm(tf.reshape(tf.square(grad), [1, -1]), this.membership));
			const m = tf.add(tf.mul(this.m, BETA1), tf.mul(grad, 1 - BETA1));
			const v = tf.add(tf.mul(this.v, BETA2), tf.mul(tf.square(grad), 1 - BETA2));
			const step = tf.div(m, tf.add(tf.sqrt(v), EPSILON * c2));
			const flat = tf.sub(this.flat, tf.mul(step, (this.lr * c2) / c1));
			return [flat, m, v, tf.concat([loss, honest, norms], 1)] as tf.Tensor[];
		});
		tf.dispose([this.flat, this.m, this.v]);
		[this.flat, this.m, this.v] = [flat, m, v] as tf.Tensor1D[];
		const [lossM, lossU, , honestU, normM, normU] = metrics.dataSync();
		metrics.dispose();
		return {
			// for the masked arm the honest pass is the training one: same weights, batch and mask
			masked: { trainLoss: lossM, honestLoss: lossM, gradNorm: normM },
			unmasked: { trainLoss: lossU, honestLoss: honestU, gradNorm: normU }
		};
	}

	/** Each arm's current weights: [masked, unmasked]. */
	weights(): InitialWeights[] {
		return unpackArms(this.shape, this.flat.dataSync());
	}

	/** The arms as separate models with the current weights (for attention maps and sampling). */
	toArms(): { masked: Arm; unmasked: Arm } {
		const [masked, unmasked] = this.weights();
		return {
			masked: new Arm(true, this.shape, masked, this.lr),
			unmasked: new Arm(false, this.shape, unmasked, this.lr)
		};
	}

	dispose(): void {
		tf.dispose([this.flat, this.m, this.v, this.structure, this.membership]);
		if (this.constants) disposeConstants(this.constants);
		this.constants = null;
	}
}

function disposeConstants(k: StepConstants): void {
	tf.dispose([k.trainMask, k.honestMask, k.rowWeight, k.lossRow, k.ones, k.positionSum]);
}
