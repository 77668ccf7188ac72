/** /progress stats from the database, reading the log in pages (memory stays bounded). */
import { DayClock } from '../scheduler/index.js';
import { guard } from './errors.js';
import { DEFAULT_PAGE_SIZE, eachReviewPage } from './paging.js';
import type { ProgressDb, Settings } from './schema.js';
import { readSchedules } from './schedule-index.js';
import { getSettings } from './settings.js';
import { StatsAccumulator, undoTargets, type ProgressStats } from './stats.js';

export interface LoadStatsOptions {
	now: number;
	settings?: Settings;
	calendarDays?: number;
	forecastDays?: number;
	pageSize?: number;
}

/**
 * One read transaction for the log (undo rows from the sparse `undoes` index first, then the log in
 * time order, page by page), then the card schedules (one record per deck) for mastery and forecast.
 */
export async function loadProgressStats(
	db: ProgressDb,
	options: LoadStatsOptions
): Promise<ProgressStats> {
	const settings = options.settings ?? (await getSettings(db));
	const acc = await guard(() =>
		db.transaction('r', db.reviews, async () => {
			const undoRows = await db.reviews.orderBy('undoes').toArray();
			const voided = undoTargets(undoRows);
			const acc = new StatsAccumulator(
				{
					now: options.now,
					timeZone: settings.timeZone,
					dayStartHour: settings.dayStartHour,
					calendarDays: options.calendarDays,
					forecastDays: options.forecastDays,
					clock: new DayClock(settings.timeZone, settings.dayStartHour)
				},
				voided
			);
			await eachReviewPage(db, options.pageSize ?? DEFAULT_PAGE_SIZE, (page) => {
				for (const row of page) acc.add(row);
			});
			return acc;
		})
	);
	return acc.finish(await guard(() => readSchedules(db)));
}
