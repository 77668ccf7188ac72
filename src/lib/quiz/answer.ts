/**
 * Parsing what a learner types for a number, vector or matrix answer.
 * Accepts `0.4419`, `.44`, `4.4e-1`, `1/3`, `-0.5`, `−0.5` (Unicode minus), `[0.44, 0.65, 0.57]`,
 * numbers separated by commas and/or spaces, rows separated by new lines, `;` or brackets
 * (`[[1, 2], [3, 4]]`). Parsing never throws: a problem comes back as a message for the learner.
 */

export type Numeric = number | number[] | number[][];

/** `[]` for a number, `[n]` for a vector, `[rows, cols]` for a matrix. */
export type AnswerShape = [] | [number] | [number, number];

export type ParseResult = { ok: true; value: Numeric } | { ok: false; message: string };

const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const NUMBER_OR_FRACTION = new RegExp(`^(${NUMBER})(?:/(${NUMBER}))?$`);
export const ANSWER_EXAMPLES = '0.44, .44, 4.4e-1 or 1/3';

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
	if (shape.length === 0) return 'one number';
	if (shape.length === 1) return `${shape[0]} numbers`;
	return `${shape[0]} rows of ${shape[1]} numbers`;
}

function describeRows(rows: number[][]): string {
	const lengths = [...new Set(rows.map((r) => r.length))];
	if (rows.length === 1) return `${rows[0].length} number${rows[0].length === 1 ? '' : 's'}`;
	if (lengths.length === 1) return `${rows.length} rows of ${lengths[0]} numbers`;
	return `${rows.length} rows of different lengths (${rows.map((r) => r.length).join(', ')})`;
}

/**
 * Parses `raw` into the expected shape. Wrong shape and unparsable input give a message that says
 * what was expected; they are never counted as a wrong answer.
 */
export function parseAnswer(raw: string, shape: AnswerShape): ParseResult {
	const rows = tokenize(raw);
	if (rows.length === 0) return { ok: false, message: 'Type an answer first.' };

	const numbers: number[][] = [];
	for (const row of rows) {
		const parsed: number[] = [];
		for (const token of row) {
			const value = parseNumberToken(token);
			if (value === null) {
				return {
					ok: false,
					message: `“${token}” is not a number I can read. Write numbers like ${ANSWER_EXAMPLES}.`
				};
			}
			parsed.push(value);
		}
		numbers.push(parsed);
	}

	const flat = numbers.flat();
	const wrongShape = (): ParseResult => ({
		ok: false,
		message:
			`Expected ${describeShape(shape)}, got ${describeRows(numbers)}.` +
			(shape.length === 2 ? ' Put each row on its own line or end it with “;”.' : '')
	});

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
