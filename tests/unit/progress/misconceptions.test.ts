import { describe, expect, it } from 'vitest';
import {
	countReviews,
	getCardLog,
	loadMisconceptionCounts,
	ProgressError,
	recordReview,
	undoReview,
	type CardLogRecord,
	type ProgressDb
} from '../../../src/lib/progress/index.js';
import { rebuildCardsIn } from '../../../src/lib/progress/rebuild.js';
import { freshDb } from './helpers.js';

const t0 = Date.UTC(2025, 4, 5, 9);
const MIN = 60_000;

const answer = (
	time: number,
	cardId = 'attn/q-scale',
	misconception?: string,
	rating: 1 | 2 | 3 | 4 = 1
) => ({
	cardId,
	deckId: cardId.split('/')[0],
	time,
	rating,
	correct: false,
	rawAnswer: 'wrong',
	durationMs: 3_000,
	...(misconception !== undefined && { misconception })
});

describe('recordReview with a diagnosed misconception', () => {
	it('stores it on that answer only, whether the answer is appended or the log repacked', async () => {
		const db = await freshDb();
		// first answer of a card: the log is packed from its rows; later ones are appended
		const first = await recordReview(db, answer(t0, 'attn/q-scale', 'no-scaling'));
		const second = await recordReview(db, answer(t0 + MIN, 'attn/q-scale', undefined, 3));
		const third = await recordReview(db, answer(t0 + 2 * MIN, 'attn/q-scale', 'mask-with-zero'));
		expect(first.review.misconception).toBe('no-scaling');
		expect(second.review).not.toHaveProperty('misconception');
		expect(third.review.misconception).toBe('mask-with-zero');
		const log = await getCardLog(db, 'attn/q-scale');
		expect(log.map((r) => r.misconception)).toEqual(['no-scaling', undefined, 'mask-with-zero']);
		expect(log[1]).not.toHaveProperty('misconception');
		const record = (await db.logs.get('attn/q-scale')) as CardLogRecord;
		expect(record.misconceptionAt).toEqual(Uint32Array.of(0, 2));
		expect(record.misconceptions).toEqual(['no-scaling', 'mask-with-zero']);
	});

	it('answers without one leave the record without misconception columns', async () => {
		const db = await freshDb();
		await recordReview(db, answer(t0));
		await recordReview(db, answer(t0 + MIN));
		const record = (await db.logs.get('attn/q-scale')) as CardLogRecord;
		expect(record).not.toHaveProperty('misconceptionAt');
		expect(record).not.toHaveProperty('misconceptions');
	});

	it('the undo row of a diagnosed answer has no misconception', async () => {
		const db = await freshDb();
		const { review } = await recordReview(db, answer(t0, 'attn/q-scale', 'no-scaling'));
		const { undo } = await undoReview(db, review, t0 + MIN);
		expect(undo).not.toHaveProperty('misconception');
		const log = await getCardLog(db, 'attn/q-scale');
		expect(log[1]).not.toHaveProperty('misconception');
	});

	it('accepts an id of 64 characters', async () => {
		const db = await freshDb();
		const id = 'a'.repeat(64);
		expect((await recordReview(db, answer(t0, 'attn/q-scale', id))).review.misconception).toBe(id);
	});

	it.each([
		['empty', ''],
		['65 characters', 'a'.repeat(65)],
		['a control character', 'no-\u0000scaling'],
		['a bidi override', 'no-scaling\u202e'],
		['a number', 42],
		['null', null]
	])(
		'rejects a misconception that is %s with ProgressError(invalid), writing nothing',
		async (_name, bad) => {
			const db = await freshDb();
			const input = { ...answer(t0), misconception: bad as string };
			const error = await recordReview(db, input).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ProgressError);
			expect((error as ProgressError).kind).toBe('invalid');
			expect((error as ProgressError).message).toMatch(/\(misconception: /);
			expect(await countReviews(db)).toBe(0);
		}
	);
});

