/**
 * Stats against a hand-computed history. The learner lives in New York (EST, UTC-5, all of January)
 * and the day starts at 04:00. Every expected number below was worked out by hand from the table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	computeStats,
	loadProgressStats,
	streaks,
	type CardRow,
	type ReviewRow
} from '../../../src/lib/progress/index.js';
import { isoToDay, PHASE } from '../../../src/lib/scheduler/index.js';
import { freshDb, storeRawReviews } from './helpers.js';

const DAY = 86_400_000;
/** New York local time in January (EST = UTC-5) as epoch ms. */
const ny = (day: number, hour: number, minute = 0) => Date.UTC(2025, 0, day, hour + 5, minute);

let n = 0;
function answer(
	local: number,
	cardId: string,
	rating: 1 | 2 | 3 | 4,
	durationMs: number,
	correct: boolean | null = null
): ReviewRow {
	return {
		id: `r${String(++n).padStart(2, '0')}`,
		cardId,
		deckId: cardId === 'C' ? 'softmax' : 'attn',
		time: local,
		rating,
		correct,
		rawAnswer: '',
		seed: null,
		durationMs,
		undoes: null
	};
}

//  #   local time (NY)      learner day  card  rating  correct  duration
const log: ReviewRow[] = [
	answer(ny(6, 9), 'A', 3, 10_000), //  Mon 6 09:00 -> Jan 6, A first answer
	answer(ny(6, 9, 10), 'A', 3, 5_000), //  Mon 6 09:10 -> Jan 6, same day: learning step
	answer(ny(6, 23, 30), 'B', 1, 20_000), //  Mon 6 23:30 (Jan 7 in UTC) -> Jan 6, B first
	answer(ny(7, 2), 'C', 3, 30_000, true), //  Tue 7 02:00, before 04:00 -> Jan 6, C first
	answer(ny(7, 9), 'A', 3, 8_000), //  Tue 7 -> Jan 7, A learned (prev Jan 6): recalled
	answer(ny(7, 9, 5), 'B', 1, 6_000), //  Jan 7, B learned (prev Jan 6): forgotten
	answer(ny(7, 9, 6), 'B', 3, 4_000), //  Jan 7, same day as B's previous: not counted
	//                                          Wed Jan 8: missed
	answer(ny(9, 10), 'C', 2, 12_000, false), //  Thu 9, C learned (prev Jan 6): recalled; wrong
	answer(ny(9, 10, 1), 'A', 4, 4_000), //  Thu 9, A learned (prev Jan 7): recalled
	answer(ny(10, 3, 59), 'A', 3, 6_000), //  Fri 10 03:59 -> Jan 9: same day, not counted
	answer(ny(10, 22), 'B', 3, 9_000), //  Fri 10 22:00 (Jan 11 in UTC) -> Jan 10, learned: recalled
	answer(ny(11, 10), 'C', 3, 11_000, true), //  Sat 11, C learned (prev Jan 9): recalled
	answer(ny(12, 12), 'A', 3, 5_000), //  Sun 12, A learned (prev Jan 9): recalled
	answer(ny(13, 12), 'B', 1, 7_000), //  Mon 13 (new week), B learned (prev Jan 10): forgotten
	answer(ny(13, 12, 1), 'B', 3, 3_000), //  Mon 13, undone below: not counted anywhere
	answer(ny(14, 8), 'C', 3, 15_000, true) //  Tue 14, C learned (prev Jan 11): recalled
];
const undone = log[14];
log.push({
	...undone,
	id: 'u1',
	time: ny(13, 12, 2),
	rating: 0,
	durationMs: 0,
	correct: null,
	undoes: undone.id
});

const now = ny(14, 20); // Tue Jan 14 20:00 -> today is Jan 14
const options = { now, timeZone: 'America/New_York', dayStartHour: 4, calendarDays: 10 };

