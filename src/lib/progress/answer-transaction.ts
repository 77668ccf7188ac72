/**
 * The usual answer (a fresh id, given now, to a card whose cache reflects its log) in one
 * read-write transaction of the browser's own IndexedDB API rather than Dexie's: the same reads and
 * writes as `recordReview`'s Dexie path, but each request costs a fraction of what it costs through
 * Dexie's promise zones and middleware, and on an answer those costs are most of the time
 * (measured by `npm run bench:progress`: the answer against a bare put).
 *
 * Same guarantees: the log record, the cache row, `recent` and the `schedules` record are written
 * in one transaction, so all commit or none does; IndexedDB runs overlapping read-write
 * transactions one after the other, so another tab's answer is either wholly before or wholly after.
 * When the card's log is not what the cache reflects (another device's rows, an undo, a changed
 * deck) nothing is written and the caller takes the replaying Dexie path.
 */
import { applyRating, compareEvents, type Rating } from '../scheduler/index.js';
import { schedulingOf } from './params-in-force.js';
import { clockProblem } from './clock.js';
import { ProgressError } from './errors.js';
import { appendRow, lastEvent, rowCount } from './log.js';
import { RECENT_WINDOW_MS, recentRow } from './recent.js';
import { scheduleKey, scheduleWrites } from './schedule-index.js';
import type { CardLogRecord, CardRow, ProgressDb, ReviewRow, ScheduleRow } from './schema.js';

const STORES = ['logs', 'recent', 'cards', 'schedules'];

function ask<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

/** Deletes the `recent` rows older than `floor`, oldest first, through the `time` index. */
function pruneRecent(recent: IDBObjectStore, floor: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const cursor = recent.index('time').openCursor();
		cursor.onerror = () => reject(cursor.error);
		cursor.onsuccess = () => {
			const at = cursor.result;
			if (at && typeof at.key === 'number' && at.key < floor) {
				at.delete();
				at.continue();
			} else resolve();
		};
	});
}

/**
 * Appends `row` (a fresh id) to its card's log and extends the card's cache with it, in one raw
 * transaction. Returns the new cache row, or null when this path does not apply (nothing written):
 * the database is closed, the card has no cache or log yet, the cache does not reflect the log's
 * newest row, the answer sorts before it, or the card changed decks.
 *
 * @throws ProgressError `clock` as `recordReview` does (nothing written); the transaction's
 *   DOMException (quota, abort) when it fails, in which case nothing was written either.
 */
export async function appendAnswerRaw(
	db: ProgressDb,
	row: ReviewRow,
	clockConfirmed: boolean
): Promise<CardRow | null> {
	if (!db.isOpen()) return null;
	const tx = db.backendDB().transaction(STORES, 'readwrite');
	const committed = new Promise<void>((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
	});
	// a rejection seen below, or the abort of a transaction this path gives up: handled there
	committed.catch(() => undefined);
	const logs = tx.objectStore('logs');
	const recent = tx.objectStore('recent');
	const cards = tx.objectStore('cards');
	const schedules = tx.objectStore('schedules');
	const byTime = recent.index('time');
	let next: CardRow;
	try {
		const [cached, record, schedule, newest, oldest] = await Promise.all([
			ask(cards.get(row.cardId) as IDBRequest<CardRow | undefined>),
			ask(logs.get(row.cardId) as IDBRequest<CardLogRecord | undefined>),
			ask(schedules.get(scheduleKey(row)) as IDBRequest<ScheduleRow | undefined>),
			ask(byTime.openKeyCursor(null, 'prev')),
			ask(byTime.openKeyCursor(null, 'next'))
		]);
		const newestTime = typeof newest?.key === 'number' ? newest.key : null;
		const clock = clockProblem(row.time, newestTime);
		if (clock && (clock.kind === 'too-early' || !clockConfirmed)) {
			throw new ProgressError('clock', new Date(row.time).toISOString());
		}
		const head = record ? lastEvent(record) : undefined;
		if (
			!cached ||
			!record ||
			!head ||
			cached.logHead !== head.id ||
			cached.logRows !== rowCount(record) ||
			compareEvents(head, row) >= 0 ||
			cached.deckId !== row.deckId
		) {
			tx.abort();
			return null;
		}
		next = {
			...cached,
			...applyRating(cached, row.rating as Rating, row.time, schedulingOf(db)),
			answers: cached.answers + 1,
			logHead: row.id,
			logRows: (cached.logRows ?? 0) + 1
		};
		logs.put(appendRow(record, row));
		recent.put(recentRow(row));
		cards.put(next);
		const { writes } = scheduleWrites(
			[{ key: scheduleKey(next), put: [next], removed: new Set() }],
			[schedule]
		);
		for (const write of writes) schedules.put(write);
		const floor = row.time - RECENT_WINDOW_MS;
		if (typeof oldest?.key === 'number' && oldest.key < floor) await pruneRecent(recent, floor);
	} catch (error) {
		// a request that failed has aborted the transaction already; anything else aborts it here
		if (!tx.error) {
			try {
				tx.abort();
			} catch {
				// already finished
			}
		}
		throw error;
	}
	await committed;
	return next;
}
