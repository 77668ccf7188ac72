import { describe, expect, it } from 'vitest';
import {
	applyImport,
	checkDatabase,
	CSV_COLUMNS,
	exportBackupBlob,
	exportReviewsCsvBlob,
	getCardLog,
	loadCardDetails,
	loadQueue,
	previewImport,
	ProgressError,
	readAllReviews,
	recordCardAction,
	recordReview,
	undoReview,
	type ProgressDb
} from '../../../src/lib/progress/index.js';
import { logRecord, rowsOf } from '../../../src/lib/progress/log.js';
import { cardRowFromLog } from '../../../src/lib/progress/rebuild.js';
import type { ReviewRow } from '../../../src/lib/progress/schema.js';
import { checkReviewRow } from '../../../src/lib/progress/validate-rows.js';
import { isLeech, LEECH_LAPSES, PHASE, replayLog } from '../../../src/lib/scheduler/index.js';
import { parseDoc, reviewDoc } from '../../../src/lib/sync/docs.js';
import { DAY, freshDb, HOUR, schedulesMirrorCards } from './helpers.js';

const MIN = 60_000;
/** 09:00 UTC; with the day starting at 04:00 UTC, the next study day starts at t0 + 19 h. */
const t0 = Date.UTC(2025, 4, 5, 9);
const settings = { timeZone: 'UTC', dayStartHour: 4, desiredRetention: 0.9 } as const;
const CARD = 'attn/q-scale';
const CONTENT = [CARD, 'attn/q-other'];

const answer = (time: number, rating: 1 | 2 | 3 | 4 = 3, cardId = CARD) => ({
	cardId,
	deckId: cardId.split('/')[0],
	time,
	rating,
	correct: rating > 1,
	rawAnswer: `typed at ${time}`,
	durationMs: 2_000
});

async function studied(db: ProgressDb, times: number[], rating: 1 | 2 | 3 | 4 = 3) {
	for (const time of times) await recordReview(db, answer(time, rating));
}

async function caches(db: ProgressDb) {
	return {
		cards: await db.cards.orderBy('cardId').toArray(),
		schedules: await db.schedules.toArray(),
		recent: await db.recent.toArray()
	};
}

const queuedIds = async (db: ProgressDb, now: number) =>
	(
		await loadQueue(db, {
			contentCardIds: CONTENT,
			now,
			settings: { ...settings, dailyNewLimit: 0, dailyReviewLimit: 100 }
		})
	).items.map((item) => item.cardId);

