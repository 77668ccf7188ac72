/**
 * Rebuilding the `cards` cache from the log. Always called inside a read-write transaction that
 * covers `reviews` and `cards`, so what it reads and what it writes are one consistent step:
 * two tabs that each append an answer and rebuild end with the state of the full log.
 */
import { Dexie, type Table } from 'dexie';
import { compareEvents, isUndo, replayLog } from '../scheduler/index.js';
import { applyToSchedules, type CardRef } from './schedule-index.js';
import type { CardRow, DeckScheduleRow, ReviewRow } from './schema.js';

/** Card ids read from the log per round of parallel reads. */
const BATCH = 250;

/** All log rows of one card, in (time, id) order. */
export function cardLog(reviews: Table<ReviewRow, string>, cardId: string): Promise<ReviewRow[]> {
	return reviews
		.where('[cardId+time]')
		.between([cardId, Dexie.minKey], [cardId, Dexie.maxKey], true, true)
		.toArray();
}

/** The newest row of a card's log in (time, id) order, or undefined. */
export function lastLogRow(
	reviews: Table<ReviewRow, string>,
	cardId: string
): Promise<ReviewRow | undefined> {
	return reviews
		.where('[cardId+time]')
		.between([cardId, Dexie.minKey], [cardId, Dexie.maxKey], true, true)
		.last();
}

/**
 * The cache row a card's log implies; null when no answer counts (the card is new again).
 * `deckId` is that of the newest answer; `logHead` the id of the newest log row (undo rows too).
 */
export function cardRowFromLog(cardId: string, log: readonly ReviewRow[]): CardRow | null {
	const result = replayLog(log);
	if (result.answers === 0 || result.firstReview === null) return null;
	const ordered = [...log].sort(compareEvents);
	const newestAnswer = ordered.findLast((row) => !isUndo(row)) as ReviewRow;
	return {
		cardId,
		deckId: newestAnswer.deckId,
		...result.state,
		firstReview: result.firstReview,
		answers: result.answers,
		logHead: ordered[ordered.length - 1].id
	};
}

/** The tables a cache rebuild reads and writes (inside one read-write transaction). */
export interface CacheTables {
	reviews: Table<ReviewRow, string>;
	cards: Table<CardRow, string>;
	deckSchedules: Table<DeckScheduleRow, string>;
}

/**
 * Recomputes (or deletes) the cache rows of `cardIds`, and mirrors them into `deckSchedules`.
 * Returns the rows written.
 *
 * `dense`: the ids are (nearly) all cards that have a log, so a batch of sorted ids is read as one
 * range of the `[cardId+time]` index rather than one read per card. Either way gives the same rows.
 */
export async function rebuildCardsIn(
	tables: CacheTables,
	cardIds: readonly string[],
	dense = false
): Promise<CardRow[]> {
	const { reviews, cards } = tables;
	const ids = dense ? [...cardIds].sort() : cardIds;
	const written: CardRow[] = [];
	for (let i = 0; i < ids.length; i += BATCH) {
		const batch = ids.slice(i, i + BATCH);
		const [logs, previous] = await Promise.all([
			dense ? rangeLogs(reviews, batch) : Promise.all(batch.map((id) => cardLog(reviews, id))),
			cards.bulkGet(batch)
		]);
		const rows: CardRow[] = [];
		const gone: string[] = [];
		const removed: CardRef[] = [];
		batch.forEach((cardId, k) => {
			const row = cardRowFromLog(cardId, logs[k]);
			const before = previous[k];
			if (row) rows.push(row);
			else gone.push(cardId);
			if (before && (!row || before.deckId !== row.deckId)) removed.push(before);
		});
		if (rows.length) await cards.bulkPut(rows);
		if (gone.length) await cards.bulkDelete(gone);
		await applyToSchedules(tables.deckSchedules, rows, removed);
		written.push(...rows);
	}
	return written;
}

/** The logs of sorted `batch`, from one range read (rows of other cards in the range are skipped). */
async function rangeLogs(
	reviews: Table<ReviewRow, string>,
	batch: readonly string[]
): Promise<ReviewRow[][]> {
	const rows = await reviews
		.where('[cardId+time]')
		.between([batch[0], Dexie.minKey], [batch[batch.length - 1], Dexie.maxKey], true, true)
		.toArray();
	const position = new Map(batch.map((id, k) => [id, k]));
	const logs: ReviewRow[][] = batch.map(() => []);
	for (const row of rows) {
		const k = position.get(row.cardId);
		if (k !== undefined) logs[k].push(row);
	}
	return logs;
}
