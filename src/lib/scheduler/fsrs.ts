/**
 * The one module that talks to ts-fsrs. Everything else in the app sees plain, JSON- and
 * IndexedDB-friendly `CardState` objects (times as epoch milliseconds, never `Date`), and `now` is
 * always a parameter.
 *
 * Parameters: ts-fsrs 5 defaults, i.e. FSRS-6 with its 21 default weights (or the learner's fitted
 * ones), the learner's desired retention (default 90 %), learning steps 1m/10m, relearning step
 * 10m, no fuzz (so a preview and the answer that follows it always agree, and replaying a log is
 * deterministic). Every function that schedules takes the `SchedulerParams` in force.
 */
import {
	createEmptyCard,
	default_w,
	forgetting_curve,
	fsrs,
	State,
	type FSRS,
	type Card,
	type Grade,
	type RecordLogItem
} from 'ts-fsrs';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Again, Hard, Good, Easy. */
export type Rating = 1 | 2 | 3 | 4;
export const RATINGS: readonly Rating[] = [1, 2, 3, 4];
export const RATING_NAMES: Readonly<Record<Rating, string>> = {
	1: 'Again',
	2: 'Hard',
	3: 'Good',
	4: 'Easy'
};

/** ts-fsrs `State`: 0 New, 1 Learning, 2 Review, 3 Relearning. */
export type Phase = 0 | 1 | 2 | 3;
export const PHASE = { New: 0, Learning: 1, Review: 2, Relearning: 3 } as const;

/** A card's FSRS scheduling state, as stored in the `cards` cache and in backups. */
export interface CardState {
	/** When the card is next due (epoch ms). */
	due: number;
	/** Days until retrievability falls to 90 %. */
	stability: number;
	/** 1 (easy) .. 10 (hard). */
	difficulty: number;
	elapsedDays: number;
	scheduledDays: number;
	learningSteps: number;
	reps: number;
	lapses: number;
	state: Phase;
	/** Time of the last answer (epoch ms), null for a new card. */
	lastReview: number | null;
}

/** The fields of a card state that the queue and the statistics need. */
export type ScheduleFields = Pick<CardState, 'due' | 'stability' | 'state' | 'lastReview'>;

/** What one answer button would do: shown on the button as `label`. */
export interface RatingPreview {
	rating: Rating;
	due: number;
	intervalMs: number;
	label: string;
}

/**
 * What the learner can tune: the retention the intervals aim at (0.70-0.97, /settings) and the
 * FSRS weights (null: ts-fsrs's FSRS-6 defaults; else 21 weights fitted to the learner's history).
 */
export interface SchedulerParams {
	desiredRetention: number;
	weights: readonly number[] | null;
}

export const DEFAULT_RETENTION = 0.9;
export const RETENTION_LIMITS = { min: 0.7, max: 0.97 } as const;
export const DEFAULT_SCHEDULER_PARAMS: SchedulerParams = Object.freeze({
	desiredRetention: DEFAULT_RETENTION,
	weights: null
});

/** Equal keys, equal schedules: the caches record the key they were computed with. */
export function schedulerParamsKey(params: SchedulerParams): string {
	return `r=${params.desiredRetention};w=${params.weights ? params.weights.join(',') : 'default'}`;
}

const schedulers = new Map<string, FSRS>();

/** One ts-fsrs scheduler per parameter set (a handful per session at most). */
function schedulerFor(params: SchedulerParams): FSRS {
	const key = schedulerParamsKey(params);
	let scheduler = schedulers.get(key);
	if (!scheduler) {
		scheduler = fsrs({
			enable_fuzz: false,
			request_retention: params.desiredRetention,
			...(params.weights ? { w: [...params.weights] } : {})
		});
		schedulers.set(key, scheduler);
	}
	return scheduler;
}

export function isRating(value: unknown): value is Rating {
	return value === 1 || value === 2 || value === 3 || value === 4;
}

/**
 * The rating proposed for an auto-graded answer: wrong → Again, right → Good. The learner can change
 * it before moving on (Hard when it was a struggle, Easy when it was trivial).
 */
export function proposeRating(correct: boolean): Rating {
	return correct ? 3 : 1;
}

/** A card that has never been answered. `now` only fills `due`. */
export function newCardState(now = 0): CardState {
	return fromFsrsCard(createEmptyCard(new Date(now)));
}

