import {
	causalMask,
	disposeParams,
	flattenWeights,
	forward,
	PARAM_NAMES,
	unflatten,
	weightsByWindow,
	windowLoss
} from './model.js';
import type { InitialWeights, ModelShape, Params } from './model.js';
import { lossAndGrad } from './step.js';
import { tf } from './tf.js';

/** What one arm reports after one training step. */
export interface ArmStepMetrics {
	/** Loss the optimiser sees: with the mask for the masked arm, without it for the unmasked arm. */
	trainLoss: number;
	/** Loss on the same batch with the future hidden (causal mask), before this step's update. */
	honestLoss: number;
	/** Global gradient norm before the update: sqrt(sum over all weights of g^2). */
	gradNorm: number;
}

/** sqrt(sum_i sum(g_i^2)). Call inside tf.tidy. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
	return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}

/**
 * One of the two models of the experiment: its weights, its Adam state, and whether it trains with
 * the causal mask. Both arms are built from the same InitialWeights and fed the same batches.
 * The weights live in one flat variable (flattenWeights' layout): Adam is elementwise, so one update
 * of the flat vector is the same arithmetic as one per weight, in a tenth of the operations.
 */
export class Arm {
	private readonly flat: tf.Variable<tf.Rank.R1>;
	private readonly optimizer: tf.AdamOptimizer;
	private views: Params | null = null;

	constructor(
		readonly causal: boolean,
		readonly shape: ModelShape,
		init: InitialWeights,
		lr: number
	) {
		this.flat = tf.tidy(() => tf.variable(tf.tensor1d(flattenWeights(shape, init))));
		this.optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
	}

	/** The current weights, by name (views of the flat variable, made on demand and kept until the next step). */
	get params(): Params {
		if (!this.views) {
			this.views = tf.tidy(() => {
				const views = unflatten(this.flat, this.shape);
				for (const name of PARAM_NAMES) tf.keep(views[name]);
				return views;
			});
		}
		return this.views;
	}

	private dropViews(): void {
		if (this.views) disposeParams(this.views);
		this.views = null;
	}

	/**
	 * Measures the honest loss, then takes one Adam step on `windows` ([batch, T + 1] int32).
	 * `mask` is a causalMask(T + 1); the unmasked arm trains without it.
	 */
	trainStep(windows: tf.Tensor2D, mask: tf.Tensor2D): ArmStepMetrics {
		const metrics = tf.tidy(() => {
			// the unmasked arm's honest loss shares this pass's embedding, projections and scores
			const { loss, honest, grad } = lossAndGrad(
				this.flat,
				this.shape,
				windows,
				this.causal ? mask : null,
				this.causal ? null : mask
			);
			const gradNorm = tf.sqrt(tf.sum(tf.square(grad)));
			this.optimizer.applyGradients([{ name: this.flat.name, tensor: grad }]);
			// for the masked arm the honest forward pass is the training one: same weights, batch and mask
			return tf.stack([loss, honest ?? loss, gradNorm]);
		});
		this.dropViews();
		// one read for the three numbers
		const [trainLoss, honestLoss, gradNorm] = metrics.dataSync();
		metrics.dispose();
		return { trainLoss, honestLoss, gradNorm };
	}

	/** Loss of the current weights on `windows` with the causal mask, as generation sees the model. */
	honestLoss(windows: tf.Tensor2D, mask: tf.Tensor2D): number {
		const loss = tf.tidy(() =>
			windowLoss(unflatten(this.flat, this.shape), windows, mask, this.shape.heads)
		);
		const value = loss.dataSync()[0];
		loss.dispose();
		return value;
	}

	/** Attention weights [heads][n][n] on one window, with this arm's own training mask. */
	attention(tokens: Int32Array): number[][][] {
		const n = tokens.length;
		const weights = tf.tidy(() => {
			const mask = this.causal ? causalMask(n) : null;
			const { weights } = forward(
				this.params,
				tf.tensor2d(tokens, [1, n], 'int32'),
				mask,
				this.shape.heads
			);
			return weightsByWindow(weights, 1, this.shape.heads);
		});
		const rows = (weights.arraySync() as number[][][][])[0];
		weights.dispose();
		return rows;
	}

	dispose(): void {
		this.dropViews();
		this.flat.dispose();
		this.optimizer.dispose();
	}
}
