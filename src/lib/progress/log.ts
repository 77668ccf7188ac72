/**
 * The review log as stored: one `logs` record per card, holding that card's rows in (time, id)
 * order, packed in columns (see schema.ts, v3, for why). Rows are only ever added; a record is
 * rewritten, in the same read-write transaction that read it, to add them.
 */
import type { Table } from 'dexie';
import { compareEvents, type CardAction, type ReviewEvent } from '../scheduler/index.js';
import {
	appendId,
	idAt,
	packIds,
	packStrings,
	positionsOf,
	unpackIds,
	unpackStrings
} from './packed-ids.js';
import type { CardLogRecord, ProgressDb, ReviewRow } from './schema.js';

/** Log records read per page by the readers of the whole log. */
export const LOG_PAGE_SIZE = 500;

/** The record of a card's rows, packed (sorted here; `rows` must be non-empty). */
export function logRecord(cardId: string, rows: readonly ReviewRow[]): CardLogRecord {
	const sorted = isSorted(rows) ? rows : [...rows].sort(compareEvents);
	const n = sorted.length;
	const decks: string[] = [];
	const deckIndex = new Map<string, number>();
	const deckOf = new Uint16Array(n);
	const times = new Float64Array(n);
	const ratings = new Uint8Array(n);
	const correct = new Int8Array(n);
	const seeds = new Float64Array(n);
	const durations = new Uint32Array(n);
	const undoAt: number[] = [];
	const undoes: string[] = [];
	const misconceptionAt: number[] = [];
	const misconceptions: string[] = [];
	const actionAt: number[] = [];
	const actions: CardAction[] = [];
	const actionUntil: number[] = [];
	sorted.forEach((row, i) => {
		let deck = deckIndex.get(row.deckId);
		if (deck === undefined) {
			deck = decks.push(row.deckId) - 1;
			deckIndex.set(row.deckId, deck);
		}
		deckOf[i] = deck;
		times[i] = row.time;
		ratings[i] = row.rating;
		correct[i] = row.correct === null ? -1 : row.correct ? 1 : 0;
		seeds[i] = row.seed ?? Number.NaN;
		durations[i] = row.durationMs;
		if (row.undoes !== null) {
			undoAt.push(i);
			undoes.push(row.undoes);
		}
		if (row.misconception !== undefined) {
			misconceptionAt.push(i);
			misconceptions.push(row.misconception);
		}
		if (row.action !== undefined) {
			actionAt.push(i);
			actions.push(row.action);
			actionUntil.push(row.buriedUntil ?? Number.NaN);
		}
	});
	const answers = packStrings(sorted.map((row) => row.rawAnswer));
	return {
		cardId,
		firstTime: times[0],
		lastTime: times[n - 1],
		ids: packIds(sorted.map((row) => row.id)),
		times,
		ratings,
		correct,
		decks,
		deckOf,
		answerText: answers.text,
		answerEnds: answers.ends,
		seeds,
		durations,
		undoAt: Uint32Array.from(undoAt),
		undoes,
		...(misconceptions.length > 0 && {
			misconceptionAt: Uint32Array.from(misconceptionAt),
			misconceptions
		}),
		...(actions.length > 0 && {
			actionAt: Uint32Array.from(actionAt),
			actions,
			actionUntil: Float64Array.from(actionUntil)
		})
	};
}

/** Number of rows in a record. */
export const rowCount = (record: CardLogRecord): number => record.times.length;

/** The ids of a record's rows, in order. */
export const idsOf = (record: CardLogRecord): string[] => unpackIds(record.ids);

/** The (time, id) of a record's newest row. */
export function lastEvent(record: CardLogRecord): ReviewEvent | undefined {
	const last = rowCount(record) - 1;
	if (last < 0) return undefined;
	const undoes = record.undoAt.at(-1) === last ? (record.undoes.at(-1) ?? null) : null;
	return {
		id: idAt(record.ids, last),
		time: record.times[last],
		rating: record.ratings[last],
		undoes
	};
}

