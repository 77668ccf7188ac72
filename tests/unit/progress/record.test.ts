import { Dexie } from 'dexie';
import { IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import {
	countReviews,
	getCardLog,
	lastUndoableReview,
	loadQueue,
	openProgressDb,
	ProgressError,
	recordReview,
	saveSettings,
	undoReview
} from '../../../src/lib/progress/index.js';
import { cardRowFromLog } from '../../../src/lib/progress/rebuild.js';
import { applyRating, newCardState, PHASE, replay } from '../../../src/lib/scheduler/index.js';
import { DAY, freshDb, freshDeps, HOUR, schedulesMirrorCards, storeRawReviews } from './helpers.js';

const t0 = Date.UTC(2025, 4, 5, 9); // Monday 09:00 UTC
const MIN = 60_000;
const review = (time: number, rating: 1 | 2 | 3 | 4, cardId = '03-softmax/q-sum') => ({
	cardId,
	deckId: '03-softmax',
	time,
	rating,
	durationMs: 4_000
});

describe('recordReview', () => {
	it('appends the answer and caches the card state replayed from the log', async () => {
		const db = await freshDb();
		const first = await recordReview(db, { ...review(t0, 3), rawAnswer: '0.25', seed: 42 });
		expect(first.review).toMatchObject({ rating: 3, rawAnswer: '0.25', seed: 42, undoes: null });
		expect(first.review.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(first.card.state).toBe(PHASE.Learning);
		const second = await recordReview(db, review(t0 + 10 * MIN, 3));
		const expected = applyRating(applyRating(newCardState(), 3, t0), 3, t0 + 10 * MIN);
		expect(second.card).toMatchObject({ ...expected, answers: 2, firstReview: t0 });
		expect(await db.cards.get('03-softmax/q-sum')).toEqual(second.card);
		expect(await countReviews(db)).toBe(2);
	});

	it('stores what the page previewed when nothing changed in between, else the replay of the log', async () => {
		const db = await freshDb();
		const previewed = applyRating(newCardState(), 4, t0);
		expect((await recordReview(db, review(t0, 4))).card).toMatchObject(previewed);
		const stale = applyRating(newCardState(), 4, t0 + DAY); // ignores the answer above
		const { card } = await recordReview(db, review(t0 + DAY, 4));
		expect(card).toMatchObject(applyRating(previewed, 4, t0 + DAY));
		expect(card).not.toMatchObject(stale);
	});

	it('with a shifted clock: answered today, not due tomorrow morning, due when its day comes', async () => {
		const db = await freshDb();
		await saveSettings(db, { timeZone: 'UTC', dayStartHour: 4 });
		const ids = ['03-softmax/q-sum'];
		await recordReview(db, review(t0, 4)); // Easy: graduates at once
		const card = await db.cards.get(ids[0]);
		expect(card?.state).toBe(PHASE.Review);
		const dueDay = Math.floor((card!.due - 4 * HOUR) / DAY);
		const queueAt = async (now: number) =>
			(await loadQueue(db, { contentCardIds: ids, now })).items.map((i) => i.kind);
		expect(await queueAt(t0 + HOUR)).toEqual([]);
		expect(await queueAt(t0 + DAY)).toEqual(card!.due - t0 > 2 * DAY ? [] : ['review']);
		expect(await queueAt(dueDay * DAY + 4 * HOUR)).toEqual(['review']); // start of the due day
		expect(await queueAt(dueDay * DAY + 4 * HOUR - 1)).toEqual([]); // a moment before
	});

	it('rejects a malformed answer with a typed error and writes nothing', async () => {
		const db = await freshDb();
		const bad = { ...review(t0, 3), rating: 5 as 3 };
		await expect(recordReview(db, bad)).rejects.toMatchObject({ kind: 'invalid' });
		await expect(recordReview(db, { ...review(t0, 3), cardId: 'a\u0000b' })).rejects.toBeInstanceOf(
			ProgressError
		);
		expect(await countReviews(db)).toBe(0);
	});

	it('refuses an answer whose (caller-chosen) id an existing undo row already voids', async () => {
		const db = await freshDb();
		const first = await recordReview(db, review(t0, 3));
		await storeRawReviews(db, [
			{ ...first.review, id: 'u', time: t0 + MIN, rating: 0, undoes: 'later' }
		]);
		await expect(
			recordReview(db, { ...review(t0 + 2 * MIN, 3), id: 'later' })
		).rejects.toMatchObject({
			kind: 'invalid'
		});
		expect(await countReviews(db)).toBe(2);
	});

	it('stores answers as plain text without control characters, capped', async () => {
		const db = await freshDb();
		const raw = '<script>alert(1)</script>\u0007\u202e' + 'x'.repeat(5000);
		const { review: row } = await recordReview(db, { ...review(t0, 3), rawAnswer: raw });
		expect(row.rawAnswer.startsWith('<script>alert(1)</script>x')).toBe(true);
		expect(row.rawAnswer).toHaveLength(4000);
	});
});

describe('the cache after each answer equals a full replay of the log', () => {
	it('whether the answer extends the log (applied to the cached state) or not (replayed)', async () => {
		const db = await freshDb();
		const cardId = '03-softmax/q-sum';
		const times = [0, 10, 60 * 24 * 3, 5, 60 * 24 * 9, 60 * 24 * 9, 60 * 24 * 30].map(
			(m) => t0 + m * MIN
		);
		for (const [i, time] of times.entries()) {
			const { review: written, card } = await recordReview(
				db,
				review(time, (((i * 3) % 4) + 1) as 1),
				{ clockConfirmed: true }
			);
			if (i === 2) await undoReview(db, written, time + MIN);
			const log = await getCardLog(db, cardId);
			const expected = cardRowFromLog(cardId, log);
			expect(await db.cards.get(cardId)).toEqual(expected);
			if (i !== 2) expect(card).toEqual(expected);
			expect(await schedulesMirrorCards(db)).toBe(true);
		}
		expect(await countReviews(db)).toBe(times.length + 1);
	});
});

describe('the per-deck schedule records mirror the card cache', () => {
	it('through answers, a card moving decks, undo back to new, and repair when they disagree', async () => {
		const db = await freshDb();
		const a = await recordReview(db, { cardId: 'q1', deckId: 'old-deck', time: t0, rating: 3 });
		await recordReview(db, { cardId: 'q2', deckId: 'old-deck', time: t0, rating: 4 });
		await recordReview(db, { cardId: 'q1', deckId: 'new-deck', time: t0 + MIN, rating: 3 });
		expect(await schedulesMirrorCards(db)).toBe(true);
		const cardsIn = async (deckId: string) =>
			(await db.schedules.toArray()).filter((r) => r.deckId === deckId).flatMap((r) => r.cardIds);
		expect(await cardsIn('old-deck')).toEqual(['q2']);
		expect(await cardsIn('new-deck')).toEqual(['q1']);
		const only = await recordReview(db, { cardId: 'q3', deckId: 'solo', time: t0, rating: 3 });
		await undoReview(db, only.review, t0 + MIN);
		expect(await cardsIn('solo')).toEqual([]);
		expect(await schedulesMirrorCards(db)).toBe(true);
		await undoReview(db, a.review, t0 + 2 * MIN);
		expect(await schedulesMirrorCards(db)).toBe(true);

		await db.schedules.clear(); // e.g. a bug or a manual edit: the readers repair it
		const queue = await loadQueue(db, { contentCardIds: ['q1', 'q2', 'q3'], now: t0 + 30 * DAY });
		expect(queue.items.map((i) => [i.cardId, i.kind])).toEqual([
			['q1', 'review'],
			['q2', 'review'],
			['q3', 'new']
		]);
		expect(await schedulesMirrorCards(db)).toBe(true);
	});
});

describe('one transaction: the log entry and the card state commit together or not at all', () => {
	// failing at the IndexedDB boundary, below Dexie: the usual answer skips Dexie (answer-transaction.ts)
	const failCardsPuts = () =>
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
			this: IDBObjectStore,
			...args: Parameters<IDBObjectStore['put']>
		) {
			if (this.name === 'cards') {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			}
			return putOf.call(this, ...args);
		});
	const putOf = IDBObjectStore.prototype.put;

	it('a failing cards write (quota) leaves no review row and earlier progress intact', async () => {
		const db = await freshDb();
		await recordReview(db, review(t0, 3));
		const put = failCardsPuts();
		const error = await recordReview(db, review(t0 + MIN, 1)).catch((e: unknown) => e);
		put.mockRestore();
		expect(error).toBeInstanceOf(ProgressError);
		expect((error as ProgressError).kind).toBe('quota');
		expect((error as ProgressError).message).toMatch(/Storage is full/);
		expect(await countReviews(db)).toBe(1);
		const log = await getCardLog(db, '03-softmax/q-sum');
		expect(log.map((r) => r.time)).toEqual([t0]);
		expect(await db.recent.count()).toBe(1);
		expect((await db.cards.get('03-softmax/q-sum'))?.answers).toBe(1);
		expect(await schedulesMirrorCards(db)).toBe(true);
		// and the next answer goes through
		await recordReview(db, review(t0 + 2 * MIN, 3));
		expect((await getCardLog(db, '03-softmax/q-sum')).map((r) => r.time)).toEqual([
			t0,
			t0 + 2 * MIN
		]);
	});

	it('a failing cards write on a first answer (the replaying path) leaves nothing', async () => {
		const db = await freshDb();
		const put = failCardsPuts();
		const error = await recordReview(db, review(t0, 3)).catch((e: unknown) => e);
		put.mockRestore();
		expect((error as ProgressError).kind).toBe('quota');
		expect(await countReviews(db)).toBe(0);
		expect(await db.recent.count()).toBe(0);
		expect(await db.cards.count()).toBe(0);
	});

	it('an error raised by IndexedDB itself inside the cards store aborts the review write too', async () => {
		const db = await freshDb();
		// a hook runs inside the IndexedDB request pipeline of the cards store
		db.cards.hook('creating', () => {
			throw new Error('disk error');
		});
		await expect(recordReview(db, review(t0, 3))).rejects.toBeInstanceOf(ProgressError);
		expect(await countReviews(db)).toBe(0);
		expect(await db.cards.count()).toBe(0);
	});
});

