/**
 * Check database (Anki's name for it): rebuilds every derived store from the append-only log and
 * reports what it changed. Idempotent: a second run changes nothing. The log itself is only ever
 * added to: answers stamped by a wrong clock are voided by an undo row and added again at the
 * check's time (see `clockRepairs`), never edited.
 *
 * Derived stores: `cards` (each card's replayed state), `schedules` (the same, packed per deck) and
 * `recent` (the newest two days of rows). The log is read a page of cards at a time, each page in
 * one read-write transaction with the caches it rewrites, so an answer given meanwhile in another
 * tab is never lost or overwritten by an older replay.
 */
import { isRating, isUndo } from '../scheduler/index.js';
import { guard, ProgressError } from './errors.js';
import { newId } from './ids.js';
import { logRecord, mergeRows, rowsOf } from './log.js';
import { CLOCK_TOLERANCE_MS, isImplausibleTime } from './clock.js';
import { RECENT_WINDOW_MS, recentRow } from './recent.js';
import { cardRowFromLog, writeCaches } from './rebuild.js';
import { schedulingOf } from './params-in-force.js';
import { entriesOf, packSchedules, scheduleKey } from './schedule-index.js';
import {
	undoRow,
	type CardRow,
	type ProgressDb,
	type RecentRow,
	type ReviewRow,
	type ScheduleRow
} from './schema.js';

/** Card logs checked per transaction. */
const PAGE = 200;

export interface CheckOptions {
	now: number;
	/** Called after each page of card logs: `done` of `total` logs checked. */
	onProgress?: (done: number, total: number) => void;
	/** Stops between pages (what was checked so far stays repaired). */
	signal?: AbortSignal;
	/**
	 * Re-date answers stamped before 2020 or more than a day after `now` (see `clockRepairs`). Only
	 * when the learner confirmed that the clock is right now: with a clock that is behind now, the
	 * real answers would look like the future ones. Without it they are counted in `clockSuspect`.
	 */
	repairClock?: boolean;
}

export interface CheckReport {
	/** Card logs read. */
	logs: number;
	/** Log rows in them. */
	rows: number;
	/** Cache rows written for cards that had none. */
	cachesAdded: number;
	/** Cache rows that disagreed with their log's replay, rewritten. */
	cachesRebuilt: number;
	/** Cache rows with no answer behind them (no log, or every answer undone), removed. */
	cachesRemoved: number;
	/** `schedules` records rewritten because they disagreed with `cards`. */
	schedulesRewritten: number;
	recentAdded: number;
	recentRemoved: number;
	/** Answers stamped before 2020 or more than a day after the check, added again at its time. */
	clockRepaired: number;
	/** Such answers found but left as they are (`repairClock` not set). */
	clockSuspect: number;
	/** The latest time among them (null when none): what the learner compares with the clock. */
	latestSuspect: number | null;
}

/** True when the check found nothing to repair. */
export const checkFoundNothing = (r: CheckReport): boolean =>
	r.cachesAdded + r.cachesRebuilt + r.cachesRemoved + r.schedulesRewritten === 0 &&
	r.recentAdded + r.recentRemoved + r.clockRepaired + r.clockSuspect === 0;

