import type { QuestionView } from '$lib/content/present';
import { newCardState, previewRatings, type CardState } from '$lib/scheduler';
import type { RatingPreview, Rating } from '$lib/scheduler';
import { loadQueue } from '$lib/progress/queue';
import { getCardsByIds, recordReview, undoReview } from '$lib/progress/reviews';
import { checkClock, type ClockProblem } from '$lib/progress/clock';
import { ProgressError } from '$lib/progress/errors';
import { schedulingOf } from '$lib/progress/params-in-force';
import type { ProgressDb } from '$lib/progress/schema';
import { QuestionAttempt, freshSeed } from './attempt.svelte';
import { progressDb } from '$lib/state/progress-db.svelte';
import { syncAfterAnswer } from '$lib/state/sync.svelte';
import { m } from '$lib/paraglide/messages';

/** Cards whose next step is due this soon come back later in the same session (learning steps). */
const REQUEUE_WITHIN_MS = 20 * 60_000;

interface Answered {
	reviewId: string;
	cardId: string;
	seed: number;
	correct: boolean | null;
	rating: Rating;
	durationMs: number;
	due: number;
	/** The rating sent the card to the end of the queue (a learning step due soon). */
	requeued: boolean;
}

export interface SessionSummary {
	answered: number;
	correct: number;
	autoGraded: number;
	timeMs: number;
	/** Earliest next due time of the cards answered, or null. */
	nextDue: number | null;
}

/**
 * A study session: `quiz` goes through one deck (new cards included, whatever the daily limit);
 * `review` takes today's FSRS queue across decks. Every rating is one transaction in the log.
 */
export class StudySession {
	readonly mode: 'quiz' | 'review';
	private readonly views: Map<string, QuestionView>;
	private db: ProgressDb | null = null;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a private cache, never rendered
	private cardStates = new Map<string, CardState>();

	phase = $state<'loading' | 'studying' | 'finished' | 'empty' | 'failed'>('loading');
	queue = $state<string[]>([]);
	attempt = $state<QuestionAttempt | null>(null);
	previews = $state<RatingPreview[]>([]);
	answered = $state<Answered[]>([]);
	/** A write that failed: shown, and the card stays so the learner can retry. */
	error = $state<string | null>(null);
	/**
	 * The device clock looks wrong (see progress's clock.ts): the answer was not recorded; the
	 * learner fixes the clock and rates again, or (when allowed) confirms with `rate(…, true)`.
	 */
	clock = $state<{ problem: ClockProblem; rating: Rating } | null>(null);
	saving = $state(false);
	/** What the live region should announce. */
	announcement = $state('');

	constructor(mode: 'quiz' | 'review', views: QuestionView[]) {
		this.mode = mode;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- fixed for the session, never rendered
		this.views = new Map(views.map((view) => [view.id, view]));
	}

	get summary(): SessionSummary {
		const answered = this.answered;
		const graded = answered.filter((a) => a.correct !== null);
		return {
			answered: answered.length,
			correct: graded.filter((a) => a.correct).length,
			autoGraded: graded.length,
			timeMs: answered.reduce((sum, a) => sum + a.durationMs, 0),
			nextDue: answered.length ? Math.min(...answered.map((a) => a.due)) : null
		};
	}

	get remaining(): number {
		return this.queue.length;
	}

	async start(now: number): Promise<void> {
		try {
			this.db = await progressDb();
			const ids = [...this.views.keys()];
			if (this.mode === 'quiz') {
				this.queue = ids;
			} else {
				const queue = await loadQueue(this.db, { contentCardIds: ids, now });
				this.queue = queue.items.map((item) => item.cardId).filter((id) => this.views.has(id));
			}
			const cards = await getCardsByIds(this.db, this.queue);
			cards.forEach((card) => card && this.cardStates.set(card.cardId, card));
			if (this.queue.length === 0) {
				this.phase = 'empty';
				return;
			}
			this.phase = 'studying';
			this.show(this.queue[0], freshSeed(), now);
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
			this.phase = 'failed';
		}
	}

