/**
 * The course, read from `content/{en,zh}/*.md` at build time (prerender), in the locale of the page
 * being rendered (`/zh/…` is Chinese). A malformed deck throws a `ContentError` listing every
 * `file:line: problem`, which fails the build. A zh deck is the twin of the en deck of the same file
 * name (same ids, kinds and engine specs: `checkParallel`); until a twin exists its en deck is used.
 */
import {
	buildIndex,
	checkDecks,
	checkParallel,
	ContentError,
	globToFiles,
	type DeckIndex
} from '$lib/content';
import { presentDeck, summarizeDeck, type DeckSummary, type DeckView } from '$lib/content/present';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

const sources: Record<Locale, Record<string, string>> = {
	en: import.meta.glob('/content/en/*.md', { query: '?raw', import: 'default', eager: true }),
	zh: import.meta.glob('/content/zh/*.md', { query: '?raw', import: 'default', eager: true })
};

const indexes = new Map<Locale, DeckIndex>();

/** The files of a locale: each en deck, replaced by its zh twin where one exists. */
function filesOf(locale: Locale): Record<string, string> {
	if (locale === 'en') return sources.en;
	const files: Record<string, string> = {};
	for (const [path, source] of Object.entries(sources.en)) {
		const twin = path.replace('/content/en/', `/content/${locale}/`);
		files[sources[locale][twin] === undefined ? path : twin] = sources[locale][twin] ?? source;
	}
	return files;
}

/** A translation that is not the English course's twin fails the build, at its `file:line`. */
function checkTwins(locale: Locale): void {
	if (locale === 'en') return;
	const twins = checkDecks(globToFiles(sources[locale]));
	const issues = [...twins.issues, ...checkParallel(course('en').decks, twins.decks)];
	if (issues.length > 0) throw new ContentError(issues);
}

export function course(locale: Locale = getLocale()): DeckIndex {
	let index = indexes.get(locale);
	if (!index) {
		checkTwins(locale);
		index = buildIndex(globToFiles(filesOf(locale)));
		indexes.set(locale, index);
	}
	return index;
}

/** Lesson links are written unprefixed (`/learn/…`); a Chinese page links to the Chinese pages. */
function localizeLinks<T>(value: T, locale: Locale): T {
	if (locale === 'en') return value;
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return v.replace(/href="\/(?!zh\/)/g, `href="/${locale}/`);
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object') {
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		}
		return v;
	};
	return walk(value) as T;
}

export function deckSummaries(): DeckSummary[] {
	return course().decks.map(summarizeDeck);
}

export function deckView(id: string): DeckView | undefined {
	const deck = course().deckById.get(id);
	return deck && localizeLinks(presentDeck(deck), getLocale());
}

export function allDeckViews(): DeckView[] {
	return course().decks.map((deck) => localizeLinks(presentDeck(deck), getLocale()));
}