/** Rebuilds `cards`, `schedules` and `recent` from the log; see the module comment. */
export async function checkDatabase(db: ProgressDb, options: CheckOptions): Promise<CheckReport> {
	const report: CheckReport = {
		logs: 0,
		rows: 0,
		cachesAdded: 0,
		cachesRebuilt: 0,
		cachesRemoved: 0,
		schedulesRewritten: 0,
		recentAdded: 0,
		recentRemoved: 0,
		clockRepaired: 0,
		clockSuspect: 0,
		latestSuspect: null
	};
	const total = await guard(() => db.logs.count());
	let last: string | null = null;
	for (;;) {
		if (options.signal?.aborted) throw new ProgressError('aborted');
		const after = last;
		const count = await guard(() =>
			db.transaction('rw', [db.logs, db.cards, db.schedules], async () => {
				const records =
					after === null
						? await db.logs.orderBy(':id').limit(PAGE).toArray()
						: await db.logs.where(':id').above(after).limit(PAGE).toArray();
				const logs: { cardId: string; rows: ReviewRow[] }[] = [];
				for (const record of records) {
					let rows = rowsOf(record);
					const repairs = clockRepairs(rows, options.now);
					if (repairs.length && !options.repairClock) {
						report.clockSuspect += repairs.length / 2;
						for (const row of rows) {
							if (row.time > options.now + CLOCK_TOLERANCE_MS)
								report.latestSuspect = Math.max(report.latestSuspect ?? row.time, row.time);
						}
					} else if (repairs.length) {
						rows = mergeRows(rows, repairs).rows;
						await db.logs.put(logRecord(record.cardId, rows));
						report.clockRepaired += repairs.length / 2;
					}
					report.rows += rows.length;
					logs.push({ cardId: record.cardId, rows });
				}
				await repairCaches(db, logs, report);
				last = records.at(-1)?.cardId ?? last;
				return records.length;
			})
		);
		report.logs += count;
		options.onProgress?.(report.logs, Math.max(total, report.logs));
		if (count < PAGE) break;
	}
	await guard(() => removeCachesWithoutLog(db, report));
	await guard(() => repairSchedules(db, report));
	const ceiling = options.repairClock ? options.now + CLOCK_TOLERANCE_MS : Infinity;
	await guard(() => repairRecent(db, ceiling, report));
	return report;
}

/**
 * For each answer stamped before 2020 or more than a day after `now` (a wrong clock) that no undo
 * voids yet: an undo row voiding it and a copy with a new id stamped just before `now` (the copies
 * keep the answers' order). The answer's true time is unknown; the check's time is the best
 * plausible one, and the card is scheduled from there.
 */
export function clockRepairs(rows: readonly ReviewRow[], now: number): ReviewRow[] {
	const voided = new Set(rows.flatMap((row) => (row.undoes === null ? [] : [row.undoes])));
	const wrong = rows.filter(
		(row) =>
			!isUndo(row) &&
			isRating(row.rating) &&
			!voided.has(row.id) &&
			isImplausibleTime(row.time, now)
	);
	return wrong.flatMap((row, i) => {
		const time = now - (wrong.length - i);
		return [undoRow(row, newId(), time), { ...row, id: newId(), time }];
	});
}

/** Rewrites the cache rows of these logs that differ from their replay (in the caller's transaction). */
async function repairCaches(
	db: ProgressDb,
	logs: readonly { cardId: string; rows: ReviewRow[] }[],
	report: CheckReport
): Promise<void> {
	const params = schedulingOf(db);
	const cached = await db.cards.bulkGet(logs.map((log) => log.cardId));
	const stale = logs.filter((log, k) => {
		const want = cardRowFromLog(log.cardId, log.rows, params);
		const have = cached[k];
		if (!want && !have) return false;
		if (!want) report.cachesRemoved++;
		else if (!have) report.cachesAdded++;
		else if (sameRow(have, want)) return false;
		else report.cachesRebuilt++;
		return true;
	});
	if (stale.length) await writeCaches(db, stale);
}

/** Removes cache rows of cards that have no log at all (in a transaction of its own). */
async function removeCachesWithoutLog(db: ProgressDb, report: CheckReport): Promise<void> {
	await db.transaction('rw', [db.logs, db.cards, db.schedules], async () => {
		const [cardIds, logIds] = await Promise.all([
			db.cards.toCollection().primaryKeys(),
			db.logs.toCollection().primaryKeys()
		]);
		const logged = new Set(logIds);
		const orphans = cardIds.filter((id) => !logged.has(id));
		if (orphans.length === 0) return;
		report.cachesRemoved += orphans.length;
		await writeCaches(
			db,
			orphans.map((cardId) => ({ cardId, rows: [] }))
		);
	});
}

