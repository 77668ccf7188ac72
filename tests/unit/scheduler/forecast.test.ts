import { describe, expect, it } from 'vitest';
import {
	createEmptyCard,
	forgetting_curve,
	fsrs,
	generatorParameters,
	Rating,
	type Card
} from 'ts-fsrs';
import {
	cardRandom,
	DEFAULT_FIRST_ANSWER_RECALL,
	forecastWorkload,
	type ForecastInput
} from '../../../src/lib/scheduler/forecast.js';
import {
	applyRating,
	DayClock,
	newCardState,
	type CardState
} from '../../../src/lib/scheduler/index.js';
import { toFsrsCard } from '../../../src/lib/scheduler/fsrs.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2025, 2, 20, 9, 30); // Thursday 09:30 UTC

/** A studied card: `ratings` answered one per `gapDays` days, the last one `agoDays` before now. */
function studied(ratings: readonly (1 | 2 | 3 | 4)[], gapDays: number, agoDays: number): CardState {
	let state = newCardState();
	let t = now - agoDays * DAY - (ratings.length - 1) * gapDays * DAY;
	for (const r of ratings) {
		state = applyRating(state, r, t);
		t += gapDays * DAY;
	}
	return state;
}

/** A deterministic spread of histories: fresh, mature, lapsed, overdue, mid-learning. */
function fixture(count: number): CardState[] {
	const cards: CardState[] = [];
	let x = 12345;
	const next = (n: number): number => {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		return (x >>> 8) % n;
	};
	for (let i = 0; i < count; i++) {
		const answers = 1 + next(6);
		const ratings = Array.from(
			{ length: answers },
			() => ([1, 3, 3, 3, 3, 2, 4] as const)[next(7)]
		);
		cards.push(studied(ratings, 1 + next(20), next(40)));
	}
	// one card in its learning steps right now
	cards.push(applyRating(newCardState(), 1, now - 3 * MIN));
	return cards;
}

/**
 * The direct simulation, written straight on ts-fsrs, one card after the other (no review limit):
 * each answer happens at the later of the card's due time and the start of the learner day it is
 * due on (`now` for today); right with probability R at that moment (a new card's first answer:
 * `DEFAULT_FIRST_ANSWER_RECALL`), rated Good when right and Again when wrong.
 */
function directSimulation(
	input: Required<
		Pick<ForecastInput, 'cards' | 'newCards' | 'dailyNewLimit' | 'retention' | 'days'>
	> & {
		timeZone: string;
		dayStartHour: number;
		seed: number;
		run: number;
	}
): { reviews: number[]; newCards: number[] } {
	const f = fsrs(generatorParameters({ request_retention: input.retention, enable_fuzz: false }));
	const w = f.parameters.w;
	const clock = new DayClock(input.timeZone, input.dayStartHour);
	const today = clock.dayOf(now);
	const startOf = (k: number): number => (k === 0 ? now : clock.startOf(today + k));
	const reviews: number[] = new Array(input.days).fill(0);
	const newCards: number[] = new Array(input.days).fill(0);

	const follow = (card: Card, random: () => number, introducedOn: number | null): void => {
		for (;;) {
			const due = card.due.getTime();
			const k = Math.max(0, clock.dayOf(due) - today);
			if (k >= input.days) return;
			const last = card.last_review?.getTime();
			const t = Math.max(due, startOf(k), last ?? 0);
			const p =
				last === undefined
					? DEFAULT_FIRST_ANSWER_RECALL
					: forgetting_curve(w, (t - last) / DAY, card.stability);
			card = f.next(card, new Date(t), random() < p ? Rating.Good : Rating.Again).card;
			if (k !== introducedOn) reviews[k]++;
		}
	};

	input.cards.forEach((state, i) =>
		follow(toFsrsCard(state), cardRandom(input.seed, input.run, i), null)
	);
	for (let j = 0; j < input.newCards; j++) {
		const k = Math.floor(j / input.dailyNewLimit);
		if (k >= input.days) break;
		newCards[k]++;
		const random = cardRandom(input.seed, input.run, input.cards.length + j);
		follow(createEmptyCard(new Date(startOf(k))), random, k);
	}
	return { reviews, newCards };
}

