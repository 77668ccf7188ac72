import { describe, expect, it } from 'vitest';
import {
	applyScheduling,
	checkDatabase,
	checkFoundNothing,
	ensureScheduling,
	getCards,
	getSettings,
	loadProgressStats,
	readAllReviews,
	recordReview,
	saveSettings,
	schedulingOf,
	undoReview,
	acceptFsrsParameters,
	revertFsrsParametersToDefaults,
	type ProgressDb
} from '../../../src/lib/progress/index.js';
import { cardRowFromLog } from '../../../src/lib/progress/rebuild.js';
import { normalizeSettings, settingsSchema } from '../../../src/lib/progress/validate.js';
import {
	DEFAULT_SCHEDULER_PARAMS,
	replayLog,
	retrievability
} from '../../../src/lib/scheduler/index.js';
import { DAY, freshDb, schedulesMirrorCards } from './helpers.js';

const t0 = Date.UTC(2026, 2, 2, 9);
const MIN = 60_000;

/** Six cards, each answered Good on three days (so they reach the review state). */
async function study(db: ProgressDb): Promise<void> {
	for (let day = 0; day < 3; day++) {
		for (let i = 0; i < 6; i++) {
			const cardId = `0${i % 2}-deck/q-${i}`;
			await recordReview(db, {
				cardId,
				deckId: `0${i % 2}-deck`,
				time: t0 + day * 4 * DAY + i * MIN,
				rating: 3
			});
		}
	}
}

/** The caches a replay of the whole log gives with `retention`. */
async function replayed(db: ProgressDb, retention: number) {
	const rows = await readAllReviews(db);
	const params = { ...DEFAULT_SCHEDULER_PARAMS, desiredRetention: retention };
	const ids = [...new Set(rows.map((r) => r.cardId))].sort();
	return ids.map((id) => {
		const row = cardRowFromLog(
			id,
			rows.filter((r) => r.cardId === id),
			params
		);
		return { cardId: id, due: row?.due, stability: row?.stability };
	});
}

/** Accepts `weights` as a fit of the log (the metrics are made up: only the weights matter here). */
const acceptWeights = (db: ProgressDb, weights: number[], now: number) =>
	acceptFsrsParameters(
		db,
		{
			weights,
			reviews: 18,
			logLossDefault: 0.5,
			logLossFitted: 0.45,
			rmseDefault: 0.4,
			rmseFitted: 0.38
		},
		now
	);

const dues = async (db: ProgressDb) =>
	(await getCards(db))
		.sort((a, b) => (a.cardId < b.cardId ? -1 : 1))
		.map((c) => ({ cardId: c.cardId, due: c.due, stability: c.stability }));