/** Rewrites the `schedules` records that disagree with the `cards` rows. */
async function repairSchedules(db: ProgressDb, report: CheckReport): Promise<void> {
	await db.transaction('rw', [db.cards, db.schedules], async () => {
		const [cards, stored] = await Promise.all([db.cards.toArray(), db.schedules.toArray()]);
		const groups = new Map<string, { key: [string, number]; cards: CardRow[] }>();
		for (const card of cards) {
			const key = scheduleKey(card);
			const text = JSON.stringify(key);
			const group = groups.get(text);
			if (group) group.cards.push(card);
			else groups.set(text, { key, cards: [card] });
		}
		const wanted = new Map(
			[...groups].map(([text, g]) => [text, packSchedules(g.key, sortById(g.cards))])
		);
		const gone: [string, number][] = [];
		for (const row of stored) {
			const text = JSON.stringify([row.deckId, row.bucket]);
			const want = wanted.get(text);
			if (!want) gone.push([row.deckId, row.bucket]);
			else if (sameSchedule(row, want)) wanted.delete(text);
		}
		report.schedulesRewritten += gone.length + wanted.size;
		if (gone.length) await db.schedules.bulkDelete(gone);
		if (wanted.size) await db.schedules.bulkPut([...wanted.values()]);
	});
}

/**
 * Rebuilds `recent`: every row within the window before the newest row up to `ceiling` (when the
 * clock is repaired, rows stamped more than a day after now are a wrong clock's and would push the
 * window into the future).
 */
async function repairRecent(db: ProgressDb, ceiling: number, report: CheckReport): Promise<void> {
	await db.transaction('rw', [db.logs, db.recent], async () => {
		const plausible = (rows: ReviewRow[]) => rows.filter((row) => row.time <= ceiling);
		const [newestBelow, above] = await Promise.all([
			db.logs.where('lastTime').belowOrEqual(ceiling).last(),
			db.logs.where('lastTime').above(ceiling).toArray()
		]);
		let newest = newestBelow?.lastTime ?? -Infinity;
		for (const record of above) {
			for (const row of plausible(rowsOf(record))) newest = Math.max(newest, row.time);
		}
		const want = new Map<string, RecentRow>();
		if (newest > -Infinity) {
			const floor = newest - RECENT_WINDOW_MS;
			const records = await db.logs.where('lastTime').aboveOrEqual(floor).toArray();
			for (const record of records) {
				for (const row of plausible(rowsOf(record))) {
					if (row.time >= floor) want.set(`${row.cardId}\n${row.id}`, recentRow(row));
				}
			}
		}
		const stored = await db.recent.toArray();
		const extra: [string, string][] = [];
		for (const row of stored) {
			const key = `${row.cardId}\n${row.id}`;
			const wanted = want.get(key);
			if (wanted && sameRecent(row, wanted)) want.delete(key);
			else if (!wanted) extra.push([row.cardId, row.id]);
		}
		report.recentRemoved += extra.length;
		report.recentAdded += want.size;
		if (extra.length) await db.recent.bulkDelete(extra);
		if (want.size) await db.recent.bulkPut([...want.values()]);
	});
}

function sameRow(a: CardRow, b: CardRow): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof CardRow>;
	for (const key of keys) {
		const x = a[key];
		const y = b[key];
		if (!Object.is(x, y)) return false;
	}
	return true;
}

function sameRecent(a: RecentRow, b: RecentRow): boolean {
	return a.time === b.time && a.rating === b.rating && a.undoes === b.undoes;
}

/** The same entries (in any order) with the same fields. */
function sameSchedule(a: ScheduleRow, b: ScheduleRow): boolean {
	if (a.cardIds.length !== b.cardIds.length) return false;
	const fields = (row: ScheduleRow) =>
		new Map(entriesOf(row).map((e) => [e.cardId, JSON.stringify(e)]));
	const x = fields(a);
	for (const [cardId, text] of fields(b)) if (x.get(cardId) !== text) return false;
	return true;
}

const sortById = (cards: CardRow[]) =>
	[...cards].sort((a, b) => (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0));
