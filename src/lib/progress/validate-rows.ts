/**
 * Log rows that come from outside the app's own writes (a backup file, another device through
 * sync): the schema and the rules that tell an answer, an undo row and a card action row apart.
 * Apart from validate.ts so that the study pages, which only record answers, do not load it.
 */
import * as z from 'zod/mini';
import { CARD_ACTIONS } from '../scheduler/index.js';
import { actionRow, type ReviewRow } from './schema.js';
import { cleanText, MAX_ANSWER_LENGTH, MAX_ID_LENGTH, MAX_MISCONCEPTION_LENGTH } from './text.js';
import {
	describeIssues,
	idSchema,
	integer,
	MAX_DURATION_MS,
	MAX_TIME,
	MIN_TIME,
	misconceptionSchema,
	PRINTABLE_ID,
	timeSchema
} from './validate.js';

/**
 * A review row as it appears in a backup, before its text is cleaned. Kept free of transforms and
 * refinements, which make zod much slower on a million rows; `checkReviewRow` adds the rest.
 */
export const reviewRowSchema = z.object({
	id: idSchema,
	cardId: idSchema,
	deckId: idSchema,
	time: timeSchema,
	rating: integer(0, 4),
	correct: z.nullable(z.boolean()),
	rawAnswer: z.string().check(z.maxLength(1_000_000)),
	seed: z.nullable(z.int()),
	durationMs: z.number().check(z.gte(0), z.lte(1e12)),
	undoes: z.nullable(idSchema),
	/** Absent in backups written before misconceptions were stored, and on rows without one. */
	misconception: z.optional(misconceptionSchema),
	/** Action rows only (see scheduler/card-actions.ts); absent in older backups. */
	action: z.optional(z.enum(CARD_ACTIONS)),
	/** Bury rows only. */
	buriedUntil: z.optional(timeSchema)
});

type ParsedReviewRow = z.infer<typeof reviewRowSchema>;

const isId = (v: unknown, max = MAX_ID_LENGTH): v is string =>
	typeof v === 'string' && v.length >= 1 && v.length <= max && PRINTABLE_ID.test(v);
const isIntIn = (v: unknown, min: number, max: number): v is number =>
	Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * True only for an answer or undo row `reviewRowSchema` accepts, checked by hand (several times
 * faster than zod on an import's rows, nearly all of which are well-formed); false for anything
 * doubtful and for action rows, which zod then checks and explains. Never accepts what zod would
 * refuse (tested on random values).
 */
export function isWellFormedReviewRow(value: unknown): value is ParsedReviewRow {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const v = value as Record<string, unknown>;
	return (
		isId(v.id) &&
		isId(v.cardId) &&
		isId(v.deckId) &&
		isIntIn(v.time, MIN_TIME, MAX_TIME) &&
		isIntIn(v.rating, 0, 4) &&
		(v.correct === null || typeof v.correct === 'boolean') &&
		typeof v.rawAnswer === 'string' &&
		v.rawAnswer.length <= 1_000_000 &&
		(v.seed === null || Number.isSafeInteger(v.seed)) &&
		typeof v.durationMs === 'number' &&
		Number.isFinite(v.durationMs) &&
		v.durationMs >= 0 &&
		v.durationMs <= 1e12 &&
		(v.undoes === null || isId(v.undoes)) &&
		(v.misconception === undefined || isId(v.misconception, MAX_MISCONCEPTION_LENGTH)) &&
		v.action === undefined &&
		v.buriedUntil === undefined
	);
}

/** A valid, cleaned review row, or "where.field: problem". */
export function checkReviewRow(value: unknown, where: string): ReviewRow | string {
	if (isWellFormedReviewRow(value)) return checkParsedReviewRow(value, where);
	const parsed = reviewRowSchema.safeParse(value);
	if (!parsed.success) return describeIssues(parsed.error, 2, where);
	return checkParsedReviewRow(parsed.data, where);
}

/** `checkReviewRow` of a row the schema accepts: the rules across fields, then cleaning. */
export function checkParsedReviewRow(row: ParsedReviewRow, where: string): ReviewRow | string {
	const problem = rowKindProblem(row);
	return problem ? `${where}.${problem}` : cleanReviewRow(row);
}

/** What makes a row neither an answer, an undo nor an action ("field: problem"), or null. */
function rowKindProblem(row: ParsedReviewRow): string | null {
	if (row.action !== undefined) {
		if (row.rating !== 0 || row.undoes !== null) {
			return 'action: an action row has rating 0 and voids nothing (undoes: null)';
		}
		if (row.misconception !== undefined) {
			return 'misconception: only an answer has a misconception, not an action row';
		}
		if (row.action === 'bury' && !(row.buriedUntil !== undefined && row.buriedUntil > row.time)) {
			return 'buriedUntil: a bury row says until when, a time after its own';
		}
		if (row.action !== 'bury' && row.buriedUntil !== undefined) {
			return 'buriedUntil: only a bury row has one';
		}
		return null;
	}
	if (row.buriedUntil !== undefined) return 'buriedUntil: only a bury row has one';
	if ((row.rating === 0) !== (row.undoes !== null)) {
		return 'undoes: an undo row has rating 0 and names the answer it voids; an answer has rating 1-4';
	}
	if (row.undoes !== null && row.misconception !== undefined) {
		return 'misconception: only an answer has a misconception, not an undo row';
	}
	return null;
}

/** Cleans the free text and clamps the duration of a validated review row. */
export function cleanReviewRow(row: ParsedReviewRow): ReviewRow {
	if (row.action !== undefined) {
		const { id, cardId, deckId, time, action, buriedUntil } = row;
		return actionRow({ id, cardId, deckId, time, action, buriedUntil });
	}
	return {
		id: row.id,
		cardId: row.cardId,
		deckId: row.deckId,
		time: row.time,
		rating: row.rating as ReviewRow['rating'],
		correct: row.correct,
		rawAnswer: row.undoes === null ? cleanText(row.rawAnswer, MAX_ANSWER_LENGTH) : '',
		seed: row.seed,
		durationMs: row.undoes === null ? Math.min(Math.round(row.durationMs), MAX_DURATION_MS) : 0,
		undoes: row.undoes,
		...(row.undoes === null &&
			row.misconception !== undefined && { misconception: row.misconception })
	};
}
