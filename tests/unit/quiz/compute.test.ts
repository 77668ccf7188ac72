import { beforeAll, describe, expect, it } from 'vitest';
import {
	isEngineQuestion,
	parseDeck,
	type DeckIndex,
	type EngineQuestion
} from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { initEngine } from '../../../src/lib/engine/index.js';
import {
	computeExpected,
	computeExpectedSync,
	describeQuestion,
	describeSolution,
	resolveShape
} from '../../../src/lib/quiz/compute.js';

let index: DeckIndex;
let engineQuestions: EngineQuestion[];

beforeAll(async () => {
	await initEngine();
	index = await loadDecks('content/en');
	engineQuestions = index.decks.flatMap((deck) => deck.questions).filter(isEngineQuestion);
});

const SEEDS = Array.from({ length: 20 }, (_, i) => i * 7919 - 40);

function flat(value: number | number[] | number[][]): number[] {
	return typeof value === 'number' ? [value] : value.flat();
}

/** An engine-checked question parsed from its YAML body. */
function question(body: string): EngineQuestion {
	const text = `---\nid: t\ntitle: T\norder: 1\nsummary: S\nsection: "3"\n---\n\n\`\`\`quiz\n${body}\nexplanation: E.\n\`\`\`\n`;
	return parseDeck(text, 't.md').questions[0] as EngineQuestion;
}

describe('every engine-checked question of the decks', () => {
	it('computes a finite answer of its declared shape for 20 seeds', () => {
		expect(engineQuestions.length).toBeGreaterThanOrEqual(30);
		for (const q of engineQuestions) {
			for (const seed of SEEDS) {
				const c = computeExpectedSync(q, seed);
				const where = `${q.id} seed ${seed}`;
				expect(c.shape, where).toEqual(resolveShape(q.shape, c.params));
				expect(c.shape.length, where).toBe({ number: 0, vector: 1, matrix: 2 }[q.kind]);
				if (c.shape.length === 1) expect((c.expected as number[]).length, where).toBe(c.shape[0]);
				if (c.shape.length === 2) {
					const rows = c.expected as number[][];
					expect(rows.length, where).toBe(c.shape[0]);
					for (const row of rows) expect(row.length, where).toBe(c.shape[1]);
				}
				for (const v of flat(c.expected)) expect(Number.isFinite(v), where).toBe(true);
				expect(describeQuestion(q, c), where).not.toMatch(/\{\{/);
			}
		}
	});

	it('mostly draws fresh numbers per attempt', () => {
		const varying = engineQuestions.filter((q) => {
			const answers = new Set(
				SEEDS.map((seed) => JSON.stringify(computeExpectedSync(q, seed).expected))
			);
			return answers.size > 1;
		});
		expect(varying.length / engineQuestions.length).toBeGreaterThan(0.9);
	});

	it('gives the same numbers for the same seed', () => {
		for (const q of engineQuestions) {
			expect(computeExpectedSync(q, 42), q.id).toEqual(computeExpectedSync(q, 42));
		}
	});
});

describe("the book's printed numbers (ch03.ipynb)", () => {
	const close = (actual: number[], expected: number[], digits = 4) =>
		expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));

	it('context vector of "journey" (3.3.1)', async () => {
		const c = await computeExpected(
			question(
				'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: context-vector\n  query: journey\nshape: [d_in]\ndecimals: 4'
			),
			1
		);
		close(c.expected as number[], [0.4419, 0.6515, 0.5683]);
	});

	it('first row of all context vectors (3.3.2)', async () => {
		const c = await computeExpected(
			question(
				'id: a\nkind: matrix\nprompt: P.\ncompute:\n  target: context-vectors\nshape: [tokens, d_in]\ndecimals: 4'
			),
			1
		);
		close((c.expected as number[][])[0], [0.4421, 0.5931, 0.579]);
	});

	it('naive and softmax weights of "journey" (3.3.1)', async () => {
		const row = (target: string) =>
			question(
				`id: a\nkind: vector\nprompt: P.\ncompute:\n  target: ${target}\n  query: journey\nshape: [tokens]\ndecimals: 4`
			);
		close(
			(await computeExpected(row('naive-weights-row'), 1)).expected as number[],
			[0.1455, 0.2278, 0.2249, 0.1285, 0.1077, 0.1656]
		);
		close(
			(await computeExpected(row('attention-weights-row'), 1)).expected as number[],
			[0.1385, 0.2379, 0.2333, 0.124, 0.1082, 0.1581]
		);
	});

	it('query_2 and the scaled context vector with the seed-123 weights (3.4.1), shown to 4 decimals', async () => {
		const q = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: query-vector\n  query: journey\nshape: [d_out]\ndecimals: 4'
		);
		close((await computeExpected(q, 1)).expected as number[], [0.4306, 1.4551], 3);
		const z = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: qkv-context-vector\n  query: journey\nshape: [d_out]\ndecimals: 4'
		);
		close((await computeExpected(z, 1)).expected as number[], [0.3061, 0.821], 3);
	});

	it('causal weights of "journey" with SelfAttention_v2 weights, seed 789 (3.5.1)', async () => {
		const q = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: causal-weights-row\n  query: journey\n  weights: { init: linear, seed: 789 }\nshape: [tokens]\ndecimals: 4'
		);
		close((await computeExpected(q, 1)).expected as number[], [0.5517, 0.4483, 0, 0, 0, 0], 3);
	});

	it('dropout of the causal weights after torch.manual_seed(123) (3.5.2)', async () => {
		const q = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: dropout-row\n  query: 3\n  dropout: 0.5\n  seed: 123\n  weights: { init: linear, seed: 789 }\nshape: [tokens]\ndecimals: 4'
		);
		close((await computeExpected(q, 1)).expected as number[], [0.7599, 0.6194, 0.6206, 0, 0, 0], 3);
	});

	it('the modules of 3.4.2-3.6.2, first rows', async () => {
		const module = (target: string, seed: number, shape: string) =>
			question(
				`id: a\nkind: matrix\nprompt: P.\ncompute:\n  target: ${target}\n  seed: ${seed}\nshape: ${shape}\ndecimals: 4`
			);
		const first = async (target: string, seed: number, shape = '[tokens, d_out]') =>
			((await computeExpected(module(target, seed, shape), 1)).expected as number[][])[0];
		close(await first('self-attention-v1', 123), [0.2996, 0.8053]);
		close(await first('self-attention-v2', 789), [-0.0739, 0.0713]);
		close(await first('causal-attention', 123), [-0.4519, 0.2216]);
		close(
			await first('mha-wrapper', 123, '[tokens, num_heads*d_out]'),
			[-0.4519, 0.2216, 0.4772, 0.1063]
		);
		close(await first('multi-head-attention', 123), [0.319, 0.4858]);
	});
});

