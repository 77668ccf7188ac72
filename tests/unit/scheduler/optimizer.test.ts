import { describe, expect, it, vi } from 'vitest';
import { forgetting_curve } from 'ts-fsrs';
import {
	DEFAULT_FSRS_WEIGHTS,
	evaluateWeights,
	lossMetrics,
	predictRecall
} from '../../../src/lib/scheduler/evaluate.js';
import { fsrsItems, packFsrsItems } from '../../../src/lib/scheduler/fsrs-items.js';
import {
	FitError,
	fitFsrsWeights,
	MIN_FIT_REVIEWS,
	reviewsNeeded
} from '../../../src/lib/scheduler/optimizer.js';
import { KNOWN_WEIGHTS, syntheticHistory } from '../../fixtures/scheduler/synthetic-history.js';
import { loadFsrsBrowser } from './fsrs-browser-node.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day0 = Date.UTC(2025, 2, 3); // midnight UTC
const utc = { timeZone: 'UTC', dayStartHour: 4 };

function row(cardId: string, time: number, rating: number, id = `${cardId}@${time}`) {
	return { id, cardId, time, rating, undoes: null as string | null };
}

describe('fsrsItems', () => {
	it('counts whole learner days from the day start, one item per first answer of a later day', () => {
		const { items, answers } = fsrsItems(
			[
				row('a', day0 + 10 * HOUR, 1),
				row('a', day0 + 11 * HOUR, 3), // same day: history, not a target
				row('a', day0 + DAY + 3 * HOUR, 3), // 03:00 next morning is still day 0 (day starts at 4)
				row('a', day0 + 2 * DAY + 9 * HOUR, 2),
				row('a', day0 + 5 * DAY + 9 * HOUR, 4),
				row('b', day0 + 10 * HOUR, 3) // answered on one day only: no item
			],
			utc
		);
		expect(answers).toBe(6);
		expect(items.map((item) => item.reviews)).toEqual([
			[
				{ rating: 1, deltaT: 0 },
				{ rating: 3, deltaT: 0 },
				{ rating: 3, deltaT: 0 },
				{ rating: 2, deltaT: 2 }
			],
			[
				{ rating: 1, deltaT: 0 },
				{ rating: 3, deltaT: 0 },
				{ rating: 3, deltaT: 0 },
				{ rating: 2, deltaT: 2 },
				{ rating: 4, deltaT: 3 }
			]
		]);
		const packed = packFsrsItems(items);
		expect(Array.from(packed.lengths)).toEqual([4, 5]);
		expect(Array.from(packed.deltaTs)).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 3]);
	});

	it('leaves out undo rows and the answers they void', () => {
		const { items, answers } = fsrsItems(
			[
				row('a', day0 + 10 * HOUR, 3, 'x1'),
				row('a', day0 + 3 * DAY, 1, 'x2'),
				{ id: 'u', cardId: 'a', time: day0 + 3 * DAY + 1000, rating: 0, undoes: 'x2' },
				row('a', day0 + 4 * DAY + 9 * HOUR, 3, 'x3')
			],
			utc
		);
		expect(answers).toBe(2);
		expect(items.map((item) => item.reviews)).toEqual([
			[
				{ rating: 3, deltaT: 0 },
				{ rating: 3, deltaT: 4 }
			]
		]);
	});

	it('starts a card again after a reset: the answers before it are not training data', () => {
		const { items, answers } = fsrsItems(
			[
				row('a', day0 + 10 * HOUR, 3),
				row('a', day0 + 3 * DAY + 9 * HOUR, 1),
				{
					id: 'r',
					cardId: 'a',
					time: day0 + 3 * DAY + 10 * HOUR,
					rating: 0,
					undoes: null,
					action: 'reset' as const
				},
				row('a', day0 + 4 * DAY + 9 * HOUR, 3),
				row('a', day0 + 6 * DAY + 9 * HOUR, 3)
			],
			utc
		);
		expect(answers).toBe(2);
		expect(items.map((item) => item.reviews)).toEqual([
			[
				{ rating: 3, deltaT: 0 },
				{ rating: 3, deltaT: 2 }
			]
		]);
	});
});

