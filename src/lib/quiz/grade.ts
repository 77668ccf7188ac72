import type { Numeric } from './answer.js';

export type CellStatus = 'correct' | 'close' | 'wrong';

export interface CellFeedback {
	/** Row and column in the answer (0 for numbers and vectors' row). */
	row: number;
	col: number;
	given: number;
	/** The accepted value this cell was graded against: the one it matched, else the first. */
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
 * How far apart two float32 computations of the same number may land (the engine in float32 against
 * PyTorch, or against a learner's float64 numpy): about 1e-7 on this chapter's numbers, bounded by
 * 1e-6. It only decides values that sit on a rounding boundary, and stays below a tenth of the half
 * unit for every `decimals` a deck may ask (0 to 6).
 */
const FLOAT_NOISE = 1e-6;

/**
 * Half a unit in the last asked place, ½·10^−decimals, plus the float noise of the computation (never
 * more than a tenth of that half unit): a cell is correct when it equals an accepted value rounded to
 * `decimals` places. Within 2·10^−decimals it is marked "close" (usually rounding of an intermediate
 * step) but still not counted as right.
 */
export function tolerance(decimals: number): number {
	const half = 0.5 * 10 ** -decimals;
	return half + Math.min(FLOAT_NOISE, half / 10);
}

function cellsOf(value: Numeric): number[][] {
	if (typeof value === 'number') return [[value]];
	if (value.length > 0 && Array.isArray(value[0])) return value as number[][];
	return [value as number[]];
}

/**
 * Grades a parsed answer (already of the right shape) against the engine's value, cell by cell. A
 * cell is right when it is within `tolerance(decimals)` of `expected` or of the same cell of any value
 * in `also` (e.g. the answer at full precision when the numbers shown were rounded).
 */
export function gradeAnswer(
	given: Numeric,
	expected: Numeric,
	decimals: number,
	also: readonly Numeric[] = []
): Grade {
	const givenCells = cellsOf(given);
	const references = [expected, ...also].map(cellsOf);
	const strict = tolerance(decimals);
	const loose = 2 * 10 ** -decimals;
	const cells: CellFeedback[] = [];
	references[0].forEach((expectedRow, row) =>
		expectedRow.forEach((first, col) => {
			const givenValue = givenCells[row]?.[col] ?? Number.NaN;
			const accepted = references.map((ref) => ref[row]?.[col] ?? first);
			const errors = accepted.map((value) => Math.abs(givenValue - value));
			const best = errors.indexOf(Math.min(...errors));
			const error = errors[best] ?? Number.NaN;
			const status: CellStatus = error <= strict ? 'correct' : error <= loose ? 'close' : 'wrong';
			const shown = status === 'correct' ? accepted[best] : first;
			cells.push({ row, col, given: givenValue, expected: shown, status });
		})
	);
	const correctCells = cells.filter((cell) => cell.status === 'correct').length;
	return { correct: correctCells === cells.length, correctCells, totalCells: cells.length, cells };
}

/** What an engine-checked attempt accepts: its answer, and the full-precision one when it differs. */
export interface AcceptedAnswers {
	expected: Numeric;
	unrounded?: Numeric;
	decimals: number;
}

/** Grades an answer to a computed question: right within half a unit of any accepted answer. */
export function gradeComputed(given: Numeric, computed: AcceptedAnswers): Grade {
	const also = computed.unrounded === undefined ? [] : [computed.unrounded];
	return gradeAnswer(given, computed.expected, computed.decimals, also);
}
