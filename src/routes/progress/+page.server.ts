import { course, deckSummaries } from '$lib/server/course';
import { listPrompt } from './list-prompt';

export function load() {
	return {
		deckTitles: Object.fromEntries(deckSummaries().map((deck) => [deck.id, deck.title])),
		cardPrompts: Object.fromEntries(
			[...course().questionById].map(([id, question]) => [id, listPrompt(question)])
		)
	};
}
