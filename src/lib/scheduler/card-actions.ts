/**
 * Card actions (suspend, unsuspend, bury, reset) are log rows like answers and undos: rating 0,
 * `undoes: null`, and an `action`. They are not answers, and nothing voids them (to take one back,
 * add its opposite: unsuspend, or answer again after a reset).
 *
 * - suspend / unsuspend: the newest of them says whether the card is suspended (out of the queue).
 * - bury: the card is out of the queue until `buriedUntil`, the start of the next study day when it
 *   was buried (stored in the row, so a later change of the day-start setting does not move it).
 * - reset (forget): replay starts from a new card after the newest reset; the answers before it
 *   stay in the log and in the card's history, they only no longer count.
 *
 * Kept apart from replay.ts on purpose: `replayLog` only asks `sinceLastReset` for its answers.
 */
/** Log order, as replay.ts's `compareEvents` (repeated here: replay.ts imports this file). */
function compareEvents(a: LogPosition, b: LogPosition): number {
	if (a.time !== b.time) return a.time - b.time;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export type CardAction = 'suspend' | 'unsuspend' | 'bury' | 'reset';

/** Where a row sits in the log (replay.ts's `ReviewEvent` has it). */
interface LogPosition {
	id: string;
	time: number;
}

/** A log event that may be a card action (replay's `ReviewEvent` and progress's `ReviewRow` fit). */
export interface ActionEvent extends LogPosition {
	action?: CardAction;
	/** Bury rows: until when (epoch ms). */
	buriedUntil?: number;
}

/** The queue flags that a card's actions leave; fields absent when not set. */
export interface CardFlags {
	suspended?: true;
	buriedUntil?: number;
}

/** The events after the newest reset (all of them when there is none), in the given order. */
export function sinceLastReset<T extends ActionEvent>(events: readonly T[]): readonly T[] {
	let last: T | undefined;
	for (const e of events) {
		if (e.action === 'reset' && (last === undefined || compareEvents(e, last) > 0)) last = e;
	}
	if (last === undefined) return events;
	const reset = last;
	return events.filter((e) => compareEvents(e, reset) > 0);
}

/** Suspended and buried flags from a card's actions (in log order, the newest wins). */
export function cardFlags(events: readonly ActionEvent[]): CardFlags {
	const actions = events.filter((e) => e.action !== undefined).sort(compareEvents);
	let suspended = false;
	let buriedUntil: number | undefined;
	for (const e of actions) {
		if (e.action === 'suspend') suspended = true;
		else if (e.action === 'unsuspend') suspended = false;
		else if (e.action === 'bury' && e.buriedUntil !== undefined) buriedUntil = e.buriedUntil;
	}
	return {
		...(suspended && { suspended: true as const }),
		...(buriedUntil !== undefined && { buriedUntil })
	};
}

/** Whether the flags keep a card out of the queue at `now`. */
export function isHidden(flags: CardFlags, now: number): boolean {
	return flags.suspended === true || (flags.buriedUntil !== undefined && flags.buriedUntil > now);
}
