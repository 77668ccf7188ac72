/**
 * Fitting FSRS-6 weights to the learner's history and judging them on it. The fit itself is
 * fsrs-rs's optimizer (the `fsrs-browser` package, WebAssembly), passed in as `compute` so that this
 * layer stays plain TypeScript: the settings page's worker loads the wasm, the unit tests load the
 * same package in Node.
 */
import { evaluateWeights, DEFAULT_FSRS_WEIGHTS, FSRS_WEIGHT_COUNT } from './evaluate.js';
import { packFsrsItems, type FsrsItem, type PackedFsrsItems } from './fsrs-items.js';

/** Answers a history needs before fitting is offered: fewer give weights that mostly fit noise. */
export const MIN_FIT_REVIEWS = 400;

/** How many more answers are needed before fitting is offered (0 when enough). */
export function reviewsNeeded(answers: number): number {
	return Math.max(0, MIN_FIT_REVIEWS - answers);
}

/** The optimizer: training items in, weights out (fsrs-browser's `Fsrs#computeParameters`). */
export type ComputeWeights = (packed: PackedFsrsItems) => ArrayLike<number>;

export interface FitResult {
	weights: number[];
	/** Answers that count in the history fitted. */
	reviews: number;
	/** Answers predicted (one per item), on which the metrics are computed. */
	predictions: number;
	logLossDefault: number;
	logLossFitted: number;
	rmseDefault: number;
	rmseFitted: number;
}

export class FitError extends Error {
	constructor(
		readonly kind: 'too-few' | 'no-items' | 'bad-weights',
		message: string
	) {
		super(message);
		this.name = 'FitError';
	}
}

/** True for 21 finite numbers: FSRS-6 weights ts-fsrs's `fsrs({ w })` schedules with. */
export function isFsrs6Weights(weights: ArrayLike<number>): boolean {
	if (weights.length !== FSRS_WEIGHT_COUNT) return false;
	for (let i = 0; i < weights.length; i++) if (!Number.isFinite(weights[i])) return false;
	return true;
}

/**
 * Fits weights to `items` with `compute`, then evaluates the defaults and the fitted weights on the
 * same items. Weights are rounded to 4 decimals, as fsrs-rs reports them.
 * @throws FitError when there are fewer than MIN_FIT_REVIEWS answers, no item, or the optimizer
 *   returns something other than 21 finite weights (another FSRS version)
 */
export function fitFsrsWeights(
	dataset: { items: readonly FsrsItem[]; answers: number },
	compute: ComputeWeights
): FitResult {
	if (dataset.answers < MIN_FIT_REVIEWS) {
		throw new FitError('too-few', `${reviewsNeeded(dataset.answers)} more answers needed`);
	}
	if (dataset.items.length === 0) {
		throw new FitError('no-items', 'no card was answered on two different days');
	}
	const raw = compute(packFsrsItems(dataset.items));
	if (!isFsrs6Weights(raw)) {
		throw new FitError('bad-weights', `the optimizer returned ${raw.length} weights, not 21`);
	}
	const weights = Array.from(raw, (w) => Math.round(w * 10_000) / 10_000);
	const before = evaluateWeights(dataset.items, DEFAULT_FSRS_WEIGHTS);
	const after = evaluateWeights(dataset.items, weights);
	return {
		weights,
		reviews: dataset.answers,
		predictions: after.count,
		logLossDefault: before.logLoss,
		logLossFitted: after.logLoss,
		rmseDefault: before.rmse,
		rmseFitted: after.rmse
	};
}
