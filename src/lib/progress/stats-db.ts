/** /progress stats from the database, reading the log a page of cards at a time (bounded memory). */
import { DayClock } from '../scheduler/index.js';
import { guard } from './errors.js';
import { eachLogPage, LOG_PAGE_SIZE, voidedPositions } from './log.js';
import type { ProgressDb, Settings } from './schema.js';
import { readSchedules } from './schedule-index.js';
import { getSettings } from './settings.js';
import { StatsAccumulator, type ProgressStats } from './stats.js';
import { schedulingOf } from './params-in-force.js';

export interface LoadStatsOptions {
	now: number;
	settings?: Settings;
	calendarDays?: number;
	forecastDays?: number;
	/** Card logs read per page. */
	pageSize?: number;
}

/**
 * One read transaction for the log (card logs page by page), then the card schedules (one record
 * per deck) for mastery and forecast.
 */
export async function loadProgressStats(
	db: ProgressDb,
	options: LoadStatsOptions
): Promise<ProgressStats> {
	const settings = options.settings ?? (await getSettings(db));
	const acc = new StatsAccumulator({
		now: options.now,
		timeZone: settings.timeZone,
		dayStartHour: settings.dayStartHour,
		calendarDays: options.calendarDays,
		forecastDays: options.forecastDays,
		clock: new DayClock(settings.timeZone, settings.dayStartHour),
		weights: schedulingOf(db).weights
	});
	await guard(() =>
		db.transaction('r', db.logs, async () =>
			eachLogPage(
				db,
				(page) => {
					for (const record of page) {
						acc.addColumns({ ...record, voidedAt: voidedPositions(record) });
					}
				},
				options.pageSize ?? LOG_PAGE_SIZE
			)
		)
	);
	return acc.finish(await guard(() => readSchedules(db)));
}
