import { describe, expect, it } from 'vitest';
import { loadQueue, recordReview, saveSettings } from '../../../src/lib/progress/index.js';
import { eachReviewPage } from '../../../src/lib/progress/paging.js';
import { DAY, freshDb, HOUR } from './helpers.js';

const MIN = 60_000;
const start = Date.UTC(2025, 0, 6, 18); // Monday 19:00 in Berlin

describe('loadQueue from the database', () => {
	it('after a two-week break: the review limit, most forgotten first, plus new cards', async () => {
		const db = await freshDb();
		await saveSettings(db, {
			timeZone: 'Europe/Berlin',
			dayStartHour: 4,
			dailyNewLimit: 3,
			dailyReviewLimit: 5
		});
		const content = Array.from({ length: 20 }, (_, i) => `deck/q-${String(i).padStart(2, '0')}`);
		// study the first 12 cards for a few days; card i answered Good once or twice, Hard for odd i
		for (const [i, cardId] of content.slice(0, 12).entries()) {
			const base = { cardId, deckId: 'deck' };
			await recordReview(db, { ...base, time: start + i * MIN, rating: 3 });
			await recordReview(db, { ...base, time: start + i * MIN + 10 * MIN, rating: 3 });
			await recordReview(db, { ...base, time: start + 2 * DAY + i * MIN, rating: i % 2 ? 2 : 3 });
		}
		const now = start + 16 * DAY;
		const queue = await loadQueue(db, { contentCardIds: content, now });
		expect(queue.dueReviews).toBe(12);
		expect(queue.counts).toEqual({ learning: 0, review: 5, new: 3 });
		const reviews = queue.items.filter((i) => i.kind === 'review');
		for (let i = 1; i < reviews.length; i++) {
			expect(reviews[i].retrievability).toBeGreaterThanOrEqual(reviews[i - 1].retrievability);
		}
		// Hard answers leave lower stability: the odd cards are the most forgotten
		expect(reviews.every((r) => Number(r.cardId.slice(-2)) % 2 === 1)).toBe(true);
		expect(queue.items.filter((i) => i.kind === 'new').map((i) => i.cardId)).toEqual(
			content.slice(12, 15)
		);

		// answering two reviews and one new card today shrinks what is left
		await recordReview(db, { cardId: reviews[0].cardId, deckId: 'deck', time: now, rating: 3 });
		await recordReview(db, {
			cardId: reviews[1].cardId,
			deckId: 'deck',
			time: now + MIN,
			rating: 3
		});
		await recordReview(db, { cardId: content[12], deckId: 'deck', time: now + 2 * MIN, rating: 4 });
		const later = await loadQueue(db, { contentCardIds: content, now: now + HOUR });
		expect(later.counts).toEqual({ learning: 0, review: 3, new: 2 });
		expect(later.items.map((i) => i.cardId)).not.toContain(reviews[0].cardId);
	});
});

describe('paging the log', () => {
	it('returns every row once, in time order, even with many rows at the same millisecond', async () => {
		const db = await freshDb();
		const times = [5, 5, 5, 5, 5, 7, 7, 9, 9, 9, 9, 9, 9, 10];
		await db.reviews.bulkAdd(
			times.map((t, i) => ({
				id: `id-${String(100 - i)}`,
				cardId: 'c',
				deckId: 'd',
				time: Date.UTC(2025, 0, 1) + t,
				rating: 3 as const,
				correct: null,
				rawAnswer: '',
				seed: null,
				durationMs: 0,
				undoes: null
			}))
		);
		for (const pageSize of [1, 2, 3, 4, 20]) {
			const seen: string[] = [];
			await eachReviewPage(db, pageSize, (page) => seen.push(...page.map((r) => r.id)));
			expect(seen).toHaveLength(times.length);
			expect(new Set(seen).size).toBe(times.length);
			const rows = await db.reviews.bulkGet(seen);
			const order = rows.map((r) => r!.time);
			expect(order).toEqual([...order].sort((a, b) => a - b));
		}
	});
});
