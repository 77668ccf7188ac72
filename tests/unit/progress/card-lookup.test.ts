import { describe, expect, it } from 'vitest';
import { getCardsByIds, recordReview, studiedCardIds } from '../../../src/lib/progress/index.js';
import { DAY, freshDb } from './helpers.js';

describe('card lookups for the pages', () => {
	it('returns studied cards by id, in order, with undefined for new ones', async () => {
		const db = await freshDb();
		const t0 = Date.UTC(2026, 0, 5, 12);
		await recordReview(db, { cardId: 'a', deckId: 'd', time: t0, rating: 3 });
		await recordReview(db, { cardId: 'c', deckId: 'd', time: t0 + DAY, rating: 4 });

		const rows = await getCardsByIds(db, ['c', 'b', 'a']);
		expect(rows.map((row) => row?.cardId)).toEqual(['c', undefined, 'a']);
		expect(rows[0]!.due).toBeGreaterThan(t0 + DAY);
		expect((await studiedCardIds(db)).sort()).toEqual(['a', 'c']);
		db.close();
	});
});
