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
 *   `reviews` and `deckSchedules`. `reviews` is read by primary key, a page at a time (an index
 *   such as `[cardId+time]` holds no entry for a row whose `cardId` or `time` is not a valid key,
 *   so reading through it dropped such rows), and merged into the logs every `mergeEvery` rows:
 *   memory holds a page plus what waits to be merged, never the whole log twice. Rows that can be
 *   read as a log row are kept (repaired where a field has the wrong type, see `repairV2Review`);
 *   the others are kept as they were in `meta` (`QUARANTINE_KEY_PREFIX` + a number) and counted in
 *   the `UPGRADE_REPORT_KEY` row.
 *
 * A failing upgrade throws: IndexedDB then aborts the whole version change, and the database stays
 * at its old version with every row as it was (db.ts reports it as an `UpgradeError`).
 */
import type { IndexableType, Table, Transaction } from 'dexie';
import { groupByCard, logRecord, mergeRows, rowsOf } from './log.js';
import { addRecent, RecentCandidates } from './recent.js';
import { rebuildCardsIn } from './rebuild.js';
import type {
	CardLogRecord,
	CardRow,
	MetaRow,
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

/** Rows of `reviews` read per page by the v2 -> v3 upgrade. */
export const UPGRADE_PAGE_SIZE = 5_000;
/** Rows the v2 -> v3 upgrade gathers before merging them into the card logs. */
export const UPGRADE_MERGE_ROWS = 50_000;
/** Card logs read and rewritten per round of a merge. */
const MERGE_BATCH = 250;
/** `meta` keys of the rows the v2 -> v3 upgrade could not read as log rows (then a number). */
export const QUARANTINE_KEY_PREFIX = 'upgradeV3Quarantine/';
/** `meta` key of what the v2 -> v3 upgrade repaired and set aside (written only when it did). */
export const UPGRADE_REPORT_KEY = 'upgradeV3';

export interface UpgradeV3Options {
	/** Rows read per page (default `UPGRADE_PAGE_SIZE`). */
	pageSize?: number;
	/** Rows gathered before a merge into the logs (default `UPGRADE_MERGE_ROWS`; at least a page). */
	mergeEvery?: number;
}

/** What the v2 -> v3 upgrade did with the rows of `reviews` (the `UPGRADE_REPORT_KEY` row). */
export interface UpgradeV3Report {
	/** Rows read. */
	reviews: number;
	/** Rows kept in the log with a field repaired (see `repairV2Review`). */
	repaired: number;
	/** Rows set aside unchanged in `meta` (`QUARANTINE_KEY_PREFIX` + 0, 1, …). */
	quarantined: number;
	/** Number of quarantine rows in `meta` (each holds up to a page of rows). */
	quarantineRecords: number;
}

/**
 * Regroups the log per card, then rebuilds the caches (v1 databases reach this after v2's upgrade,
 * in the same transaction; the `reviews` table is deleted once the upgrade has run).
 */
export async function upgradeV2toV3(
	tx: Transaction,
	options: UpgradeV3Options = {}
): Promise<void> {
	const pageSize = options.pageSize ?? UPGRADE_PAGE_SIZE;
	const mergeEvery = Math.max(options.mergeEvery ?? UPGRADE_MERGE_ROWS, pageSize);
	const reviews = tx.table<Record<string, unknown>, IndexableType>('reviews');
	const logs = tx.table<CardLogRecord, string>('logs');
	const meta = tx.table<MetaRow, string>('meta');
	const recent = new RecentCandidates();
	const cardIds = new Set<string>();
	const report: UpgradeV3Report = { reviews: 0, repaired: 0, quarantined: 0, quarantineRecords: 0 };
	let gathered: ReviewRow[] = [];
	let last: IndexableType | undefined;
	for (;;) {
		const page =
			last === undefined
				? await reviews.orderBy(':id').limit(pageSize).toArray()
				: await reviews.where(':id').above(last).limit(pageSize).toArray();
		if (page.length === 0) break;
		last = page[page.length - 1].id as IndexableType;
		const setAside: unknown[] = [];
		for (const raw of page) {
			const repair = repairV2Review(raw);
			if (!repair) {
				setAside.push(raw);
				continue;
			}
			if (repair.repaired) report.repaired++;
			gathered.push(repair.row);
			cardIds.add(repair.row.cardId);
		}
		report.reviews += page.length;
		if (setAside.length) {
			report.quarantined += setAside.length;
			await meta.put({
				key: QUARANTINE_KEY_PREFIX + report.quarantineRecords++,
				value: { from: 'reviews', rows: setAside }
			});
		}
		if (gathered.length >= mergeEvery) {
			await mergeIntoLogs(logs, gathered);
			recent.offer(gathered);
			gathered = [];
		}
		if (page.length < pageSize) break;
	}
	await mergeIntoLogs(logs, gathered);
	recent.offer(gathered);
	await addRecent(tx.table<RecentRow, [string, string]>('recent'), recent.take());
	if (report.repaired || report.quarantined)
		await meta.put({ key: UPGRADE_REPORT_KEY, value: report });
	const tables = {
		logs,
		cards: tx.table<CardRow, string>('cards'),
		schedules: tx.table<ScheduleRow, [string, number]>('schedules')
	};
	await tables.cards.clear();
	// card id order, as IndexedDB orders string keys (the order the logs are stored in)
	await rebuildCardsIn(tables, [...cardIds].sort());
}

/** Adds `rows` to their cards' log records (in (time, id) order), a batch of cards at a time. */
async function mergeIntoLogs(
	logs: Table<CardLogRecord, string>,
	rows: readonly ReviewRow[]
): Promise<void> {
	const byCard = groupByCard(rows);
	const cards = [...byCard.keys()];
	for (let i = 0; i < cards.length; i += MERGE_BATCH) {
		const batch = cards.slice(i, i + MERGE_BATCH);
		const stored = await logs.bulkGet(batch);
		await logs.bulkPut(
			batch.map((cardId, k) => {
				const record = stored[k];
				const added = byCard.get(cardId) as ReviewRow[];
				return logRecord(cardId, record ? mergeRows(rowsOf(record), added).rows : added);
			})
		);
	}
}

/**
 * A stored v2 `reviews` row read as a log row, or null when it cannot be one (it is then kept
 * aside unchanged). A row needs a non-empty string `id` and `cardId`, a time (a finite number, or
 * a Date, boxed number or numeric or ISO date string giving one) and a rating 0-4 (an undo row, 0,
 * needs the string id of what it voids). Other fields of the wrong type get the value a row
 * without them has: `deckId` the card id's deck (the part before `/`), `undoes` and `correct` and
 * `seed` null, `rawAnswer` '', `durationMs` 0, and no `misconception`. Fields of the right type
 * are kept exactly (a valid row comes out as it went in, less fields a log row has no place for).
 */
export function repairV2Review(raw: unknown): { row: ReviewRow; repaired: boolean } | null {
	if (!raw || typeof raw !== 'object') return null;
	const r = raw as Record<string, unknown>;
	const { id, cardId } = r;
	if (typeof id !== 'string' || id === '' || typeof cardId !== 'string' || cardId === '') {
		return null;
	}
	const time = timeOf(r.time);
	const rating =
		typeof r.rating === 'string' && r.rating.trim() !== '' ? Number(r.rating) : r.rating;
	if (time === null || typeof rating !== 'number' || !Number.isInteger(rating)) return null;
	if (rating < 0 || rating > 4) return null;
	const undoes = r.undoes === undefined || r.undoes === null ? null : r.undoes;
	if (undoes !== null && typeof undoes !== 'string') return null;
	if (rating === 0 && undoes === null) return null;
	const row: ReviewRow = {
		id,
		cardId,
		deckId: typeof r.deckId === 'string' ? r.deckId : cardId.split('/')[0],
		time,
		rating: rating as ReviewRow['rating'],
		correct: typeof r.correct === 'boolean' ? r.correct : null,
		rawAnswer: typeof r.rawAnswer === 'string' ? r.rawAnswer : '',
		seed: typeof r.seed === 'number' && Number.isFinite(r.seed) ? r.seed : null,
		durationMs:
			typeof r.durationMs === 'number' && Number.isFinite(r.durationMs) ? r.durationMs : 0,
		undoes
	};
	if (typeof r.misconception === 'string') row.misconception = r.misconception;
	const repaired =
		time !== r.time ||
		rating !== r.rating ||
		undoes !== r.undoes ||
		row.deckId !== r.deckId ||
		row.correct !== r.correct ||
		row.rawAnswer !== r.rawAnswer ||
		row.seed !== r.seed ||
		row.durationMs !== r.durationMs ||
		(r.misconception !== undefined && row.misconception !== r.misconception);
	return { row, repaired };
}

/** A stored time as epoch ms, or null when it gives none. */
function timeOf(value: unknown): number | null {
	let time: number;
	if (typeof value === 'number') time = value;
	else if (value instanceof Date) time = value.getTime();
	else if (Object.prototype.toString.call(value) === '[object Number]') time = Number(value);
	else if (typeof value === 'string' && value.trim() !== '') {
		time = Number(value);
		if (!Number.isFinite(time)) time = Date.parse(value);
	} else return null;
	return Number.isFinite(time) ? time : null;
}
