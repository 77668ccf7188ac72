import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	appendRow,
	lastEvent,
	logRecord,
	mergeRows,
	rowsOf
} from '../../../src/lib/progress/log.js';
import type { ReviewRow } from '../../../src/lib/progress/index.js';

const rowArb: fc.Arbitrary<ReviewRow> = fc.record({
	id: fc.oneof(fc.uuid(), fc.uuid(), fc.string({ minLength: 1, maxLength: 12 })),
	cardId: fc.constant('03-softmax/q-sum'),
	deckId: fc.constantFrom('03-softmax', '04-context', 'x'),
	time: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }),
	rating: fc.constantFrom(0, 1, 2, 3, 4) as fc.Arbitrary<ReviewRow['rating']>,
	correct: fc.constantFrom(null, true, false),
	rawAnswer: fc.string({ maxLength: 20 }),
	seed: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { nil: null }),
	durationMs: fc.integer({ min: 0, max: 86_400_000 }),
	undoes: fc.option(fc.uuid(), { nil: null })
});

const byEvent = (a: ReviewRow, b: ReviewRow) =>
	a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('packed card logs', () => {
	it('give back exactly the rows they were made of, in (time, id) order', () => {
		fc.assert(
			fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), (rows) => {
				const record = logRecord('03-softmax/q-sum', rows);
				expect(rowsOf(record)).toEqual([...rows].sort(byEvent));
				expect(record.firstTime).toBe(Math.min(...rows.map((r) => r.time)));
				expect(record.lastTime).toBe(Math.max(...rows.map((r) => r.time)));
				expect(record.decks.length).toBe(new Set(rows.map((r) => r.deckId)).size);
			})
		);
	});

	it('appending a newer row equals packing all rows again', () => {
		fc.assert(
			fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), rowArb, (rows, extra) => {
				const record = logRecord('03-softmax/q-sum', rows);
				const head = lastEvent(record)!;
				expect(head).toMatchObject({ id: rowsOf(record).at(-1)!.id, time: record.lastTime });
				const later = { ...extra, time: head.time + 1 };
				const appended = appendRow(record, later);
				expect(rowsOf(appended)).toEqual([...rowsOf(record), later]);
				expect(appended).toEqual(logRecord('03-softmax/q-sum', [...rows, later]));
			})
		);
	});

	it('merging adds only ids the log does not hold', () => {
		fc.assert(
			fc.property(
				fc.array(rowArb, { maxLength: 20 }),
				fc.array(rowArb, { maxLength: 20 }),
				(stored, incoming) => {
					const existing = [...new Map(stored.map((r) => [r.id, r])).values()].sort(byEvent);
					const again = [...incoming, ...existing.slice(0, 3)];
					const { rows, added } = mergeRows(existing, again);
					const ids = new Set(existing.map((r) => r.id));
					const expectedAdded = again.filter((r) => !ids.has(r.id) && (ids.add(r.id), true));
					expect(added).toEqual(expectedAdded);
					expect(rows).toEqual([...existing, ...expectedAdded].sort(byEvent));
				}
			)
		);
	});
});
