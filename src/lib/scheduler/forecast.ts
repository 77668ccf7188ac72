/**
 * Workload forecast: how many reviews a day the learner's cards (and the course's new cards still to
 * come) will ask for over the next days at a chosen desired retention, simulated with ts-fsrs.
 *
 * This file imports ts-fsrs itself (besides `fsrs.ts`) because it needs schedulers with other
 * requested retentions than the app's one.
 */
import {
	createEmptyCard,
	forgetting_curve,
	fsrs,
	generatorParameters,
	Rating,
	State,
	type Card,
	type FSRS
} from 'ts-fsrs';
import { mulberry32 } from '../random/rng.js';
import { DayClock } from './days.js';
import { DAY_MS, PHASE, toFsrsCard, type CardState } from './fsrs.js';

export interface ForecastInput {
	/** The learner's studied cards (progress's `CardRow` fits); new-phase cards are ignored. */
	cards: readonly CardState[];
	/** Course cards never studied yet; introduced at `dailyNewLimit` a day until none is left. */
	newCards: number;
	dailyNewLimit: number;
	/** Due cards taken a day at most (default: no limit); the rest wait for the next day. */
	dailyReviewLimit?: number;
	/** Desired retention, 0 < r < 1 (the settings offer 0.70-0.97). */
	retention: number;
	/** How many learner days to forecast, today first (30 or 365 in /settings). */
	days: number;
	now: number;
	dayStartHour: number;
	timeZone: string;
	/** FSRS weights (19 or 21 numbers); default ts-fsrs's FSRS-6 defaults, as the app uses. */
	params?: readonly number[];
	/** Seed of the simulated answers (default 1). Same seed, same forecast. */
	seed?: number;
	/** Simulated futures averaged (default 4): more runs, smoother numbers, more time. */
	runs?: number;
	/** Probability that a new card's first answer is right (default 0.76, see below). */
	firstAnswerRecall?: number;
	/** What today's answers already used of the daily limits (see `countDoneToday`). */
	newDoneToday?: number;
	reviewsDoneToday?: number;
	/** Reuse a clock (and its offset cache). */
	clock?: DayClock;
}

export interface ForecastDay {
	/** Learner day number (days since 1970-01-01 of the local date; `dayToIso` formats it). */
	day: number;
	/**
	 * Answers to cards studied before that day, relearning steps included (what the daily review
	 * limit counts, as `countDoneToday` does). Averaged over the runs, so not always a whole number.
	 */
	reviews: number;
	/** New cards introduced that day (their learning steps that day are not counted as reviews). */
	newCards: number;
	/** Cards due that day but left for the next one by the daily review limit. */
	backlog: number;
}

export interface Forecast {
	retention: number;
	runs: number;
	perDay: ForecastDay[];
	totalReviews: number;
	totalNewCards: number;
}

/** Default probability that a new card's first answer is right (the FSRS simulator's 1 - P(Again)). */
export const DEFAULT_FIRST_ANSWER_RECALL = 0.76;
export const DEFAULT_FORECAST_RUNS = 4;

/**
 * Simulates the learner's next `days` learner days with ts-fsrs (no fuzz, the app's learning steps
 * 1m/10m and relearning step 10m) at desired retention `retention`.
 *
 * The model, day by day (day 0 is today and starts at `now`; later days at their day start):
 * - Due cards (due before the day ends; overdue ones and those the limit left over included) are
 *   taken as the queue takes them, lowest retrievability first (ties: earlier due, then input order),
 *   while fewer than `dailyReviewLimit` reviews were done that day. Each is answered at its due time
 *   or the day's start, whichever is later, then again at each due time that still falls on that
 *   day (its (re)learning steps).
 * - Then up to `dailyNewLimit` new cards (fewer on day 0 by `newDoneToday`) are answered at the
 *   day's start, steps likewise.
 * - An answer is right with probability R, the FSRS-6 retrievability at the time of the answer (for
 *   a new card's first answer, `firstAnswerRecall`), and is rated Good when right and Again when
 *   wrong, as the app proposes (`proposeRating`); Hard and Easy, the learner's own overrides, are
 *   not modelled.
 *
 * **Why a seeded simulation and not expected values.** ts-fsrs's next state is not linear in the
 * outcome (the stability after an average of "recalled" and "forgot" is not the average of the two
 * stabilities), so running each card on its expected outcome is biased; exact expected values
 * would follow both outcomes of every answer (2^answers branches per card), and the review limit
 * and its backlog act on whole cards. A seeded simulation runs ts-fsrs exactly as the app does on
 * each simulated path and stays deterministic: each card draws from its own stream,
 * `cardRandom(seed, run, index)` (index: position in `cards`, then `cards.length + k` for the k-th
 * new card), one number per answer, so a card's answers do not depend on other cards, and two
 * retentions compared with the same seed face the same luck (common random numbers). `runs` paths
 * are averaged to smooth the numbers.
 *
 * Cost: O(runs × (answers + days × log of the day's due cards)); cards due after the horizon cost
 * nothing more.
 * @throws RangeError for a retention outside (0, 1) or a negative or fractional count of days
 */
