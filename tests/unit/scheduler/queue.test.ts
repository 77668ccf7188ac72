import { describe, expect, it } from 'vitest';
import {
	buildQueue,
	countDoneToday,
	PHASE,
	type BuildQueueInput,
	type QueueCard
} from '../../../src/lib/scheduler/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Learner in UTC, day starts at 04:00. "now" is 2025-03-17 10:00, after a two-week break.
const now = Date.UTC(2025, 2, 17, 10);
const dayStart = Date.UTC(2025, 2, 17, 4);
const dayEnd = Date.UTC(2025, 2, 18, 4);
const lastSession = Date.UTC(2025, 2, 3, 10); // two weeks ago

function reviewCard(cardId: string, stability: number, lastReview = lastSession): QueueCard {
	return {
		cardId,
		deckId: 'd',
		due: lastReview + Math.round(stability * DAY),
		stability,
		state: PHASE.Review,
		lastReview,
		firstReview: lastReview - 30 * DAY
	};
}

function input(cards: QueueCard[], extra: Partial<BuildQueueInput> = {}): BuildQueueInput {
	return {
		cards,
		contentCardIds: [],
		now,
		timeZone: 'UTC',
		dayStartHour: 4,
		newLimit: 10,
		reviewLimit: 100,
		newDoneToday: 0,
		reviewsDoneToday: 0,
		...extra
	};
}

describe('buildQueue after a two-week break', () => {
	// 300 cards last seen two weeks ago with stabilities 0.5, 0.545, ... 13.955 days: all due now.
	// Seen at the same moment, the one with the lowest stability is the most forgotten.
	const cards = Array.from({ length: 300 }, (_, i) => reviewCard(`c${i}`, 0.5 + i * 0.045));
	// shuffle deterministically so order in the input cannot explain the result
	const shuffled = [...cards].sort(
		(a, b) => ((a.stability * 7919) % 13) - ((b.stability * 7919) % 13)
	);

	it('shows only the daily review limit, most forgotten first', () => {
		const queue = buildQueue(input(shuffled));
		expect(queue.dueReviews).toBe(300);
		expect(queue.counts).toEqual({ learning: 0, review: 100, new: 0 });
		expect(queue.items.map((item) => item.cardId)).toEqual(
			Array.from({ length: 100 }, (_, i) => `c${i}`)
		);
		const rs = queue.items.map((item) => item.retrievability);
		for (let i = 1; i < rs.length; i++) expect(rs[i]).toBeGreaterThan(rs[i - 1]);
		expect(queue.dayStart).toBe(dayStart);
		expect(queue.dayEnd).toBe(dayEnd);
	});

	it('answers already given today use up the limit', () => {
		const queue = buildQueue(input(shuffled, { reviewsDoneToday: 70 }));
		expect(queue.counts.review).toBe(30);
		expect(queue.items[0].cardId).toBe('c0');
		expect(buildQueue(input(shuffled, { reviewsDoneToday: 150 })).counts.review).toBe(0);
	});

	it('a review card is due for the whole day it falls due on, not before', () => {
		const laterToday = { ...reviewCard('later', 10), due: dayEnd - HOUR };
		const tomorrow = { ...reviewCard('tomorrow', 10), due: dayEnd };
		const queue = buildQueue(input([laterToday, tomorrow]));
		expect(queue.items.map((i) => i.cardId)).toEqual(['later']);
	});
});

describe('buildQueue: new and learning cards', () => {
	const content = Array.from({ length: 20 }, (_, i) => `n${i}`);

	it('adds unseen content cards in content order up to the new-card limit', () => {
		const queue = buildQueue(input([reviewCard('n3', 1)], { contentCardIds: content }));
		const fresh = queue.items.filter((i) => i.kind === 'new').map((i) => i.cardId);
		expect(fresh).toEqual(['n0', 'n1', 'n2', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10']);
		expect(queue.newAvailable).toBe(19);
		expect(queue.items[0]).toMatchObject({ cardId: 'n3', kind: 'review' });
		const fewer = buildQueue(input([], { contentCardIds: content, newDoneToday: 4 }));
		expect(fewer.counts.new).toBe(6);
	});

	it('learning steps from today come first, are not limited, and the next one is announced', () => {
		const step = (cardId: string, due: number): QueueCard => ({
			...reviewCard(cardId, 0.1, now - 5 * MIN),
			state: PHASE.Learning,
			due,
			firstReview: now - 5 * MIN
		});
		const soon = step('soon', now + 5 * MIN);
		const late = step('late', now + HOUR);
		const stale = { ...step('stale', lastSession + 10 * MIN), lastReview: lastSession };
		const queue = buildQueue(input([late, soon, stale, reviewCard('r', 2)], { reviewLimit: 1 }));
		expect(queue.items.map((i) => [i.cardId, i.kind])).toEqual([
			['soon', 'learning'],
			['stale', 'review']
		]);
		expect(queue.dueReviews).toBe(2);
		expect(queue.nextLearningDue).toBe(now + HOUR);
	});

	it('filters by deck', () => {
		const a = { ...reviewCard('a', 1), deckId: 'A' };
		const b = { ...reviewCard('b', 1), deckId: 'B' };
		const queue = buildQueue(input([a, b], { deckIds: new Set(['B']) }));
		expect(queue.items.map((i) => i.cardId)).toEqual(['b']);
	});
});

describe('countDoneToday', () => {
	it("splits today's answers into new cards and reviews; undone answers free their slot", () => {
		const first = new Map<string, number>([
			['old1', dayStart - 5 * DAY],
			['old2', dayStart - DAY],
			['new1', dayStart + HOUR],
			['new2', dayStart + 2 * HOUR]
		]);
		const row = (
			id: string,
			cardId: string,
			time: number,
			rating = 3,
			undoes: string | null = null
		) => ({
			id,
			cardId,
			time,
			rating,
			undoes
		});
		const todays = [
			row('a', 'old1', dayStart + HOUR),
			row('b', 'old2', dayStart + HOUR),
			row('c', 'old2', dayStart + 2 * HOUR),
			row('d', 'new1', dayStart + HOUR),
			row('e', 'new1', dayStart + HOUR + 10 * MIN),
			row('f', 'new2', dayStart + 2 * HOUR),
			row('u', 'old2', dayStart + 3 * HOUR, 0, 'c')
		];
		expect(countDoneToday(todays, (id) => first.get(id), dayStart)).toEqual({
			newDoneToday: 2,
			reviewsDoneToday: 2
		});
	});
});
