import { deckSummaries } from '$lib/server/course';

export function load() {
	return { decks: deckSummaries() };
}