describe('log loss and RMSE', () => {
	it('are computed right on a hand-checked example', () => {
		// −(ln 0.9 + ln 0.8) / 2 = (0.1053605 + 0.2231436) / 2; √((0.1² + 0.2²) / 2) = √0.025
		const { logLoss, rmse, count } = lossMetrics([0.9, 0.2], [1, 0]);
		expect(count).toBe(2);
		expect(logLoss).toBeCloseTo(0.164252, 6);
		expect(rmse).toBeCloseTo(0.1581139, 6);
	});

	it('predict R from the replayed memory state: Good first (S = w2), then 5 days', () => {
		const w = DEFAULT_FSRS_WEIGHTS;
		const item = {
			reviews: [
				{ rating: 3 as const, deltaT: 0 },
				{ rating: 1 as const, deltaT: 5 }
			]
		};
		// R(t, S) = (1 + factor·t/S)^(−decay), factor = 0.9^(−1/decay) − 1, decay = w20
		const decay = w[20];
		const expected = (1 + ((0.9 ** (-1 / decay) - 1) * 5) / w[2]) ** -decay;
		const [r] = predictRecall([item], w);
		expect(r).toBeCloseTo(expected, 7); // ts-fsrs rounds R to 8 decimals
		expect(r).toBe(forgetting_curve([...w], 5, w[2]));
		const { logLoss, rmse } = evaluateWeights([item], w);
		expect(logLoss).toBeCloseTo(-Math.log(1 - expected), 6); // forgotten: y = 0
		expect(rmse).toBeCloseTo(expected, 7);
	});
});

describe('fitFsrsWeights', () => {
	it('asks for more answers below the minimum', () => {
		expect(MIN_FIT_REVIEWS).toBe(400);
		expect(reviewsNeeded(150)).toBe(250);
		expect(reviewsNeeded(400)).toBe(0);
		const compute = vi.fn();
		expect(() => fitFsrsWeights({ items: [], answers: 399 }, compute)).toThrow(FitError);
		expect(compute).not.toHaveBeenCalled();
	});

	it('refuses weights of another FSRS version (19 weights, FSRS-5)', () => {
		const { items, answers } = fsrsItems(syntheticHistory({ cards: 80 }), utc);
		expect(() => fitFsrsWeights({ items, answers }, () => new Float32Array(19))).toThrow(
			/19 weights/
		);
	});

	it('the optimizer on a synthetic history generated from known parameters recovers parameters whose log loss is no worse than the defaults', async () => {
		const compute = await loadFsrsBrowser();
		const rows = syntheticHistory({ cards: 300 });
		const dataset = fsrsItems(rows, utc);
		const started = performance.now();
		const quiet = vi.spyOn(console, 'log').mockImplementation(() => {});
		const result = fitFsrsWeights(dataset, compute);
		quiet.mockRestore();
		const ms = performance.now() - started;
		const known = evaluateWeights(dataset.items, KNOWN_WEIGHTS);
		console.info(
			JSON.stringify({
				reviews: result.reviews,
				predictions: result.predictions,
				fitMs: Math.round(ms),
				logLossDefault: result.logLossDefault,
				logLossFitted: result.logLossFitted,
				logLossKnown: known.logLoss,
				rmseDefault: result.rmseDefault,
				rmseFitted: result.rmseFitted,
				rmseKnown: known.rmse,
				weights: result.weights
			})
		);
		expect(result.weights).toHaveLength(21);
		expect(result.reviews).toBeGreaterThanOrEqual(MIN_FIT_REVIEWS);
		expect(result.logLossFitted).toBeLessThanOrEqual(result.logLossDefault);
		expect(result.rmseFitted).toBeLessThanOrEqual(result.rmseDefault);
		// and close to what the true weights achieve on the same answers
		expect(result.logLossFitted).toBeLessThan(known.logLoss + 0.02);
	}, 120_000);
});
