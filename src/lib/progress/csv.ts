/**
 * CSV export of the review log (RFC 4180: CRLF rows, fields with a comma, quote or line break are
 * quoted, quotes doubled), safe to open in a spreadsheet: a text cell starting with = + - @ (or tab
 * or CR) gets a leading apostrophe so it is not run as a formula.
 * Rows come card by card, each card's oldest first (the order they are stored in); sort on `time_ms`
 * for one timeline. Columns are only ever added at the end (`misconception`: the id the quiz engine
 * diagnosed in an answer, empty when none), so a spreadsheet built on older exports still lines up.
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
	'misconception'
] as const;

/** One CSV field. Numbers and booleans as written; text guarded against formulas and quoted. */
export function csvCell(value: string | number | boolean | null): string {
	if (value === null) return '';
	if (typeof value !== 'string') return String(value);
	const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
		isRating(row.rating) ? RATING_NAMES[row.rating] : 'Undo',
		row.correct ?? null,
		row.rawAnswer ?? '',
		row.seed ?? null,
		row.durationMs ?? 0,
		row.undoes ?? null,
		row.misconception ?? null
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