/**
 * The record with `row` added at the end, without unpacking it: `row` must sort after every row the
 * record holds (see `lastEvent`) and be an answer or an undo; the usual case of an answer given now.
 */
export function appendRow(record: CardLogRecord, row: ReviewRow): CardLogRecord {
	let deck = record.decks.indexOf(row.deckId);
	const decks = deck < 0 ? [...record.decks, row.deckId] : record.decks;
	if (deck < 0) deck = decks.length - 1;
	const isUndo = row.undoes !== null;
	const answerText = record.answerText + row.rawAnswer;
	return {
		cardId: record.cardId,
		firstTime: record.firstTime,
		lastTime: row.time,
		ids: appendId(record.ids, row.id),
		times: grow(record.times, row.time),
		ratings: grow(record.ratings, row.rating),
		correct: grow(record.correct, row.correct === null ? -1 : row.correct ? 1 : 0),
		decks,
		deckOf: grow(record.deckOf, deck),
		answerText,
		answerEnds: grow(record.answerEnds, answerText.length),
		seeds: grow(record.seeds, row.seed ?? Number.NaN),
		durations: grow(record.durations, row.durationMs),
		undoAt: isUndo ? grow(record.undoAt, rowCount(record)) : record.undoAt,
		undoes: isUndo ? [...record.undoes, row.undoes as string] : record.undoes,
		...misconceptionColumns(record, row),
		...actionColumns(record)
	};
}

/**
 * The action columns of `record`, carried over: rows appended with `appendRow` are answers (card
 * actions are written by repacking the log, see card-actions.ts).
 */
function actionColumns(
	record: CardLogRecord
): Pick<CardLogRecord, 'actionAt' | 'actions' | 'actionUntil'> {
	const { actionAt, actions, actionUntil } = record;
	return actionAt ? { actionAt, actions, actionUntil } : {};
}

/**
 * The misconception columns of `record` with `row` appended: none when neither has one (a record
 * written before misconceptions were stored lacks them, which reads as none).
 */
function misconceptionColumns(
	record: CardLogRecord,
	row: ReviewRow
): Pick<CardLogRecord, 'misconceptionAt' | 'misconceptions'> {
	const at = record.misconceptionAt ?? new Uint32Array(0);
	const ids = record.misconceptions ?? [];
	if (row.misconception === undefined) {
		return at.length > 0 ? { misconceptionAt: at, misconceptions: ids } : {};
	}
	return {
		misconceptionAt: grow(at, rowCount(record)),
		misconceptions: [...ids, row.misconception]
	};
}

/** The rows of a packed record, oldest first. */
export function rowsOf(record: CardLogRecord): ReviewRow[] {
	const n = rowCount(record);
	const ids = idsOf(record);
	const answers = unpackStrings(record.answerText, record.answerEnds);
	const undoes = new Map<number, string>();
	record.undoAt.forEach((at, k) => undoes.set(at, record.undoes[k]));
	const misconceptions = misconceptionsOf(record);
	const rows: ReviewRow[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const correct = record.correct[i];
		const seed = record.seeds[i];
		rows[i] = {
			id: ids[i],
			cardId: record.cardId,
			deckId: record.decks[record.deckOf[i]],
			time: record.times[i],
			rating: record.ratings[i] as ReviewRow['rating'],
			correct: correct < 0 ? null : correct === 1,
			rawAnswer: answers[i],
			seed: Number.isNaN(seed) ? null : seed,
			durationMs: record.durations[i],
			undoes: undoes.get(i) ?? null
		};
		const misconception = misconceptions?.get(i);
		if (misconception !== undefined) rows[i].misconception = misconception;
	}
	record.actionAt?.forEach((at, k) => {
		const until = record.actionUntil?.[k] ?? Number.NaN;
		rows[at].action = record.actions?.[k];
		if (!Number.isNaN(until)) rows[at].buriedUntil = until;
	});
	return rows;
}

/**
 * The record's diagnosed misconceptions by row position; undefined when it holds none (records
 * written before they were stored have no such columns).
 */
