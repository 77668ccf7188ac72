import { describe, expect, it } from 'vitest';
import {
	checkDatabase,
	checkFoundNothing,
	discardOrphanCards,
	getCardLog,
	keepOrphanCards,
	listOrphanCards,
	loadQueue,
	recordReview,
	saveSettings
} from '../../../src/lib/progress/index.js';
import { DAY, freshDb } from './helpers.js';

const t0 = Date.UTC(2026, 3, 6, 9);

describe('orphan cards (studied, no longer in the course)', () => {
	it('an orphan card due today does not take a daily review slot', async () => {
		const db = await freshDb();
		await saveSettings(db, { dailyReviewLimit: 2, timeZone: 'UTC', dayStartHour: 0 });
		const content = ['d/q-1', 'd/q-2', 'd/q-3'];
		// the renamed question was studied first: it would be the most overdue
		for (const [i, cardId] of ['d/old-name', ...content].entries()) {
			await recordReview(db, { cardId, deckId: 'd', time: t0 + i * 1000, rating: 3 });
		}
		const queue = await loadQueue(db, { contentCardIds: content, now: t0 + 30 * DAY });
		expect(queue.items.map((item) => item.cardId)).not.toContain('d/old-name');
		expect(queue.counts.review).toBe(2);
		expect(queue.dueReviews).toBe(3);
	});

	it('are listed, kept (no longer listed) or discarded (answers voided, the log keeps them)', async () => {
		const db = await freshDb();
		for (const [i, cardId] of ['d/q-1', 'd/gone-a', 'd/gone-b'].entries()) {
			await recordReview(db, { cardId, deckId: 'd', time: t0 + i * 1000, rating: 3 });
		}
		await recordReview(db, { cardId: 'd/gone-a', deckId: 'd', time: t0 + DAY, rating: 1 });
		const content = ['d/q-1'];
		const listed = await listOrphanCards(db, content);
		expect(listed.map((o) => [o.cardId, o.answers])).toEqual([
			['d/gone-a', 2],
			['d/gone-b', 1]
		]);
		await keepOrphanCards(db, ['d/gone-b']);
		expect((await listOrphanCards(db, content)).map((o) => o.cardId)).toEqual(['d/gone-a']);
		expect(await db.cards.get('d/gone-b')).toBeDefined();

		expect(await discardOrphanCards(db, ['d/gone-a'], t0 + 2 * DAY)).toBe(2);
		expect(await listOrphanCards(db, content)).toEqual([]);
		expect(await db.cards.get('d/gone-a')).toBeUndefined();
		expect(await getCardLog(db, 'd/gone-a')).toHaveLength(4); // 2 answers + 2 undo rows
		// Check database agrees: the decision is in the log, not only in the caches
		expect(checkFoundNothing(await checkDatabase(db, { now: t0 + 2 * DAY }))).toBe(true);
	});
});
