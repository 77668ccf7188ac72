/**
 * Decks as the pages need them: every static piece of markdown rendered to sanitised HTML once, at
 * build time. Engine-checked questions keep their compute spec, since their numbers are drawn per
 * attempt in the browser.
 */
import { lessonFigures, splitFigures, type FigureSpec } from './figures.js';
import { renderInline, renderMarkdown } from './render.js';
import {
	isEngineKind,
	type ClozeBlank,
	type Deck,
	type EngineQuestion,
	type Question
} from './types.js';

interface ViewBase {
	id: string;
	deck: string;
	promptHtml: string;
	explanationHtml: string;
}

export interface FlashcardView extends ViewBase {
	kind: 'flashcard';
	backHtml: string;
}

export interface ChoiceView extends ViewBase {
	kind: 'multiple-choice';
	multiple: boolean;
	options: { html: string; correct: boolean; explanationHtml: string }[];
}

export type ClozeSegment = { type: 'text'; html: string } | { type: 'blank'; name: string };

export interface ClozeView extends ViewBase {
	kind: 'cloze';
	segments: ClozeSegment[];
	blanks: ClozeBlank[];
	caseSensitive: boolean;
}

export interface EngineView extends ViewBase {
	kind: 'number' | 'vector' | 'matrix';
	/** The validated question; the browser computes each attempt from it. */
	question: EngineQuestion;
}

export type QuestionView = FlashcardView | ChoiceView | ClozeView | EngineView;

export type { FigureSpec } from './figures.js';

export type LessonPartView =
	| { type: 'html'; html: string }
	| { type: 'figure'; figure: FigureSpec }
	| { type: 'question'; id: string };

export interface DeckSummary {
	id: string;
	title: string;
	order: number;
	summary: string;
	section: string;
	questionCount: number;
	engineCount: number;
	/** ```figure blocks in the lesson. */
	figureCount: number;
}

export interface DeckView extends DeckSummary {
	parts: LessonPartView[];
	questions: QuestionView[];
}

const BLANK = /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;

/** Cloze text split around its `{{blank}}` markers; text pieces rendered as inline markdown. */
export function clozeSegments(text: string): ClozeSegment[] {
	const segments: ClozeSegment[] = [];
	let last = 0;
	for (const match of text.matchAll(BLANK)) {
		const before = text.slice(last, match.index);
		if (before) segments.push({ type: 'text', html: renderInline(before) });
		segments.push({ type: 'blank', name: match[1] });
		last = match.index + match[0].length;
	}
	const rest = text.slice(last);
	if (rest) segments.push({ type: 'text', html: renderInline(rest) });
	return segments;
}

export function presentQuestion(question: Question): QuestionView {
	const base = {
		id: question.id,
		deck: question.deck,
		promptHtml: renderMarkdown(question.prompt),
		explanationHtml: renderMarkdown(question.explanation)
	};
	switch (question.kind) {
		case 'flashcard':
			return { ...base, kind: 'flashcard', backHtml: renderMarkdown(question.back) };
		case 'multiple-choice':
			return {
				...base,
				kind: 'multiple-choice',
				multiple: question.multiple,
				options: question.options.map((option) => ({
					html: renderInline(option.text),
					correct: option.correct,
					explanationHtml: renderInline(option.explanation)
				}))
			};
		case 'cloze':
			return {
				...base,
				kind: 'cloze',
				segments: clozeSegments(question.text),
				blanks: question.blanks,
				caseSensitive: question.caseSensitive
			};
		default:
			return { ...base, kind: question.kind, question };
	}
}

export function summarizeDeck(deck: Deck): DeckSummary {
	return {
		id: deck.id,
		title: deck.title,
		order: deck.order,
		summary: deck.summary,
		section: deck.section,
		questionCount: deck.questions.length,
		engineCount: deck.questions.filter((q) => isEngineKind(q.kind)).length,
		figureCount: lessonFigures(deck.lesson.parts, deck.file).length
	};
}

/** The page shows the deck's title as its one h1, so a lesson's own top heading is dropped. */
export function withoutLeadingTitle(markdown: string): string {
	return markdown.replace(/^\s*#(?!#)[^\n]*\n?/, '');
}

export function presentDeck(deck: Deck): DeckView {
	const parts: LessonPartView[] = deck.lesson.parts.flatMap((part, i): LessonPartView[] => {
		if (part.type === 'question') return [part];
		return splitFigures(part.markdown, deck.file, part.line).map((piece, j) => {
			if (piece.type === 'figure') return piece;
			const markdown = i === 0 && j === 0 ? withoutLeadingTitle(piece.markdown) : piece.markdown;
			return { type: 'html', html: renderMarkdown(markdown) };
		});
	});
	return { ...summarizeDeck(deck), parts, questions: deck.questions.map(presentQuestion) };
}
