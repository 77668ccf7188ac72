import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
	openProgressDb,
	readAllReviews,
	type DexieDeps,
	type ProgressDb,
	type ReviewRow
} from '../../../src/lib/progress/index.js';

/** A fresh, isolated fake IndexedDB (one per test). */
export function freshDeps(): DexieDeps {
	return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export async function freshDb(
	deps: DexieDeps = freshDeps(),
	name = 'attentive'
): Promise<ProgressDb> {
	return openProgressDb({ deps, name });
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The schedule records (read raw, without self-repair) hold exactly the `cards` rows' schedules. */
export async function schedulesMirrorCards(db: ProgressDb): Promise<boolean> {
	const { entriesOf } = await import('../../../src/lib/progress/schedule-index.js');
	const fromDecks = (await db.schedules.toArray()).flatMap(entriesOf);
	const fromCards = (await db.cards.toArray()).map((c) => ({
		cardId: c.cardId,
		deckId: c.deckId,
		due: c.due,
		stability: c.stability,
		state: c.state,
		lastReview: c.lastReview,
		firstReview: c.firstReview,
		...(c.suspended && { suspended: c.suspended }),
		...(c.buriedUntil !== undefined && { buriedUntil: c.buriedUntil })
	}));
	const key = (e: { cardId: string }) => e.cardId;
	const sort = <T extends { cardId: string }>(list: T[]) =>
		[...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));
	return JSON.stringify(sort(fromDecks)) === JSON.stringify(sort(fromCards));
}

/**
 * Stores log rows as another device's import would, without touching the card caches (what a
 * merged-in history looks like before any rebuild). Ids a card's log holds already are skipped.
 */
export async function storeRawReviews(db: ProgressDb, rows: readonly ReviewRow[]): Promise<void> {
	const { logRecord, mergeRows, rowsOf } = await import('../../../src/lib/progress/log.js');
	const { addRecent } = await import('../../../src/lib/progress/recent.js');
	await db.transaction('rw', db.logs, db.recent, async () => {
		await addRecent(db.recent, rows);
		for (const cardId of new Set(rows.map((row) => row.cardId))) {
			const record = await db.logs.get(cardId);
			const stored = record ? rowsOf(record) : [];
			const merged = mergeRows(
				stored,
				rows.filter((row) => row.cardId === cardId)
			);
			await db.logs.put(logRecord(cardId, merged.rows));
		}
	});
}

/** One stored review by id (test convenience: scans the whole log). */
export async function storedReview(db: ProgressDb, id: string): Promise<ReviewRow | undefined> {
	return (await readAllReviews(db)).find((row) => row.id === id);
}