describe('card actions', () => {
	it('card actions are log rows and replay to the same state', async () => {
		const db = await freshDb();
		await studied(db, [t0, t0 + 10 * MIN]);
		await recordCardAction(db, CARD, 'suspend', t0 + 20 * MIN, settings);
		await recordCardAction(db, CARD, 'unsuspend', t0 + 21 * MIN, settings);
		await recordCardAction(db, CARD, 'bury', t0 + 22 * MIN, settings);
		await recordReview(db, answer(t0 + 2 * DAY));
		await recordCardAction(db, CARD, 'suspend', t0 + 2 * DAY + MIN, settings);

		const log = await getCardLog(db, CARD);
		expect(log.map((row) => row.action ?? row.rating)).toEqual([
			3,
			3,
			'suspend',
			'unsuspend',
			'bury',
			3,
			'suspend'
		]);
		expect(log.filter((row) => row.action).every((row) => row.rating === 0)).toBe(true);
		expect(log[4].buriedUntil).toBe(t0 + 19 * HOUR);
		const card = await db.cards.get(CARD);
		expect(card?.suspended).toBe(true);
		expect(card?.buriedUntil).toBe(t0 + 19 * HOUR);
		expect(card?.answers).toBe(3);
		expect(card?.logRows).toBe(7);

		// the caches, thrown away and rebuilt from the log, come back identical
		const before = await caches(db);
		await db.cards.clear();
		await db.schedules.clear();
		await db.recent.clear();
		await checkDatabase(db, { now: t0 + 2 * DAY + 2 * MIN });
		expect(await caches(db)).toEqual(before);
		expect(await schedulesMirrorCards(db)).toBe(true);
		// and the packed record gives back the same rows
		expect(rowsOf(logRecord(CARD, log))).toEqual(log);
	});

	it('reset restarts scheduling but keeps history', async () => {
		const db = await freshDb();
		await studied(db, [t0, t0 + 10 * MIN, t0 + DAY, t0 + 5 * DAY]);
		const reset = await recordCardAction(db, CARD, 'reset', t0 + 6 * DAY, settings);
		expect(reset.card).toBeNull();
		expect(await db.cards.get(CARD)).toBeUndefined();
		// new again: offered among the new cards
		const queue = await loadQueue(db, {
			contentCardIds: CONTENT,
			now: t0 + 6 * DAY + MIN,
			settings: { ...settings, dailyNewLimit: 5, dailyReviewLimit: 100 }
		});
		expect(queue.items.find((item) => item.cardId === CARD)?.kind).toBe('new');

		const after = await recordReview(db, answer(t0 + 6 * DAY + 2 * MIN, 3));
		const fresh = replayLog([{ id: 'x', time: t0 + 6 * DAY + 2 * MIN, rating: 3 }]);
		expect(after.card.state).toBe(fresh.state.state);
		expect(after.card.stability).toBe(fresh.state.stability);
		expect(after.card.reps).toBe(1);
		expect(after.card.firstReview).toBe(t0 + 6 * DAY + 2 * MIN);
		const details = await loadCardDetails(db, CARD);
		expect(details.log).toHaveLength(6);
		expect(details.log.filter((row) => row.rating === 3)).toHaveLength(5);
	});

	it('suspended and buried cards are not in the queue; buried ones return the next study day', async () => {
		const db = await freshDb();
		await studied(db, [t0 - 3 * DAY]);
		await recordReview(db, answer(t0 - 3 * DAY, 3, 'attn/q-other'));
		const now = t0 + 20 * DAY;
		expect(await queuedIds(db, now)).toEqual(expect.arrayContaining(CONTENT));

		await recordCardAction(db, CARD, 'suspend', now, settings);
		expect(await queuedIds(db, now + MIN)).toEqual(['attn/q-other']);
		await recordCardAction(db, CARD, 'unsuspend', now + 2 * MIN, settings);
		expect(await queuedIds(db, now + 3 * MIN)).toContain(CARD);

		await recordCardAction(db, 'attn/q-other', 'bury', now + 4 * MIN, settings);
		expect(await queuedIds(db, now + 5 * MIN)).toEqual([CARD]);
		// t0 + 20 d is 09:00: the next study day starts at 04:00 tomorrow
		const nextDay = now + 19 * HOUR;
		expect(await queuedIds(db, nextDay - 1)).toEqual([CARD]);
		expect(await queuedIds(db, nextDay)).toEqual(expect.arrayContaining(CONTENT));
	});

	it('refuses to suspend a card that counts as new, and to undo an action row', async () => {
		const db = await freshDb();
		await expect(recordCardAction(db, CARD, 'suspend', t0, settings)).rejects.toMatchObject({
			kind: 'not-found'
		});
		await studied(db, [t0]);
		const { row } = await recordCardAction(db, CARD, 'reset', t0 + MIN, settings);
		await expect(recordCardAction(db, CARD, 'bury', t0 + 2 * MIN, settings)).rejects.toBeInstanceOf(
			ProgressError
		);
		await expect(undoReview(db, row, t0 + 3 * MIN)).rejects.toMatchObject({ kind: 'invalid' });
	});

	it('leech threshold: 8 lapses flag a card, 7 do not', () => {
		expect(LEECH_LAPSES).toBe(8);
		expect(isLeech({ lapses: 7 })).toBe(false);
		expect(isLeech({ lapses: 8 })).toBe(true);
		// lapses counted by replay: a learned card forgotten 8 times
		const rows: ReviewRow[] = [];
		let time = t0;
		const push = (rating: 1 | 3) => {
			rows.push({
				id: `r${rows.length.toString().padStart(3, '0')}`,
				cardId: CARD,
				deckId: 'attn',
				time,
				rating,
				correct: null,
				rawAnswer: '',
				seed: null,
				durationMs: 0,
				undoes: null
			});
		};
		for (let lapse = 0; lapse < 8; lapse++) {
			for (let k = 0; k < 3; k++) {
				push(3);
				time += 3 * DAY;
			}
			push(1);
			time += DAY;
			const card = cardRowFromLog(CARD, rows);
			expect(card?.state).toBe(PHASE.Relearning);
			expect(isLeech(card ?? { lapses: 0 })).toBe(lapse + 1 >= 8);
		}
	});
});

