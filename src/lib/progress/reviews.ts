/**
 * Writing the log. Each write is ONE read-write transaction over `logs` and `cards` (and the
 * derived `recent` and `schedules`): add the row to the card's log record, derive the card's
 * state from its log, write the cache row. Either all of it commits or none of it does, and because
 * the cache is derived from the log inside the transaction (IndexedDB runs overlapping read-write
 * transactions one after the other), two tabs answering at once both land in the log and the cache
 * ends up reflecting both.
 *
 * Deriving: when the cache row says it reflects the card's newest log row (`logHead`) and the new
 * answer sorts after that row, the answer is applied to the cached state (the same result as a
 * replay, without replaying ~100 rows); otherwise (another device's answers merged in, an answer
 * with an older timestamp, an undo) the card's whole log is replayed.
 */
import { applyRating, compareEvents, isRating, isUndo, type Rating } from '../scheduler/index.js';
import { appendAnswerRaw } from './answer-transaction.js';
import { guard, ProgressError } from './errors.js';
import { newId } from './ids.js';
import {
	appendRow,
	lastEvent,
	logRecord,
	mergeRows,
	readCardLog,
	rowCount,
	rowsOf
} from './log.js';
import { addRecentAnswer, newestRecent } from './recent.js';
import { clockProblem } from './clock.js';
import { isStaleCache, rebuildCardsIn, writeCaches } from './rebuild.js';
import { applyToSchedules, readScheduleOf } from './schedule-index.js';
import { schedulingOf } from './params-in-force.js';
import {
	undoRow,
	type CardLogRecord,
	type CardRow,
	type ProgressDb,
	type ReviewRow,
	type ScheduleRow
} from './schema.js';
import { cleanText, MAX_ANSWER_LENGTH } from './text.js';
import {
	describeIssues,
	MAX_DURATION_MS,
	reviewInputSchema,
	type ReviewInput
} from './validate.js';

export type { ReviewInput } from './validate.js';

export interface RecordOptions {
	/**
	 * The learner saw that the answer's time is more than a day before the newest logged answer
	 * (`checkClock`) and chose to record it anyway. A time before 2020 is never recorded.
	 */
	clockConfirmed?: boolean;
}

export interface RecordResult {
	review: ReviewRow;
	/** The card's cache row: the replay of its log, whatever a page previewed. */
	card: CardRow;
}

/**
 * Appends one answer and updates the card's cache, in one transaction. The stored state is always
 * the replay of the log. A wrong clock (see clock.ts) is refused with `ProgressError('clock')`
 * unless the learner confirmed it (`options.clockConfirmed`).
 *
 * @throws ProgressError `invalid` for a malformed review; `quota`, `aborted`, ... when the
 *   transaction fails, in which case nothing was written.
 */
export async function recordReview(
	db: ProgressDb,
	review: ReviewInput,
	options: RecordOptions = {}
): Promise<RecordResult> {
	const row = toReviewRow(review);
	const clockConfirmed = options.clockConfirmed === true;
	// the usual answer: a fresh id given now, extending the cache (see answer-transaction.ts)
	const fast =
		review.id === undefined ? await guard(() => appendAnswerRaw(db, row, clockConfirmed)) : null;
	if (fast) return { review: row, card: fast };
	const card = await guard(() =>
		db.transaction('rw', [db.logs, db.recent, db.cards, db.schedules], async () => {
			const [cached, record, schedule, newest] = await Promise.all([
				db.cards.get(row.cardId),
				db.logs.get(row.cardId),
				readScheduleOf(db.schedules, row),
				newestRecent(db.recent)
			]);
			const clock = clockProblem(row.time, newest);
			if (clock && (clock.kind === 'too-early' || !clockConfirmed)) {
				throw new ProgressError('clock', new Date(row.time).toISOString());
			}
			const head = record ? lastEvent(record) : undefined;
			const extendsCache =
				review.id === undefined &&
				cached !== undefined &&
				head !== undefined &&
				cached.logHead === head.id &&
				cached.logRows === rowCount(record as CardLogRecord) &&
				compareEvents(head, row) < 0;
			let written: CardRow | null;
			if (extendsCache && record) {
				// independent writes, issued together: one round trip to the storage process, not three
				[, , written] = await Promise.all([
					db.logs.put(appendRow(record, row)),
					addRecentAnswer(db.recent, row),
					appendToCache(db, cached, row, schedule)
				]);
			} else {
				const log = record ? rowsOf(record) : [];
				// a fresh random id cannot be in the log yet; a caller-chosen one might be
				if (log.some((entry) => entry.undoes === row.id)) {
					throw new ProgressError('invalid', `review id ${row.id} is already undone`);
				}
				if (log.some((entry) => entry.id === row.id)) {
					throw new ProgressError('invalid', `review id ${row.id} is already stored`);
				}
				const { rows } = mergeRows(log, [row]);
				await db.logs.put(logRecord(row.cardId, rows));
				await addRecentAnswer(db.recent, row);
				written = await writeCardCache(db, row.cardId, rows);
			}
			if (!written) throw new ProgressError('unknown', 'the answer does not count after replay');
			return written;
		})
	);
	return { review: row, card };
}

export interface UndoResult {
	undo: ReviewRow;
	/** The card's cache row after the undo; null when no answer to it counts any more (new again). */
	card: CardRow | null;
}

/**
 * Voids an answer (`target`: its id and card) by appending an undo row (rating 0,
 * `undoes: target.id`) and replaying the card.
 *
 * @throws ProgressError `not-found` for an unknown answer, `invalid` for an undo row or an answer
 *   that is already undone.
 */
