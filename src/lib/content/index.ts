/**
 * The content layer: markdown decks (`content/<lang>/NN-slug.md`) to typed, validated decks, and
 * markdown to safe HTML. `loadDecks` (Node only, reads files) lives in `./load.ts`.
 */

import { ContentError, type ContentIssue } from './errors.js';
import { checkDeck } from './parse.js';
import type { Deck, DeckIndex, Question } from './types.js';

export { ContentError, formatIssue, type ContentIssue } from './errors.js';
export { checkDeck, parseDeck, type DeckCheck } from './parse.js';
export { FIGURE_KINDS, lessonFigures, type FigureKind, type FigureSpec } from './figures.js';
export { checkParallel, missingTwins } from './parallel.js';
export { markerNames, replaceMarkers } from './markers.js';
export { placeholderNames, choiceValues } from './compute-checks.js';
export { renderInline, renderMarkdown, sanitizeHtml } from './render.js';
export {
	MHA_STEPS,
	MHA_STEP_NAMES,
	TARGETS,
	TARGET_NAMES,
	targetShape,
	type MhaStep,
	type TargetInfo,
	type TargetName
} from './targets.js';
export {
	VARIANTS,
	VARIANT_NAMES,
	isVariantName,
	runnableVariants,
	type VariantEffect,
	type VariantInfo,
	type VariantName
} from './variants.js';
export * from './types.js';

export interface DeckFile {
	/** Path used in messages, e.g. `content/en/03-softmax.md`. */
	file: string;
	source: string;
}

/** Every deck that parses, and every issue (per file, then across files), without throwing. */
export function checkDecks(files: readonly DeckFile[]): { decks: Deck[]; issues: ContentIssue[] } {
	const decks: Deck[] = [];
	const issues: ContentIssue[] = [];
	for (const { file, source } of files) {
		const result = checkDeck(source, file);
		issues.push(...result.issues);
		if (result.deck) decks.push(result.deck);
	}
	issues.push(...crossDeckIssues(decks));
	decks.sort((a, b) => a.order - b.order);
	return { decks, issues };
}

/** Ids of decks and questions are unique across all decks; deck orders too. */
function crossDeckIssues(decks: readonly Deck[]): ContentIssue[] {
	const issues: ContentIssue[] = [];
	const deckIds = new Map<string, string>();
	const orders = new Map<number, string>();
	const questionIds = new Map<string, Question>();
	for (const deck of decks) {
		const sameId = deckIds.get(deck.id);
		if (sameId)
			issues.push({
				file: deck.file,
				line: 1,
				message: `duplicate deck id "${deck.id}" (first seen at ${sameId}:1)`
			});
		else deckIds.set(deck.id, deck.file);
		const sameOrder = orders.get(deck.order);
		if (sameOrder)
			issues.push({
				file: deck.file,
				line: 1,
				message: `duplicate deck order ${deck.order} (first seen at ${sameOrder}:1)`
			});
		else orders.set(deck.order, deck.file);
		for (const question of deck.questions) {
			const first = questionIds.get(question.id);
			if (first) {
				issues.push({
					file: question.file,
					line: question.line,
					message: `duplicate question id "${question.id}" (first seen at ${first.file}:${first.line})`
				});
			} else questionIds.set(question.id, question);
		}
	}
	return issues;
}

/**
 * The course index from raw files, e.g. Vite's
 * `import.meta.glob('/content/en/*.md', { query: '?raw', import: 'default', eager: true })`
 * turned into `{ file, source }` pairs. Pure; throws `ContentError` listing every issue.
 */
export function buildIndex(files: readonly DeckFile[]): DeckIndex {
	const { decks, issues } = checkDecks(files);
	if (issues.length > 0) throw new ContentError(issues);
	return {
		decks,
		deckById: new Map(decks.map((deck) => [deck.id, deck])),
		questionById: new Map(decks.flatMap((deck) => deck.questions.map((q) => [q.id, q] as const)))
	};
}

/** `{ file, source }` pairs from an `import.meta.glob(..., { query: '?raw', import: 'default', eager: true })` record. */
export function globToFiles(glob: Record<string, string>): DeckFile[] {
	return Object.entries(glob).map(([path, source]) => ({ file: path.replace(/^\//, ''), source }));
}
