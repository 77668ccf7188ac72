import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	appendRow,
	lastEvent,
	logRecord,
	mergeRows,
	rowsOf
} from '../../../src/lib/progress/log.js';
import type { CardLogRecord, ReviewRow } from '../../../src/lib/progress/index.js';

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

/** Answers with a diagnosed misconception now and then (never on undo rows, as the writers do). */
const misconceptionArb = fc.constantFrom('no-scaling', 'mask-with-zero', 'x'.repeat(64));
const mixedRowArb: fc.Arbitrary<ReviewRow> = fc
	.tuple(rowArb, fc.option(misconceptionArb, { nil: undefined, freq: 2 }))
	.map(([row, misconception]) =>
		// plain objects (fc.record makes them without a prototype), for toStrictEqual
		misconception === undefined || row.undoes !== null ? { ...row } : { ...row, misconception }
	);

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

describe('misconceptions in packed card logs', () => {
	it('rows with and without a misconception come back exactly, in (time, id) order', () => {
		fc.assert(
			fc.property(fc.array(mixedRowArb, { minLength: 1, maxLength: 40 }), (rows) => {
				const record = logRecord('03-softmax/q-sum', rows);
				const back = rowsOf(record);
				expect(back).toStrictEqual([...rows].sort(byEvent));
				const diagnosed = back.filter((r) => r.misconception !== undefined);
				expect(record.misconceptions ?? []).toEqual(diagnosed.map((r) => r.misconception));
			})
		);
	});

	it('appending a row with or without a misconception equals packing all rows again', () => {
		fc.assert(
			fc.property(
				fc.array(mixedRowArb, { minLength: 1, maxLength: 30 }),
				mixedRowArb,
				(rows, extra) => {
					const record = logRecord('03-softmax/q-sum', rows);
					const later = { ...extra, time: lastEvent(record)!.time + 1 };
					const appended = appendRow(record, later);
					expect(rowsOf(appended)).toStrictEqual([...rowsOf(record), later]);
					expect(appended).toStrictEqual(logRecord('03-softmax/q-sum', [...rows, later]));
				}
			)
		);
	});

	it('merging keeps the misconceptions of stored and added rows', () => {
		fc.assert(
			fc.property(
				fc.array(mixedRowArb, { minLength: 1, maxLength: 20 }),
				fc.array(mixedRowArb, { maxLength: 20 }),
				(stored, incoming) => {
					const existing = rowsOf(logRecord('03-softmax/q-sum', stored));
					const { rows } = mergeRows(existing, incoming);
					expect(rowsOf(logRecord('03-softmax/q-sum', rows))).toStrictEqual(rows);
				}
			)
		);
	});

	it('zero column cost: a log without misconceptions has no misconception columns, even appended to', () => {
		fc.assert(
			fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), rowArb, (rows, extra) => {
				const record = logRecord('03-softmax/q-sum', rows);
				expect(record).not.toHaveProperty('misconceptionAt');
				expect(record).not.toHaveProperty('misconceptions');
				const appended = appendRow(record, { ...extra, time: record.lastTime + 1 });
				expect(appended).not.toHaveProperty('misconceptionAt');
				expect(appended).not.toHaveProperty('misconceptions');
				expect(rowsOf(appended).some((r) => 'misconception' in r)).toBe(false);
			})
		);
	});

	it('a record written before misconceptions were stored reads as none and takes an answer with one', () => {
		// exactly what the previous version stored: no misconception columns at all
		const old: CardLogRecord = {
			cardId: 'q',
			firstTime: 1000,
			lastTime: 3000,
			ids: { text: 'abu', ends: Uint32Array.of(1, 2, 3) },
			times: Float64Array.of(1000, 2000, 3000),
			ratings: Uint8Array.of(3, 1, 0),
			correct: Int8Array.of(1, 0, -1),
			decks: ['d'],
			deckOf: Uint16Array.of(0, 0, 0),
			answerText: '0.51',
			answerEnds: Uint32Array.of(3, 4, 4),
			seeds: Float64Array.of(7, Number.NaN, Number.NaN),
			durations: Uint32Array.of(4000, 2000, 0),
			undoAt: Uint32Array.of(2),
			undoes: ['b']
		};
		const rows = rowsOf(old);
		expect(rows.map((r) => [r.id, r.rawAnswer, r.undoes])).toEqual([
			['a', '0.5', null],
			['b', '1', null],
			['u', '', 'b']
		]);
		expect(rows.some((r) => 'misconception' in r)).toBe(false);
		const answer: ReviewRow = {
			id: 'c',
			cardId: 'q',
			deckId: 'd',
			time: 4000,
			rating: 1,
			correct: false,
			rawAnswer: '0',
			seed: 9,
			durationMs: 1500,
			undoes: null,
			misconception: 'no-scaling'
		};
		const appended = appendRow(old, answer);
		expect(appended.misconceptionAt).toEqual(Uint32Array.of(3));
		expect(appended.misconceptions).toEqual(['no-scaling']);
		expect(rowsOf(appended)).toStrictEqual([...rows, answer]);
		expect(appended).toStrictEqual(logRecord('q', [...rows, answer]));
		// merged (an import, an answer out of order): packed again from the rows
		const early = { ...answer, id: 'e', time: 1500, misconception: 'mask-with-zero' };
		const merged = logRecord('q', mergeRows(rowsOf(old), [early]).rows);
		expect(merged.misconceptionAt).toEqual(Uint32Array.of(1));
		expect(rowsOf(merged).map((r) => r.misconception)).toEqual([
			undefined,
			'mask-with-zero',
			undefined,
			undefined
		]);
	});
});