describe('desired retention', () => {
	it('settings saved before desired retention existed read as 0.90', () => {
		const old = { dailyNewLimit: 5, dailyReviewLimit: 50, dayStartHour: 4, timeZone: 'UTC' };
		expect(settingsSchema.safeParse(old).success).toBe(true);
		expect(normalizeSettings(old).desiredRetention).toBe(0.9);
	});

	it('accepts 0.70-0.97 in steps of 0.01 and rejects anything else', () => {
		const base = { dailyNewLimit: 5, dailyReviewLimit: 50, dayStartHour: 4, timeZone: 'UTC' };
		for (const ok of [0.7, 0.85, 0.97])
			expect(settingsSchema.safeParse({ ...base, desiredRetention: ok }).success).toBe(true);
		for (const bad of [0.69, 0.98, 0.905, Number.NaN, '0.9'])
			expect(settingsSchema.safeParse({ ...base, desiredRetention: bad }).success).toBe(false);
	});

	it('changing the retention reschedules every studied card as a replay with it would', async () => {
		const db = await freshDb();
		await study(db);
		const before = await dues(db);
		await saveSettings(db, { desiredRetention: 0.8 });
		const count = await applyScheduling(db, {
			...DEFAULT_SCHEDULER_PARAMS,
			desiredRetention: 0.8
		});
		expect(count).toBe(6);
		const after = await dues(db);
		expect(after).toEqual(await replayed(db, 0.8));
		// lower retention, longer intervals: every review card moves later; stability is unchanged
		after.forEach((card, k) => {
			expect(card.due).toBeGreaterThan(before[k].due);
			expect(card.stability).toBeCloseTo(before[k].stability, 12);
		});
		expect(await schedulesMirrorCards(db)).toBe(true);
		// Check database agrees with the rescheduled caches (it replays with the same parameters)
		expect(checkFoundNothing(await checkDatabase(db, { now: t0 + 20 * DAY }))).toBe(true);
	});

	it('answers and undos after a change are scheduled with the retention in force', async () => {
		const db = await freshDb();
		await study(db);
		await saveSettings(db, { desiredRetention: 0.95 });
		await ensureScheduling(db);
		expect(schedulingOf(db).desiredRetention).toBe(0.95);
		const answer = await recordReview(db, {
			cardId: '00-deck/q-0',
			deckId: '00-deck',
			time: t0 + 30 * DAY,
			rating: 3
		});
		const log = (await readAllReviews(db)).filter((r) => r.cardId === '00-deck/q-0');
		const expected = replayLog(log, { ...DEFAULT_SCHEDULER_PARAMS, desiredRetention: 0.95 });
		expect(answer.card.due).toBe(expected.state.due);
		await undoReview(db, { cardId: '00-deck/q-0', id: answer.review.id }, t0 + 30 * DAY + MIN);
		expect(await dues(db)).toEqual(await replayed(db, 0.95));
	});

	it('a reschedule that stopped half-way is finished at the next start', async () => {
		const db = await freshDb();
		await study(db);
		await saveSettings(db, { desiredRetention: 0.75 });
		// the tab closed after saving, before (or while) rescheduling: the caches still say 0.90
		const controller = new AbortController();
		controller.abort();
		await expect(
			applyScheduling(
				db,
				{ ...DEFAULT_SCHEDULER_PARAMS, desiredRetention: 0.75 },
				{ signal: controller.signal }
			)
		).rejects.toThrow();
		expect(await dues(db)).not.toEqual(await replayed(db, 0.75));
		// next start: the stored settings are put in force and the caches catch up
		expect(await ensureScheduling(db)).toBe(6);
		expect(await dues(db)).toEqual(await replayed(db, 0.75));
		expect(await ensureScheduling(db)).toBe(0);
		expect((await getSettings(db)).desiredRetention).toBe(0.75);
	});

	it('accepted FSRS weights are put in force from meta and reschedule too', async () => {
		const db = await freshDb();
		await study(db);
		const before = await dues(db);
		const weights = [...(await import('ts-fsrs')).default_w];
		weights[2] = weights[2] * 3; // a much larger initial stability for Good
		await acceptWeights(db, weights, t0 + 20 * DAY);
		expect(await ensureScheduling(db)).toBe(6);
		expect(schedulingOf(db).weights).toEqual(weights);
		const after = await dues(db);
		expect(after).not.toEqual(before);
		// reverting to the defaults reschedules back to exactly where the cards were
		await revertFsrsParametersToDefaults(db);
		expect(await ensureScheduling(db)).toBe(6);
		expect(await dues(db)).toEqual(before);
	});

	it('mastery on /progress follows the decay of the accepted weights, not the defaults', async () => {
		const db = await freshDb();
		await study(db);
		const now = t0 + 30 * DAY;
		const before = await loadProgressStats(db, { now });
		const weights = [...(await import('ts-fsrs')).default_w];
		weights[20] = 0.5; // a steeper forgetting curve than the defaults' 0.1542
		await acceptWeights(db, weights, now);
		await ensureScheduling(db);
		const after = await loadProgressStats(db, { now });
		const cards = await getCards(db);
		for (const deck of after.mastery) {
			const mine = cards.filter((c) => c.deckId === deck.deckId);
			const mean = mine.reduce((sum, c) => sum + retrievability(c, now, weights), 0) / mine.length;
			expect(deck.meanRetrievability).toBeCloseTo(mean, 12);
		}
		// the same cards would read differently with the default curve
		expect(after.mastery[0].meanRetrievability).not.toBeCloseTo(
			before.mastery[0].meanRetrievability,
			3
		);
	});
});
