import type { Numeric } from './answer.js';

export type CellStatus = 'correct' | 'close' | 'wrong';

export interface CellFeedback {
	/** Row and column in the answer (0 for numbers and vectors' row). */
	row: number;
	col: number;
	given: number;
	expected: number;
	status: CellStatus;
}

export interface Grade {
	correct: boolean;
	correctCells: number;
	totalCells: number;
	cells: CellFeedback[];
}

/**
 * A cell is correct when it equals the expected value rounded to `decimals` places, i.e. when
 * |given − expected| ≤ ½·10^−decimals (a tiny slack absorbs float noise). Within 2·10^−decimals it is
 * marked "close" (usually rounding of an intermediate step) but still not counted as right.
 */
export function tolerance(decimals: number): number {
	return 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12;
}

function cellsOf(value: Numeric): number[][] {
	if (typeof value === 'number') return [[value]];
	if (value.length > 0 && Array.isArray(value[0])) return value as number[][];
	return [value as number[]];
}

/** Grades a parsed answer (already of the right shape) against the engine's value. */
export function gradeAnswer(given: Numeric, expected: Numeric, decimals: number): Grade {
	const givenCells = cellsOf(given);
	const expectedCells = cellsOf(expected);
	const strict = tolerance(decimals);
	const loose = 2 * 10 ** -decimals;
	const cells: CellFeedback[] = [];
	expectedCells.forEach((expectedRow, row) =>
		expectedRow.forEach((expectedValue, col) => {
			const givenValue = givenCells[row]?.[col] ?? Number.NaN;
			const error = Math.abs(givenValue - expectedValue);
			const status: CellStatus = error <= strict ? 'correct' : error <= loose ? 'close' : 'wrong';
			cells.push({ row, col, given: givenValue, expected: expectedValue, status });
		})
	);
	const correctCells = cells.filter((cell) => cell.status === 'correct').length;
	return { correct: correctCells === cells.length, correctCells, totalCells: cells.length, cells };
}
