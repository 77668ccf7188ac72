import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	isEngineQuestion,
	markerNames,
	renderMarkdown,
	type DeckIndex,
	type Question
} from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';

let index: DeckIndex;
let questions: Question[];

beforeAll(async () => {
	index = await loadDecks('content/en');
	questions = index.decks.flatMap((deck) => deck.questions);
});

/** All the text of a question, for checking what it teaches. */
function textOf(question: Question): string {
	const parts = [question.prompt, question.explanation];
	if (question.kind === 'flashcard') parts.push(question.back);
	if (question.kind === 'cloze') parts.push(question.text);
	if (question.kind === 'multiple-choice') {
		parts.push(...question.options.flatMap((o) => [o.text, o.explanation]));
	}
	return parts.join('\n').toLowerCase();
}

describe('the decks in content/en', () => {
	it('parse, and are enough for the course', () => {
		expect(index.decks.length).toBeGreaterThanOrEqual(8);
		expect(questions.length).toBeGreaterThanOrEqual(80);
		expect(questions.filter(isEngineQuestion).length).toBeGreaterThanOrEqual(30);
	});

	it('are named NN-id.md with NN their order', () => {
		for (const deck of index.decks) {
			expect(basename(deck.file)).toBe(`${String(deck.order).padStart(2, '0')}-${deck.id}.md`);
		}
	});

	it('have question ids unique within and across decks', () => {
		const ids = questions.map((q) => q.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(index.questionById.size).toBe(ids.length);
	});

	it('give every question a prompt and an explanation', () => {
		for (const q of questions) {
			expect(q.prompt.trim(), q.id).not.toBe('');
			expect(q.explanation.trim(), q.id).not.toBe('');
		}
	});

	it('give every multiple-choice question a correct option and an explanation per option', () => {
		const choices = questions.filter((q) => q.kind === 'multiple-choice');
		expect(choices.length).toBeGreaterThan(0);
		for (const q of choices) {
			const correct = q.options.filter((o) => o.correct).length;
			expect(correct, q.id).toBeGreaterThanOrEqual(1);
			expect(q.options.length, q.id).toBeGreaterThan(correct);
			if (correct > 1) expect(q.multiple, q.id).toBe(true);
			for (const option of q.options) expect(option.explanation.trim(), q.id).not.toBe('');
		}
	});

	it('give every cloze blank accepted answers, one blank per marker', () => {
		const clozes = questions.filter((q) => q.kind === 'cloze');
		expect(clozes.length).toBeGreaterThan(0);
		for (const q of clozes) {
			expect(
				q.blanks.map((b) => b.name),
				q.id
			).toEqual(markerNames(q.text));
			for (const blank of q.blanks) {
				expect(blank.answers.length, `${q.id} {{${blank.name}}}`).toBeGreaterThan(0);
				for (const answer of blank.answers) expect(answer.trim()).not.toBe('');
			}
		}
	});

	it('store no answer in engine-checked questions', () => {
		for (const q of questions.filter(isEngineQuestion)) {
			for (const field of ['answer', 'answers', 'expected', 'value', 'values', 'solution']) {
				expect(Object.keys(q), q.id).not.toContain(field);
			}
			expect(q.shape.length, q.id).toBe({ number: 0, vector: 1, matrix: 2 }[q.kind]);
		}
	});

	it('place every question once in its lesson', () => {
		for (const deck of index.decks) {
			const placed = deck.lesson.parts.flatMap((p) => (p.type === 'question' ? [p.id] : []));
			expect(placed).toEqual(deck.questions.map((q) => q.id));
		}
	});

	it('render every lesson part without a KaTeX error', () => {
		for (const deck of index.decks) {
			for (const part of deck.lesson.parts) {
				if (part.type !== 'markdown') continue;
				const html = renderMarkdown(part.markdown);
				expect(html, `${deck.file}:${part.line}`).not.toContain('katex-error');
			}
		}
	});
});

/**
 * Every point of the reading notes (shared/notes/README.md) is quizzed: the card that teaches it,
 * and words its text must contain.
 */
const NOTES_COVERAGE: [point: string, id: string, words: string[]][] = [
	['attention, the idea', 'idea-rice', ['i ate rice yesterday', 'rice', 'yesterday']],
	['why RNN encoder-decoders struggled', 'idea-rnn-bottleneck', ['hidden state']],
	['dot product as similarity', 'dot-geometry', ['orthogonal']],
	['one-hot vectors cannot express similarity', 'dot-one-hot-zero', ['orthogonal']],
	['embeddings are learned dense vectors', 'dot-embeddings-learned', ['dense', 'learned']],
	['why compare similarity, not vectors', 'dot-why-similarity', ['random']],
	['naive normalisation and softmax', 'norm-why-softmax', ['positive', 'extreme']],
	['context vectors', 'ctx-meaning', ['weighted']],
	['trainable Q/K/V start random', 'qkv-meaningful', ['backpropagation']],
	['d_out can equal d_in in GPT', 'qkv-d-out-gpt', ['gpt']],
	['why divide by sqrt(d_k)', 'scaled-why-sqrt', ['saturate', 'gradients']],
	['both causal mask methods are equal', 'causal-methods-equal', ['renormalise', '\\infty']],
	['why -inf and not a big finite number', 'causal-why-neg-inf', ['learn']],
	['dropout: scaling', 'dropout-scale-why', ['1/(1-p)', 'expected value']],
	['dropout: only in training', 'dropout-when', ['eval']],
	['peek -> loss 0 -> gradients 0 -> nothing learned', 'why-mask-chain', ['copies', 'gradients']],
	['the dark-room analogy', 'why-mask-dark-room', ['dark room']],
	[
		'not overfitting: training must match generation',
		'why-mask-overfitting',
		['copying', 'generation']
	],
	['multi-head: wrapper vs weight split', 'mha-wrapper-vs-split', ['head_dim', 'out_proj']],
	['open question: harder than one-hot?', 'dot-harder-than-one-hot', ['one-hot']],
	['open question: why a lower-dimensional matrix?', 'qkv-why-project', ['lower', 'learn']],
	['open question: why mask all of a sudden?', 'why-mask-sudden', ['mask', 'generat']],
	['open question: overfitting?', 'why-mask-overfitting', ['overfitting']]
];

describe('coverage of the reading notes', () => {
	for (const [point, id, words] of NOTES_COVERAGE) {
		it(`teaches "${point}" (${id})`, () => {
			const question = index.questionById.get(id);
			expect(question, id).toBeDefined();
			const text = textOf(question as Question);
			for (const word of words) expect(text, `${id} mentions "${word}"`).toContain(word);
		});
	}

	it('turns each of the notes four open questions into a flashcard', () => {
		const open = [
			'dot-harder-than-one-hot',
			'qkv-why-project',
			'why-mask-sudden',
			'why-mask-overfitting'
		];
		for (const id of open) expect(index.questionById.get(id)?.kind, id).toBe('flashcard');
	});
});
