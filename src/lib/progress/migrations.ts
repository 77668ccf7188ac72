/**
 * The upgrades between schema versions (the stores of each version are in schema.ts). Dexie runs
 * them in one transaction when an older database is opened: a v1 database goes through both. Each
 * is tested by writing a database with the old version and opening it with the current code.
 *
 * - v1 -> v2: settings stored as `newPerDay` / `reviewsPerDay` are renamed to `dailyNewLimit` /
 *   `dailyReviewLimit`; review rows get `undoes: null` (v1 had no undo). The `cards` cache, whose
 *   v1 rows lack `firstReview` / `answers`, is rebuilt by the next upgrade.
 * - v2 -> v3: the rows of `reviews` are regrouped into one `logs` record per card, `recent` is
 *   filled, and the `cards` and `schedules` caches are rebuilt by replay; Dexie then deletes
 *   `reviews` and `deckSchedules`.
 */
import type { Transaction } from 'dexie';
import { groupByCard, logRecord } from './log.js';
import { addRecent } from './recent.js';
import { rebuildCardsIn } from './rebuild.js';
import type {
	CardLogRecord,
	CardRow,
	RecentRow,
	ReviewRow,
	ScheduleRow,
	Settings
} from './schema.js';

/** v1 settings row shape. */
interface SettingsRowV1 {
	key: 'settings';
	newPerDay?: number;
	reviewsPerDay?: number;
	dayStartHour?: number;
	timeZone?: string;
	theme?: string;
}

export async function upgradeV1toV2(tx: Transaction): Promise<void> {
	const settings = tx.table<SettingsRowV1 & Partial<Settings>, string>('settings');
	await settings.toCollection().modify((row) => {
		if (row.newPerDay !== undefined) row.dailyNewLimit = row.newPerDay;
		if (row.reviewsPerDay !== undefined) row.dailyReviewLimit = row.reviewsPerDay;
		delete row.newPerDay;
		delete row.reviewsPerDay;
	});
	await tx
		.table<ReviewRow, string>('reviews')
		.toCollection()
		.modify((row) => {
			if (row.undoes === undefined) row.undoes = null;
		});
}

/**
 * Regroups the log per card, then rebuilds the caches (v1 databases reach this after v2's upgrade,
 * in the same transaction; the `reviews` table is deleted once the upgrade has run).
 */
export async function upgradeV2toV3(tx: Transaction): Promise<void> {
	const byCard = groupByCard(
		await tx.table<ReviewRow, string>('reviews').orderBy('[cardId+time]').toArray()
	);
	const logs = tx.table<CardLogRecord, string>('logs');
	await logs.bulkPut([...byCard].map(([cardId, rows]) => logRecord(cardId, rows)));
	await addRecent(tx.table<RecentRow, [string, string]>('recent'), [...byCard.values()].flat());
	const tables = {
		logs,
		cards: tx.table<CardRow, string>('cards'),
		schedules: tx.table<ScheduleRow, [string, number]>('schedules')
	};
	await tables.cards.clear();
	await rebuildCardsIn(tables, [...byCard.keys()]);
}
