/**
 * Leeches (cards the learner keeps forgetting) and the list of card actions. Apart from
 * card-actions.ts, which the study pages load for replay: only the card details, the list of cards
 * and the validation of rows from outside need these.
 */
import type { CardAction } from './card-actions.js';

export const CARD_ACTIONS = [
	'suspend',
	'unsuspend',
	'bury',
	'reset'
] as const satisfies readonly CardAction[];

/** A card with this many lapses (answers of Again on a learned card) is a leech. */
export const LEECH_LAPSES = 8;

/** Leech: at least `LEECH_LAPSES` lapses. */
export function isLeech(card: { lapses: number }): boolean {
	return card.lapses >= LEECH_LAPSES;
}
