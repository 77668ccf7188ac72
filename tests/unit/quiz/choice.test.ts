import { describe, expect, it } from 'vitest';
import type { ClozeQuestion, MultipleChoiceQuestion } from '../../../src/lib/content/types';
import { gradeChoice, gradeCloze, normalizeClozeText } from '../../../src/lib/quiz/choice';

const base = { prompt: 'p', explanation: 'e', tags: [], deck: 'd', file: 'f.md', line: 1 };

const mc: MultipleChoiceQuestion = {
	...base,
	id: 'mc',
	kind: 'multiple-choice',
	multiple: true,
	options: [
		{ text: 'a', correct: true, explanation: '' },
		{ text: 'b', correct: false, explanation: '' },
		{ text: 'c', correct: true, explanation: '' }
	]
};

const cloze: ClozeQuestion = {
	...base,
	id: 'cz',
	kind: 'cloze',
	text: 'Scores are divided by {{root}} of {{dim}}.',
	caseSensitive: false,
	blanks: [
		{ name: 'root', answers: ['the square root', 'sqrt'] },
		{ name: 'dim', answers: ['d_k', 'the key dimension'] }
	]
};

describe('gradeChoice', () => {
	it('is right only with exactly the correct options', () => {
		expect(gradeChoice(mc, [0, 2]).correct).toBe(true);
		expect(gradeChoice(mc, [2, 0]).correct).toBe(true);
		expect(gradeChoice(mc, [0]).correct).toBe(false);
		expect(gradeChoice(mc, [0, 1, 2]).correct).toBe(false);
		expect(gradeChoice(mc, []).correct).toBe(false);
	});

	it('reports each option', () => {
		expect(gradeChoice(mc, [1]).options).toEqual([
			{ index: 0, selected: false, correct: true },
			{ index: 1, selected: true, correct: false },
			{ index: 2, selected: false, correct: true }
		]);
	});
});

describe('gradeCloze', () => {
	it('accepts any listed answer, ignoring case, spaces, quotes and a final period', () => {
		const result = gradeCloze(cloze, { root: '  The   Square Root ', dim: '"D_K".' });
		expect(result.correct).toBe(true);
	});

	it('marks each blank and gives the canonical answer', () => {
		const result = gradeCloze(cloze, { root: 'sqrt', dim: 'd_out' });
		expect(result.blanks).toEqual([
			{ name: 'root', given: 'sqrt', correct: true, answer: 'the square root' },
			{ name: 'dim', given: 'd_out', correct: false, answer: 'd_k' }
		]);
		expect(result.correct).toBe(false);
	});

	it('treats a missing blank as wrong, not as a crash', () => {
		expect(gradeCloze(cloze, {}).correct).toBe(false);
	});

	it('compares numbers by value', () => {
		const numeric: ClozeQuestion = { ...cloze, blanks: [{ name: 'root', answers: ['0.5'] }] };
		expect(gradeCloze(numeric, { root: '.5' }).correct).toBe(true);
		expect(gradeCloze(numeric, { root: '1/2' }).correct).toBe(true);
		expect(gradeCloze(numeric, { root: '0.55' }).correct).toBe(false);
	});

	it('respects caseSensitive', () => {
		expect(normalizeClozeText('Softmax', true)).toBe('Softmax');
		expect(normalizeClozeText('Softmax', false)).toBe('softmax');
	});
});
