/**
 * The scheduler parameters in force for each open database (see scheduling.ts, which sets them).
 * A file of its own so that the code deriving caches (rebuild.ts, reviews.ts, check.ts) can read
 * them without importing the rescheduling code, which itself rebuilds caches.
 */
import { DEFAULT_SCHEDULER_PARAMS, type SchedulerParams } from '../scheduler/index.js';

const inForce = new WeakMap<object, SchedulerParams>();

/**
 * The parameters this database's caches are derived with. `tables` is the database (or the object
 * a caller passes as its tables: anything else schedules with the defaults, as in an upgrade).
 */
export function schedulingOf(tables: object): SchedulerParams {
	return inForce.get(tables) ?? DEFAULT_SCHEDULER_PARAMS;
}

/** Puts `params` in force for `db` (scheduling.ts's `applyScheduling` does, then reschedules). */
export function setSchedulingOf(db: object, params: SchedulerParams): void {
	inForce.set(db, params);
}
