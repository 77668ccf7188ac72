import { allDeckViews } from '$lib/server/course';

/** Every card id of the course: Check database lists studied cards that are no longer in it. */
export function load() {
	return { cardIds: allDeckViews().flatMap((deck) => deck.questions.map((q) => q.id)) };
}
