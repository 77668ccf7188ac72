import { describe, expect, it } from 'vitest';
import {
	applyImport,
	checkDatabase,
	checkFoundNothing,
	exportBackupBlob,
	getCardLog,
	getCardsByIds,
	loadQueue,
	pendingJobs,
	readAllReviews,
	readSchedules,
	recordReview,
	runPendingRepair,
	undoReview,
	type ProgressDb
} from '../../../src/lib/progress/index.js';
import { cardRowFromLog } from '../../../src/lib/progress/rebuild.js';
import { syntheticBackup } from '../../fixtures/progress/synthetic.js';
import { DAY, freshDb, HOUR, schedulesMirrorCards, storeRawReviews } from './helpers.js';

const t0 = Date.UTC(2026, 2, 2, 9);
const MIN = 60_000;

async function study(db: ProgressDb, cards = 6) {
	for (let i = 0; i < cards; i++) {
		const cardId = `0${i % 3}-deck/q-${i}`;
		const deckId = `0${i % 3}-deck`;
		await recordReview(db, { cardId, deckId, time: t0 + i * MIN, rating: 3 });
		await recordReview(db, {
			cardId,
			deckId,
			time: t0 + DAY + i * MIN,
			rating: ((i % 4) + 1) as 1
		});
	}
	const last = await recordReview(db, {
		cardId: '00-deck/q-0',
		deckId: '00-deck',
		time: t0 + 2 * DAY,
		rating: 1
	});
	await undoReview(db, last.review, t0 + 2 * DAY + MIN);
}