function card(cardId: string, deckId: string, patch: Partial<CardRow>): CardRow {
	return {
		cardId,
		deckId,
		due: now,
		stability: 1,
		difficulty: 5,
		elapsedDays: 0,
		scheduledDays: 1,
		learningSteps: 0,
		reps: 1,
		lapses: 0,
		state: PHASE.Review,
		lastReview: now,
		firstReview: now - 10 * DAY,
		answers: 1,
		logHead: `${cardId}-head`,
		...patch
	};
}
// R = 0.9 exactly when the time since the last answer equals the stability; R = 1 right after it.
const cards: CardRow[] = [
	card('A', 'attn', { stability: 2, lastReview: now - 2 * DAY, due: ny(13, 10) }), // overdue: today
	card('B', 'attn', { stability: 1, state: PHASE.Relearning, due: ny(16, 9) }), // in 2 days
	card('C', 'softmax', { stability: 5, lastReview: now - 5 * DAY, due: ny(15, 3) }), // 03:00 -> today
	card('D', 'softmax', { stability: 40, lastReview: now, due: ny(14, 12) + 37 * DAY }) // beyond 30 days
];
const week1 = isoToDay('2025-01-06');
const week2 = isoToDay('2025-01-13');

function expectHandComputed(stats: ReturnType<typeof computeStats>) {
	expect(stats.today).toBe(isoToDay('2025-01-14'));
	expect(stats.calendar.firstDay).toBe(isoToDay('2025-01-05'));
	//                               Jan 5  6  7  8  9 10 11 12 13 14
	expect(stats.calendar.answers).toEqual([0, 4, 3, 0, 3, 1, 1, 1, 1, 1]);
	expect(stats.calendar.studyMs).toEqual([
		0, 65_000, 18_000, 0, 22_000, 9_000, 11_000, 5_000, 7_000, 15_000
	]);
	expect(stats.streak).toEqual({ current: 6, longest: 6 });
	expect(stats.retention).toEqual([
		{ weekStart: week1, reviews: 7, recalled: 6, rate: 6 / 7 },
		{ weekStart: week2, reviews: 2, recalled: 1, rate: 1 / 2 }
	]);
	expect(stats.deckAccuracy).toEqual([
		{
			deckId: 'attn',
			weeks: [
				{ weekStart: week1, answers: 10, correct: 8, rate: 0.8 },
				{ weekStart: week2, answers: 1, correct: 0, rate: 0 }
			]
		},
		{
			deckId: 'softmax',
			weeks: [
				{ weekStart: week1, answers: 3, correct: 2, rate: 2 / 3 },
				{ weekStart: week2, answers: 1, correct: 1, rate: 1 }
			]
		}
	]);
	expect(stats.mastery).toHaveLength(2);
	expect(stats.mastery[0]).toMatchObject({ deckId: 'attn', cards: 2, inReview: 1 });
	expect(stats.mastery[0].meanRetrievability).toBeCloseTo((0.9 + 1) / 2, 6);
	expect(stats.mastery[0].meanStabilityDays).toBeCloseTo(1.5, 9);
	expect(stats.mastery[1]).toMatchObject({ deckId: 'softmax', cards: 2, inReview: 2 });
	expect(stats.mastery[1].meanRetrievability).toBeCloseTo((0.9 + 1) / 2, 6);
	expect(stats.mastery[1].meanStabilityDays).toBeCloseTo(22.5, 9);
	const forecast = new Array(30).fill(0);
	forecast[0] = 2;
	forecast[2] = 1;
	expect(stats.forecast).toEqual(forecast);
	expect(stats.totals).toEqual({
		answers: 15,
		undone: 1,
		cardsStudied: 3,
		studyMs: 152_000,
		firstDay: isoToDay('2025-01-06'),
		lastDay: isoToDay('2025-01-14')
	});
}

