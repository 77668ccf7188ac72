import { describe, expect, it } from 'vitest';
import { loadQueue, recordReview, saveSettings } from '../../../src/lib/progress/index.js';
import { eachLogPage, rowsOf } from '../../../src/lib/progress/log.js';
import { DAY, freshDb, HOUR, storeRawReviews } from './helpers.js';

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
			// card by card, so later cards' first answers come days before earlier cards' last ones
			const confirmed = { clockConfirmed: true };
			await recordReview(db, { ...base, time: start + i * MIN, rating: 3 }, confirmed);
			await recordReview(db, { ...base, time: start + i * MIN + 10 * MIN, rating: 3 }, confirmed);
			await recordReview(
				db,
				{ ...base, time: start + 2 * DAY + i * MIN, rating: i % 2 ? 2 : 3 },
				confirmed
			);
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
	it('returns every card log once, in card id order, each oldest first', async () => {
		const db = await freshDb();
		const times = [9, 5, 5, 7, 5, 9, 10, 9, 5, 7, 9, 9, 5, 9];
		await storeRawReviews(
			db,
			times.map((t, i) => ({
				id: `id-${String(100 - i)}`,
				cardId: `c${i % 5}`,
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
			const cards: string[] = [];
			const ids: string[] = [];
			await eachLogPage(
				db,
				(page) => {
					for (const record of page) {
						cards.push(record.cardId);
						const rows = rowsOf(record);
						ids.push(...rows.map((r) => r.id));
						const keys = rows.map((r) => [r.time, r.id] as const);
						expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
						expect(record.firstTime).toBe(keys[0][0]);
						expect(record.lastTime).toBe(keys[keys.length - 1][0]);
					}
				},
				pageSize
			);
			expect(cards).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
			expect(new Set(ids).size).toBe(times.length);
		}
	});
});
