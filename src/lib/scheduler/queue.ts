/**
 * Today's study queue.
 *
 * - Intraday learning: cards in (re)learning steps that were answered today and are due within
 *   `learnAheadMs`. Always shown (they are part of today's new cards or today's lapses), by due time.
 * - Reviews: every other studied card due before the end of the learner day (review-phase cards are
 *   due on their due *day*; learning cards left over from an earlier day count as reviews). Shown
 *   most-forgotten first (lowest retrievability), capped by what is left of the daily review limit,
 *   so after a two-week break the learner sees the most urgent `reviewLimit` cards, not a wall.
 * - New: content cards never answered, in content order, up to what is left of the daily new limit.
 * - Suspended cards are left out, and buried ones until `buriedUntil` (see card-actions.ts).
 */
import { isHidden, type CardFlags } from './card-actions.js';
import { DayClock } from './days.js';
import { isRating, PHASE, retrievability, type ScheduleFields } from './fsrs.js';
import { isUndo, voidedIds, type ReviewEvent } from './replay.js';

/** A studied card: the scheduling fields of its state plus id (progress's `CardRow` fits). */
export interface QueueCard extends ScheduleFields, CardFlags {
	cardId: string;
	deckId?: string;
	/** Time of the card's first answer that still counts. */
	firstReview: number | null;
}

export interface BuildQueueInput {
	/** Studied cards; at least every one that may be due today. */
	cards: readonly QueueCard[];
	/** Content card ids in teaching order; those not studied are the new-card candidates. */
	contentCardIds: readonly string[];
	/** Which card ids have been studied; defaults to the ids in `cards`. */
	isStudied?: (cardId: string) => boolean;
	/** Only cards of these decks (a card without deckId is kept). */
	deckIds?: ReadonlySet<string>;
	now: number;
	timeZone: string;
	dayStartHour: number;
	newLimit: number;
	reviewLimit: number;
	/** Cards answered for the first time today (see `countDoneToday`). */
	newDoneToday: number;
	/** Answers today to cards first studied before today. */
	reviewsDoneToday: number;
	/** Show learning steps due this soon already (default 20 min, as in Anki). */
	learnAheadMs?: number;
	/** Reuse a clock (and its offset cache) across calls. */
	clock?: DayClock;
}

export type QueueKind = 'learning' | 'review' | 'new';

export interface QueueItem {
	cardId: string;
	kind: QueueKind;
	/** Due time; null for a new card. */
	due: number | null;
	/** Retrievability now; 0 for a new card. */
	retrievability: number;
}

export interface Queue {
	/** Learning first (by due), then reviews (lowest retrievability first), then new cards. */
	items: QueueItem[];
	counts: Record<QueueKind, number>;
	/** Reviews due today before the daily limit was applied. */
	dueReviews: number;
	/** Content cards never studied. */
	newAvailable: number;
	today: number;
	dayStart: number;
	dayEnd: number;
	/** Earliest learning step due later today (refresh the queue then); null if none. */
	nextLearningDue: number | null;
}

export const DEFAULT_LEARN_AHEAD_MS = 20 * 60_000;

/** Builds today's queue. O(cards + content ids), plus a sort of the due reviews. */
export function buildQueue(input: BuildQueueInput): Queue {
	const clock = input.clock ?? new DayClock(input.timeZone, input.dayStartHour);
	const { now } = input;
	const today = clock.dayOf(now);
	const dayStart = clock.startOf(today);
	const dayEnd = clock.startOf(today + 1);
	const learnUntil = now + (input.learnAheadMs ?? DEFAULT_LEARN_AHEAD_MS);

	const learning: QueueItem[] = [];
	const reviews: QueueItem[] = [];
	let nextLearningDue: number | null = null;
	for (const card of input.cards) {
		if (card.state === PHASE.New || isHidden(card, now)) continue;
		if (input.deckIds && card.deckId !== undefined && !input.deckIds.has(card.deckId)) continue;
		const intraday =
			card.state !== PHASE.Review && card.lastReview !== null && card.lastReview >= dayStart;
		if (intraday) {
			if (card.due <= learnUntil) learning.push(item(card, 'learning', now));
			else if (card.due < dayEnd && (nextLearningDue === null || card.due < nextLearningDue)) {
				nextLearningDue = card.due;
			}
		} else if (card.due < dayEnd) {
			reviews.push(item(card, 'review', now));
		}
	}
	learning.sort((a, b) => (a.due as number) - (b.due as number) || cmp(a.cardId, b.cardId));
	reviews.sort(
		(a, b) =>
			a.retrievability - b.retrievability ||
			(a.due as number) - (b.due as number) ||
			cmp(a.cardId, b.cardId)
	);
	const reviewSlots = Math.max(0, input.reviewLimit - input.reviewsDoneToday);
	const shownReviews = reviews.slice(0, reviewSlots);

	const studied = input.isStudied ?? studiedSet(input.cards);
	const newSlots = Math.max(0, input.newLimit - input.newDoneToday);
	const fresh: QueueItem[] = [];
	let newAvailable = 0;
	for (const cardId of input.contentCardIds) {
		if (studied(cardId)) continue;
		newAvailable++;
		if (fresh.length < newSlots) fresh.push({ cardId, kind: 'new', due: null, retrievability: 0 });
	}

	return {
		items: [...learning, ...shownReviews, ...fresh],
		counts: { learning: learning.length, review: shownReviews.length, new: fresh.length },
		dueReviews: reviews.length,
		newAvailable,
		today,
		dayStart,
		dayEnd,
		nextLearningDue
	};
}

export interface DoneToday {
	newDoneToday: number;
	reviewsDoneToday: number;
}

/**
 * What today's answers used of the daily limits. `todays` are the log rows since `dayStart` (undo rows
 * included: an undone answer frees its slot); `firstReviewOf` gives each card's first counting answer.
 */
export function countDoneToday(
	todays: readonly (ReviewEvent & { cardId: string })[],
	firstReviewOf: (cardId: string) => number | null | undefined,
	dayStart: number
): DoneToday {
	const voided = voidedIds(todays);
	const newCards = new Set<string>();
	let reviewsDoneToday = 0;
	for (const row of todays) {
		if (row.time < dayStart || isUndo(row) || !isRating(row.rating) || voided.has(row.id)) continue;
		const first = firstReviewOf(row.cardId);
		if (first !== null && first !== undefined && first < dayStart) reviewsDoneToday++;
		else newCards.add(row.cardId);
	}
	return { newDoneToday: newCards.size, reviewsDoneToday };
}

function item(card: QueueCard, kind: QueueKind, now: number): QueueItem {
	return { cardId: card.cardId, kind, due: card.due, retrievability: retrievability(card, now) };
}

function studiedSet(cards: readonly QueueCard[]): (cardId: string) => boolean {
	const ids = new Set(cards.map((c) => c.cardId));
	return (cardId) => ids.has(cardId);
}

function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