describe('card action rows leave the app and come back', () => {
	it('backup round-trip keeps action rows', async () => {
		const source = await freshDb();
		await studied(source, [t0, t0 + 10 * MIN]);
		await recordCardAction(source, CARD, 'bury', t0 + 20 * MIN, settings);
		await recordCardAction(source, CARD, 'suspend', t0 + 21 * MIN, settings);
		const text = await (await exportBackupBlob(source, { now: t0 + HOUR })).text();
		expect(text).toContain('"action":"bury"');
		const target = await freshDb();
		const preview = await previewImport(target, text);
		expect(preview.ok).toBe(true);
		expect(preview.reviews.invalid).toBe(0);
		await applyImport(target, preview);
		expect(await readAllReviews(target)).toEqual(await readAllReviews(source));
		expect(await target.cards.get(CARD)).toEqual(await source.cards.get(CARD));
	});

	it('the CSV export names the action and until when a bury lasts', async () => {
		const db = await freshDb();
		await studied(db, [t0]);
		await recordCardAction(db, CARD, 'bury', t0 + MIN, settings);
		const lines = (await (await exportReviewsCsvBlob(db)).text()).trim().split('\r\n');
		expect(CSV_COLUMNS.slice(-2)).toEqual(['action', 'buried_until']);
		expect(lines[2]).toMatch(/"Action",.*"bury","2025-05-06T04:00:00.000Z"$/);
		expect(lines[1]).toMatch(/"",""$/);
	});

	it('sync doc parse accepts an action row and rejects a malformed one', async () => {
		const db = await freshDb();
		await studied(db, [t0]);
		const { row } = await recordCardAction(db, CARD, 'bury', t0 + MIN, settings);
		const doc = reviewDoc(row, 'device-1');
		const parsed = parseDoc(JSON.parse(JSON.stringify(doc)));
		expect(parsed).toEqual({ kind: 'review', row, device: 'device-1' });

		const bad = (changes: Partial<ReviewRow> & Record<string, unknown>) =>
			parseDoc({ ...doc, row: { ...doc.row, ...changes } });
		expect(bad({ action: 'delete' as never })).toMatchObject({
			kind: 'rejected',
			rejected: { reason: expect.stringContaining('row.action') }
		});
		expect(bad({ rating: 3 })).toMatchObject({
			rejected: { reason: expect.stringMatching(/row\.action: an action row has rating 0/) }
		});
		expect(bad({ buriedUntil: undefined })).toMatchObject({
			rejected: { reason: expect.stringMatching(/row\.buriedUntil: a bury row says until when/) }
		});
		expect(bad({ action: 'suspend' })).toMatchObject({
			rejected: { reason: expect.stringMatching(/row\.buriedUntil: only a bury row has one/) }
		});
	});

	it('validation: an action row is cleaned of answer fields; rating 0 without action or undo is refused', () => {
		const base = {
			id: 'a1',
			cardId: CARD,
			deckId: 'attn',
			time: t0,
			rating: 0,
			correct: true,
			rawAnswer: 'stray',
			seed: 3,
			durationMs: 50,
			undoes: null
		};
		expect(checkReviewRow({ ...base, action: 'reset' }, 'r')).toMatchObject({
			action: 'reset',
			correct: null,
			rawAnswer: '',
			seed: null,
			durationMs: 0
		});
		expect(checkReviewRow(base, 'r')).toMatch(/^r\.undoes: an undo row has rating 0/);
		expect(checkReviewRow({ ...base, action: 'reset', undoes: 'x' }, 'r')).toMatch(/^r\.action:/);
	});
});
