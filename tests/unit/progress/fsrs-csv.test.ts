import { describe, expect, it } from 'vitest';
import {
	FSRS_CSV_COLUMNS,
	fsrsOptimizerCsv,
	type FsrsCsvInputRow
} from '../../../src/lib/progress/index.js';

const MIN = 60_000;
const DAY = 86_400_000;
const t0 = Date.UTC(2025, 2, 3, 9, 0);

function row(
	id: string,
	cardId: string,
	time: number,
	rating: 0 | 1 | 2 | 3 | 4,
	extra: Partial<FsrsCsvInputRow> = {}
): FsrsCsvInputRow {
	return { id, cardId, time, rating, undoes: null, durationMs: 4000, ...extra };
}

/**
 * Card `deck/a`: Again, two learning steps, a lapse three days later, its relearning step.
 * Card `deck/b`: Good undone (and its undo row), then Easy; its first counting answer comes first.
 * Card `deck/c`: its only answer undone: no line, no number.
 * Card `deck/d`: one answer, and an undo row naming an answer of `deck/a` (voids nothing).
 */
const log: FsrsCsvInputRow[] = [
	row('a5', 'deck/a', t0 + 3 * DAY + 10 * MIN, 3, { durationMs: 2500.4 }),
	row('a1', 'deck/a', t0, 1, { durationMs: 12_000 }),
	row('a2', 'deck/a', t0 + MIN, 3),
	row('a3', 'deck/a', t0 + 11 * MIN, 3, { durationMs: -5 }),
	row('a4', 'deck/a', t0 + 3 * DAY, 1, { durationMs: null }),
	row('b1', 'deck/b', t0 - 2 * MIN, 3),
	row('b1-undo', 'deck/b', t0 - 2 * MIN + 1000, 0, { undoes: 'b1', durationMs: 0 }),
	row('b2', 'deck/b', t0 - MIN, 4, { durationMs: 1500 }),
	row('c1', 'deck/c', t0 + 5 * MIN, 3),
	row('c1-undo', 'deck/c', t0 + 6 * MIN, 0, { undoes: 'c1' }),
	row('d1', 'deck/d', t0 + DAY, 2, { durationMs: 7000 }),
	row('d-undo', 'deck/d', t0 + DAY + 1000, 0, { undoes: 'a1' })
];

describe('fsrsOptimizerCsv (FSRS optimizer revlog CSV)', () => {
	it('writes the optimizer columns, answers that count only, by card then time', () => {
		const out = fsrsOptimizerCsv(log, { timeZone: 'Europe/Berlin', dayStartHour: 4 });
		expect(out.csv).toBe(
			[
				'card_id,review_time,review_rating,review_state,review_duration',
				`1,${t0 - MIN},4,0,1500`,
				`2,${t0},1,0,12000`,
				`2,${t0 + MIN},3,1,4000`,
				`2,${t0 + 11 * MIN},3,1,0`,
				`2,${t0 + 3 * DAY},1,2,0`,
				`2,${t0 + 3 * DAY + 10 * MIN},3,3,2500`,
				`3,${t0 + DAY},2,0,7000`,
				''
			].join('\n')
		);
		expect(FSRS_CSV_COLUMNS.join(',')).toBe(out.csv.split('\n')[0]);
		expect(out.rows).toBe(7);
		expect([...out.cardIds]).toEqual([
			['deck/b', 1],
			['deck/a', 2],
			['deck/d', 3]
		]);
		expect(out.timeZone).toBe('Europe/Berlin');
		expect(out.dayStartHour).toBe(4);
	});

	it('is plain CSV a pandas or csv reader takes as is: no BOM, no quotes, integers only', () => {
		const { csv } = fsrsOptimizerCsv(log, { timeZone: 'UTC' });
		expect(csv.charCodeAt(0)).not.toBe(0xfeff);
		expect(csv).not.toContain('"');
		expect(csv).not.toContain('\r');
		for (const line of csv.trim().split('\n').slice(1)) {
			expect(line).toMatch(/^\d+,\d+,[1-4],[0-3],\d+$/);
		}
	});

	it('numbers cards stably: input order does not matter, new cards come after', () => {
		const forward = fsrsOptimizerCsv(log, { timeZone: 'UTC' });
		const backward = fsrsOptimizerCsv([...log].reverse(), { timeZone: 'UTC' });
		expect(backward.csv).toBe(forward.csv);
		const more = fsrsOptimizerCsv([...log, row('e1', 'deck/e', t0 + 4 * DAY, 3)], {
			timeZone: 'UTC'
		});
		expect(more.csv.startsWith(forward.csv)).toBe(true);
		expect(more.cardIds.get('deck/e')).toBe(4);
	});

	it('a reset starts the card again: the rows before it are left out and the next answer is New', () => {
		const out = fsrsOptimizerCsv(
			[
				row('x1', 'deck/x', t0, 3),
				row('x2', 'deck/x', t0 + 3 * DAY, 3),
				row('x-reset', 'deck/x', t0 + 3 * DAY + MIN, 0, { action: 'reset', durationMs: 0 }),
				row('x3', 'deck/x', t0 + 4 * DAY, 4),
				row('x-bury', 'deck/x', t0 + 4 * DAY + MIN, 0, { action: 'bury', durationMs: 0 })
			],
			{ timeZone: 'UTC' }
		);
		expect(out.csv.trim().split('\n').slice(1)).toEqual([`1,${t0 + 4 * DAY},4,0,4000`]);
		expect(out.rows).toBe(1);
	});

	it('defaults the day start to 4, checks the time zone and the hour, handles an empty log', () => {
		expect(fsrsOptimizerCsv([], { timeZone: 'UTC' })).toEqual({
			csv: 'card_id,review_time,review_rating,review_state,review_duration\n',
			rows: 0,
			cardIds: new Map(),
			timeZone: 'UTC',
			dayStartHour: 4
		});
		expect(() => fsrsOptimizerCsv(log, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
		expect(() => fsrsOptimizerCsv(log, { timeZone: 'UTC', dayStartHour: 24 })).toThrow(RangeError);
	});
});
