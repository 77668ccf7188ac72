/**
 * Issue 12, "multiple choice is not guessable": every attempt shows the options in an order drawn
 * from its seed, so the correct option's position tells nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MultipleChoiceQuestion } from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { gradeChoice, optionOrder } from '../../../src/lib/quiz/choice.js';

let choiceQuestions: MultipleChoiceQuestion[];

beforeAll(async () => {
	const index = await loadDecks('content/en');
	choiceQuestions = index.decks
		.flatMap((deck) => deck.questions)
		.filter((q): q is MultipleChoiceQuestion => q.kind === 'multiple-choice');
});

const N = 4_000;
/** χ² critical values at p = 0.001 for k − 1 degrees of freedom (k positions). */
const CHI2_CRITICAL: Record<number, number> = {
	2: 10.83,
	3: 13.82,
	4: 16.27,
	5: 18.47,
	6: 20.52,
	7: 22.46,
	8: 24.32
};

function isPermutation(order: number[], n: number): boolean {
	return order.length === n && [...order].sort((a, b) => a - b).every((v, i) => v === i);
}

describe('multiple-choice options are shuffled per attempt', () => {
	it('the correct option is not guessable: over many seeds its position is spread evenly, for every multiple-choice question', () => {
		expect(choiceQuestions.length).toBeGreaterThanOrEqual(10);
		for (const q of choiceQuestions) {
			const k = q.options.length;
			const correct = q.options.flatMap((o, i) => (o.correct ? [i] : []));
			for (const c of correct) {
				const counts = new Array<number>(k).fill(0);
				for (let seed = 0; seed < N; seed++) counts[optionOrder(q.id, k, seed).indexOf(c)]++;
				const fair = N / k;
				const where = `${q.id}, option ${c}: positions ${counts.join(' / ')}`;
				for (const count of counts) {
					expect(count, where).toBeGreaterThanOrEqual(0.85 * fair);
					expect(count, where).toBeLessThanOrEqual(1.15 * fair);
				}
				const chi2 = counts.reduce((sum, n) => sum + (n - fair) ** 2 / fair, 0);
				expect(chi2, where).toBeLessThan(CHI2_CRITICAL[k] ?? 30);
			}
		}
	});

	it('the same seed gives the same order (a replay, an undo), and every order is a permutation', () => {
		for (const q of choiceQuestions) {
			for (const seed of [0, 1, 42, 999_999, -7, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
				const order = optionOrder(q.id, q.options.length, seed);
				expect(isPermutation(order, q.options.length), `${q.id} ${seed}`).toBe(true);
				expect(optionOrder(q.id, q.options.length, seed)).toEqual(order);
			}
		}
	});

	it('draws every order, and shuffles two questions drawn with the same seed independently', () => {
		const seen = new Set<string>();
		for (let seed = 0; seed < 500; seed++) seen.add(optionOrder('q', 4, seed).join());
		expect(seen.size).toBe(24);
		let same = 0;
		for (let seed = 0; seed < 1_000; seed++) {
			if (optionOrder('a', 4, seed).join() === optionOrder('b', 4, seed).join()) same++;
		}
		expect(same).toBeLessThan(100); // 1/24 of 1000 ≈ 42 by chance
	});

	it('grading stays keyed to the options, not to where they are shown', () => {
		for (const q of choiceQuestions) {
			const correct = q.options.flatMap((o, i) => (o.correct ? [i] : []));
			for (const seed of [3, 4, 5]) {
				// the learner picks the correct options wherever they are shown
				const order = optionOrder(q.id, q.options.length, seed);
				const picked = order.filter((i) => correct.includes(i));
				expect(gradeChoice(q, picked).correct, q.id).toBe(true);
				// picking by shown position instead would be wrong whenever the order moved them
				const positions = correct.map((c) => order.indexOf(c));
				if (
					positions.some((p, i) => p !== correct[i]) &&
					!positions.every((p) => correct.includes(p))
				)
					expect(gradeChoice(q, positions).correct, q.id).toBe(false);
			}
		}
	});
});