describe('loadMisconceptionCounts', () => {
	async function seed(db: ProgressDb) {
		// no-scaling: 3 answers on 2 cards; mask-with-zero: 3 on 3 cards, newer; wrong-axis: 1
		await recordReview(db, answer(t0, 'attn/q-a', 'no-scaling'));
		await recordReview(db, answer(t0 + 1 * MIN, 'attn/q-b', 'mask-with-zero'));
		await recordReview(db, answer(t0 + 2 * MIN, 'attn/q-b', 'no-scaling'));
		await recordReview(db, answer(t0 + 3 * MIN, 'attn/q-a', 'no-scaling'));
		await recordReview(db, answer(t0 + 4 * MIN, 'mask/q-c', 'mask-with-zero'));
		await recordReview(db, answer(t0 + 5 * MIN, 'mask/q-d', undefined, 3));
		await recordReview(db, answer(t0 + 6 * MIN, 'mask/q-d', 'mask-with-zero'));
		await recordReview(db, answer(t0 + 7 * MIN, 'soft/q-e', 'wrong-axis'));
	}

	it('counts answers per misconception: most frequent first, ties most recent first; cards distinct, most recent first', async () => {
		const db = await freshDb();
		await seed(db);
		expect(await loadMisconceptionCounts(db)).toEqual([
			{
				id: 'mask-with-zero',
				count: 3,
				lastTime: t0 + 6 * MIN,
				cardIds: ['mask/q-d', 'mask/q-c', 'attn/q-b']
			},
			{ id: 'no-scaling', count: 3, lastTime: t0 + 3 * MIN, cardIds: ['attn/q-a', 'attn/q-b'] },
			{ id: 'wrong-axis', count: 1, lastTime: t0 + 7 * MIN, cardIds: ['soft/q-e'] }
		]);
	});

	it('reads every page of card logs', async () => {
		const db = await freshDb();
		await seed(db);
		const paged = await loadMisconceptionCounts(db, { pageSize: 1 });
		expect(paged).toEqual(await loadMisconceptionCounts(db));
	});

	it('is empty for an empty log or one without misconceptions', async () => {
		const db = await freshDb();
		expect(await loadMisconceptionCounts(db)).toEqual([]);
		await recordReview(db, answer(t0));
		expect(await loadMisconceptionCounts(db)).toEqual([]);
	});

	it("an undone answer's misconception is not counted", async () => {
		const db = await freshDb();
		await recordReview(db, answer(t0, 'attn/q-a', 'no-scaling'));
		const undone = await recordReview(db, answer(t0 + MIN, 'attn/q-b', 'no-scaling'));
		const only = await recordReview(db, answer(t0 + 2 * MIN, 'attn/q-c', 'mask-with-zero'));
		await undoReview(db, undone.review, t0 + 3 * MIN);
		await undoReview(db, only.review, t0 + 4 * MIN);
		expect(await loadMisconceptionCounts(db)).toEqual([
			{ id: 'no-scaling', count: 1, lastTime: t0, cardIds: ['attn/q-a'] }
		]);
	});

	it('since: counts only answers at or after it', async () => {
		const db = await freshDb();
		await seed(db);
		const counts = await loadMisconceptionCounts(db, { since: t0 + 3 * MIN });
		expect(counts).toEqual([
			{ id: 'mask-with-zero', count: 2, lastTime: t0 + 6 * MIN, cardIds: ['mask/q-d', 'mask/q-c'] },
			{ id: 'wrong-axis', count: 1, lastTime: t0 + 7 * MIN, cardIds: ['soft/q-e'] },
			{ id: 'no-scaling', count: 1, lastTime: t0 + 3 * MIN, cardIds: ['attn/q-a'] }
		]);
		expect(await loadMisconceptionCounts(db, { since: t0 + 8 * MIN })).toEqual([]);
	});
});

describe('a log record written before misconceptions were stored', () => {
	/** Exactly what the previous version stored for one card: no misconception columns. */
	const oldRecord = (): CardLogRecord => ({
		cardId: 'attn/q-scale',
		firstTime: t0,
		lastTime: t0 + MIN,
		ids: { text: 'old-1old-2', ends: Uint32Array.of(5, 10) },
		times: Float64Array.of(t0, t0 + MIN),
		ratings: Uint8Array.of(1, 3),
		correct: Int8Array.of(0, 1),
		decks: ['attn'],
		deckOf: Uint16Array.of(0, 0),
		answerText: '0.51',
		answerEnds: Uint32Array.of(3, 4),
		seeds: Float64Array.of(7, Number.NaN),
		durations: Uint32Array.of(4000, 2000),
		undoAt: new Uint32Array(0),
		undoes: []
	});

	it('reads as no misconceptions, and takes an answer with one (appended to the cached state)', async () => {
		const db = await freshDb();
		await db.logs.put(oldRecord());
		await db.transaction('rw', db.logs, db.cards, db.schedules, () =>
			rebuildCardsIn(db, ['attn/q-scale'])
		);
		expect((await getCardLog(db, 'attn/q-scale')).some((r) => 'misconception' in r)).toBe(false);
		expect(await loadMisconceptionCounts(db)).toEqual([]);

		await recordReview(db, answer(t0 + 2 * MIN, 'attn/q-scale', 'no-scaling'));
		const log = await getCardLog(db, 'attn/q-scale');
		expect(log.map((r) => [r.id.slice(0, 3), r.misconception])).toEqual([
			['old', undefined],
			['old', undefined],
			[log[2].id.slice(0, 3), 'no-scaling']
		]);
		expect(await loadMisconceptionCounts(db)).toEqual([
			{ id: 'no-scaling', count: 1, lastTime: t0 + 2 * MIN, cardIds: ['attn/q-scale'] }
		]);
	});

	it('takes an answer with one that sorts before its rows (the log repacked)', async () => {
		const db = await freshDb();
		await db.logs.put(oldRecord());
		await recordReview(db, answer(t0 - MIN, 'attn/q-scale', 'mask-with-zero'));
		const log = await getCardLog(db, 'attn/q-scale');
		expect(log.map((r) => r.misconception)).toEqual(['mask-with-zero', undefined, undefined]);
		expect(log.slice(1).map((r) => r.id)).toEqual(['old-1', 'old-2']);
	});
});
