/**
 * Merging review rows that come from outside (a backup file, another device through sync) into the
 * log: a union by id. A row whose id its card's log already holds is never stored twice, so merging
 * the same rows again changes nothing (and heals caches an interrupted merge left stale).
 */
import { guard } from './errors.js';
import { beginJob, endJob } from './jobs.js';
import { groupByCard, logRecord, mergeRows, rowsOf } from './log.js';
import { addRecent } from './recent.js';
import { isStaleCache, rebuildCardsIn, writeCaches } from './rebuild.js';
import type { ProgressDb, ReviewRow } from './schema.js';

/** Card logs read per round of a merge (a few hundred logs in memory at a time). */
const MERGE_LOGS = 250;
/** Card caches rebuilt per transaction. */
const REBUILD_BATCH = 500;

/**
 * Adds rows to their cards' logs in one transaction, skipping ids a log already holds (stored
 * before, or by another tab meanwhile). Returns the rows added, and the cards that gained nothing
 * but whose cache is stale (an earlier merge stopped before rebuilding it).
 *
 * `rebuildCaches`: also rewrite, in the same transaction, the `cards` and `schedules` caches of the
 * cards that gained rows or were stale, from the merged rows already in memory (no second read of
 * their logs); they are listed in `rebuilt`. Worth it when the rows come card by card (a backup):
 * a card whose rows are spread over many merges would be replayed at each. The merged rows of the
 * rebuilt cards stay in memory until the transaction's end (the rows given, plus what their logs
 * held).
 */
export async function mergeIntoLogs(
	db: ProgressDb,
	rows: ReviewRow[],
	options: { rebuildCaches?: boolean } = {}
): Promise<{ added: ReviewRow[]; stale: string[]; rebuilt: string[] }> {
	if (rows.length === 0) return { added: rows, stale: [], rebuilt: [] };
	const byCard = groupByCard(rows);
	const cardIds = [...byCard.keys()];
	const rebuild = options.rebuildCaches === true;
	const stores = rebuild ? [db.logs, db.cards, db.schedules] : [db.logs, db.cards];
	return guard(() =>
		db.transaction('rw', stores, async () => {
			const added: ReviewRow[] = [];
			const stale: string[] = [];
			// the logs whose caches are rebuilt, written together at the end: each `schedules`
			// record is rewritten once per merge rather than once per round
			const logs: { cardId: string; rows: ReviewRow[] }[] = [];
			// a few hundred logs in memory at a time, however many cards the batch touches
			for (let i = 0; i < cardIds.length; i += MERGE_LOGS) {
				const ids = cardIds.slice(i, i + MERGE_LOGS);
				const records = await db.logs.bulkGet(ids);
				const unchanged: number[] = [];
				const changed = ids.flatMap((cardId, k) => {
					const stored = records[k];
					const merged = mergeRows(stored ? rowsOf(stored) : [], byCard.get(cardId) as ReviewRow[]);
					added.push(...merged.added);
					if (merged.added.length === 0) {
						unchanged.push(k);
						return [];
					}
					if (rebuild) logs.push({ cardId, rows: merged.rows });
					return [logRecord(cardId, merged.rows)];
				});
				await db.logs.bulkPut(changed);
				// nothing new for these: their caches are rebuilt only if an earlier merge left them stale
				if (unchanged.length) {
					const cards = await db.cards.bulkGet(unchanged.map((k) => ids[k]));
					unchanged.forEach((k, j) => {
						if (!isStaleCache(cards[j], records[k])) return;
						stale.push(ids[k]);
						const record = records[k];
						if (rebuild) logs.push({ cardId: ids[k], rows: record ? rowsOf(record) : [] });
					});
				}
			}
			if (logs.length) await writeCaches(db, logs);
			return { added, stale, rebuilt: logs.map((log) => log.cardId) };
		})
	);
}

export interface MergeResult {
	/** The rows stored (new ids). */
	added: ReviewRow[];
	/** The cards whose caches were rebuilt (those that gained rows or were stale). */
	rebuilt: string[];
}

/**
 * Merges validated rows and brings the derived stores up to date for the affected cards only:
 * their `cards` / `schedules` caches are rebuilt by replay, and `recent` gets the rows in its
 * window. A job marker (jobs.ts) covers the steps, so a tab closed in between is repaired at the
 * next start; merging the same rows again also completes it.
 */
export async function mergeReviewRows(db: ProgressDb, rows: ReviewRow[]): Promise<MergeResult> {
	if (rows.length === 0) return { added: [], rebuilt: [] };
	const job = await beginJob(db, 'import');
	const { added, stale } = await mergeIntoLogs(db, rows);
	if (added.length) {
		await guard(() =>
			db.transaction('rw', db.recent, async () => {
				await addRecent(db.recent, added);
			})
		);
	}
	const affected = [...new Set([...added.map((row) => row.cardId), ...stale])].sort();
	for (let i = 0; i < affected.length; i += REBUILD_BATCH) {
		const batch = affected.slice(i, i + REBUILD_BATCH);
		await guard(() =>
			db.transaction('rw', db.logs, db.cards, db.schedules, async () => {
				await rebuildCardsIn(db, batch);
			})
		);
	}
	await endJob(db, job);
	return { added, rebuilt: affected };
}