export function forecastWorkload(input: ForecastInput): Forecast {
	const { retention, days, now } = input;
	if (!(retention > 0 && retention < 1)) {
		throw new RangeError(`retention must be between 0 and 1, got ${retention}`);
	}
	if (!Number.isInteger(days) || days < 0) {
		throw new RangeError(`days must be a whole number >= 0, got ${days}`);
	}
	const runs = Math.max(1, Math.floor(input.runs ?? DEFAULT_FORECAST_RUNS));
	const seed = input.seed ?? 1;
	const clock = input.clock ?? new DayClock(input.timeZone, input.dayStartHour);
	const scheduler = forecastScheduler(retention, input.params);
	const w = scheduler.parameters.w;
	const reviewLimit = input.dailyReviewLimit ?? Number.POSITIVE_INFINITY;
	const firstRecall = input.firstAnswerRecall ?? DEFAULT_FIRST_ANSWER_RECALL;
	const today = clock.dayOf(now);
	const starts: number[] = [];
	for (let k = 0; k <= days; k++) starts.push(k === 0 ? now : clock.startOf(today + k));

	const studied = input.cards.filter((c) => c.state !== PHASE.New).map(toFsrsCard);
	const reviews = new Float64Array(days);
	const fresh = new Float64Array(days);
	const backlog = new Float64Array(days);

	for (let run = 0; run < runs; run++) {
		const cards: Card[] = studied.slice();
		const randoms = cards.map((_, i) => cardRandom(seed, run, i));
		/** Card indices by the day (0..days-1) they are due on; overdue cards on day 0. */
		const buckets: number[][] = Array.from({ length: days }, () => []);
		const file = (i: number, earliest: number): void => {
			const k = Math.max(earliest, clock.dayOf(cards[i].due.getTime()) - today);
			if (k < days) buckets[k].push(i);
		};
		for (let i = 0; i < cards.length; i++) file(i, 0);
		let newLeft = Math.max(0, Math.floor(input.newCards));

		for (let k = 0; k < days; k++) {
			const start = starts[k];
			const end = starts[k + 1];
			const due = buckets[k].map((i) => ({
				i,
				r: recallAt(w, cards[i], start),
				due: cards[i].due.getTime()
			}));
			due.sort((a, b) => a.r - b.r || a.due - b.due || a.i - b.i);
			let done = k === 0 ? (input.reviewsDoneToday ?? 0) : 0;
			for (let n = 0; n < due.length; n++) {
				const { i } = due[n];
				if (done >= reviewLimit) {
					backlog[k]++;
					if (k + 1 < days) buckets[k + 1].push(i);
					continue;
				}
				const answered = answerDay(scheduler, w, cards[i], start, end, randoms[i], null);
				cards[i] = answered.card;
				done += answered.answers;
				file(i, k + 1);
			}
			reviews[k] += done - (k === 0 ? (input.reviewsDoneToday ?? 0) : 0);

			const slots = Math.max(0, input.dailyNewLimit - (k === 0 ? (input.newDoneToday ?? 0) : 0));
			const introduce = Math.min(Math.floor(slots), newLeft);
			for (let j = 0; j < introduce; j++) {
				const i = cards.length;
				randoms.push(cardRandom(seed, run, i));
				const card = createEmptyCard(new Date(start));
				cards.push(answerDay(scheduler, w, card, start, end, randoms[i], firstRecall).card);
				file(i, k + 1);
			}
			newLeft -= introduce;
			fresh[k] += introduce;
		}
	}

	const perDay: ForecastDay[] = [];
	let totalReviews = 0;
	let totalNewCards = 0;
	for (let k = 0; k < days; k++) {
		const day: ForecastDay = {
			day: today + k,
			reviews: reviews[k] / runs,
			newCards: fresh[k] / runs,
			backlog: backlog[k] / runs
		};
		totalReviews += day.reviews;
		totalNewCards += day.newCards;
		perDay.push(day);
	}
	return { retention, runs, perDay, totalReviews, totalNewCards };
}

/** The ts-fsrs scheduler the forecast uses: no fuzz, ts-fsrs's default steps, the given retention. */
export function forecastScheduler(retention: number, params?: readonly number[]): FSRS {
	return fsrs(
		generatorParameters({
			request_retention: retention,
			enable_fuzz: false,
			...(params ? { w: [...params] } : {})
		})
	);
}

/**
 * A card's random stream in the forecast: mulberry32 seeded with a hash of (seed, run, index).
 * Returns numbers in [0, 1).
 */
export function cardRandom(seed: number, run: number, index: number): () => number {
	let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 13) ^ Math.imul(run + 1, 0xc2b2ae35), 0x27d4eb2f);
	h = Math.imul(h ^ (h >>> 16) ^ Math.imul(index + 1, 0x165667b1), 0x85ebca6b);
	return mulberry32(h ^ (h >>> 15));
}

/** Probability of recall of `card` at `t` with weights `w` (fractional days; 0 if never reviewed). */
export function recallAt(w: readonly number[], card: Card, t: number): number {
	if (card.state === State.New || !card.last_review || card.stability <= 0) return 0;
	const elapsed = Math.max(0, (t - card.last_review.getTime()) / DAY_MS);
	return forgetting_curve(w, elapsed, card.stability);
}

/**
 * Answers `card` at max(due, start), then again at each new due time before `end` (its
 * (re)learning steps). The first answer
 * of a new card is right with probability `firstRecall`; every other answer with its retrievability.
 */
function answerDay(
	scheduler: FSRS,
	w: readonly number[],
	card: Card,
	start: number,
	end: number,
	random: () => number,
	firstRecall: number | null
): { card: Card; answers: number } {
	let t = Math.max(card.due.getTime(), start, card.last_review?.getTime() ?? start);
	let answers = 0;
	for (;;) {
		const p = answers === 0 && firstRecall !== null ? firstRecall : recallAt(w, card, t);
		const rating = random() < p ? Rating.Good : Rating.Again;
		card = scheduler.next(card, new Date(t), rating).card;
		answers++;
		// a step or a review due again before the day ends is answered again that day, as the queue
		// shows it (every due time is at least a minute after the answer, so this ends)
		if (card.due.getTime() >= end) return { card, answers };
		t = Math.max(t, card.due.getTime());
	}
}
