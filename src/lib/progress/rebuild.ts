/**
 * Rebuilding the `cards` cache from the log. Always called inside a read-write transaction that
 * covers `logs` and `cards`, so what it reads and what it writes are one consistent step:
 * two tabs that each append an answer and rebuild end with the state of the full log.
 */
import type { Table } from 'dexie';
import {
	cardFlags,
	compareEvents,
	DEFAULT_SCHEDULER_PARAMS,
	isRating,
	isUndo,
	replayLog,
	type SchedulerParams
} from '../scheduler/index.js';
import { rowCount, rowsOf, voidedPositions } from './log.js';
import { applyToSchedules, type CardRef } from './schedule-index.js';
import { schedulingOf } from './params-in-force.js';
import type { CardLogRecord, CardRow, ReviewRow, ScheduleRow } from './schema.js';

/** Card logs read per round. */
const BATCH = 250;

/**
 * The cache row a card's log implies; null when no answer counts (the card is new again).
 * `deckId` is that of the newest answer; `logHead` the id of the newest log row (undo and action
 * rows too); `suspended` and `buriedUntil` from the card's action rows (absent when not set).
 */
export function cardRowFromLog(
	cardId: string,
	log: readonly ReviewRow[],
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): CardRow | null {
	const result = replayLog(log, params);
	if (result.answers === 0 || result.firstReview === null) return null;
	const ordered = [...log].sort(compareEvents);
	const newestAnswer = ordered.findLast((row) => !isUndo(row) && isRating(row.rating)) as ReviewRow;
	return {
		cardId,
		deckId: newestAnswer.deckId,
		...result.state,
		...cardFlags(log),
		firstReview: result.firstReview,
		answers: result.answers,
		logHead: ordered[ordered.length - 1].id,
		logRows: log.length
	};
}

/**
 * Whether a card's cache row no longer matches its log: built from a different number of rows
 * (`logRows`; rows written before it existed lack it), or missing while some answer counts.
 */
export function isStaleCache(
	card: CardRow | undefined,
	record: CardLogRecord | undefined
): boolean {
	if (!record) return card !== undefined;
	if (card) return card.logRows !== rowCount(record);
	// with actions (a reset), counting rows is not enough: replay
	if (record.actionAt?.length) return cardRowFromLog(record.cardId, rowsOf(record)) !== null;
	return rowCount(record) - record.undoAt.length - voidedPositions(record).length > 0;
}

/** The tables a cache rebuild reads and writes (inside one read-write transaction). */
export interface CacheTables {
	logs: Table<CardLogRecord, string>;
	cards: Table<CardRow, string>;
	schedules: Table<ScheduleRow, [string, number]>;
}

/** Recomputes (or deletes) the cache rows of `cardIds` from their logs. Returns the rows written. */
export async function rebuildCardsIn(
	tables: CacheTables,
	cardIds: readonly string[]
): Promise<CardRow[]> {
	const written: CardRow[] = [];
	for (let i = 0; i < cardIds.length; i += BATCH) {
		const batch = cardIds.slice(i, i + BATCH);
		const records = await tables.logs.bulkGet([...batch]);
		const logs = batch.map((cardId, k) => {
			const record = records[k];
			return { cardId, rows: record ? rowsOf(record) : [] };
		});
		written.push(...(await writeCaches(tables, logs)));
	}
	return written;
}

/**
 * Writes (or deletes) the cache rows that these card logs imply (with the parameters in force for
 * `tables`, see scheduling.ts), and mirrors them into `schedules`. Returns the rows written.
 */
export async function writeCaches(
	tables: Pick<CacheTables, 'cards' | 'schedules'>,
	logs: readonly { cardId: string; rows: readonly ReviewRow[] }[]
): Promise<CardRow[]> {
	const params = schedulingOf(tables);
	const previous = await tables.cards.bulkGet(logs.map((log) => log.cardId));
	const rows: CardRow[] = [];
	const gone: string[] = [];
	const removed: CardRef[] = [];
	logs.forEach(({ cardId, rows: log }, k) => {
		const row = cardRowFromLog(cardId, log, params);
		const before = previous[k];
		if (row) rows.push(row);
		else gone.push(cardId);
		if (before && (!row || before.deckId !== row.deckId)) removed.push(before);
	});
	if (rows.length) await tables.cards.bulkPut(rows);
	if (gone.length) await tables.cards.bulkDelete(gone);
	await applyToSchedules(tables.schedules, rows, removed);
	return rows;
}
