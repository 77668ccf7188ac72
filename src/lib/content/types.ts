/** The typed shape of a deck once `parseDeck` has read and validated it. */

import type { ModuleName } from '../engine/index.js';
import type { Dim, MhaStep, TargetName } from './targets.js';
import type { VariantName } from './variants.js';

export type { Dim } from './targets.js';

/** Markdown text (with `$...$` / `$$...$$` math), rendered later by `renderMarkdown`. */
export type Markdown = string;

export const QUESTION_KINDS = [
	'flashcard',
	'multiple-choice',
	'cloze',
	'number',
	'vector',
	'matrix'
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Kinds whose answer the engine computes; their blocks store no answer. */
export const ENGINE_KINDS = ['number', 'vector', 'matrix'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export function isEngineKind(kind: string): kind is EngineKind {
	return (ENGINE_KINDS as readonly string[]).includes(kind);
}

export interface QuestionBase {
	/** Stable forever: progress is keyed on it. Unique across all decks. */
	id: string;
	kind: QuestionKind;
	/** The question, or for a flashcard its front. */
	prompt: Markdown;
	/** Why the answer is what it is; shown after answering. */
	explanation: Markdown;
	tags: string[];
	/** Id of the deck the question belongs to. */
	deck: string;
	/** Where the ```quiz block starts, for messages. */
	file: string;
	line: number;
}

export interface FlashcardQuestion extends QuestionBase {
	kind: 'flashcard';
	back: Markdown;
}

export interface ChoiceOption {
	text: Markdown;
	correct: boolean;
	/** Why this option is right or wrong. */
	explanation: Markdown;
}

export interface MultipleChoiceQuestion extends QuestionBase {
	kind: 'multiple-choice';
	options: ChoiceOption[];
	/** Let the learner pick several options (always true when more than one is correct). */
	multiple: boolean;
}

export interface ClozeBlank {
	/** The name used in `{{name}}` inside `text`. */
	name: string;
	/** Accepted answers; the first is the canonical one. */
	answers: string[];
}

export interface ClozeQuestion extends QuestionBase {
	kind: 'cloze';
	/** Inline markdown with `{{name}}` where each blank goes. */
	text: Markdown;
	/** In the order they first appear in `text`. */
	blanks: ClozeBlank[];
	caseSensitive: boolean;
}

/** An integer parameter: a fixed value, an inclusive range or a set to pick from. */
export type IntChoice =
	| { type: 'fixed'; value: number }
	| { type: 'range'; min: number; max: number }
	| { type: 'one-of'; values: number[] };

export type NumberChoice = { type: 'fixed'; value: number } | { type: 'one-of'; values: number[] };

export type InputsSpec =
	| { source: 'book' }
	| { source: 'random'; tokens: IntChoice; d_in: IntChoice }
	| { source: 'one-hot'; tokens: IntChoice };

/** A token of the inputs: a book word, a 1-based position, or drawn from the attempt's seed. */
export type TokenRef =
	{ type: 'word'; word: string } | { type: 'position'; position: number } | { type: 'random' };

export type SeedSpec = { type: 'fixed'; value: number } | { type: 'random' };

/**
 * The Q/K/V weight matrices of step-by-step questions: drawn like the book
 * (`torch.manual_seed(seed)`, then `torch.rand(d_in, d_out)` three times, or `nn.Linear`'s
 * init), or random numbers with 2 decimals drawn after the inputs from the attempt's seed.
 */
export type WeightsSpec =
	{ type: 'seeded'; init: 'rand' | 'linear'; seed: SeedSpec } | { type: 'shown' };

/** What the engine computes for an engine-checked question. Only the fields a target reads are set. */
export interface ComputeSpec {
	target: TargetName;
	inputs: InputsSpec;
	query?: TokenRef;
	key?: TokenRef;
	weights?: WeightsSpec;
	seed?: SeedSpec;
	d_out?: IntChoice;
	num_heads?: IntChoice;
	batch?: IntChoice;
	dropout?: NumberChoice;
	mask_value?: number;
	module?: ModuleName;
	/** `mha-shape`: which intermediate tensor of `MultiHeadAttention.forward`. */
	step?: MhaStep;
	/** `buggy-weights`, `buggy-mha`: which buggy variant of the code runs. */
	variant?: VariantName;
	/** `parameter-count`: the `qkv_bias` argument (default false). */
	qkv_bias?: boolean;
}

interface EngineQuestionBase extends QuestionBase {
	kind: EngineKind;
	compute: ComputeSpec;
	/** `[]` for a number; resolved to numbers per attempt by the quiz layer. */
	shape: Dim[];
	/** Decimal places the learner is asked to give. */
	decimals: number;
}

export interface NumberQuestion extends EngineQuestionBase {
	kind: 'number';
}
export interface VectorQuestion extends EngineQuestionBase {
	kind: 'vector';
}
export interface MatrixQuestion extends EngineQuestionBase {
	kind: 'matrix';
}
export type EngineQuestion = NumberQuestion | VectorQuestion | MatrixQuestion;

export type Question = FlashcardQuestion | MultipleChoiceQuestion | ClozeQuestion | EngineQuestion;

export function isEngineQuestion(question: Question): question is EngineQuestion {
	return isEngineKind(question.kind);
}

/** A lesson is markdown interleaved with the deck's questions, in file order. */
export type LessonPart =
	{ type: 'markdown'; markdown: Markdown; line: number } | { type: 'question'; id: string };

export interface Lesson {
	parts: LessonPart[];
}

export interface Deck {
	id: string;
	title: string;
	/** Position in the course (decks are listed by it). */
	order: number;
	summary: string;
	/** The book's section(s) the deck follows, e.g. "3.3.1". */
	section: string;
	file: string;
	lesson: Lesson;
	questions: Question[];
}

export interface DeckIndex {
	/** Sorted by `order`. */
	decks: Deck[];
	deckById: Map<string, Deck>;
	questionById: Map<string, Question>;
}
