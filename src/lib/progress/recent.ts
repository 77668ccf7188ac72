/**
 * `recent`: a small derived copy of the log's newest rows, so today's queue reads today's answers
 * without reading whole card logs (a heavy day touches thousands of cards; each log holds all of a
 * card's rows). It holds every row no older than `RECENT_WINDOW_MS` before the newest row, which
 * covers any learner day (at most 25 hours, with a daylight-saving change).
 *
 * An answer or undo is written to it in the same transaction as to its card's log; an import adds
 * the file's recent rows once its logs are written (importing the file again completes an
 * interrupted import, as for the card caches). Rows outside the window are dropped; a reader
 * asking for more than the window holds falls back to the logs.
 */
import type { Table } from 'dexie';
import { DAY_MS } from '../scheduler/index.js';
import { rowsOf } from './log.js';
import type { ProgressDb, RecentRow, ReviewRow } from './schema.js';

export const RECENT_WINDOW_MS = 2 * DAY_MS;

export function recentRow(row: ReviewRow): RecentRow {
	return { id: row.id, cardId: row.cardId, time: row.time, rating: row.rating, undoes: row.undoes };
}

/** Time of the newest row `recent` holds, or null when it is empty. */
export async function newestRecent(
	table: Table<RecentRow, [string, string]>
): Promise<number | null> {
	const [newest] = await table.orderBy('time').reverse().limit(1).keys();
	return typeof newest === 'number' ? newest : null;
}

/**
 * Adds log rows to `recent` and drops what falls out of the window. Call inside the read-write
 * transaction that adds them to the logs.
 */
export async function addRecent(
	table: Table<RecentRow, [string, string]>,
	rows: readonly ReviewRow[]
): Promise<void> {
	if (rows.length === 0) return;
	const [stored, oldest] = await Promise.all([
		newestRecent(table),
		table.orderBy('time').limit(1).keys()
	]);
	let newest = stored ?? -Infinity;
	for (const row of rows) if (row.time > newest) newest = row.time;
	const floor = newest - RECENT_WINDOW_MS;
	const kept = rows.filter((row) => row.time >= floor).map(recentRow);
	if (kept.length) await table.bulkPut(kept);
	if (typeof oldest[0] === 'number' && oldest[0] < floor) {
		await table.where('time').below(floor).delete();
	}
}

/**
 * Adds one answer (or undo) given now, the hot path: its time is the newest or close to it, so
 * pruning below its own window is safe (never more than the window allows) and needs no read of
 * the newest row.
 */
export async function addRecentAnswer(
	table: Table<RecentRow, [string, string]>,
	row: ReviewRow
): Promise<void> {
	const floor = row.time - RECENT_WINDOW_MS;
	const [, oldest] = await Promise.all([
		table.put(recentRow(row)),
		table.orderBy('time').limit(1).keys()
	]);
	if (typeof oldest[0] === 'number' && oldest[0] < floor) {
		await table.where('time').below(floor).delete();
	}
}

/** The log rows with `time >= since` (from `recent` when it covers them, else from the logs). */
export async function rowsSince(db: ProgressDb, since: number): Promise<RecentRow[]> {
	return db.transaction('r', db.recent, db.logs, async () => {
		const newest = await newestRecent(db.recent);
		if (newest !== null && since >= newest - RECENT_WINDOW_MS) {
			return db.recent.where('time').aboveOrEqual(since).toArray();
		}
		const touched = await db.logs.where('lastTime').aboveOrEqual(since).toArray();
		return touched.flatMap((record) =>
			rowsOf(record)
				.filter((row) => row.time >= since)
				.map(recentRow)
		);
	});
}

/**
 * Gathers, from rows streamed in any order, those that may fall in the window once the newest row
 * is known (memory stays bounded: older candidates are dropped as newer rows arrive).
 */
export class RecentCandidates {
	private newest = -Infinity;
	private rows: ReviewRow[] = [];

	offer(rows: readonly ReviewRow[]): void {
		for (const row of rows) if (row.time > this.newest) this.newest = row.time;
		const floor = this.newest - RECENT_WINDOW_MS;
		this.rows = this.rows.filter((row) => row.time >= floor);
		for (const row of rows) if (row.time >= floor) this.rows.push(row);
	}

	take(): ReviewRow[] {
		const rows = this.rows;
		this.rows = [];
		return rows;
	}
}
