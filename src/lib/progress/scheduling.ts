/**
 * The scheduler parameters in force for a database (desired retention from the settings, and FSRS
 * weights: ts-fsrs's defaults until the learner accepts fitted ones), and keeping the derived
 * caches (`cards`, `schedules`) computed with them.
 *
 * Every code path that derives a card's state from its log (an answer, an undo, an import, a sync,
 * Check database) schedules with `schedulingOf(db)`. The caches remember which parameters they were
 * computed with (meta `cachesScheduledWith`, a `schedulerParamsKey`); when the parameters change
 * (the learner saves another retention here or on another device, or accepts fitted weights),
 * `applyScheduling` reschedules every studied card by replaying its log, then records the new key.
 * A reschedule that stops half-way leaves the old key, so the next start (`ensureScheduling`)
 * finishes it: the caches are never left computed with a mix of parameters for good.
 */
import {
	DEFAULT_SCHEDULER_PARAMS,
	schedulerParamsKey,
	type SchedulerParams
} from '../scheduler/index.js';
import { guard, ProgressError } from './errors.js';
import { activeFsrsWeights } from './fsrs-params.js';
import { setSchedulingOf } from './params-in-force.js';
import { rebuildCardsIn } from './rebuild.js';
import type { ProgressDb } from './schema.js';
import { getSettings } from './settings.js';

const CACHES_KEY = 'cachesScheduledWith';
/** Card logs replayed per transaction while rescheduling. */
const PAGE = 500;

/** The learner's stored parameters: the settings' retention and the weights in use (fsrs-params.ts). */
export async function storedScheduling(db: ProgressDb): Promise<SchedulerParams> {
	const settings = await getSettings(db);
	return { desiredRetention: settings.desiredRetention, weights: await activeFsrsWeights(db) };
}

export interface RescheduleOptions {
	/** Called after each page of cards: (cards done, cards in all). */
	onProgress?: (done: number, total: number) => void;
	signal?: AbortSignal;
}

/**
 * Puts the stored parameters in force and, when the caches were computed with others, reschedules
 * every studied card. Returns how many cards were rescheduled (0 when the caches were current).
 */
export async function ensureScheduling(
	db: ProgressDb,
	options: RescheduleOptions = {}
): Promise<number> {
	return applyScheduling(db, await storedScheduling(db), options);
}

/** Puts `params` in force and reschedules every studied card if the caches used others. */
export async function applyScheduling(
	db: ProgressDb,
	params: SchedulerParams,
	options: RescheduleOptions = {}
): Promise<number> {
	setSchedulingOf(db, params);
	const key = schedulerParamsKey(params);
	const cached = await guard(() => db.meta.get(CACHES_KEY));
	const cachedKey =
		typeof cached?.value === 'string' ? cached.value : schedulerParamsKey(DEFAULT_SCHEDULER_PARAMS);
	if (cachedKey === key) return 0;
	const cardIds = (await guard(() => db.logs.toCollection().primaryKeys())) as string[];
	for (let i = 0; i < cardIds.length; i += PAGE) {
		if (options.signal?.aborted) throw new ProgressError('aborted');
		const page = cardIds.slice(i, i + PAGE);
		await guard(() =>
			db.transaction('rw', [db.logs, db.cards, db.schedules], () => rebuildCardsIn(db, page))
		);
		options.onProgress?.(Math.min(i + PAGE, cardIds.length), cardIds.length);
	}
	await guard(() => db.meta.put({ key: CACHES_KEY, value: key }));
	return cardIds.length;
}
