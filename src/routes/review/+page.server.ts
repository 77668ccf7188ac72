import { allDeckViews } from '$lib/server/course';

export function load() {
	return { questions: allDeckViews().flatMap((deck) => deck.questions) };
}
