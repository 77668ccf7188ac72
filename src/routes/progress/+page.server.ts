import { deckSummaries } from '$lib/server/course';

export function load() {
	return {
		deckTitles: Object.fromEntries(deckSummaries().map((deck) => [deck.id, deck.title]))
	};
}
