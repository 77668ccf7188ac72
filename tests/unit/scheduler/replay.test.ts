import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	activeAnswers,
	applyRating,
	newCardState,
	replay,
	replayLog,
	voidedIds,
	type Rating,
	type ReviewEvent
} from '../../../src/lib/scheduler/index.js';

const t0 = Date.UTC(2025, 0, 6, 8);
const MIN = 60_000;
const DAY = 86_400_000;

function answer(id: string, time: number, rating: Rating, cardId = 'c'): ReviewEvent {
	return { id, cardId, time, rating, undoes: null };
}
function undo(id: string, time: number, target: string, cardId = 'c'): ReviewEvent {
	return { id, cardId, time, rating: 0, undoes: target };
}

describe('replay', () => {
	it('equals applying the answers one by one, whatever order the log is given in', () => {
		const log = [answer('a', t0, 3), answer('b', t0 + 10 * MIN, 3), answer('c', t0 + 3 * DAY, 2)];
		let expected = newCardState();
		for (const e of log) expected = applyRating(expected, e.rating as Rating, e.time);
		expect(replay(log)).toEqual(expected);
		expect(replay([log[2], log[0], log[1]])).toEqual(expected);
	});

	it('of an empty log is a new card', () => {
		expect(replay([])).toEqual(newCardState());
		expect(replayLog([]).answers).toBe(0);
	});

	it('orders answers at the same millisecond by id, so every device agrees', () => {
		const x = answer('x', t0, 1);
		const y = answer('y', t0, 4);
		expect(replay([y, x])).toEqual(replay([x, y]));
		expect(activeAnswers([y, x]).map((e) => e.id)).toEqual(['x', 'y']);
	});

	it('property: replay of a shuffled log equals replay of the sorted log', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({ dt: fc.integer({ min: 0, max: 5 * DAY }), r: fc.constantFrom(1, 2, 3, 4) }),
					{
						maxLength: 12
					}
				),
				fc.integer(),
				(steps, seed) => {
					let time = t0;
					const log = steps.map((s, i) => answer(`id${i}`, (time += s.dt), s.r as Rating));
					const shuffled = [...log].sort((a, b) => (((a.id.length * seed) ^ b.time) % 3) - 1);
					expect(replay(shuffled)).toEqual(replay(log));
				}
			),
			{ numRuns: 50 }
		);
	});
});

describe('undo', () => {
	it('an undo row voids the answer it names; replay ignores both', () => {
		const first = answer('a', t0, 3);
		const wrong = answer('b', t0 + 10 * MIN, 1);
		const log = [first, wrong, undo('u', t0 + 11 * MIN, 'b')];
		expect(voidedIds(log)).toEqual(new Set(['b']));
		expect(replay(log)).toEqual(replay([first]));
		const result = replayLog(log);
		expect(result.answers).toBe(1);
		expect(result.firstReview).toBe(t0);
	});

	it('undoing the only answer makes the card new again', () => {
		const result = replayLog([answer('a', t0, 3), undo('u', t0 + MIN, 'a')]);
		expect(result.answers).toBe(0);
		expect(result.firstReview).toBeNull();
		expect(result.state).toEqual(newCardState());
	});

	it('an undo of an undo, of an unknown id, or of another card voids nothing', () => {
		const a = answer('a', t0, 3);
		const u1 = undo('u1', t0 + MIN, 'a');
		const u2 = undo('u2', t0 + 2 * MIN, 'u1');
		expect(voidedIds([a, u1, u2])).toEqual(new Set(['a']));
		expect(voidedIds([a, undo('u3', t0, 'nope')])).toEqual(new Set());
		expect(voidedIds([a, undo('u4', t0, 'a', 'other-card')])).toEqual(new Set());
	});
});
