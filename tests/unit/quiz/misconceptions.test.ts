import { beforeAll, describe, expect, it } from 'vitest';
import { isEngineQuestion, TARGETS, type EngineQuestion } from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { initEngine } from '../../../src/lib/engine/index.js';
import type { Numeric } from '../../../src/lib/quiz/answer.js';
import { parseAnswer } from '../../../src/lib/quiz/answer.js';
import {
	computeExpectedSync,
	describePaths,
	formatNumber,
	type ComputedQuestion
} from '../../../src/lib/quiz/compute.js';
import {
	APPLICABLE,
	diagnose,
	MISCONCEPTION_IDS,
	MISCONCEPTIONS
} from '../../../src/lib/quiz/misconceptions.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => 1 + i * 104_729);

let questions: EngineQuestion[];
let attempts: { question: EngineQuestion; computed: ComputedQuestion }[];

beforeAll(async () => {
	await initEngine();
	const index = await loadDecks('content/en');
	questions = index.decks.flatMap((deck) => deck.questions).filter(isEngineQuestion);
	attempts = questions.flatMap((question) =>
		SEEDS.map((seed) => ({ question, computed: computeExpectedSync(question, seed) }))
	);
}, 120_000);

/** A value as a learner types it: each number written with the question's decimals, then parsed. */
function typed(value: Numeric, computed: ComputedQuestion): Numeric {
	const write = (row: number[]) => row.map((v) => formatNumber(v, computed.decimals)).join(', ');
	const text =
		typeof value === 'number'
			? formatNumber(value, computed.decimals)
			: Array.isArray(value[0])
				? (value as number[][]).map(write).join('\n')
				: write(value as number[]);
	const parsed = parseAnswer(text, computed.shape);
	if (!parsed.ok) throw new Error(`${computed.id}: could not parse "${text}": ${parsed.message}`);
	return parsed.value;
}

describe('the catalogue of misconceptions', () => {
	it('has at least 16 misconceptions, each explained with a lesson', () => {
		expect(MISCONCEPTION_IDS.length).toBeGreaterThanOrEqual(16);
		for (const id of MISCONCEPTION_IDS) {
			expect(MISCONCEPTIONS[id].title.length).toBeGreaterThan(5);
			expect(MISCONCEPTIONS[id].lesson).toMatch(/^[a-z-]+$/);
		}
	});

	it('every target lists its applicable misconceptions, and every misconception applies somewhere', () => {
		expect(Object.keys(APPLICABLE).sort()).toEqual(Object.keys(TARGETS).sort());
		const used = new Set(Object.values(APPLICABLE).flat());
		expect([...MISCONCEPTION_IDS].filter((id) => !used.has(id))).toEqual([]);
	});

	it('every listed (target, misconception) pair shows up on a deck question for some seed', () => {
		const seen = new Set(
			attempts.flatMap(({ question, computed }) =>
				computed.misconceptions.map((m) => `${question.compute.target} ${m.id}`)
			)
		);
		const listed = Object.entries(APPLICABLE).flatMap(([target, ids]) =>
			ids.map((id) => `${target} ${id}`)
		);
		expect(listed.filter((pair) => !seen.has(pair))).toEqual([]);
	});

	it('covers at least 30 engine-checked questions of the decks', () => {
		const covered = new Set(
			attempts.filter((a) => a.computed.misconceptions.length > 0).map((a) => a.question.id)
		);
		expect(covered.size).toBeGreaterThanOrEqual(30);
	});
});

describe('diagnosis', () => {
	it('each misconception’s answer, typed in, is diagnosed as that misconception and no other', () => {
		let checked = 0;
		for (const { computed } of attempts) {
			for (const m of computed.misconceptions) {
				const diagnosis = diagnose(typed(m.expected, computed), computed);
				expect(diagnosis, `${computed.id} seed ${computed.seed}: ${m.id}`).toBe(m);
				checked++;
			}
		}
		expect(checked).toBeGreaterThan(1000);
	});

	it('a right answer is never diagnosed (ambiguity guard), typed or exact, rounded or unrounded', () => {
		for (const { computed } of attempts) {
			const right = [computed.expected, ...(computed.unrounded ? [computed.unrounded] : [])];
			for (const value of right) {
				expect(diagnose(value, computed), computed.id).toBeNull();
				expect(diagnose(typed(value, computed), computed), computed.id).toBeNull();
			}
		}
	});

	it('misconceptions whose answers coincide with the right one are not used (scaling when it changes nothing)', () => {
		for (const { computed } of attempts) {
			for (const m of computed.misconceptions) {
				const cells = (v: Numeric) => (typeof v === 'number' ? [v] : v.flat());
				const gap = Math.max(
					...cells(m.expected).map((v, i) => Math.abs(v - cells(computed.expected)[i]))
				);
				expect(gap, `${computed.id} ${m.id}`).toBeGreaterThan(10 ** -computed.decimals);
			}
		}
	});

	it('says what went wrong with the attempt’s numbers: forgot to scale by √d_k = 1.414', () => {
		const scaled = attempts.find(
			(a) =>
				a.question.compute.target === 'scaled-weights-row' &&
				a.computed.params.d_out === 2 &&
				a.computed.misconceptions.some((m) => m.id === 'no-scaling')
		);
		expect(scaled).toBeDefined();
		const m = scaled!.computed.misconceptions.find((m) => m.id === 'no-scaling')!;
		expect(m.message).toContain('\\sqrt{2} = 1.414');
		expect(m.steps.length).toBeGreaterThan(2);
		// the paths part where the scores are scaled: the projections and scores are shared
		const paths = describePaths(scaled!.computed, m);
		expect(paths.match(/The paths part here/g)).toHaveLength(1);
		expect(paths).toMatch(/^Steps 1–\d are the same on both paths\./);
		expect(paths).toMatch(/\d\. ➜ \*\*The paths part here\.\*\* Divide by/);
	});

	it('an answer that matches no misconception gets no diagnosis', () => {
		const { computed } = attempts.find((a) => a.computed.misconceptions.length > 0)!;
		const shifted = (v: number) => v + 7;
		const e = computed.expected;
		const nonsense: Numeric =
			typeof e === 'number'
				? shifted(e)
				: Array.isArray(e[0])
					? (e as number[][]).map((row) => row.map(shifted))
					: (e as number[]).map(shifted);
		expect(diagnose(nonsense, computed)).toBeNull();
	});
});
