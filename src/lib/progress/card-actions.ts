/**
 * Card actions (suspend, unsuspend, bury, reset) as log rows (see scheduler/card-actions.ts): each
 * is ONE read-write transaction that appends the row to the card's log and rewrites its caches
 * from the replay, like an undo (reviews.ts). Nothing is erased.
 */
import { DayClock, type CardAction } from '../scheduler/index.js';
import { guard, ProgressError } from './errors.js';
import { newId } from './ids.js';
import { logRecord, mergeRows, readCardLog } from './log.js';
import { addRecentAnswer } from './recent.js';
import { writeCaches } from './rebuild.js';
import { getSettings } from './settings.js';
import {
	actionRow,
	type CardRow,
	type ProgressDb,
	type ReviewRow,
	type Settings
} from './schema.js';

export interface CardActionResult {
	row: ReviewRow;
	/** The card's cache row after the action; null when no answer counts (after a reset). */
	card: CardRow | null;
}

/** The start of the study day after the one `now` is in: where a bury ends. */
export function nextStudyDayStart(
	now: number,
	settings: Pick<Settings, 'timeZone' | 'dayStartHour'>
): number {
	const clock = new DayClock(settings.timeZone, settings.dayStartHour);
	return clock.startOf(clock.dayOf(now) + 1);
}

/**
 * Appends an action row for `cardId` at `now` and replays the card. Suspend, unsuspend and bury
 * need a card with an answer that counts (a new card is not in the queue's studied cards); a reset
 * needs a card with a log. `settings` place the end of a bury.
 *
 * @throws ProgressError `not-found` for a card without a log, `invalid` for an action that does
 *   not apply (suspend or bury of a card that counts as new).
 */
export async function recordCardAction(
	db: ProgressDb,
	cardId: string,
	action: CardAction,
	now: number,
	settings?: Pick<Settings, 'timeZone' | 'dayStartHour'>
): Promise<CardActionResult> {
	const day = settings ?? (action === 'bury' ? await getSettings(db) : null);
	return guard(() =>
		db.transaction('rw', [db.logs, db.recent, db.cards, db.schedules], async () => {
			const [log, cached] = await Promise.all([readCardLog(db.logs, cardId), db.cards.get(cardId)]);
			const newest = log.at(-1);
			if (!newest) throw new ProgressError('not-found', `card ${cardId} has no answers`);
			if (action !== 'reset' && !cached) {
				throw new ProgressError('invalid', `card ${cardId} counts as new: answer it first`);
			}
			// after the newest row, so the action applies to the card as it is now
			const time = Math.max(now, newest.time + 1);
			const row = actionRow({
				id: newId(),
				cardId,
				deckId: cached?.deckId ?? newest.deckId,
				time,
				action,
				buriedUntil: action === 'bury' && day ? nextStudyDayStart(time, day) : undefined
			});
			const { rows } = mergeRows(log, [row]);
			await db.logs.put(logRecord(cardId, rows));
			await addRecentAnswer(db.recent, row);
			const [card] = await writeCaches(db, [{ cardId, rows }]);
			return { row, card: card ?? null };
		})
	);
}

export interface CardDetails {
	/** Every log row of the card, oldest first (answers, undos, actions). */
	log: ReviewRow[];
	/** Ids of the answers an undo row voids. */
	undone: Set<string>;
	/** The cache row; undefined when no answer counts (never studied, or reset). */
	card: CardRow | undefined;
}

/** A card's log and state, for its details. */
export async function loadCardDetails(db: ProgressDb, cardId: string): Promise<CardDetails> {
	return guard(() =>
		db.transaction('r', db.logs, db.cards, async () => {
			const [log, card] = await Promise.all([readCardLog(db.logs, cardId), db.cards.get(cardId)]);
			const undone = new Set(log.flatMap((row) => (row.undoes === null ? [] : [row.undoes])));
			return { log, undone, card };
		})
	);
}
