/**
 * The course, read from `content/en/*.md` at build time (prerender). A malformed deck throws a
 * `ContentError` listing every `file:line: problem`, which fails the build.
 */
import { buildIndex, globToFiles, type DeckIndex } from '$lib/content';
import { presentDeck, summarizeDeck, type DeckSummary, type DeckView } from '$lib/content/present';

const sources = import.meta.glob('/content/en/*.md', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

let index: DeckIndex | undefined;

export function course(): DeckIndex {
	index ??= buildIndex(globToFiles(sources));
	return index;
}

export function deckSummaries(): DeckSummary[] {
	return course().decks.map(summarizeDeck);
}

export function deckView(id: string): DeckView | undefined {
	const deck = course().deckById.get(id);
	return deck && presentDeck(deck);
}

export function allDeckViews(): DeckView[] {
	return course().decks.map(presentDeck);
}
