import { course, deckSummaries } from '$lib/server/course';

export function load() {
	return {
		decks: deckSummaries(),
		questionIds: Object.fromEntries(
			course().decks.map((deck) => [deck.id, deck.questions.map((q) => q.id)])
		)
	};
}