/** The state after answering `rating` at `now`. */
export function applyRating(
	state: CardState,
	rating: Rating,
	now: number,
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): CardState {
	return fromFsrsCard(nextFsrsCard(toFsrsCard(state), rating, now, params));
}

/** Next due time and interval for each of Again/Hard/Good/Easy if answered at `now`. */
export function previewRatings(
	state: CardState,
	now: number,
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): RatingPreview[] {
	// a clock set back puts `now` before the last review; FSRS refuses a negative elapsed time, so
	// preview as if answered right after it (the learner is asked about the clock before recording)
	const at = Math.max(now, state.lastReview ?? now);
	const preview = schedulerFor(params).repeat(toFsrsCard(state), new Date(at));
	return RATINGS.map((rating) => {
		const item: RecordLogItem = preview[rating as Grade];
		const due = item.card.due.getTime();
		return { rating, due, intervalMs: due - now, label: formatInterval(due - now) };
	});
}

/** Due means the due time has come; see `buildQueue` for the day-based rule the queue uses. */
export function isDue(state: CardState, now: number): boolean {
	return state.state !== PHASE.New && state.due <= now;
}

/**
 * Probability of recall at `now` (0 for a new card), with the elapsed time in fractional days so
 * cards reviewed on the same day still sort by how long ago they were seen.
 *
 * $$R(t, S) = \left(1 + \text{factor} \cdot \frac{t}{S}\right)^{-w_{20}}, \quad
 * \text{factor} = 0.9^{-1/w_{20}} - 1$$
 *
 * @see https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm (FSRS-6, R(t, S))
 */
export function retrievability(
	state: Pick<CardState, 'state' | 'lastReview' | 'stability'>,
	now: number,
	weights: readonly number[] | null = null
): number {
	if (state.state === PHASE.New || state.lastReview === null || state.stability <= 0) return 0;
	const elapsedDays = Math.max(0, (now - state.lastReview) / DAY_MS);
	return forgetting_curve(weights ? [...weights] : default_w, elapsedDays, state.stability);
}

/**
 * Short interval label for an answer button: "1m", "10m", "5h", "3d", "3w", "4mo", "1.5y".
 * Rounded to the nearest unit; under a minute shows "1m".
 */
export function formatInterval(ms: number): string {
	const minutes = Math.max(1, Math.round(ms / MINUTE_MS));
	if (minutes < 60) return `${minutes}m`;
	const hours = Math.round(ms / HOUR_MS);
	if (hours < 24) return `${hours}h`;
	const days = Math.round(ms / DAY_MS);
	if (days < 14) return `${days}d`;
	if (days < 60) return `${Math.round(days / 7)}w`;
	if (days < 365) return `${Math.round(days / 30.4375)}mo`;
	const years = days / 365.25;
	return `${years < 10 ? Math.round(years * 10) / 10 : Math.round(years)}y`;
}

/** @internal used by replay to avoid converting back and forth on every answer */
export function nextFsrsCard(
	card: Card,
	rating: Rating,
	now: number,
	params: SchedulerParams = DEFAULT_SCHEDULER_PARAMS
): Card {
	return schedulerFor(params).next(card, new Date(now), rating as Grade).card;
}

/** @internal */
export function emptyFsrsCard(): Card {
	return createEmptyCard(new Date(0));
}

/** @internal */
export function toFsrsCard(s: CardState): Card {
	return {
		due: new Date(s.due),
		stability: s.stability,
		difficulty: s.difficulty,
		elapsed_days: s.elapsedDays,
		scheduled_days: s.scheduledDays,
		learning_steps: s.learningSteps,
		reps: s.reps,
		lapses: s.lapses,
		state: s.state as number as State,
		last_review: s.lastReview === null ? undefined : new Date(s.lastReview)
	};
}

/** @internal */
export function fromFsrsCard(c: Card): CardState {
	return {
		due: c.due.getTime(),
		stability: c.stability,
		difficulty: c.difficulty,
		elapsedDays: c.elapsed_days,
		scheduledDays: c.scheduled_days,
		learningSteps: c.learning_steps,
		reps: c.reps,
		lapses: c.lapses,
		state: c.state as number as Phase,
		lastReview: c.last_review ? c.last_review.getTime() : null
	};
}
