import { course, deckSummaries } from '$lib/server/course';

/** A prompt as one short line of its markdown (math stays as `$…$`), for the list of cards. */
function shortPrompt(markdown: string): string {
	const line = markdown.replace(/\s+/g, ' ').trim();
	return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

export function load() {
	return {
		deckTitles: Object.fromEntries(deckSummaries().map((deck) => [deck.id, deck.title])),
		cardPrompts: Object.fromEntries(
			[...course().questionById].map(([id, question]) => [id, shortPrompt(question.prompt)])
		)
	};
}