describe('stats over a hand-computed history', () => {
	it('computeStats gives the hand-computed numbers', () => {
		expectHandComputed(computeStats(log, cards, options));
	});

	it('does not depend on the order of the rows it is given', () => {
		const shuffled = [...log].reverse();
		expectHandComputed(computeStats(shuffled, cards, options));
	});

	it('loadProgressStats reads the same numbers from the database, page by page', async () => {
		const db = await freshDb();
		await storeRawReviews(db, log);
		await db.cards.bulkAdd(cards);
		const settings = {
			dailyNewLimit: 10,
			dailyReviewLimit: 100,
			dayStartHour: 4,
			timeZone: 'America/New_York',
			desiredRetention: 0.9,
			theme: 'system' as const
		};
		expectHandComputed(
			await loadProgressStats(db, { now, settings, calendarDays: 10, pageSize: 3 })
		);
	});

	it('with the day starting at midnight, the 02:00 and 03:59 answers move to the next day', () => {
		const stats = computeStats(log, cards, { ...options, dayStartHour: 0 });
		//                               Jan 5  6  7  8  9 10 11 12 13 14
		expect(stats.calendar.answers).toEqual([0, 3, 4, 0, 2, 2, 1, 1, 1, 1]);
	});

	it('in another zone the same answers regroup (UTC: today is already Jan 15)', () => {
		const stats = computeStats(log, cards, { ...options, timeZone: 'UTC', dayStartHour: 0 });
		expect(stats.today).toBe(isoToDay('2025-01-15'));
		// UTC days: Jan 6: 2 | Jan 7: 5 (23:30 and 02:00 NY included) | Jan 9: 2 | Jan 10: 1 (03:59 NY)
		// | Jan 11: 2 (Friday 22:00 NY) | Jan 12, 13, 14: 1 each | Jan 15: none yet
		expect(stats.calendar.answers).toEqual([2, 5, 0, 2, 1, 2, 1, 1, 1, 0]);
		expect(stats.streak).toEqual({ current: 6, longest: 6 });
	});
});

describe('streaks', () => {
	it('the current streak survives until the day is over, the longest is kept', () => {
		expect(streaks([1, 2, 3, 7, 8], 9)).toEqual({ current: 2, longest: 3 });
		expect(streaks([1, 2, 3, 7, 8], 8)).toEqual({ current: 2, longest: 3 });
		expect(streaks([1, 2, 3, 7, 8], 10)).toEqual({ current: 0, longest: 3 });
		expect(streaks([], 10)).toEqual({ current: 0, longest: 0 });
	});
});

describe('stats from the database equal stats from rows in memory', () => {
	it('for random histories with undo rows and cards that changed deck', async () => {
		const rowArb = fc.record({
			card: fc.integer({ min: 0, max: 5 }),
			deck: fc.constantFrom('01-intro', '02-attn'),
			hours: fc.integer({ min: 0, max: 24 * 40 }),
			rating: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
			correct: fc.constantFrom(null, true, false),
			durationMs: fc.integer({ min: 0, max: 90_000 }),
			undo: fc.boolean()
		});
		await fc.assert(
			fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (steps) => {
				const rows: ReviewRow[] = [];
				steps.forEach((s, i) => {
					const time = Date.UTC(2025, 0, 1) + s.hours * 3_600_000;
					const base = {
						cardId: `q-${s.card}`,
						deckId: s.deck,
						time,
						rating: s.rating,
						correct: s.correct,
						rawAnswer: '',
						seed: null,
						durationMs: s.durationMs,
						undoes: null
					};
					rows.push({ ...base, id: `a${i}` });
					if (s.undo)
						rows.push({ ...base, id: `u${i}`, time: time + 1, rating: 0, undoes: `a${i}` });
				});
				const db = await freshDb();
				await storeRawReviews(db, rows);
				const settings = {
					dailyNewLimit: 10,
					dailyReviewLimit: 100,
					dayStartHour: 4,
					timeZone: 'Europe/Berlin',
					desiredRetention: 0.9,
					theme: 'system' as const
				};
				const now = Date.UTC(2025, 1, 15);
				const fromDb = await loadProgressStats(db, { now, settings, pageSize: 2 });
				const inMemory = computeStats(rows, [], { now, ...settings });
				expect({ ...fromDb, mastery: [], forecast: [] }).toEqual({
					...inMemory,
					mastery: [],
					forecast: []
				});
				db.close();
			}),
			{ numRuns: 30 }
		);
	});
});
