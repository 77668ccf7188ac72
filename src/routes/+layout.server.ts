import { deckSummaries } from '$lib/server/course';

/** Every page may link to a lesson by its deck id (e.g. a diagnosed misconception's lesson). */
export function load() {
	return {
		lessons: Object.fromEntries(
			deckSummaries().map((deck) => [deck.id, { title: deck.title, order: deck.order }])
		) as Record<string, { title: string; order: number }>
	};
}
