/**
 * Everything /progress shows, as pure functions of log rows and card cache rows (no IndexedDB here;
 * `loadProgressStats` in stats-db.ts feeds it from the database page by page).
 *
 * One pass over the log, card by card (each card's rows in time order), with numeric day keys (see
 * `DayClock`: Intl is consulted per UTC day, not per row). Undo rows and the answers they void are
 * left out of every number (their count is reported as `totals.undone`).
 *
 * Definitions (days are learner days: the learner's time zone, starting at `dayStartHour`):
 * - streak: consecutive days with at least one answer. The current streak ends today, or yesterday
 *   while today has no answer yet (a streak is not lost before the day is over).
 * - true retention per week (weeks start on Monday): among answers to cards already learned, the
 *   share recalled (rating > 1). "Already learned" = the card's previous answer was on an earlier
 *   day, so first answers and same-day (re)learning steps do not count, as in Anki's true retention.
 * - accuracy per deck per week: share of answers that were right: `correct` where the question is
 *   engine-checked, rating > 1 for self-rated flashcards (`correct` null).
 * - mastery per deck: mean retrievability now and mean stability (days) of its studied cards.
 * - forecast: studied cards due on each of the next `forecastDays` days; overdue cards count today.
 */
import {
	DayClock,
	isRating,
	isUndo,
	PHASE,
	retrievability,
	weekStartOf,
	compareEvents,
	type ScheduleFields
} from '../scheduler/index.js';
import { groupByCard } from './log.js';

export interface StatsReview {
	id: string;
	cardId: string;
	deckId: string;
	time: number;
	rating: number;
	correct: boolean | null;
	durationMs: number;
	undoes?: string | null;
}

export interface StatsCard extends ScheduleFields {
	deckId: string;
}

export interface StatsOptions {
	now: number;
	timeZone: string;
	dayStartHour: number;
	/** Length of the reviews-per-day calendar, ending today (default 365). */
	calendarDays?: number;
	/** Length of the due forecast, starting today (default 30). */
	forecastDays?: number;
	clock?: DayClock;
	/** The FSRS weights in force (fitted ones, once accepted); null or absent: the defaults. */
	weights?: readonly number[] | null;
}

export interface WeekRetention {
	/** Monday of the week (day number). */
	weekStart: number;
	/** Answers to already-learned cards. */
	reviews: number;
	recalled: number;
	rate: number;
}

export interface WeekAccuracy {
	weekStart: number;
	answers: number;
	correct: number;
	rate: number;
}

export interface DeckAccuracy {
	deckId: string;
	weeks: WeekAccuracy[];
}

export interface DeckMastery {
	deckId: string;
	cards: number;
	/** Cards in the review phase (past their learning steps). */
	inReview: number;
	meanRetrievability: number;
	meanStabilityDays: number;
}

export interface ProgressStats {
	/** Today's day number (days since 1970-01-01 of the learner's date). */
	today: number;
	calendar: {
		/** Day number of the first entry; the last entry is today. */
		firstDay: number;
		answers: number[];
		studyMs: number[];
	};
	streak: { current: number; longest: number };
	retention: WeekRetention[];
	deckAccuracy: DeckAccuracy[];
	mastery: DeckMastery[];
	/** forecast[i] = cards due on day today + i (overdue ones in forecast[0]). */
	forecast: number[];
	totals: {
		answers: number;
		/** Answers voided by an undo. */
		undone: number;
		cardsStudied: number;
		studyMs: number;
		/** First and last day with an answer, null without answers. */
		firstDay: number | null;
		lastDay: number | null;
	};
}

const NO_DAY = -2147483648;

/** Answers and study time per day number, in growable typed arrays. */
class DayCounts {
	private base = 0;
	answers = new Float64Array(0);
	studyMs = new Float64Array(0);

	add(day: number, ms: number): void {
		if (this.answers.length === 0) {
			this.base = day - 400;
			this.grow(1024);
		}
		let i = day - this.base;
		if (i < 0 || i >= this.answers.length) {
			this.rebase(day);
			i = day - this.base;
		}
		this.answers[i]++;
		this.studyMs[i] += ms;
	}

	get(day: number): { answers: number; studyMs: number } {
		const i = day - this.base;
		if (i < 0 || i >= this.answers.length) return { answers: 0, studyMs: 0 };
		return { answers: this.answers[i], studyMs: this.studyMs[i] };
	}

	/** Days with at least one answer, ascending. */
	activeDays(): number[] {
		const days: number[] = [];
		for (let i = 0; i < this.answers.length; i++) if (this.answers[i] > 0) days.push(this.base + i);
		return days;
	}