describe('forecastWorkload', () => {
	const base = {
		newCards: 23,
		dailyNewLimit: 4,
		now,
		dayStartHour: 4,
		timeZone: 'UTC'
	};

	it('the forecast matches a direct ts-fsrs simulation on a fixture', () => {
		const cards = fixture(15);
		for (const [timeZone, retention] of [
			['UTC', 0.9],
			['Europe/Berlin', 0.8] // the clocks go forward on 2025-03-30
		] as const) {
			const direct = directSimulation({
				...base,
				cards,
				timeZone,
				retention,
				days: 40,
				seed: 7,
				run: 0
			});
			const forecast = forecastWorkload({
				...base,
				cards,
				timeZone,
				retention,
				days: 40,
				seed: 7,
				runs: 1
			});
			const clock = new DayClock(timeZone, 4);
			expect(forecast.perDay.map((d) => d.day)).toEqual(
				direct.reviews.map((_, k) => clock.dayOf(now) + k)
			);
			expect(forecast.perDay.map((d) => d.reviews)).toEqual(direct.reviews);
			expect(forecast.perDay.map((d) => d.newCards)).toEqual(direct.newCards);
			expect(forecast.perDay.every((d) => d.backlog === 0)).toBe(true);
			expect(forecast.totalReviews).toBe(direct.reviews.reduce((a, b) => a + b, 0));
			expect(forecast.totalReviews).toBeGreaterThan(20);
		}
	});

	it('averages its runs: each run is a direct simulation with its own streams', () => {
		const cards = fixture(10);
		const input = { ...base, cards, retention: 0.9, days: 30, seed: 3 };
		const runs = [0, 1, 2].map((run) => directSimulation({ ...input, run }));
		const forecast = forecastWorkload({ ...input, runs: 3 });
		const mean = (k: number): number =>
			(runs[0].reviews[k] + runs[1].reviews[k] + runs[2].reviews[k]) / 3;
		forecast.perDay.forEach((d, k) => expect(d.reviews).toBeCloseTo(mean(k), 12));
	});

	it('higher desired retention gives more reviews (30 and 365 days)', () => {
		const cards = fixture(100);
		for (const days of [30, 365]) {
			const totals = [0.8, 0.9, 0.95].map(
				(retention) =>
					forecastWorkload({
						...base,
						cards,
						newCards: 100,
						dailyNewLimit: 10,
						retention,
						days,
						runs: 2
					}).totalReviews
			);
			expect(totals[0]).toBeLessThan(totals[1]);
			expect(totals[1]).toBeLessThan(totals[2]);
		}
	});

	it('is deterministic for a seed and introduces new cards at the daily limit', () => {
		const input = { ...base, cards: fixture(30), retention: 0.9, days: 10 };
		expect(forecastWorkload(input)).toEqual(forecastWorkload(input));
		expect(forecastWorkload({ ...input, seed: 2 }).totalReviews).not.toBe(
			forecastWorkload(input).totalReviews
		);
		const news = forecastWorkload(input).perDay.map((d) => d.newCards);
		expect(news).toEqual([4, 4, 4, 4, 4, 3, 0, 0, 0, 0]);
		const later = forecastWorkload({ ...input, newDoneToday: 3 }).perDay.map((d) => d.newCards);
		expect(later).toEqual([1, 4, 4, 4, 4, 4, 2, 0, 0, 0]);
	});

	it('caps reviews at the daily limit and carries the rest over', () => {
		const cards = fixture(200);
		const input = { ...base, cards, newCards: 0, retention: 0.9, days: 30, runs: 1 };
		const free = forecastWorkload(input);
		const capped = forecastWorkload({ ...input, dailyReviewLimit: 10 });
		expect(free.perDay[0].reviews).toBeGreaterThan(10);
		expect(capped.perDay[0].backlog).toBeGreaterThan(0);
		// the limit is checked before each due card: the last one's (re)learning steps may pass it
		for (const d of capped.perDay) expect(d.reviews).toBeLessThanOrEqual(12);
		const today = forecastWorkload({ ...input, dailyReviewLimit: 10, reviewsDoneToday: 10 });
		expect(today.perDay[0].reviews).toBe(0);
		expect(today.perDay[0].backlog).toBeGreaterThan(0);
	});

	it('ignores new-phase cards, rejects a retention outside (0, 1)', () => {
		const input = { ...base, newCards: 0, retention: 0.9, days: 5 };
		expect(forecastWorkload({ ...input, cards: [newCardState(now)] }).totalReviews).toBe(0);
		expect(() => forecastWorkload({ ...input, cards: [], retention: 1 })).toThrow(RangeError);
		expect(() => forecastWorkload({ ...input, cards: [], retention: 0 })).toThrow(RangeError);
		expect(() => forecastWorkload({ ...input, cards: [], days: 1.5 })).toThrow(RangeError);
	});
});
