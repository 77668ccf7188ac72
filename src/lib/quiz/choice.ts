import type { ClozeQuestion, MultipleChoiceQuestion } from '../content/types.js';
import { mulberry32 } from '../random/rng.js';
import { parseNumberToken } from './answer.js';

export interface OptionFeedback {
	index: number;
	selected: boolean;
	correct: boolean;
}

/** murmur3's 32-bit finaliser: every input bit changes about half the output bits. */
function mix32(x: number): number {
	x ^= x >>> 16;
	x = Math.imul(x, 0x85ebca6b);
	x ^= x >>> 13;
	x = Math.imul(x, 0xc2b2ae35);
	x ^= x >>> 16;
	return x >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`. */
function hash32(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/**
 * The order in which one attempt shows a question's options: `order[position]` is the index of the
 * option (in the deck's order) shown at `position`. A Fisher–Yates shuffle drawn from the attempt's
 * seed (any safe integer) and the question's id, so the same attempt (a replay, an undo) shows the
 * same order, and two questions drawn with the same seed are shuffled independently. Answers and
 * grading stay keyed to the deck's indices, never to positions.
 */
export function optionOrder(questionId: string, optionCount: number, seed: number): number[] {
	const wide = BigInt(Math.trunc(seed));
	const low = Number(BigInt.asUintN(32, wide));
	const high = Number(BigInt.asUintN(32, wide >> 32n));
	const random = mulberry32(mix32(hash32(questionId) ^ mix32(low ^ mix32(high + 0x9e3779b9))));
	const order = Array.from({ length: optionCount }, (_, i) => i);
	for (let i = optionCount - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	return order;
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

/**
 * Lower case (unless asked), trimmed, inner spaces collapsed, quotes and a final period (or comma,
 * semicolon) dropped. Full-width forms count as their ASCII ones (NFKC: `，；（）`, full-width spaces
 * and digits; and the ideographic full stop `。`), so an answer typed with a Chinese input method
 * reads the same.
 */
export function normalizeClozeText(text: string, caseSensitive: boolean): string {
	const collapsed = text
		.normalize('NFKC')
		.replace(/\u3002/g, '.')
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/[.,;]$/, '')
		.replace(/^["'`“‘]+|["'`”’]+$/g, '')
		.replace(/[.,;]$/, '')
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