	private rebase(day: number): void {
		const lo = Math.min(this.base, day - 400);
		const hi = Math.max(this.base + this.answers.length, day + 400);
		const answers = new Float64Array(hi - lo);
		const studyMs = new Float64Array(hi - lo);
		answers.set(this.answers, this.base - lo);
		studyMs.set(this.studyMs, this.base - lo);
		this.answers = answers;
		this.studyMs = studyMs;
		this.base = lo;
	}

	private grow(size: number): void {
		this.answers = new Float64Array(size);
		this.studyMs = new Float64Array(size);
	}
}

/** The ids of the answers voided by the undo rows of one card's log. */
export function undoTargets(rows: Iterable<StatsReview>): Set<string> {
	const targets = new Set<string>();
	for (const row of rows) if (isUndo(row)) targets.add(row.undoes as string);
	return targets;
}

/**
 * One card's log in columns, oldest first, as progress stores it (see log.ts): entry i of each
 * column is row i; `correct` is 1, 0 or -1 (null); undo rows have rating 0 and sit at `undoAt`;
 * `voidedAt` are the positions of the answers they void.
 */
export interface StatsColumns {
	times: ArrayLike<number>;
	ratings: ArrayLike<number>;
	correct: ArrayLike<number>;
	durations: ArrayLike<number>;
	decks: readonly string[];
	deckOf: ArrayLike<number>;
	undoAt: ArrayLike<number>;
	voidedAt: ArrayLike<number>;
}

/**
 * Accumulates stats from the log fed one card at a time, each card once (`addLog` for rows,
 * `addColumns` for a stored log), then combines them with the card cache (`finish`).
 */
export class StatsAccumulator {
	private readonly clock: DayClock;
	private readonly days = new DayCounts();
	private cardsStudied = 0;
	/** The current card's last answer day, and whether it has an answer that counts. */
	private cardDay = NO_DAY;
	private readonly retention = new Map<number, { reviews: number; recalled: number }>();
	private readonly deckIndex = new Map<string, number>();
	private readonly deckWeeks: Map<number, { answers: number; correct: number }>[] = [];
	private answers = 0;
	private undone = 0;
	private studyMs = 0;

	constructor(private readonly options: StatsOptions) {
		this.clock = options.clock ?? new DayClock(options.timeZone, options.dayStartHour);
	}

	/**
	 * Adds one card's whole log (answers and undo rows, any order). An undo voids an answer of its
	 * own card only, as in replay.
	 */
	addLog(rows: readonly StatsReview[]): void {
		const ordered = isTimeOrdered(rows) ? rows : [...rows].sort(compareEvents);
		const voided = undoTargets(rows);
		this.cardDay = NO_DAY;
		for (const row of ordered) {
			if (isUndo(row) || !isRating(row.rating)) continue;
			if (voided.has(row.id)) this.undone++;
			else {
				const deck = this.indexOfDeck(row.deckId);
				this.count(row.time, row.rating, row.correct, row.durationMs, deck);
			}
		}
		if (this.cardDay !== NO_DAY) this.cardsStudied++;
	}

	/** Adds one card's whole log, in columns as stored (no row object per answer). */
	addColumns(log: StatsColumns): void {
		const voided = new Set(Array.from(log.voidedAt));
		const undoRows = new Set(Array.from(log.undoAt));
		this.cardDay = NO_DAY;
		for (let i = 0; i < log.times.length; i++) {
			const rating = log.ratings[i];
			if (undoRows.has(i) || !isRating(rating)) continue;
			if (voided.size > 0 && voided.has(i)) this.undone++;
			else {
				const correct = log.correct[i];
				const deck = this.indexOfDeck(log.decks[log.deckOf[i]]);
				this.count(
					log.times[i],
					rating,
					correct < 0 ? null : correct === 1,
					log.durations[i],
					deck
				);
			}
		}
		if (this.cardDay !== NO_DAY) this.cardsStudied++;
	}

	/** One answer that counts, of the current card (answers in time order). */
	private count(
		time: number,
		rating: number,
		correct: boolean | null,
		durationMs: number,
		deck: number
	): void {
		const day = this.clock.dayOf(time);
		const ms = durationMs > 0 ? durationMs : 0;
		this.answers++;
		this.studyMs += ms;
		this.days.add(day, ms);
		const week = weekStartOf(day);

		const previous = this.cardDay;
		if (previous !== NO_DAY && previous < day) {
			let bucket = this.retention.get(week);
			if (!bucket) this.retention.set(week, (bucket = { reviews: 0, recalled: 0 }));
			bucket.reviews++;
			if (rating > 1) bucket.recalled++;
		}
		if (previous === NO_DAY || day > previous) this.cardDay = day;

		const weeks = this.deckWeeks[deck];
		let acc = weeks.get(week);
		if (!acc) weeks.set(week, (acc = { answers: 0, correct: 0 }));
		acc.answers++;
		if (correct ?? rating > 1) acc.correct++;
	}

