/**
 * A wrong device clock. Answers are stamped with the device's time and the schedule follows from
 * those stamps, so a clock set years ahead hides a card for years, and one set back puts new
 * answers before old ones. There is no server to ask: the references are the log itself (a new
 * answer more than a day before the newest logged one means the clock is behind now, or was ahead
 * then) and the app's own age (nothing can be answered before 2020).
 */
import { DAY_MS } from '../scheduler/index.js';
import { guard } from './errors.js';
import { newestRecent } from './recent.js';
import type { ProgressDb } from './schema.js';

/** No answer can be older than the app: an earlier stamp is a clock reset (e.g. to 1970). */
export const EARLIEST_ANSWER_TIME = Date.UTC(2020, 0, 1);
/** How far time zones, daylight saving and small drifts may put two honest stamps out of order. */
export const CLOCK_TOLERANCE_MS = DAY_MS;

export type ClockProblem =
	/** The clock reads before 2020: it must be fixed; an answer is not recorded at that time. */
	| { kind: 'too-early'; now: number }
	/** The log holds an answer `newest` more than a day after `now`; the learner may confirm. */
	| { kind: 'behind-log'; now: number; newest: number };

/** The problem with stamping an answer at `now`, given the newest logged time; null when none. */
export function clockProblem(now: number, newestLogged: number | null): ClockProblem | null {
	if (now < EARLIEST_ANSWER_TIME) return { kind: 'too-early', now };
	if (newestLogged !== null && newestLogged - now > CLOCK_TOLERANCE_MS) {
		return { kind: 'behind-log', now, newest: newestLogged };
	}
	return null;
}

/** A stamp that no clock check would let through without the learner: outside the plausible range. */
export const isImplausibleTime = (time: number, now: number): boolean =>
	time < EARLIEST_ANSWER_TIME || time - now > CLOCK_TOLERANCE_MS;

/** `clockProblem` for an answer given now, reading the newest logged time (one key read). */
export async function checkClock(db: ProgressDb, now: number): Promise<ClockProblem | null> {
	const newest = await guard(() => newestRecent(db.recent));
	return clockProblem(now, newest);
}
