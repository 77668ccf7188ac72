import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
	openProgressDb,
	type DexieDeps,
	type ProgressDb
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

/** The deck records (read raw, without self-repair) hold exactly the `cards` rows' schedules. */
export async function schedulesMirrorCards(db: ProgressDb): Promise<boolean> {
	const { entriesOf } = await import('../../../src/lib/progress/schedule-index.js');
	const fromDecks = (await db.deckSchedules.toArray()).flatMap(entriesOf);
	const fromCards = (await db.cards.toArray()).map((c) => ({
		cardId: c.cardId,
		deckId: c.deckId,
		due: c.due,
		stability: c.stability,
		state: c.state,
		lastReview: c.lastReview,
		firstReview: c.firstReview
	}));
	const key = (e: { cardId: string }) => e.cardId;
	const sort = <T extends { cardId: string }>(list: T[]) =>
		[...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));
	return JSON.stringify(sort(fromDecks)) === JSON.stringify(sort(fromCards));
}
