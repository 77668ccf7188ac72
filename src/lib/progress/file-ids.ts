/**
 * The (card, review id) pairs an import has met in a file, to count reviews repeated within it.
 * A file may hold millions, so each pair is kept packed rather than as two strings: a card id
 * becomes a 3-character number and a lowercase UUID (what the app writes) its 16 raw bytes instead
 * of 36 characters. Exact: distinct pairs never share a key.
 */
import { UUID, writeUuid } from './packed-ids.js';

export class FileIds {
	private readonly cards = new Map<string, number>();
	private readonly keys = new Set<string>();

	/** Adds the pair; false when it was met before. */
	add(cardId: string, id: string): boolean {
		const key = keyOf(this.cardNumber(cardId), id);
		if (this.keys.has(key)) return false;
		this.keys.add(key);
		return true;
	}

	private cardNumber(cardId: string): number {
		let n = this.cards.get(cardId);
		if (n === undefined) {
			n = this.cards.size;
			this.cards.set(cardId, n);
		}
		return n;
	}
}

/**
 * One flat string (built in one call: a concatenation would be a rope, larger than its text): the
 * card number in 3 one-byte characters (16.7 M cards, far above what a backup may hold), then a
 * lowercase UUID as its 16 bytes, or any other id as itself after a marker no packed key contains.
 */
function keyOf(card: number, id: string): string {
	const codes = [card & 255, (card >> 8) & 255, (card >> 16) & 255];
	if (UUID.test(id)) writeUuid(id, codes, 3);
	else {
		codes.push(0x100);
		for (let i = 0; i < id.length; i++) codes.push(id.charCodeAt(i));
	}
	return String.fromCharCode(...codes);
}