	private show(cardId: string, seed: number, now: number): void {
		const view = this.views.get(cardId);
		if (!view) return;
		const attempt = new QuestionAttempt(view, seed, now);
		this.attempt = attempt;
		this.previews = previewRatings(this.stateOf(cardId, now), now, schedulingOf(this.db ?? {}));
		void attempt.prepare();
	}

	private stateOf(cardId: string, now: number): CardState {
		return this.cardStates.get(cardId) ?? newCardState(now);
	}

	/** Records the rating of the current answer; the next card follows. */
	async rate(rating: Rating, now: number, clockConfirmed = false): Promise<boolean> {
		const attempt = this.attempt;
		if (!attempt?.done || !this.db || this.saving) return false;
		const cardId = attempt.view.id;
		this.saving = true;
		this.error = null;
		this.clock = null;
		try {
			const result = await recordReview(
				this.db,
				{
					cardId,
					deckId: attempt.view.deck,
					time: now,
					rating,
					correct: attempt.correct,
					rawAnswer: attempt.rawAnswer,
					misconception: attempt.misconception,
					seed: attempt.view.kind === 'flashcard' ? null : attempt.seed,
					durationMs: attempt.durationMs
				},
				{ clockConfirmed }
			);
			this.cardStates.set(cardId, result.card);
			syncAfterAnswer();
			const requeued = result.card.due <= now + REQUEUE_WITHIN_MS;
			this.answered = [
				...this.answered,
				{
					reviewId: result.review.id,
					cardId,
					seed: attempt.seed,
					correct: attempt.correct,
					rating,
					durationMs: attempt.durationMs,
					due: result.card.due,
					requeued
				}
			];
			const rest = this.queue.slice(1);
			this.queue = requeued ? [...rest, cardId] : rest;
			this.advance(now);
			return true;
		} catch (error) {
			const problem =
				error instanceof ProgressError && error.kind === 'clock'
					? await checkClock(this.db, now).catch(() => null)
					: null;
			if (problem) this.clock = { problem, rating };
			else this.error = error instanceof Error ? error.message : String(error);
			return false;
		} finally {
			this.saving = false;
		}
	}

	/** Undoes the last rating: the log gets an undo entry and the same card comes back, same numbers. */
	async undo(now: number): Promise<boolean> {
		const last = this.answered.at(-1);
		if (!last || !this.db || this.saving) return false;
		this.saving = true;
		this.error = null;
		try {
			const result = await undoReview(this.db, { cardId: last.cardId, id: last.reviewId }, now);
			syncAfterAnswer();
			if (result.card) this.cardStates.set(last.cardId, result.card);
			else this.cardStates.delete(last.cardId);
			this.answered = this.answered.slice(0, -1);
			const rest = last.requeued ? this.queue.slice(0, -1) : this.queue;
			this.queue = [last.cardId, ...rest];
			this.phase = 'studying';
			this.show(last.cardId, last.seed, now);
			this.announcement = m.study_announce_undone();
			return true;
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
			return false;
		} finally {
			this.saving = false;
		}
	}

	/**
	 * After a card action on the card on screen (card details): a suspended or buried card leaves
	 * this session's queue and the next card follows; a reset card is asked again as new.
	 */
	cardChanged(cardId: string, card: CardState | null, hidden: boolean, now: number): void {
		if (card) this.cardStates.set(cardId, card);
		else this.cardStates.delete(cardId);
		if (!hidden) this.previews = previewRatings(this.stateOf(cardId, now), now);
		else {
			this.queue = this.queue.filter((id) => id !== cardId);
			this.advance(now);
		}
	}

	private advance(now: number): void {
		if (this.queue.length === 0) {
			this.attempt = null;
			this.phase = 'finished';
			this.announcement = m.study_announce_finished();
			return;
		}
		this.show(this.queue[0], freshSeed(), now);
		this.announcement = m.study_announce_next();
	}
}
