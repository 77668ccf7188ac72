/**
 * A card's state is a pure function of its review log, so the `cards` table is only a cache.
 *
 * Undo design: the log is append-only, so an undo is itself a log entry: a row with
 * `undoes: <id of the answer it voids>` (and rating 0). Replay drops undo rows and the answers they
 * void. An undo can only void an answer, never another undo (to redo, answer again), and an undo
 * that names an id not in the log voids nothing. Entries are ordered by (time, id), so every device
 * and tab that holds the same set of entries derives the same state.
 */
import {
	emptyFsrsCard,
	fromFsrsCard,
	isRating,
	newCardState,
	nextFsrsCard,
	DEFAULT_SCHEDULER_PARAMS,
	type CardState,
	type SchedulerParams
} from './fsrs.js';
import { sinceLastReset } from './card-actions.js';

/** The fields replay needs from a review row (progress's `ReviewRow` has them all). */
export interface ReviewEvent {
	id: string;
	/** When present, an undo only voids an answer of the same card. */
	cardId?: string;
	time: number;
	/** 1-4 for an answer; 0 on an undo row. */
	rating: number;
	/** Set on undo rows: the id of the answer this row voids. */
	undoes?: string | null;
}

export interface ReplayResult {
	state: CardState;
	/** Time of the first answer that still counts, null when none does. */
	firstReview: number | null;
	/** How many answers count (not undone). */
	answers: number;
}

/** Log order: by time, ties by id, so concurrent writers agree on one order. */
export function compareEvents(a: ReviewEvent, b: ReviewEvent): number {
	if (a.time !== b.time) return a.time - b.time;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isUndo(event: ReviewEvent): boolean {
	return typeof event.undoes === 'string';
}

/** Ids of the answers voided by undo rows among `events` (an undo of another card voids nothing). */
export function voidedIds(events: Iterable<ReviewEvent>): Set<string> {
	const undos: ReviewEvent[] = [];
	const answers = new Map<string, ReviewEvent>();
	for (const e of events) {
		if (isUndo(e)) undos.push(e);
		else answers.set(e.id, e);
	}
	const voided = new Set<string>();
	for (const undo of undos) {
		const target = answers.get(undo.undoes as string);
		if (target && target.cardId === undo.cardId) voided.add(target.id);
	}
	return voided;
}

/** The answers that count, in log order: undo rows and voided answers removed. */
export function activeAnswers<T extends ReviewEvent>(events: readonly T[]): T[] {
	const voided = voidedIds(events);
	return events
		.filter((e) => !isUndo(e) && isRating(e.rating) && !voided.has(e.id))
		.sort(compareEvents);
}

/**
 * Replays a card's log (any order, undo and action rows included) from a new card, or from the
 * newest reset (see card-actions.ts), with `params`.
 */
export function replayLog(
	events: readonly ReviewEvent[],
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): ReplayResult {
	const answers = activeAnswers(sinceLastReset(events));
	if (answers.length === 0) return { state: newCardState(), firstReview: null, answers: 0 };
	let card = emptyFsrsCard();
	for (const answer of answers) {
		card = nextFsrsCard(card, answer.rating as 1 | 2 | 3 | 4, answer.time, params);
	}
	return { state: fromFsrsCard(card), firstReview: answers[0].time, answers: answers.length };
}

/** The card state derived from its log; a new card's state when no answer counts. */
export function replay(
	events: readonly ReviewEvent[],
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): CardState {
	return replayLog(events, params).state;
}
