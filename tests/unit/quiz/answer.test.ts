import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnswer, parseNumberToken } from '../../../src/lib/quiz/answer';
import { gradeAnswer, tolerance } from '../../../src/lib/quiz/grade';

describe('parseNumberToken', () => {
	it.each([
		['0.4419', 0.4419],
		['.44', 0.44],
		['4.4e-1', 0.44],
		['1/3', 1 / 3],
		['-0.5', -0.5],
		['\u22120.5', -0.5],
		['+2', 2],
		['3.', 3],
		['1e3', 1000]
	])('reads %s', (token, value) => {
		expect(parseNumberToken(token)).toBeCloseTo(value, 12);
	});

	it.each(['abc', '1/0', '0x10', '1..2', '', '--1', 'NaN', 'Infinity', '1/'])('rejects %j', (t) => {
		expect(parseNumberToken(t)).toBeNull();
	});
});

describe('parseAnswer', () => {
	it('reads a number in every accepted notation', () => {
		for (const raw of ['0.4419', ' .4419 ', '4.419e-1', '[0.4419]']) {
			expect(parseAnswer(raw, [])).toEqual({ ok: true, value: 0.4419 });
		}
		expect(parseAnswer('1/3', [])).toEqual({ ok: true, value: 1 / 3 });
	});

	it('reads vectors with commas, spaces, brackets, or as a column', () => {
		const expected = { ok: true, value: [0.44, 0.65, 0.57] };
		expect(parseAnswer('[0.44, 0.65, 0.57]', [3])).toEqual(expected);
		expect(parseAnswer('0.44 0.65 0.57', [3])).toEqual(expected);
		expect(parseAnswer('0.44,0.65,  0.57', [3])).toEqual(expected);
		expect(parseAnswer('0.44\n0.65\n0.57', [3])).toEqual(expected);
		expect(parseAnswer('(.44, .65, .57)', [3])).toEqual(expected);
	});

	it('reads matrices by newline, semicolon or nested brackets', () => {
		const expected = {
			ok: true,
			value: [
				[1, 2],
				[3, 4]
			]
		};
		expect(parseAnswer('1 2\n3 4', [2, 2])).toEqual(expected);
		expect(parseAnswer('1, 2; 3, 4', [2, 2])).toEqual(expected);
		expect(parseAnswer('[[1, 2], [3, 4]]', [2, 2])).toEqual(expected);
		expect(parseAnswer('[1, 2]\n[3, 4]\n', [2, 2])).toEqual(expected);
	});

	it('explains unparsable input instead of grading it', () => {
		const result = parseAnswer('0.44, zero point six', [3]);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toContain('“zero” is not a number');
		expect(parseAnswer('   ', [3])).toEqual({ ok: false, message: 'Type an answer first.' });
	});

	it('explains a wrong shape', () => {
		expect(parseAnswer('1 2', [3])).toEqual({
			ok: false,
			message: 'Expected 3 numbers, got 2 numbers.'
		});
		expect(parseAnswer('1 2 3 4', [2, 2])).toEqual({
			ok: false,
			message:
				'Expected 2 rows of 2 numbers, got 4 numbers. Put each row on its own line or end it with “;”.'
		});
		const ragged = parseAnswer('1 2; 3', [2, 2]);
		expect(ragged.ok).toBe(false);
		if (!ragged.ok) expect(ragged.message).toContain('rows of different lengths (2, 1)');
	});

	it('round-trips any finite matrix printed with commas and new lines (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 5 }),
				fc.integer({ min: 1, max: 5 }),
				fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 25, maxLength: 25 }),
				(rows, cols, pool) => {
					const matrix = Array.from({ length: rows }, (_, r) =>
						Array.from({ length: cols }, (_, c) => pool[r * cols + c])
					);
					const text = matrix.map((row) => row.map(String).join(', ')).join('\n');
					const parsed = parseAnswer(text, [rows, cols]);
					expect(parsed).toEqual({ ok: true, value: matrix.map((r) => r.map((v) => v + 0)) });
				}
			),
			{ numRuns: 200 }
		);
	});
});

describe('gradeAnswer', () => {
	it('accepts a value rounded to the asked precision and rejects the next one', () => {
		expect(gradeAnswer(0.44, 0.4419, 2).correct).toBe(true);
		expect(gradeAnswer(0.4419, 0.4419, 4).correct).toBe(true);
		expect(gradeAnswer(0.45, 0.4419, 2).correct).toBe(false);
		expect(gradeAnswer(0.442, 0.4419, 4).correct).toBe(false);
	});

	it('marks each cell, with "close" for near misses', () => {
		const grade = gradeAnswer([0.44, 0.66, 0.9], [0.4419, 0.6515, 0.5683], 2);
		expect(grade.cells.map((c) => c.status)).toEqual(['correct', 'close', 'wrong']);
		expect(grade.correctCells).toBe(1);
		expect(grade.totalCells).toBe(3);
		expect(grade.correct).toBe(false);
	});

	it('grades matrices cell by cell with row and column', () => {
		const grade = gradeAnswer(
			[
				[1, 0],
				[0.5, 0.5]
			],
			[
				[1, 0],
				[0.4, 0.6]
			],
			2
		);
		expect(grade.cells.filter((c) => c.status !== 'correct').map((c) => [c.row, c.col])).toEqual([
			[1, 0],
			[1, 1]
		]);
	});

	it('tolerance is half a unit in the last asked place, plus float32 noise (at most 1e-6)', () => {
		expect(tolerance(2)).toBeCloseTo(0.005 + 1e-6, 12);
		expect(tolerance(4)).toBeCloseTo(0.00005 + 1e-6, 12);
		expect(tolerance(6)).toBeCloseTo(0.0000005 + 0.00000005, 14);
	});

	it('a value that float32 noise puts on either side of a rounding boundary may be rounded either way', () => {
		// the engine's float32 0.14545013 is the book's 0.1455; numpy in float64 may land at 0.14544999
		expect(gradeAnswer(0.1455, 0.14545013, 4).correct).toBe(true);
		expect(gradeAnswer(0.1454, 0.14545013, 4).correct).toBe(true);
		expect(gradeAnswer(0.1454, 0.1454512, 4).correct).toBe(false);
		expect(gradeAnswer(0.1453, 0.14545013, 4).correct).toBe(false);
	});

	it('accepts any of several values (as shown, at full precision) cell by cell, and no more', () => {
		const grade = gradeAnswer([0.4306, 1.4551], [0.43068, 1.45506], 4, [[0.43064, 1.45506]]);
		expect(grade.correct).toBe(true);
		expect(grade.cells.map((c) => c.expected)).toEqual([0.43064, 1.45506]);
		expect(gradeAnswer([0.4307, 1.4551], [0.43068, 1.45506], 4, [[0.43064, 1.45506]]).correct).toBe(
			true
		);
		const off = gradeAnswer([0.4305, 1.4551], [0.43068, 1.45506], 4, [[0.43064, 1.45506]]);
		expect(off.correct).toBe(false);
		expect(off.cells[0]).toMatchObject({ status: 'close', expected: 0.43068 });
		expect(gradeAnswer(0.4308, 0.43068, 4, [0.43064]).correct).toBe(false);
	});
});