export async function undoReview(
	db: ProgressDb,
	target: { cardId: string; id: string },
	now: number
): Promise<UndoResult> {
	return guard(() =>
		db.transaction('rw', [db.logs, db.recent, db.cards, db.schedules], async () => {
			const log = await readCardLog(db.logs, target.cardId);
			const answer = log.find((row) => row.id === target.id);
			if (!answer) throw new ProgressError('not-found', `no review ${target.id}`);
			if (isUndo(answer)) throw new ProgressError('invalid', 'an undo cannot be undone');
			if (!isRating(answer.rating)) {
				throw new ProgressError('invalid', 'not an answer');
			}
			if (log.some((row) => row.undoes === answer.id)) {
				throw new ProgressError('invalid', 'this answer is already undone');
			}
			const undo = undoRow(answer, newId(), now);
			const { rows } = mergeRows(log, [undo]);
			await db.logs.put(logRecord(answer.cardId, rows));
			await addRecentAnswer(db.recent, undo);
			return { undo, card: await writeCardCache(db, answer.cardId, rows) };
		})
	);
}

/**
 * The latest answer that can still be undone (not itself undone), or null. Reads card logs newest
 * first (`lastTime` index) and stops at the first log older than the best answer found.
 */
export async function lastUndoableReview(db: ProgressDb): Promise<ReviewRow | null> {
	return guard(() =>
		db.transaction('r', db.logs, async () => {
			let found: ReviewRow | null = null;
			await db.logs
				.orderBy('lastTime')
				.reverse()
				.until((record) => found !== null && record.lastTime < found.time)
				.each((record) => {
					const rows = rowsOf(record);
					const undone = new Set(record.undoes);
					const answer = rows.findLast(
						(row) => !isUndo(row) && isRating(row.rating) && !undone.has(row.id)
					);
					if (answer && (found === null || compareEvents(answer, found) > 0)) found = answer;
				});
			return found;
		})
	);
}

/** A card's log (undo rows included), oldest first. */
export async function getCardLog(db: ProgressDb, cardId: string): Promise<ReviewRow[]> {
	return guard(() => readCardLog(db.logs, cardId));
}

/**
 * The cache rows of these cards, in the same order; undefined for a card never studied. A stale
 * row (built from fewer or more log rows than the card's log holds: an interrupted import) is
 * rebuilt from the log first, in the same transaction.
 */
export async function getCardsByIds(
	db: ProgressDb,
	cardIds: readonly string[]
): Promise<(CardRow | undefined)[]> {
	const ids = [...cardIds];
	return guard(async () => {
		const [cards, records] = await db.transaction('r', db.cards, db.logs, () =>
			Promise.all([db.cards.bulkGet(ids), db.logs.bulkGet(ids)])
		);
		const stale = ids.filter((_, k) => isStaleCache(cards[k], records[k]));
		if (stale.length === 0) return cards;
		// rare: rebuild in a read-write transaction (the log may have grown since the read)
		return db.transaction('rw', [db.logs, db.cards, db.schedules], async () => {
			await rebuildCardsIn(db, stale);
			return db.cards.bulkGet(ids);
		});
	});
}

/** Ids of every studied card (keys only: cheap even for 10,000 cards). */
export async function studiedCardIds(db: ProgressDb): Promise<string[]> {
	return guard(() => db.cards.toCollection().primaryKeys());
}

/** The cache rows of all studied cards. */
export async function getCards(db: ProgressDb): Promise<CardRow[]> {
	return guard(() => db.cards.toArray());
}

/**
 * The cache row after appending `row` to a log whose newest row the cache already reflects: the
 * replay of that log is a fold over its answers, so applying the new answer to the cached state
 * gives exactly what a full replay would.
 */
async function appendToCache(
	db: ProgressDb,
	cached: CardRow,
	row: ReviewRow,
	schedule: ReadonlyMap<string, ScheduleRow | undefined>
): Promise<CardRow> {
	const next: CardRow = {
		...cached,
		...applyRating(cached, row.rating as Rating, row.time, schedulingOf(db)),
		deckId: row.deckId,
		answers: cached.answers + 1,
		logHead: row.id,
		logRows: (cached.logRows ?? 0) + 1
	};
	await Promise.all([
		db.cards.put(next),
		applyToSchedules(db.schedules, [next], cached.deckId === next.deckId ? [] : [cached], schedule)
	]);
	return next;
}

/** Replays the card's log and writes (or deletes) its cache rows. */
async function writeCardCache(
	db: ProgressDb,
	cardId: string,
	log: readonly ReviewRow[]
): Promise<CardRow | null> {
	const [row] = await writeCaches(db, [{ cardId, rows: log }]);
	return row ?? null;
}

function toReviewRow(input: ReviewInput): ReviewRow {
	const parsed = reviewInputSchema.safeParse(input);
	if (!parsed.success) throw new ProgressError('invalid', describeIssues(parsed.error));
	const r = parsed.data;
	return {
		id: r.id ?? newId(),
		cardId: r.cardId,
		deckId: r.deckId,
		time: r.time,
		rating: r.rating,
		correct: r.correct ?? null,
		rawAnswer: cleanText(r.rawAnswer ?? '', MAX_ANSWER_LENGTH),
		seed: r.seed ?? null,
		durationMs: Math.min(Math.round(r.durationMs ?? 0), MAX_DURATION_MS),
		undoes: null,
		...(r.misconception !== undefined && { misconception: r.misconception })
	};
}