describe('attempts', () => {
	const randomScores = question(
		'id: a\nkind: vector\nprompt: Scores of {{query}} among {{tokens}}.\ncompute:\n  target: attention-scores-row\n  inputs: random\n  tokens: 3\n  d_in: 2\n  query: random\nshape: [tokens]\ndecimals: 4'
	);

	it('draws random inputs like torch.manual_seed(seed); torch.rand(tokens, d_in), rounded to 2 decimals', () => {
		// torch.manual_seed(123); torch.rand(3, 2) is the book's W_query: [[0.2961, 0.5166], [0.2517, 0.6886], [0.0740, 0.8665]]
		const c = computeExpectedSync(randomScores, 123);
		expect(c.inputs[0]).toMatchObject({
			name: 'inputs',
			value: [
				[0.3, 0.52],
				[0.25, 0.69],
				[0.07, 0.87]
			],
			decimals: 2
		});
		expect(c.pytorch).toContain(
			'torch.manual_seed(123)\ninputs = torch.rand(3, 2).round(decimals=2)'
		);
	});

	it('computes on the numbers it shows', () => {
		const c = computeExpectedSync(randomScores, 5);
		const x = c.inputs[0].value as number[][];
		const q = x[c.params.query as number];
		const byHand = x.map((row) => row[0] * q[0] + row[1] * q[1]);
		(c.expected as number[]).forEach((v, i) => expect(v).toBeCloseTo(byHand[i], 6));
	});

	it('fills the prompt and lists the given numbers', () => {
		const c = computeExpectedSync(randomScores, 5);
		const text = describeQuestion(randomScores, c);
		expect(text).toMatch(/^Scores of \$x\^\{\([123]\)\}\$ among 3\./);
		expect(text).toContain('**inputs**');
		expect(text).toContain('Answer with a vector of 3 numbers, rounded to 4 decimals.');
		const solution = describeSolution(randomScores, c);
		expect(solution).toContain('```python');
		expect(solution).toContain('E.');
	});

	it('scores one-hot inputs as the identity: distinct one-hots are orthogonal', () => {
		const q = question(
			'id: a\nkind: matrix\nprompt: P.\ncompute:\n  target: attention-scores\n  inputs: one-hot\n  tokens: [3, 5]\nshape: [tokens, tokens]\ndecimals: 0'
		);
		for (const seed of SEEDS) {
			const scores = computeExpectedSync(q, seed).expected as number[][];
			scores.forEach((row, i) => row.forEach((v, j) => expect(v).toBe(i === j ? 1 : 0)));
		}
	});

	it('gives the same causal weights with both masking methods', () => {
		const row = (target: string) =>
			question(
				`id: a\nkind: vector\nprompt: P.\ncompute:\n  target: ${target}\n  inputs: random\n  tokens: [3, 6]\n  d_in: [2, 4]\n  weights: random\n  query: random\nshape: [tokens]\ndecimals: 4`
			);
		for (const seed of SEEDS) {
			const method1 = computeExpectedSync(row('renormalized-weights-row'), seed)
				.expected as number[];
			const method2 = computeExpectedSync(row('causal-weights-row'), seed).expected as number[];
			method1.forEach((v, i) => expect(v).toBeCloseTo(method2[i], 6));
		}
	});

	it('leaks weight to the future with a finite mask, never with -inf', () => {
		const row = (target: string, extra = '') =>
			question(
				`id: a\nkind: vector\nprompt: P.\ncompute:\n  target: ${target}\n  inputs: random\n  tokens: 4\n  d_in: 3\n  weights: random\n  query: 2${extra}\nshape: [tokens]\ndecimals: 4`
			);
		const finite = computeExpectedSync(row('finite-mask-row', '\n  mask_value: -1'), 9)
			.expected as number[];
		const causal = computeExpectedSync(row('causal-weights-row'), 9).expected as number[];
		expect(finite[2]).toBeGreaterThan(0.01);
		expect(causal.slice(2)).toEqual([0, 0]);
	});

	it('rejects an answer whose shape does not match the declared one', () => {
		const q = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: context-vector\n  query: journey\nshape: [d_in]\ndecimals: 4'
		);
		expect(() => computeExpectedSync({ ...q, shape: ['tokens'] }, 1)).toThrow(
			'a: the engine computed [3] but the question declares [6]'
		);
	});

	it('rejects seeds that are not safe integers', () => {
		expect(() => computeExpectedSync(randomScores, 0.5)).toThrow('seed must be a safe integer');
	});
});