	finish(cards: readonly StatsCard[]): ProgressStats {
		const { now } = this.options;
		const today = this.clock.dayOf(now);
		const calendarDays = this.options.calendarDays ?? 365;
		const firstDay = today - calendarDays + 1;
		const answers: number[] = [];
		const studyMs: number[] = [];
		for (let day = firstDay; day <= today; day++) {
			const counts = this.days.get(day);
			answers.push(counts.answers);
			studyMs.push(counts.studyMs);
		}
		const active = this.days.activeDays();
		return {
			today,
			calendar: { firstDay, answers, studyMs },
			streak: streaks(active, today),
			retention: [...this.retention]
				.sort((a, b) => a[0] - b[0])
				.map(([weekStart, b]) => ({ weekStart, ...b, rate: b.recalled / b.reviews })),
			deckAccuracy: this.deckAccuracy(),
			mastery: mastery(cards, now, this.options.weights ?? null),
			forecast: forecast(cards, this.clock, today, this.options.forecastDays ?? 30),
			totals: {
				answers: this.answers,
				undone: this.undone,
				cardsStudied: this.cardsStudied,
				studyMs: this.studyMs,
				firstDay: active.length ? active[0] : null,
				lastDay: active.length ? active[active.length - 1] : null
			}
		};
	}

	private indexOfDeck(deckId: string): number {
		let index = this.deckIndex.get(deckId);
		if (index === undefined) {
			index = this.deckIndex.size;
			this.deckIndex.set(deckId, index);
			this.deckWeeks.push(new Map());
		}
		return index;
	}

	private deckAccuracy(): DeckAccuracy[] {
		return [...this.deckIndex]
			.sort((a, b) => (a[0] < b[0] ? -1 : 1))
			.map(([deckId, index]) => ({
				deckId,
				weeks: [...this.deckWeeks[index]]
					.sort((a, b) => a[0] - b[0])
					.map(([weekStart, w]) => ({ weekStart, ...w, rate: w.correct / w.answers }))
			}));
	}
}

/** All stats from an in-memory log (any order; undo rows included) and the card cache. */
export function computeStats(
	reviews: readonly StatsReview[],
	cards: readonly StatsCard[],
	options: StatsOptions
): ProgressStats {
	const acc = new StatsAccumulator(options);
	for (const log of groupByCard(reviews).values()) acc.addLog(log);
	return acc.finish(cards);
}

function isTimeOrdered(rows: readonly StatsReview[]): boolean {
	for (let i = 1; i < rows.length; i++) if (rows[i].time < rows[i - 1].time) return false;
	return true;
}

/** Current and longest run of consecutive days in `days` (ascending). */
export function streaks(
	days: readonly number[],
	today: number
): { current: number; longest: number } {
	let longest = 0;
	let run = 0;
	for (let i = 0; i < days.length; i++) {
		run = i > 0 && days[i] === days[i - 1] + 1 ? run + 1 : 1;
		if (run > longest) longest = run;
	}
	let current = 0;
	const last = days.length ? days[days.length - 1] : null;
	if (last === today || last === today - 1) {
		current = 1;
		for (let i = days.length - 1; i > 0 && days[i - 1] === days[i] - 1; i--) current++;
	}
	return { current, longest };
}

/** Recall chance follows the decay (w20) of `weights`: a fitted curve can be steeper. */
function mastery(
	cards: readonly StatsCard[],
	now: number,
	weights: readonly number[] | null
): DeckMastery[] {
	const decks = new Map<string, { cards: number; inReview: number; r: number; s: number }>();
	for (const card of cards) {
		if (card.state === PHASE.New) continue;
		let deck = decks.get(card.deckId);
		if (!deck) decks.set(card.deckId, (deck = { cards: 0, inReview: 0, r: 0, s: 0 }));
		deck.cards++;
		if (card.state === PHASE.Review) deck.inReview++;
		deck.r += retrievability(card, now, weights);
		deck.s += card.stability;
	}
	return [...decks]
		.sort((a, b) => (a[0] < b[0] ? -1 : 1))
		.map(([deckId, d]) => ({
			deckId,
			cards: d.cards,
			inReview: d.inReview,
			meanRetrievability: d.r / d.cards,
			meanStabilityDays: d.s / d.cards
		}));
}

function forecast(
	cards: readonly StatsCard[],
	clock: DayClock,
	today: number,
	days: number
): number[] {
	const counts = new Array<number>(days).fill(0);
	for (const card of cards) {
		if (card.state === PHASE.New) continue;
		const offset = Math.max(0, clock.dayOf(card.due) - today);
		if (offset < days) counts[offset]++;
	}
	return counts;
}
