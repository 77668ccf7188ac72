/**
 * How well a set of FSRS-6 weights predicts the learner's own answers: the predicted retrievability
 * R of each item's last answer (the memory state replayed through the answers before it with ts-fsrs,
 * short-term stability for same-day answers) against whether it was recalled (y = 1 unless Again).
 *
 * - log loss = −(1/n) Σ [y ln R + (1 − y) ln(1 − R)], with R clamped to [1e-7, 1 − 1e-7];
 * - RMSE = √((1/n) Σ (R − y)²) (plain, per answer: the square root of the Brier score; the FSRS
 *   benchmark's RMSE(bins) groups answers first, so its numbers are smaller).
 *
 * Lower is better for both. Same data, same rules, so defaults and fitted weights compare fairly.
 */
import { default_w, FSRSAlgorithm, type FSRSState } from 'ts-fsrs';
import type { FsrsItem } from './fsrs-items.js';

export interface WeightsEvaluation {
	logLoss: number;
	rmse: number;
	/** Answers predicted (items). */
	count: number;
}

const EPSILON = 1e-7;

/** FSRS-6's 21 default weights (ts-fsrs 5), the ones the app schedules with until others are accepted. */
export const DEFAULT_FSRS_WEIGHTS: readonly number[] = Object.freeze([...default_w]);

export const FSRS_WEIGHT_COUNT = 21;

/** The predicted probability of recall of each item's last answer under `weights`. */
export function predictRecall(items: readonly FsrsItem[], weights: readonly number[]): number[] {
	const algorithm = new FSRSAlgorithm({ w: [...weights], enable_short_term: true });
	return items.map((item) => {
		let state: FSRSState | null = null;
		const last = item.reviews.length - 1;
		for (let i = 0; i < last; i++) {
			const review = item.reviews[i];
			state = algorithm.next_state(state, review.deltaT, review.rating);
		}
		if (!state) return 1;
		return algorithm.forgetting_curve(item.reviews[last].deltaT, state.stability);
	});
}

/** Log loss and RMSE of predictions against outcomes (1 recalled, 0 forgotten). */
export function lossMetrics(predictions: readonly number[], outcomes: readonly number[]) {
	if (predictions.length !== outcomes.length) {
		throw new RangeError('predictions and outcomes differ in length');
	}
	const n = predictions.length;
	if (n === 0) return { logLoss: NaN, rmse: NaN, count: 0 };
	let logSum = 0;
	let squareSum = 0;
	for (let i = 0; i < n; i++) {
		const p = Math.min(1 - EPSILON, Math.max(EPSILON, predictions[i]));
		const y = outcomes[i];
		logSum += y * Math.log(p) + (1 - y) * Math.log(1 - p);
		squareSum += (predictions[i] - y) ** 2;
	}
	return { logLoss: -logSum / n, rmse: Math.sqrt(squareSum / n), count: n };
}

/** 1 when the item's last answer was recalled (Hard, Good, Easy), 0 when Again. */
export function recallOutcomes(items: readonly FsrsItem[]): number[] {
	return items.map((item) => (item.reviews[item.reviews.length - 1].rating > 1 ? 1 : 0));
}

export function evaluateWeights(
	items: readonly FsrsItem[],
	weights: readonly number[]
): WeightsEvaluation {
	return lossMetrics(predictRecall(items, weights), recallOutcomes(items));
}
