import { beforeAll, expect, it } from 'vitest';
import { isEngineQuestion, type EngineQuestion } from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { initEngine } from '../../../src/lib/engine/index.js';
import {
	computeExpectedSync,
	describeFaded,
	fadedStepCount
} from '../../../src/lib/quiz/compute.js';

let questions: EngineQuestion[];

beforeAll(async () => {
	await initEngine();
	const index = await loadDecks('content/en');
	questions = index.decks
		.filter((deck) => deck.order >= 2 && deck.order <= 10)
		.flatMap((deck) => deck.questions)
		.filter(isEngineQuestion);
}, 60_000);

const cells = (v: number | number[] | number[][]) => (typeof v === 'number' ? [v] : v.flat());

it('a faded example never gives the answer away: no shown step is the answer or has it as a row', () => {
	let faded = 0;
	for (const question of questions) {
		for (const seed of [3, 1_000_003, 77_777]) {
			const computed = computeExpectedSync(question, seed);
			const shown = fadedStepCount(computed);
			expect(shown).toBeLessThan(computed.steps.length);
			if (shown === 0) continue;
			faded++;
			// no shown step is the answer, nor has it as a row
			const answer = cells(computed.expected);
			const equal = (row: number[]) =>
				row.length === answer.length &&
				row.every((v, i) => Math.abs(v - answer[i]) < 10 ** -computed.decimals);
			for (const step of computed.steps.slice(0, shown)) {
				if (step.value === undefined) continue;
				const rows =
					Array.isArray(step.value) && Array.isArray(step.value[0])
						? [cells(step.value), ...(step.value as number[][])]
						: [cells(step.value)];
				expect(rows.some(equal), `${question.id} seed ${seed}: step "${step.text}"`).toBe(false);
			}
			const md = describeFaded(question, computed);
			expect(md).toContain('Worked so far');
			expect(md).not.toContain('**Answer**');
		}
	}
	// most computations of lessons 2–10 have steps to fade
	expect(faded).toBeGreaterThan(questions.length * 3 * 0.6);
});