export function misconceptionsOf(record: CardLogRecord): Map<number, string> | undefined {
	const at = record.misconceptionAt;
	const ids = record.misconceptions;
	if (!at || !ids || at.length === 0) return undefined;
	const byPosition = new Map<number, string>();
	at.forEach((position, k) => byPosition.set(position, ids[k]));
	return byPosition;
}

/** Positions of the answers that the record's undo rows void. */
export const voidedPositions = (record: CardLogRecord): number[] =>
	positionsOf(record.ids, record.undoes);

/** A card's rows, oldest first (empty for a card never answered). */
export async function readCardLog(
	logs: Table<CardLogRecord, string>,
	cardId: string
): Promise<ReviewRow[]> {
	const record = await logs.get(cardId);
	return record ? rowsOf(record) : [];
}

/**
 * `existing` with the rows of `added` whose ids it does not hold yet (nor repeated within `added`).
 * Returns the merged rows (in order) and the rows actually added.
 */
export function mergeRows(
	existing: readonly ReviewRow[],
	added: readonly ReviewRow[]
): { rows: ReviewRow[]; added: ReviewRow[] } {
	const ids = new Set(existing.map((row) => row.id));
	const fresh = added.filter((row) => !ids.has(row.id) && (ids.add(row.id), true));
	if (fresh.length === 0) return { rows: [...existing], added: fresh };
	return { rows: [...existing, ...fresh].sort(compareEvents), added: fresh };
}

/**
 * Calls `visit` with each page of log records, in card id order. The next page is requested before
 * `visit` runs, so IndexedDB reads it while `visit` works. Callbacks rather than async generators:
 * Dexie keeps a transaction's zone across `await` in async functions, not across generator
 * resumptions, so this can run inside a transaction.
 */
export async function eachLogPage(
	db: ProgressDb,
	visit: (page: CardLogRecord[]) => void,
	pageSize = LOG_PAGE_SIZE
): Promise<void> {
	const read = (last: string | null): Promise<CardLogRecord[]> =>
		last === null
			? db.logs.orderBy(':id').limit(pageSize).toArray()
			: db.logs.where(':id').above(last).limit(pageSize).toArray();
	let pending = read(null);
	for (;;) {
		const page = await pending;
		if (page.length === 0) return;
		const more = page.length === pageSize;
		if (more) {
			pending = read(page[page.length - 1].cardId);
			// if `visit` throws first, the read started ahead must not go unhandled
			pending.catch(() => undefined);
		}
		visit(page);
		if (!more) return;
	}
}

/** Every log row, grouped by card (card id order, each card's rows oldest first). */
export async function readAllReviews(db: ProgressDb): Promise<ReviewRow[]> {
	const rows: ReviewRow[] = [];
	await eachLogPage(db, (page) => {
		for (const record of page) rows.push(...rowsOf(record));
	});
	return rows;
}

/** Number of log rows (reads the whole log). */
export async function countReviews(db: ProgressDb): Promise<number> {
	let count = 0;
	await eachLogPage(db, (page) => {
		for (const record of page) count += rowCount(record);
	});
	return count;
}

/** Rows grouped by card, cards in order of first appearance, each card's rows in given order. */
export function groupByCard<T extends { cardId: string }>(rows: readonly T[]): Map<string, T[]> {
	const byCard = new Map<string, T[]>();
	for (const row of rows) {
		const log = byCard.get(row.cardId);
		if (log) log.push(row);
		else byCard.set(row.cardId, [row]);
	}
	return byCard;
}

function isSorted(rows: readonly ReviewRow[]): boolean {
	for (let i = 1; i < rows.length; i++) if (compareEvents(rows[i - 1], rows[i]) > 0) return false;
	return true;
}

function grow<T extends Float64Array | Uint8Array | Int8Array | Uint16Array | Uint32Array>(
	column: T,
	value: number
): T {
	const next = new (column.constructor as new (n: number) => T)(column.length + 1);
	next.set(column);
	next[column.length] = value;
	return next;
}
