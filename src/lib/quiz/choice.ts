import type { ClozeQuestion, MultipleChoiceQuestion } from '../content/types.js';
import { parseNumberToken } from './answer.js';

export interface OptionFeedback {
	index: number;
	selected: boolean;
	correct: boolean;
}

/** A multiple-choice answer is right when exactly the correct options are selected. */
export function gradeChoice(
	question: { options: readonly Pick<MultipleChoiceQuestion['options'][number], 'correct'>[] },
	selected: readonly number[]
): { correct: boolean; options: OptionFeedback[] } {
	const chosen = new Set(selected);
	const options = question.options.map((option, index) => ({
		index,
		selected: chosen.has(index),
		correct: option.correct
	}));
	return { correct: options.every((o) => o.selected === o.correct), options };
}

/** Lower case (unless asked), trimmed, inner spaces collapsed, quotes and a final period dropped. */
export function normalizeClozeText(text: string, caseSensitive: boolean): string {
	const collapsed = text
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/\.$/, '')
		.replace(/^["'`“‘]+|["'`”’]+$/g, '')
		.replace(/\.$/, '')
		.replace(/\u2212/g, '-');
	return caseSensitive ? collapsed : collapsed.toLowerCase();
}

function matches(given: string, accepted: string, caseSensitive: boolean): boolean {
	const a = normalizeClozeText(given, caseSensitive);
	const b = normalizeClozeText(accepted, caseSensitive);
	if (a === b) return true;
	// numbers may be written differently: ".5" is "0.5", "1/2" is "0.5"
	const x = parseNumberToken(a);
	const y = parseNumberToken(b);
	return x !== null && y !== null && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
}

export interface BlankFeedback {
	name: string;
	given: string;
	correct: boolean;
	/** The canonical answer, shown after checking. */
	answer: string;
}

/** Each blank is right when it matches one of its accepted answers. */
export function gradeCloze(
	question: Pick<ClozeQuestion, 'blanks' | 'caseSensitive'>,
	given: Readonly<Record<string, string>>
): { correct: boolean; blanks: BlankFeedback[] } {
	const blanks = question.blanks.map((blank) => {
		const text = given[blank.name] ?? '';
		return {
			name: blank.name,
			given: text,
			correct: blank.answers.some((a) => matches(text, a, question.caseSensitive)),
			answer: blank.answers[0]
		};
	});
	return { correct: blanks.every((b) => b.correct), blanks };
}
