/**
 * Defect: a cloze answer typed with a Chinese input method, ending in a full-width `。`, `，` or `；`,
 * or with full-width spaces, parentheses or digits, was marked wrong, while the same answer in ASCII
 * (a final `.`, plain spaces) was accepted.
 */
import { describe, expect, it } from 'vitest';
import type { ClozeQuestion } from '../../../src/lib/content/types';
import { gradeCloze, normalizeClozeText } from '../../../src/lib/quiz/choice';

const cloze: ClozeQuestion = {
	prompt: 'p',
	explanation: 'e',
	tags: [],
	deck: 'd',
	file: 'f.md',
	line: 1,
	id: 'cz',
	kind: 'cloze',
	text: '{{fill}} {{value}} {{what}} {{power}}',
	caseSensitive: false,
	blanks: [
		{ name: 'fill', answers: ['masked_fill_'] },
		{ name: 'value', answers: ["float('-inf')"] },
		{ name: 'what', answers: ['注意力分数', 'attention scores'] },
		{ name: 'power', answers: ['0.5'] }
	]
};

describe('cloze answers typed with full-width punctuation are accepted (defect: “。” kept them wrong)', () => {
	it('drops a final full-width full stop, comma or semicolon like an ASCII period', () => {
		for (const end of ['。', '，', '；', '.', '．']) {
			expect(normalizeClozeText(`注意力分数${end}`, false), end).toBe('注意力分数');
		}
	});

	it('reads full-width spaces, parentheses and digits as their ASCII forms', () => {
		expect(normalizeClozeText('\u3000attention\u3000\u3000scores\u3000', false)).toBe(
			'attention scores'
		);
		expect(normalizeClozeText("float（'-inf'）", true)).toBe("float('-inf')");
		expect(normalizeClozeText('０.５', false)).toBe('0.5');
	});

	it('grades such answers right', () => {
		const result = gradeCloze(cloze, {
			fill: 'masked_fill_。',
			value: "float（'-inf'）；",
			what: '“注意力分数”。',
			power: '０.５，'
		});
		expect(result.blanks.map((b) => b.correct)).toEqual([true, true, true, true]);
	});

	it('still tells different answers apart', () => {
		expect(
			gradeCloze(cloze, { fill: 'masked_fill。', value: '', what: '', power: '' }).correct
		).toBe(false);
	});
});
