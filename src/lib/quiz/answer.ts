/**
 * Parsing what a learner types for a number, vector or matrix answer.
 * Accepts `0.4419`, `.44`, `4.4e-1`, `1/3`, `-0.5`, `−0.5` (Unicode minus), `[0.44, 0.65, 0.57]`,
 * numbers separated by commas and/or spaces, rows separated by new lines, `;` or brackets
 * (`[[1, 2], [3, 4]]`). Parsing never throws: a problem comes back as a message for the learner.
 */

import { m } from '../paraglide/messages.js';
import { pluralOf } from './locale.js';

export type Numeric = number | number[] | number[][];

/** `[]` for a number, `[n]` for a vector, `[rows, cols]` for a matrix. */
export type AnswerShape = [] | [number] | [number, number];

export type ParseResult = { ok: true; value: Numeric } | { ok: false; message: string };

const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const NUMBER_OR_FRACTION = new RegExp(`^(${NUMBER})(?:/(${NUMBER}))?$`);
/** The examples in English (kept for callers not yet localised); `answerExamples()` is the page's language. */
export const ANSWER_EXAMPLES = '0.44, .44, 4.4e-1 or 1/3';

/** Examples of numbers we read, in the page's language: `0.44, .44, 4.4e-1 or 1/3`. */
export function answerExamples(): string {
	return m.quiz_answer_examples();
}

/** One number token; `null` when it is not a number we accept. */
export function parseNumberToken(token: string): number | null {
	const match = NUMBER_OR_FRACTION.exec(token.replace(/\u2212/g, '-'));
	if (!match) return null;
	const numerator = Number(match[1]);
	const value = match[2] === undefined ? numerator : numerator / Number(match[2]);
	return Number.isFinite(value) ? value : null;
}

/** Splits raw text into rows of tokens (without judging the tokens). */
export function tokenize(raw: string): string[][] {
	return raw
		.replace(/\u2212/g, '-')
		.replace(/[[(]/g, ' ')
		.split(/[\])\n;]/)
		.map((row) =>
			row
				.split(/[\s,]+/)
				.map((token) => token.trim())
				.filter((token) => token.length > 0)
		)
		.filter((row) => row.length > 0);
}

function describeShape(shape: AnswerShape): string {
	if (shape.length === 0) return m.quiz_answer_one_number();
	if (shape.length === 1) return m.quiz_answer_numbers({ count: shape[0] });
	return m.quiz_answer_rows_of({ rows: shape[0], cols: shape[1] });
}

function describeRows(rows: number[][]): string {
	const lengths = [...new Set(rows.map((r) => r.length))];
	if (rows.length === 1) {
		const count = rows[0].length;
		return pluralOf(count, m.quiz_answer_count_one, m.quiz_answer_count_other)({ count });
	}
	if (lengths.length === 1) return m.quiz_answer_rows_of({ rows: rows.length, cols: lengths[0] });
	return m.quiz_answer_ragged({
		rows: rows.length,
		lengths: rows.map((r) => r.length).join(', ')
	});
}

/**
 * Parses `raw` into the expected shape. Wrong shape and unparsable input give a message that says
 * what was expected; they are never counted as a wrong answer.
 */
export function parseAnswer(raw: string, shape: AnswerShape): ParseResult {
	const rows = tokenize(raw);
	if (rows.length === 0) return { ok: false, message: m.quiz_answer_type_first() };

	const numbers: number[][] = [];
	for (const row of rows) {
		const parsed: number[] = [];
		for (const token of row) {
			const value = parseNumberToken(token);
			if (value === null) {
				return {
					ok: false,
					message: m.quiz_answer_not_a_number({ token, examples: answerExamples() })
				};
			}
			parsed.push(value);
		}
		numbers.push(parsed);
	}

	const flat = numbers.flat();
	const wrongShape = (): ParseResult => {
		const texts = { expected: describeShape(shape), got: describeRows(numbers) };
		const message =
			shape.length === 2 ? m.quiz_answer_wrong_shape_rows(texts) : m.quiz_answer_wrong_shape(texts);
		return { ok: false, message };
	};

	if (shape.length === 0) return flat.length === 1 ? { ok: true, value: flat[0] } : wrongShape();
	if (shape.length === 1) {
		const isRowOrColumn = numbers.length === 1 || numbers.every((row) => row.length === 1);
		return isRowOrColumn && flat.length === shape[0] ? { ok: true, value: flat } : wrongShape();
	}
	const [rowCount, colCount] = shape;
	const fits = numbers.length === rowCount && numbers.every((row) => row.length === colCount);
	return fits ? { ok: true, value: numbers } : wrongShape();
}

/** Shape of a computed value. */
/** Every number of a value, row by row. */
export function numbersOf(value: Numeric): number[] {
	return typeof value === 'number' ? [value] : value.flat();
}

export function shapeOf(value: Numeric): AnswerShape {
	if (typeof value === 'number') return [];
	if (value.length > 0 && Array.isArray(value[0])) {
		const matrix = value as number[][];
		return [matrix.length, matrix[0].length];
	}
	return [value.length];
}
