/**
 * The review log in the FSRS optimizer's revlog CSV format, for the learner's own use with other
 * FSRS tools (the open-spaced-repetition optimizer, `python -m fsrs_optimizer revlog.csv`, and tools
 * that read the same schema).
 *
 * Columns (the optimizer's "Review Logs Schema"):
 * - `card_id`: an integer per card (see below);
 * - `review_time`: epoch milliseconds (UTC);
 * - `review_rating`: 1 Again, 2 Hard, 3 Good, 4 Easy;
 * - `review_state`: the card's state when it was answered, before the answer: 0 New (its first
 *   answer), 1 Learning, 2 Review, 3 Relearning, replayed with the app's scheduler;
 * - `review_duration`: milliseconds spent on the answer (a whole number, never negative).
 *
 * The schema's "extra info", the learner's `timezone` (IANA) and `day_start` (the hour a new day
 * starts), is not a column: the optimizer asks for it, so the result carries it for the page to show.
 *
 * Only answers that count: undo rows and the answers they void are left out (`activeAnswers`), and
 * so are the answers before a card's newest reset: the same rule as replay, and as Anki's optimizer
 * (a reset forgets the card's memory state). Rows are sorted by card, then time.
 *
 * Card ids become integers 1, 2, 3… in the order of each card's first counting answer (ties by that
 * answer's id, then the card id), because the schema's own exports and several readers expect
 * integers, and our ids are free-form strings. The numbering depends only on the
 * log, so exporting the same log twice gives the same numbers, and answering more cards only adds
 * numbers after the existing ones (unless an import or a sync brings answers older than a card's
 * first one). `cardIds` maps them back.
 *
 * Plain CSV: no byte-order mark (pandas would read it into the first column's name), LF line ends,
 * no quoting needed (every field is a number).
 * @see https://github.com/open-spaced-repetition/fsrs-optimizer#review-logs-schema
 */
import {
	activeAnswers,
	applyRating,
	sinceLastReset,
	isValidTimeZone,
	newCardState,
	type Rating
} from '../scheduler/index.js';
import type { ReviewRow } from './schema.js';

export const FSRS_CSV_COLUMNS = [
	'card_id',
	'review_time',
	'review_rating',
	'review_state',
	'review_duration'
] as const;

/** The fields of a log row the export reads (progress's `ReviewRow` fits). */
export type FsrsCsvInputRow = Pick<
	ReviewRow,
	'id' | 'cardId' | 'time' | 'rating' | 'undoes' | 'action'
> & {
	durationMs?: number | null;
};

export interface FsrsCsvOptions {
	/** The learner's IANA time zone (settings' `timeZone`). */
	timeZone: string;
	/** The hour a new learner day starts, 0-23 (settings' `dayStartHour`; default 4, as the optimizer's). */
	dayStartHour?: number;
}

export interface FsrsCsvExport {
	/** The file: header and one line per counting answer, LF line ends. */
	csv: string;
	/** Answers written. */
	rows: number;
	/** Our card id → the integer in `card_id`. */
	cardIds: Map<string, number>;
	/** The extra info the optimizer asks for ("timezone", "next day start hour"). */
	timeZone: string;
	dayStartHour: number;
}

export const FSRS_CSV_DEFAULT_DAY_START = 4;

/**
 * The log as the FSRS optimizer's revlog CSV (see the file comment). `rows` in any order, undo rows
 * included. O(rows log rows).
 * @throws RangeError for an unknown time zone or a day-start hour outside 0-23
 */
export function fsrsOptimizerCsv(
	rows: Iterable<FsrsCsvInputRow>,
	options: FsrsCsvOptions
): FsrsCsvExport {
	const dayStartHour = options.dayStartHour ?? FSRS_CSV_DEFAULT_DAY_START;
	if (!isValidTimeZone(options.timeZone)) {
		throw new RangeError(`unknown time zone: ${options.timeZone}`);
	}
	if (!Number.isInteger(dayStartHour) || dayStartHour < 0 || dayStartHour > 23) {
		throw new RangeError(`dayStartHour must be an integer 0-23, got ${dayStartHour}`);
	}

	const byCard = new Map<string, FsrsCsvInputRow[]>();
	for (const row of rows) {
		const list = byCard.get(row.cardId);
		if (list) list.push(row);
		else byCard.set(row.cardId, [row]);
	}
	const cards: { cardId: string; answers: FsrsCsvInputRow[] }[] = [];
	for (const [cardId, list] of byCard) {
		const answers = activeAnswers(sinceLastReset(list));
		if (answers.length > 0) cards.push({ cardId, answers });
	}
	cards.sort((a, b) => {
		const x = a.answers[0];
		const y = b.answers[0];
		return x.time - y.time || compare(x.id, y.id) || compare(a.cardId, b.cardId);
	});

	const lines: string[] = [FSRS_CSV_COLUMNS.join(',')];
	const cardIds = new Map<string, number>();
	for (const { cardId, answers } of cards) {
		const number = cardIds.size + 1;
		cardIds.set(cardId, number);
		let state = newCardState();
		for (const answer of answers) {
			const rating = answer.rating as Rating;
			lines.push(
				`${number},${Math.round(answer.time)},${rating},${state.state},${duration(answer.durationMs)}`
			);
			state = applyRating(state, rating, answer.time);
		}
	}
	return {
		csv: lines.join('\n') + '\n',
		rows: lines.length - 1,
		cardIds,
		timeZone: options.timeZone,
		dayStartHour
	};
}

function duration(ms: number | null | undefined): number {
	return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