describe('two tabs answering at once', () => {
	it('lose nothing, and the cache converges on the replay of the whole log', async () => {
		const deps = freshDeps();
		const tab1 = await openProgressDb({ deps });
		const tab2 = await openProgressDb({ deps });
		const writes = [];
		for (let i = 0; i < 10; i++) {
			const tab = i % 2 ? tab1 : tab2;
			writes.push(recordReview(tab, review(t0 + i * MIN, ((i % 4) + 1) as 1 | 2 | 3 | 4)));
		}
		await Promise.all(writes);
		const log = await getCardLog(tab1, '03-softmax/q-sum');
		expect(log).toHaveLength(10);
		const cached = await tab2.cards.get('03-softmax/q-sum');
		expect(cached).toMatchObject({ ...replay(log), answers: 10 });
	});
});

describe('undo', () => {
	it('appends an undo row; the card is replayed without the undone answer', async () => {
		const db = await freshDb();
		const good = await recordReview(db, review(t0, 3));
		const wrong = await recordReview(db, review(t0 + MIN, 1));
		expect((await lastUndoableReview(db))?.id).toBe(wrong.review.id);
		const { undo, card } = await undoReview(db, wrong.review, t0 + 2 * MIN);
		expect(undo).toMatchObject({ rating: 0, undoes: wrong.review.id, cardId: wrong.review.cardId });
		expect(card).toEqual({ ...good.card, logHead: undo.id, logRows: 3 });
		expect(await countReviews(db)).toBe(3); // append-only: nothing deleted
		expect((await lastUndoableReview(db))?.id).toBe(good.review.id);
	});

	it('undoing the only answer makes the card new again (no cache row)', async () => {
		const db = await freshDb();
		const only = await recordReview(db, review(t0, 3));
		expect((await undoReview(db, only.review, t0 + MIN)).card).toBeNull();
		expect(await db.cards.count()).toBe(0);
		expect(await lastUndoableReview(db)).toBeNull();
	});

	it('refuses to undo twice, to undo an undo, or an unknown id', async () => {
		const db = await freshDb();
		const a = await recordReview(db, review(t0, 3));
		const { undo } = await undoReview(db, a.review, t0 + MIN);
		await expect(undoReview(db, a.review, t0 + 2 * MIN)).rejects.toMatchObject({
			kind: 'invalid'
		});
		await expect(undoReview(db, undo, t0 + 2 * MIN)).rejects.toMatchObject({ kind: 'invalid' });
		await expect(undoReview(db, { cardId: a.review.cardId, id: 'nope' }, t0)).rejects.toMatchObject(
			{ kind: 'not-found' }
		);
		expect(await countReviews(db)).toBe(2);
	});
});

describe('opening', () => {
	it('a database written by a newer schema is refused with a version error', async () => {
		const deps = freshDeps();
		const newer = new Dexie('attentive', deps);
		newer.version(9).stores({ reviews: 'id' });
		await newer.open();
		newer.close();
		await expect(openProgressDb({ deps })).rejects.toMatchObject({ kind: 'version' });
	});
});

describe('opening where the browser cannot list databases', () => {
	it('still refuses a newer schema, after opening', async () => {
		const deps = freshDeps();
		const newer = new Dexie('attentive', deps);
		newer.version(7).stores({ reviews: 'id' });
		await newer.open();
		newer.close();
		const factory = deps.indexedDB;
		const noListing = new Proxy(factory, {
			get(target, prop) {
				if (prop === 'databases') return undefined;
				const value = Reflect.get(target, prop) as unknown;
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		await expect(openProgressDb({ deps: { ...deps, indexedDB: noListing } })).rejects.toMatchObject(
			{ kind: 'version' }
		);
	});
});
