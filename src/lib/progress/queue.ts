/** Today's queue from the database: reads only what `buildQueue` needs. */
import {
	buildQueue,
	countDoneToday,
	DayClock,
	DEFAULT_LEARN_AHEAD_MS,
	type Queue
} from '../scheduler/index.js';
import { guard } from './errors.js';
import { RECENT_WINDOW_MS, rowsSince } from './recent.js';
import { entriesOf, rebuildSchedules, type ScheduleEntry } from './schedule-index.js';
import type { ProgressDb, RecentRow, ScheduleRow, Settings } from './schema.js';
import { getSettings } from './settings.js';

export interface LoadQueueOptions {
	/** Every card id of the content, in teaching order (the new-card candidates). */
	contentCardIds: readonly string[];
	now: number;
	/** Defaults to the stored settings. */
	settings?: Settings;
	/** Only these decks. */
	deckIds?: ReadonlySet<string>;
	learnAheadMs?: number;
}

/**
 * Reads the schedule of every studied card (packed records, see schedule-index.ts) and today's
 * log rows (from the `recent` cache, see recent.ts) for the daily limits, then builds the queue.
 */
export async function loadQueue(db: ProgressDb, options: LoadQueueOptions): Promise<Queue> {
	const settings = options.settings ?? (await getSettings(db));
	const clock = dayClock(settings.timeZone, settings.dayStartHour);
	const { now } = options;
	const learnAheadMs = options.learnAheadMs ?? DEFAULT_LEARN_AHEAD_MS;
	const dayStart = clock.startOf(clock.dayOf(now));

	const { entries, todays } = await guard(() => readQueueInputs(db, dayStart));
	const firstReviews = new Map<string, number>();
	for (const entry of entries) firstReviews.set(entry.cardId, entry.firstReview);
	const done = countDoneToday(todays, (id) => firstReviews.get(id), dayStart);
	// orphan cards (studied, no longer in the course; see orphans.ts) take no slots
	const content = new Set(options.contentCardIds);
	return buildQueue({
		cards: entries.filter((entry) => content.has(entry.cardId)),
		contentCardIds: options.contentCardIds,
		isStudied: (id) => firstReviews.has(id),
		deckIds: options.deckIds,
		now,
		timeZone: settings.timeZone,
		dayStartHour: settings.dayStartHour,
		newLimit: settings.dailyNewLimit,
		reviewLimit: settings.dailyReviewLimit,
		newDoneToday: done.newDoneToday,
		reviewsDoneToday: done.reviewsDoneToday,
		learnAheadMs,
		clock
	});
}

/**
 * Every studied card's schedule entry and the log rows since `since`, read in one transaction with
 * every request issued at once (one round trip): the `schedules` records, the `cards` count they
 * must agree with, and all of `recent` (two days of rows at most: one `getAll` costs less than a
 * range query plus a read of its newest key). The browser's own IndexedDB API reads them while the
 * database is open (Dexie's per-request overhead was most of the queue's time); Dexie otherwise.
 * The rare disagreement, or a `since` beyond `recent`'s window, reads again.
 */
async function readQueueInputs(
	db: ProgressDb,
	since: number
): Promise<{ entries: ScheduleEntry[]; todays: RecentRow[] }> {
	const [rows, cardCount, recent] = db.isOpen()
		? await readRaw(db)
		: await db.transaction('r', [db.schedules, db.cards, db.recent], () =>
				Promise.all([db.schedules.toArray(), db.cards.count(), db.recent.toArray()])
			);
	const entries = rows.flatMap(entriesOf);
	let newest = -Infinity;
	for (const row of recent) if (row.time > newest) newest = row.time;
	const covered = recent.length > 0 && since >= newest - RECENT_WINDOW_MS;
	return {
		entries: entries.length === cardCount ? entries : await rebuildSchedules(db),
		todays: covered ? recent.filter((row) => row.time >= since) : await rowsSince(db, since)
	};
}

function readRaw(db: ProgressDb): Promise<[ScheduleRow[], number, RecentRow[]]> {
	const tx = db.backendDB().transaction(['schedules', 'cards', 'recent'], 'readonly');
	const ask = <T>(request: IDBRequest<T>) =>
		new Promise<T>((resolve, reject) => {
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
	return Promise.all([
		ask(tx.objectStore('schedules').getAll() as IDBRequest<ScheduleRow[]>),
		ask(tx.objectStore('cards').count()),
		ask(tx.objectStore('recent').getAll() as IDBRequest<RecentRow[]>)
	]);
}

/**
 * Day clocks by zone and day-start hour, kept between queues: a clock caches the zone's offsets
 * per day, which the queue asks for every studied card.
 */
const clocks = new Map<string, DayClock>();

function dayClock(timeZone: string, dayStartHour: number): DayClock {
	const key = `${dayStartHour} ${timeZone}`;
	let clock = clocks.get(key);
	if (!clock) {
		if (clocks.size >= 8) clocks.clear();
		clock = new DayClock(timeZone, dayStartHour);
		clocks.set(key, clock);
	}
	return clock;
}
