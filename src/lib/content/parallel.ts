/**
 * A translated course must be the same course: each deck of another language is the twin of the
 * English deck with the same file name, with the same deck id and order, the same questions (ids,
 * kinds, engine specs, option flags, blank names) in the same order and the same figures. Progress
 * is per question id, so a learner switching language keeps every due date and statistic.
 */
import type { ContentIssue } from './errors.js';
import type { Deck, Question } from './types.js';

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** The kinds of the ```figure blocks of a deck's lesson, in order. */
function figureKinds(deck: Deck): string[] {
	const kinds: string[] = [];
	for (const part of deck.lesson.parts) {
		if (part.type !== 'markdown') continue;
		for (const block of part.markdown.matchAll(/```figure\n([\s\S]*?)```/g)) {
			kinds.push(/^kind:\s*(\S+)/m.exec(block[1])?.[1] ?? '?');
		}
	}
	return kinds;
}

/** What must not change in translation: everything but the text a learner reads. */
function structure(q: Question): unknown {
	switch (q.kind) {
		case 'flashcard':
			return { kind: q.kind };
		case 'multiple-choice':
			return { kind: q.kind, multiple: q.multiple, correct: q.options.map((o) => o.correct) };
		case 'cloze':
			return { kind: q.kind, blanks: q.blanks.map((b) => b.name), caseSensitive: q.caseSensitive };
		default:
			return { kind: q.kind, compute: q.compute, shape: q.shape, decimals: q.decimals };
	}
}

function describe(value: unknown): string {
	return JSON.stringify(value);
}

/** Issues (at the translated file's lines) where `twins` differ from `english`; one list for all decks. */
export function checkParallel(english: readonly Deck[], twins: readonly Deck[]): ContentIssue[] {
	const issues: ContentIssue[] = [];
	const byName = new Map(english.map((deck) => [baseName(deck.file), deck]));
	for (const twin of twins) {
		const at = (line: number, message: string): void => {
			issues.push({ file: twin.file, line, message });
		};
		const en = byName.get(baseName(twin.file));
		if (!en) {
			at(
				1,
				`no English deck ${baseName(twin.file)} to translate (a translated deck keeps its twin's file name)`
			);
			continue;
		}
		if (twin.id !== en.id || twin.order !== en.order) {
			at(1, `deck id/order ${twin.id}/${twin.order} differ from ${en.file}'s ${en.id}/${en.order}`);
		}
		const enIds = en.questions.map((q) => q.id);
		const twinIds = twin.questions.map((q) => q.id);
		for (const q of twin.questions) {
			if (!enIds.includes(q.id)) at(q.line, `question "${q.id}" is not in ${en.file}`);
		}
		for (const q of en.questions) {
			if (!twinIds.includes(q.id)) {
				at(1, `question "${q.id}" of ${en.file}:${q.line} is missing`);
			}
		}
		const common = twinIds.filter((id) => enIds.includes(id));
		const enOrder = enIds.filter((id) => twinIds.includes(id));
		const moved = common.findIndex((id, i) => id !== enOrder[i]);
		if (moved >= 0) {
			const q = twin.questions.find((x) => x.id === common[moved])!;
			at(q.line, `question "${q.id}" is out of order (${en.file} has "${enOrder[moved]}" here)`);
		}
		for (const q of twin.questions) {
			const original = en.questions.find((x) => x.id === q.id);
			if (!original) continue;
			const [mine, theirs] = [describe(structure(q)), describe(structure(original))];
			if (mine !== theirs) {
				at(
					q.line,
					`question "${q.id}" differs from ${en.file}:${original.line}: ${mine} vs ${theirs}`
				);
			}
		}
		const [kinds, enKinds] = [figureKinds(twin), figureKinds(en)];
		if (describe(kinds) !== describe(enKinds)) {
			at(1, `figures [${kinds.join(', ')}] differ from ${en.file}'s [${enKinds.join(', ')}]`);
		}
	}
	return issues;
}

/** English decks that have no twin yet. */
export function missingTwins(english: readonly Deck[], twins: readonly Deck[]): Deck[] {
	const names = new Set(twins.map((deck) => baseName(deck.file)));
	return english.filter((deck) => !names.has(baseName(deck.file)));
}
