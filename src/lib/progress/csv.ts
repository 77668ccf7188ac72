/**
 * CSV export of the review log (RFC 4180: CRLF rows, every field quoted, quotes doubled), safe to
 * open in a spreadsheet (see `csvCell` for the formula rule).
 * Rows come card by card, each card's oldest first (the order they are stored in); sort on `time_ms`
 * for one timeline. Columns are only ever added at the end (`misconception`: the id the quiz engine
 * diagnosed in an answer, empty when none; `action` and `buried_until`: a card action row's, see
 * scheduler/card-actions.ts), so a spreadsheet built on older exports still lines up.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
import { RATING_NAMES, isRating } from '../scheduler/index.js';
import { BlobBuilder } from './backup-export.js';
import { guard } from './errors.js';
import { eachLogPage, LOG_PAGE_SIZE, rowsOf } from './log.js';
import type { ProgressDb, ReviewRow } from './schema.js';

export const CSV_COLUMNS = [
	'id',
	'time',
	'time_ms',
	'card_id',
	'deck_id',
	'rating',
	'rating_name',
	'correct',
	'raw_answer',
	'seed',
	'duration_ms',
	'undoes',
	'misconception',
	'action',
	'buried_until'
] as const;

/**
 * Where a spreadsheet may start a cell: the start of the field, or after a character that some
 * spreadsheet splits on when it guesses the separator or ignores the quotes (`,` `;` tab, CR, LF).
 */
const SEPARATOR = /([,;\t\r\n])/;
/**
 * A piece that a spreadsheet may run as a formula: `= + - @` (or their full-width forms, which an
 * IME types), after any spaces or quotes (a spreadsheet that splits inside a quoted field may read
 * `"=…` as a quoted formula).
 */
const FORMULA_START = /^[\s\u3000"]*[=+\-@\uff1d\uff0b\uff0d\uff20]/;
const NUMBER = String.raw`[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`;
/** Plain numbers (`-0.25`, `+1e-3`, `-1 2`) or nothing: read as numbers or text, never run. */
const PLAIN_NUMBERS = new RegExp(String.raw`^\s*(${NUMBER}(\s+${NUMBER})*)?\s*$`);

/**
 * Text a spreadsheet shows as text: every piece of it that could start a cell with a formula (the
 * field's start, or after `,` `;` tab or a line break, in case the spreadsheet splits there) gets a
 * leading apostrophe. Text made only of plain numbers and separators is left alone, however it is
 * split (a number is never run): a learner's matrix answer such as `0.1, -0.2; 0.3, 0.4` stays as
 * typed, while `a;=HYPERLINK(...)` becomes `a;'=HYPERLINK(...)`.
 */
export function defuseFormulas(text: string): string {
	// split with a capture group: pieces at even indices, the separators between them at odd ones
	const parts = text.split(SEPARATOR);
	if (parts.every((part, i) => i % 2 === 1 || PLAIN_NUMBERS.test(part))) return text;
	return parts
		.map((part, i) => (i % 2 === 0 && FORMULA_START.test(part) ? `'${part}` : part))
		.join('');
}

/**
 * One CSV field, always quoted (RFC 4180; a quoted field is never split on a comma or a line break
 * and keeps leading spaces). Numbers and booleans as written, null as an empty field, text with its
 * formulas defused (`defuseFormulas`).
 */
export function csvCell(value: string | number | boolean | null): string {
	const text =
		value === null ? '' : typeof value === 'string' ? defuseFormulas(value) : String(value);
	return `"${text.replace(/"/g, '""')}"`;
}

export function csvRow(cells: readonly (string | number | boolean | null)[]): string {
	return cells.map(csvCell).join(',') + '\r\n';
}

export function reviewCsvRow(row: ReviewRow): string {
	return csvRow([
		row.id,
		new Date(row.time).toISOString(),
		row.time,
		row.cardId,
		row.deckId,
		row.rating,
		isRating(row.rating) ? RATING_NAMES[row.rating] : row.action ? 'Action' : 'Undo',
		row.correct ?? null,
		row.rawAnswer ?? '',
		row.seed ?? null,
		row.durationMs ?? 0,
		row.undoes ?? null,
		row.misconception ?? null,
		row.action ?? null,
		row.buriedUntil === undefined ? null : new Date(row.buriedUntil).toISOString()
	]);
}

/** The review log as CSV (UTF-8 with a byte-order mark, so spreadsheets detect the encoding). */
export async function exportReviewsCsvBlob(
	db: ProgressDb,
	options: { pageSize?: number } = {}
): Promise<Blob> {
	const out = new BlobBuilder();
	out.push('\ufeff' + csvRow(CSV_COLUMNS));
	await guard(() =>
		db.transaction('r', db.logs, async () =>
			eachLogPage(
				db,
				(page) => {
					for (const record of page) out.push(rowsOf(record).map(reviewCsvRow).join(''));
				},
				options.pageSize ?? LOG_PAGE_SIZE
			)
		)
	);
	return out.build('text/csv;charset=utf-8');
}
