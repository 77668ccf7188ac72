/**
 * Orphan cards: studied cards whose question is no longer in the course (renamed or removed in a
 * later version, or brought in by a backup from another version). Their history stays in the log;
 * they never take today's review slots (`loadQueue` schedules only the course's cards); /settings
 * lists them so the learner can discard them (their answers are voided by undo rows: nothing is
 * erased, and a backup or another device carries the decision) or keep them (no longer listed).
 */
import { isRating, isUndo } from '../scheduler/index.js';
import { guard } from './errors.js';
import { newId } from './ids.js';
import { logRecord, mergeRows, rowsOf } from './log.js';
import { addRecent } from './recent.js';
import { writeCaches } from './rebuild.js';
import { undoRow, type ProgressDb, type ReviewRow } from './schema.js';

const KEPT_KEY = 'keptOrphans';

export interface OrphanCard {
	cardId: string;
	deckId: string;
	/** Answers that count. */
	answers: number;
	lastReview: number | null;
	due: number;
}

/** Studied cards that are not in `contentCardIds` and that the learner did not choose to keep. */
export async function listOrphanCards(
	db: ProgressDb,
	contentCardIds: Iterable<string>
): Promise<OrphanCard[]> {
	const content = new Set(contentCardIds);
	return guard(() =>
		db.transaction('r', db.cards, db.meta, async () => {
			const kept = new Set(await keptOrphans(db));
			const ids = (await db.cards.toCollection().primaryKeys()).filter(
				(id) => !content.has(id) && !kept.has(id)
			);
			const cards = await db.cards.bulkGet(ids);
			return cards.flatMap((card) =>
				card
					? [
							{
								cardId: card.cardId,
								deckId: card.deckId,
								answers: card.answers,
								lastReview: card.lastReview,
								due: card.due
							}
						]
					: []
			);
		})
	);
}

/** Stops listing these cards (their history and schedule stay; they still take no review slots). */
export async function keepOrphanCards(db: ProgressDb, cardIds: readonly string[]): Promise<void> {
	await guard(() =>
		db.transaction('rw', db.meta, async () => {
			const kept = new Set(await keptOrphans(db));
			for (const id of cardIds) kept.add(id);
			await db.meta.put({ key: KEPT_KEY, value: [...kept].sort() });
		})
	);
}

/**
 * Voids every counting answer of these cards with undo rows stamped `now` (the log keeps every
 * row); their caches go. Returns the number of answers voided.
 */
export async function discardOrphanCards(
	db: ProgressDb,
	cardIds: readonly string[],
	now: number
): Promise<number> {
	return guard(() =>
		db.transaction('rw', [db.logs, db.recent, db.cards, db.schedules], async () => {
			const records = await db.logs.bulkGet([...cardIds]);
			const undos: ReviewRow[] = [];
			const logs = records.flatMap((record) => {
				if (!record) return [];
				const rows = rowsOf(record);
				const voided = new Set(rows.flatMap((row) => (row.undoes === null ? [] : [row.undoes])));
				const fresh = rows
					.filter((row) => !isUndo(row) && isRating(row.rating) && !voided.has(row.id))
					.map((row) => undoRow(row, newId(), now));
				undos.push(...fresh);
				return [{ cardId: record.cardId, rows: mergeRows(rows, fresh).rows }];
			});
			await db.logs.bulkPut(logs.map((log) => logRecord(log.cardId, log.rows)));
			await addRecent(db.recent, undos);
			await writeCaches(db, logs);
			return undos.length;
		})
	);
}

async function keptOrphans(db: ProgressDb): Promise<string[]> {
	const row = await db.meta.get(KEPT_KEY);
	return Array.isArray(row?.value) ? row.value.filter((v) => typeof v === 'string') : [];
}
