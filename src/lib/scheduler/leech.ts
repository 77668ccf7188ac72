/**
 * Leeches: cards the learner keeps forgetting. Apart from card-actions.ts, which the study pages
 * load for replay: only the card details and the list of cards need this.
 */

/** A card with this many lapses (answers of Again on a learned card) is a leech. */
export const LEECH_LAPSES = 8;

/** Leech: at least `LEECH_LAPSES` lapses. */
export function isLeech(card: { lapses: number }): boolean {
	return card.lapses >= LEECH_LAPSES;
}
