/** Today's queue from the database: reads only what `buildQueue` needs. */
import {
	buildQueue,
	countDoneToday,
	DayClock,
	DEFAULT_LEARN_AHEAD_MS,
	type Queue
} from '../scheduler/index.js';
import { guard } from './errors.js';
import { rowsSince } from './recent.js';
import { readSchedules } from './schedule-index.js';
import type { ProgressDb, Settings } from './schema.js';
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
	const clock = new DayClock(settings.timeZone, settings.dayStartHour);
	const { now } = options;
	const learnAheadMs = options.learnAheadMs ?? DEFAULT_LEARN_AHEAD_MS;
	const dayStart = clock.startOf(clock.dayOf(now));

	const [entries, todays] = await guard(() =>
		Promise.all([readSchedules(db), rowsSince(db, dayStart)])
	);
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
