import { describe, expect, it } from 'vitest';
import {
	applyRating,
	formatInterval,
	isDue,
	newCardState,
	PHASE,
	previewRatings,
	proposeRating,
	retrievability
} from '../../../src/lib/scheduler/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const today = Date.UTC(2025, 2, 3, 9, 0); // Monday 09:00 UTC

describe('FSRS scheduling with a shifted clock', () => {
	it('a new card answered Good today walks its learning steps, then is due days later', () => {
		const fresh = newCardState();
		expect(fresh.state).toBe(PHASE.New);
		expect(isDue(fresh, today)).toBe(false);

		const learning = applyRating(fresh, 3, today);
		expect(learning.state).toBe(PHASE.Learning);
		expect(learning.due).toBe(today + 10 * MIN); // second learning step: 10m
		expect(isDue(learning, today + 5 * MIN)).toBe(false);
		expect(isDue(learning, today + 10 * MIN)).toBe(true);

		const graduated = applyRating(learning, 3, today + 10 * MIN);
		expect(graduated.state).toBe(PHASE.Review);
		expect(graduated.due).toBeGreaterThanOrEqual(today + 10 * MIN + DAY);
		expect(isDue(graduated, today + 12 * HOUR)).toBe(false);
		expect(isDue(graduated, graduated.due - 1)).toBe(false);
		expect(isDue(graduated, graduated.due)).toBe(true);
		expect(graduated.lastReview).toBe(today + 10 * MIN);
		expect(graduated.reps).toBe(2);
	});

	it('Again on a review card lapses it into relearning, due in 10 minutes', () => {
		let card = applyRating(newCardState(), 4, today); // Easy graduates at once
		expect(card.state).toBe(PHASE.Review);
		const later = card.due + DAY;
		card = applyRating(card, 1, later);
		expect(card.state).toBe(PHASE.Relearning);
		expect(card.lapses).toBe(1);
		expect(card.due).toBe(later + 10 * MIN);
	});

	it('previews are ordered Again < Hard < Good < Easy and agree with the answer that follows', () => {
		const card = applyRating(newCardState(), 4, today);
		const now = card.due + 3 * DAY;
		const preview = previewRatings(card, now);
		expect(preview.map((p) => p.rating)).toEqual([1, 2, 3, 4]);
		for (let i = 1; i < 4; i++) {
			expect(preview[i].intervalMs).toBeGreaterThan(preview[i - 1].intervalMs);
		}
		for (const p of preview) {
			expect(applyRating(card, p.rating, now).due).toBe(p.due);
			expect(p.intervalMs).toBe(p.due - now);
			expect(p.label).toBe(formatInterval(p.intervalMs));
		}
		expect(preview[0].label).toBe('10m');
	});

	it('previewing a card last reviewed after now (a device clock set back) does not throw', () => {
		const card = applyRating(newCardState(), 3, today + 30 * DAY);
		const preview = previewRatings(card, today);
		expect(preview.map((p) => p.rating)).toEqual([1, 2, 3, 4]);
		expect(preview.every((p) => p.due > today + 30 * DAY)).toBe(true);
	});

	it('a new card previews the learning steps: 1m, 6m, 10m, and days for Easy', () => {
		const labels = previewRatings(newCardState(), today).map((p) => p.label);
		expect(labels.slice(0, 3)).toEqual(['1m', '6m', '10m']);
		expect(labels[3]).toMatch(/^\d+d$/);
	});
});

describe('retrievability', () => {
	it('is 0 for a new card, 1 right after an answer, 0.9 after `stability` days', () => {
		expect(retrievability(newCardState(), today)).toBe(0);
		const card = applyRating(newCardState(), 4, today);
		expect(retrievability(card, today)).toBe(1);
		// by definition of stability: R(S, S) = 90 %
		expect(retrievability(card, today + card.stability * DAY)).toBeCloseTo(0.9, 6);
		expect(retrievability(card, today + 10 * card.stability * DAY)).toBeLessThan(0.9);
	});

	it('decreases as time passes', () => {
		const card = applyRating(newCardState(), 3, today);
		let previous = 1;
		for (let d = 1; d <= 30; d++) {
			const r = retrievability(card, today + d * DAY);
			expect(r).toBeLessThan(previous);
			previous = r;
		}
	});
});

describe('formatInterval', () => {
	it.each([
		[10 * 1000, '1m'],
		[MIN, '1m'],
		[10 * MIN, '10m'],
		[59 * MIN, '59m'],
		[60 * MIN, '1h'],
		[5 * HOUR, '5h'],
		[DAY, '1d'],
		[13 * DAY, '13d'],
		[21 * DAY, '3w'],
		[120 * DAY, '4mo'],
		[548 * DAY, '1.5y'],
		[4000 * DAY, '11y']
	])('%d ms -> %s', (ms, label) => {
		expect(formatInterval(ms)).toBe(label);
	});
});

describe('proposeRating', () => {
	it('proposes Again when wrong and Good when right', () => {
		expect(proposeRating(false)).toBe(1);
		expect(proposeRating(true)).toBe(3);
	});
});
