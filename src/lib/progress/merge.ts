/**
 * Merging review rows that come from outside (a backup file, another device through sync) into the
 * log: a union by id. A row whose id its card's log already holds is never stored twice, so merging
 * the same rows again changes nothing (and heals caches an interrupted merge left stale).
 */
import { guard } from './errors.js';
import { beginJob, endJob } from './jobs.js';
import { groupByCard, logRecord, mergeRows, rowsOf } from './log.js';
import { addRecent } from './recent.js';
import { isStaleCache, rebuildCardsIn } from './rebuild.js';
import type { ProgressDb, ReviewRow } from './schema.js';

/** Card logs read per round of a merge (a few hundred logs in memory at a time). */
const MERGE_LOGS = 250;
/** Card caches rebuilt per transaction. */
const REBUILD_BATCH = 500;

/**
 * Adds rows to their cards' logs in one transaction, skipping ids a log already holds (stored
 * before, or by another tab meanwhile). Returns the rows added, and the cards that gained nothing
 * but whose cache is stale (an earlier merge stopped before rebuilding it).
 */
export async function mergeIntoLogs(
	db: ProgressDb,
	rows: ReviewRow[]
): Promise<{ added: ReviewRow[]; stale: string[] }> {
	if (rows.length === 0) return { added: rows, stale: [] };
	const byCard = groupByCard(rows);
	const cardIds = [...byCard.keys()];
	return guard(() =>
		db.transaction('rw', db.logs, db.cards, async () => {
			const added: ReviewRow[] = [];
			const stale: string[] = [];
			// a few hundred logs in memory at a time, however many cards the batch touches
			for (let i = 0; i < cardIds.length; i += MERGE_LOGS) {
				const ids = cardIds.slice(i, i + MERGE_LOGS);
				const records = await db.logs.bulkGet(ids);
				const unchanged: number[] = [];
				const changed = ids.flatMap((cardId, k) => {
					const stored = records[k];
					const merged = mergeRows(stored ? rowsOf(stored) : [], byCard.get(cardId) as ReviewRow[]);
					added.push(...merged.added);
					if (merged.added.length === 0) unchanged.push(k);
					return merged.added.length ? [logRecord(cardId, merged.rows)] : [];
				});
				await db.logs.bulkPut(changed);
				// nothing new for these: their caches are rebuilt only if an earlier merge left them stale
				if (unchanged.length) {
					const cards = await db.cards.bulkGet(unchanged.map((k) => ids[k]));
					unchanged.forEach((k, j) => {
						if (isStaleCache(cards[j], records[k])) stale.push(ids[k]);
					});
				}
			}
			return { added, stale };
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