/** Everything derived, as plain data to compare. */
async function derived(db: ProgressDb) {
	const byKey = <T>(rows: T[], key: (row: T) => string) =>
		[...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
	return {
		cards: byKey(await db.cards.toArray(), (c) => c.cardId),
		schedules: byKey(await readSchedules(db), (e) => e.cardId),
		recent: byKey(await db.recent.toArray(), (r) => r.id)
	};
}

describe('Check database', () => {
	it('finds nothing to repair in a healthy database, and changes nothing', async () => {
		const db = await freshDb();
		await study(db);
		const before = await derived(db);
		const report = await checkDatabase(db, { now: t0 + 3 * DAY });
		expect(checkFoundNothing(report)).toBe(true);
		expect(report.logs).toBe(6);
		expect(report.rows).toBe(14);
		expect(await derived(db)).toEqual(before);
	});

	it('rebuilds damaged card caches, schedules and recent rows from the log, and is idempotent', async () => {
		const db = await freshDb();
		await study(db);
		const healthy = await derived(db);
		// damage every derived store
		await db.cards.update('01-deck/q-1', { due: 0, logRows: 99 });
		await db.cards.delete('02-deck/q-2');
		await db.cards.put({ ...healthy.cards[0], cardId: '09-gone/q-x', deckId: '09-gone' });
		const [first] = await db.schedules.toArray();
		await db.schedules.put({ ...first, due: first.due.map(() => 1) });
		await db.recent.clear();
		const progress: number[] = [];
		const report = await checkDatabase(db, {
			now: t0 + 3 * DAY,
			onProgress: (done) => progress.push(done)
		});
		expect(report).toMatchObject({
			cachesRebuilt: 1,
			cachesAdded: 1,
			cachesRemoved: 1,
			recentRemoved: 0,
			clockRepaired: 0
		});
		expect(report.schedulesRewritten).toBeGreaterThan(0);
		expect(report.recentAdded).toBe(healthy.recent.length);
		expect(progress.at(-1)).toBe(6);
		expect(await derived(db)).toEqual(healthy);
		expect(await schedulesMirrorCards(db)).toBe(true);
		// idempotent
		expect(checkFoundNothing(await checkDatabase(db, { now: t0 + 3 * DAY }))).toBe(true);
	});

	it('a stale card cache (its log has more rows than it was built from) is rebuilt before an answer extends it', async () => {
		const db = await freshDb();
		const cardId = '00-deck/q-0';
		await recordReview(db, { cardId, deckId: '00-deck', time: t0, rating: 3 });
		// another device's answer arrives in the log, the cache is not rebuilt (an interrupted import)
		const [row] = await getCardLog(db, cardId);
		await storeRawReviews(db, [{ ...row, id: 'other-device', time: t0 + HOUR, rating: 1 }]);
		const next = await recordReview(db, {
			cardId,
			deckId: '00-deck',
			time: t0 + 2 * HOUR,
			rating: 3
		});
		expect(next.card).toEqual(cardRowFromLog(cardId, await getCardLog(db, cardId)));
		expect(next.card.answers).toBe(3);
		expect(next.card.logRows).toBe(3);
	});

	it('a stale card cache is rebuilt before it is shown (getCardsByIds)', async () => {
		const db = await freshDb();
		const cardId = '00-deck/q-0';
		await recordReview(db, { cardId, deckId: '00-deck', time: t0, rating: 3 });
		const [row] = await getCardLog(db, cardId);
		await storeRawReviews(db, [{ ...row, id: 'other-device', time: t0 + HOUR, rating: 1 }]);
		const [card, never] = await getCardsByIds(db, [cardId, 'never/studied']);
		expect(card).toEqual(cardRowFromLog(cardId, await getCardLog(db, cardId)));
		expect(card?.answers).toBe(2);
		expect(never).toBeUndefined();
		expect(await schedulesMirrorCards(db)).toBe(true);
	});
});

describe('an interrupted import', () => {
	const options = { reviews: 30_000, cards: 400, decks: 4, end: t0, days: 60, seed: 7 };

	it('is repaired at the next start (same schedules as a full rebuild), and importing the file again completes it', async () => {
		// listed in time order: the caches are rebuilt after all the log batches (card by card they
		// are rebuilt with each batch: see the next test)
		const file = syntheticBackup(options, t0, 'time');
		const whole = await freshDb();
		await applyImport(whole, syntheticBackup(options, t0));

		const db = await freshDb();
		// the tab dies after the first batch of log records is written (the first progress report
		// past it comes right after that batch's transaction commits)
		const error = await applyImport(db, file, {
			onProgress: (phase, done) => {
				if (phase === 'writing' && done >= 20_000) throw new Error('tab closed');
			}
		}).catch((e: unknown) => e);
		expect((error as Error).message).toBe('tab closed');
		const landed = await readAllReviews(db);
		expect(landed.length).toBeGreaterThan(0);
		expect(landed.length).toBeLessThan(30_000);
		expect(await db.cards.count()).toBe(0); // nothing rebuilt: the caches are stale
		expect(await pendingJobs(db)).toHaveLength(1);

		// next start: the marker says the import did not finish
		const report = await runPendingRepair(db, { now: t0 });
		expect(report?.cachesAdded).toBeGreaterThan(0);
		expect(await pendingJobs(db)).toHaveLength(0);
		expect(await runPendingRepair(db, { now: t0 })).toBeNull();
		const repaired = await freshDb();
		await storeRawReviews(repaired, landed);
		await checkDatabase(repaired, { now: t0 });
		expect(await derived(db)).toEqual(await derived(repaired));

		// importing the same file again finishes it: the same schedules as an uninterrupted import
		await applyImport(db, file);
		expect(await derived(db)).toEqual(await derived(whole));
		const contentCardIds = (await whole.cards.toCollection().primaryKeys()) as string[];
		expect(await loadQueue(db, { contentCardIds, now: t0 + DAY })).toEqual(
			await loadQueue(whole, { contentCardIds, now: t0 + DAY })
		);
	}, 120_000);

	it('listed card by card, stopped after a batch: every cache written matches its log, and the marker still repairs', async () => {
		const file = syntheticBackup(options, t0);
		const whole = await freshDb();
		await applyImport(whole, file);
		const db = await freshDb();
		const error = await applyImport(db, file, {
			onProgress: (phase, done) => {
				if (phase === 'writing' && done >= 20_000) throw new Error('tab closed');
			}
		}).catch((e: unknown) => e);
		expect((error as Error).message).toBe('tab closed');
		const landed = await readAllReviews(db);
		expect(landed.length).toBeGreaterThan(0);
		expect(landed.length).toBeLessThan(30_000);
		// the caches of the cards written so far were rebuilt in the same transactions as their logs
		const cards = await db.cards.toArray();
		expect(cards.length).toBeGreaterThan(0);
		expect(cards.length).toBe(new Set(landed.map((row) => row.cardId)).size);
		for (const card of cards) {
			expect(card).toEqual(cardRowFromLog(card.cardId, await getCardLog(db, card.cardId)));
		}
		expect(await schedulesMirrorCards(db)).toBe(true);
		expect(await pendingJobs(db)).toHaveLength(1);
		const report = await runPendingRepair(db, { now: t0 });
		// only `recent`, written after the log batches, had to be filled in
		expect(report).toMatchObject({
			cachesAdded: 0,
			cachesRebuilt: 0,
			cachesRemoved: 0,
			schedulesRewritten: 0
		});
		expect(report?.recentAdded).toBeGreaterThan(0);
		expect(await pendingJobs(db)).toHaveLength(0);
		await applyImport(db, file);
		expect(await derived(db)).toEqual(await derived(whole));
	}, 120_000);

	it('importing the same file again after the caches were lost repairs them (the Import button is not stuck on "nothing new")', async () => {
		const source = await freshDb();
		await study(source);
		const file = await exportBackupBlob(source, { now: t0 + 3 * DAY });
		const db = await freshDb();
		await applyImport(db, file);
		const healthy = await derived(db);
		// stopped after the log batches: caches gone
		await db.cards.clear();
		await db.schedules.clear();
		const { previewImport } = await import('../../../src/lib/progress/index.js');
		const preview = await previewImport(db, file);
		expect(preview.reviews.new).toBe(0);
		expect(preview.cardsToRepair).toBe(6);
		const result = await applyImport(db, preview);
		expect(result.cardsRebuilt).toBe(6);
		expect(await derived(db)).toEqual(healthy);
		expect((await previewImport(db, file)).cardsToRepair).toBe(0);
	});
});

describe('the clock', () => {
	it('an answer stamped more than a day before the newest logged one is refused unless the learner confirms', async () => {
		const db = await freshDb();
		await recordReview(db, { cardId: 'a/q', deckId: 'a', time: t0 + 5 * DAY, rating: 3 });
		const early = { cardId: 'a/q2', deckId: 'a', time: t0, rating: 3 as const };
		await expect(recordReview(db, early)).rejects.toMatchObject({ kind: 'clock' });
		expect(await readAllReviews(db)).toHaveLength(1);
		await recordReview(db, early, { clockConfirmed: true });
		expect(await readAllReviews(db)).toHaveLength(2);
		// within a day: time zones and drift, not a wrong clock
		await recordReview(db, { ...early, time: t0 + 4.5 * DAY });
	});

	it('an answer stamped before 2020 is never recorded, even confirmed', async () => {
		const db = await freshDb();
		const input = { cardId: 'a/q', deckId: 'a', time: Date.UTC(2019, 11, 30), rating: 3 as const };
		await expect(recordReview(db, input, { clockConfirmed: true })).rejects.toMatchObject({
			kind: 'clock'
		});
		expect(await readAllReviews(db)).toHaveLength(0);
	});

	it('a card scheduled by a clock years ahead is repaired by Check database (voided and answered again at the check time)', async () => {
		const db = await freshDb();
		const cardId = '00-deck/q-0';
		await recordReview(db, { cardId, deckId: '00-deck', time: t0, rating: 3 });
		const future = t0 + 3 * 365 * DAY; // the clock was set three years ahead
		await recordReview(db, { cardId, deckId: '00-deck', time: future, rating: 4 });
		expect((await db.cards.get(cardId))!.due).toBeGreaterThan(future);
		const now = t0 + HOUR;
		// found, but left alone until the learner says the clock is right now
		const found = await checkDatabase(db, { now });
		expect(found).toMatchObject({ clockSuspect: 1, clockRepaired: 0, latestSuspect: future });
		expect((await db.cards.get(cardId))!.due).toBeGreaterThan(future);
		const report = await checkDatabase(db, { now, repairClock: true });
		expect(report.clockRepaired).toBe(1);
		const card = (await db.cards.get(cardId))!;
		expect(card.lastReview).toBeLessThan(now);
		expect(card.due).toBeLessThan(now + 30 * DAY);
		const log = await getCardLog(db, cardId);
		expect(log).toHaveLength(4); // nothing erased: the future answer, its undo, its copy
		expect(log.filter((r) => r.time > now)).toHaveLength(1);
		// today's rows are today's, not the future's
		expect((await db.recent.toArray()).every((r) => r.time <= now)).toBe(true);
		expect(checkFoundNothing(await checkDatabase(db, { now, repairClock: true }))).toBe(true);
	});
});
