/**
 * Issue 12, "grading a computed answer": an engine-checked answer is right when it matches, at the
 * asked decimals, the value computed from the numbers as displayed OR (where the displayed numbers
 * were rounded: the book's seeded weights) the value at full precision, which the book prints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
	isEngineQuestion,
	parseDeck,
	type DeckIndex,
	type EngineQuestion
} from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { initEngine } from '../../../src/lib/engine/index.js';
import { parseAnswer } from '../../../src/lib/quiz/answer.js';
import {
	computeExpectedSync,
	describeSolution,
	drawParams,
	formatNumber,
	type AttemptParams,
	type ComputedQuestion
} from '../../../src/lib/quiz/compute.js';
import { gradeComputed, type Grade } from '../../../src/lib/quiz/grade.js';
import { bookAttempts, printedNumbers, reference, typed } from './book-values.js';

let index: DeckIndex;
let engineQuestions: EngineQuestion[];

beforeAll(async () => {
	await initEngine('cpu');
	index = await loadDecks('content/en');
	engineQuestions = index.decks.flatMap((deck) => deck.questions).filter(isEngineQuestion);
});

/** An engine-checked question parsed from its YAML body. */
function question(body: string): EngineQuestion {
	const text = `---\nid: t\ntitle: T\norder: 1\nsummary: S\nsection: "3"\n---\n\n\`\`\`quiz\n${body}\nexplanation: E.\n\`\`\`\n`;
	return parseDeck(text, 't.md').questions[0] as EngineQuestion;
}

/** The first attempt of `q` whose draws satisfy `wanted`. */
function attempt(q: EngineQuestion, wanted: (p: AttemptParams) => boolean): ComputedQuestion {
	for (let seed = 0; seed < 10_000; seed++) {
		if (wanted(drawParams(q.compute, seed))) return computeExpectedSync(q, seed);
	}
	throw new Error(`${q.id}: no attempt draws what the test needs`);
}

function grade(raw: string, computed: ComputedQuestion): Grade {
	const parsed = parseAnswer(raw, computed.shape);
	if (!parsed.ok) throw new Error(parsed.message);
	return gradeComputed(parsed.value, computed);
}

/** The deck's question with this id, or the same question written here if a deck changed it. */
function deckOr(id: string, body: string): EngineQuestion {
	return engineQuestions.find((q) => q.id === id) ?? question(body);
}

const JOURNEY = 1;

/** The deck's question on the query vector with the book's weights (the query is drawn). */
function queryBook(): EngineQuestion {
	return deckOr(
		'qkv-query-book',
		'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: query-vector\n  query: random\n  weights: book\nshape: [d_out]\ndecimals: 4'
	);
}

function journeyQuery(): ComputedQuestion {
	return attempt(queryBook(), (p) => p.query === JOURNEY && p.d_out === 2);
}

function journeyScores(): ComputedQuestion {
	const q = question(
		'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: qk-scores-row\n  query: journey\n  weights: book\nshape: [tokens]\ndecimals: 4'
	);
	return computeExpectedSync(q, 1);
}

/** The journey score against `key`, from the deck's `qkv-score-book` (journey with a random key). */
function journeyScore(key: number): ComputedQuestion {
	const q = deckOr(
		'qkv-score-book',
		'id: a\nkind: number\nprompt: P.\ncompute:\n  target: qk-score\n  query: journey\n  key: random\n  weights: book\ndecimals: 4'
	);
	return attempt(q, (p) => p.query === JOURNEY && p.key === key);
}

/** Reads numbers back from how the page shows them (`formatNumber` at the given's decimals). */
function displayed(computed: ComputedQuestion, name: string): number[][] {
	const given = computed.inputs.find((g) => g.name === name);
	if (!given) throw new Error(`${name} is not shown`);
	const rows = given.value as number[][];
	return rows.map((row) => row.map((v) => Number(formatNumber(v, given.decimals))));
}

/** Float64 matrix product, as numpy would compute it. */
function matmul64(a: number[][], b: number[][]): number[][] {
	return a.map((row) => b[0].map((_, j) => row.reduce((sum, x, k) => sum + x * b[k][j], 0)));
}

describe("grading a computed answer on the book's numbers", () => {
	it("the book's printed query for journey (0.4306) is accepted", () => {
		const computed = journeyQuery();
		expect(printedNumbers('qkv.query_2')).toEqual(['0.4306', '1.4551']);
		// the defect: computed from the weights rounded to 4 decimals, the answer reads 0.4307
		expect(formatNumber((computed.expected as number[])[0], 4)).toBe('0.4307');
		expect(grade('0.4306, 1.4551', computed).correct).toBe(true);
		expect(grade('[0.4306, 1.4551]', computed).correct).toBe(true);
	});

	it('attn_scores_2 as the book prints it (1.8111, 0.5577) is accepted', () => {
		const row = journeyScores();
		const printed = printedNumbers('qkv.attn_scores_2');
		expect(printed).toEqual(['1.2705', '1.8524', '1.8111', '1.0795', '0.5577', '1.5440']);
		// the defect: from the rounded weights these two read 1.8112 and 0.5578
		const shown = (row.expected as number[]).map((v) => formatNumber(v, 4));
		expect([shown[2], shown[4]]).toEqual(['1.8112', '0.5578']);
		expect(grade(printed.join(', '), row).correct).toBe(true);

		// one score at a time, as the deck asks it (journey against a drawn key)
		expect(grade('1.8111', journeyScore(2)).correct).toBe(true);
		expect(grade('0.5577', journeyScore(4)).correct).toBe(true);
	});

	it('a value computed by hand from the weights as displayed (rounded to 4 decimals) is accepted', () => {
		const query = journeyQuery();
		const x = displayed(query, 'inputs');
		const byHand = matmul64([x[JOURNEY]], displayed(query, 'W_query'))[0];
		expect(byHand.map((v) => v.toFixed(4))).toEqual(['0.4307', '1.4551']);
		expect(grade(byHand.map((v) => v.toFixed(4)).join(' '), query).correct).toBe(true);

		const scores = journeyScores();
		const q = matmul64([x[JOURNEY]], displayed(scores, 'W_query'));
		const keys = matmul64(x, displayed(scores, 'W_key'));
		const handScores = matmul64(
			q,
			keys[0].map((_, j) => keys.map((k) => k[j]))
		)[0];
		expect(handScores[2].toFixed(4)).toBe('1.8112');
		expect(handScores[4].toFixed(4)).toBe('0.5578');
		expect(grade(handScores.map((v) => v.toFixed(4)).join(', '), scores).correct).toBe(true);
	});

	it('an answer one unit beyond both accepted values is still rejected', () => {
		const query = journeyQuery();
		// accepted: 0.4306 (the book's) and 0.4307 (from the weights as shown)
		expect(grade('0.4305, 1.4551', query).correct).toBe(false);
		expect(grade('0.4308, 1.4551', query).correct).toBe(false);
		expect(grade('0.4306, 1.4550', query).correct).toBe(false);
		expect(grade('0.4306, 1.4552', query).correct).toBe(false);

		// accepted: 1.8111 and 1.8112; 0.5577 and 0.5578
		expect(grade('1.8110', journeyScore(2)).correct).toBe(false);
		expect(grade('1.8113', journeyScore(2)).correct).toBe(false);
		expect(grade('0.5576', journeyScore(4)).correct).toBe(false);
		expect(grade('0.5579', journeyScore(4)).correct).toBe(false);

		// every book question, every number: one unit below the lowest and above the highest
		// accepted rounding is wrong (the other numbers typed right)
		for (const q of engineQuestions) {
			for (const { seed } of bookAttempts(q, 2)) {
				const computed = computeExpectedSync(q, seed);
				const unit = 10 ** -q.decimals;
				const refs = [computed.expected, computed.unrounded ?? computed.expected].map((v) =>
					typeof v === 'number' ? [v] : v.flat()
				);
				const cells = refs[0].length;
				const base = refs[0].map((v) => Number(v.toFixed(q.decimals)));
				for (let i = 0; i < cells; i++) {
					// within float noise of a rounding boundary both roundings are right (grade.ts)
					if (refs.some((r) => nearBoundary(r[i], q.decimals))) continue;
					const lo = Math.min(...refs.map((r) => Number(r[i].toFixed(q.decimals))));
					const hi = Math.max(...refs.map((r) => Number(r[i].toFixed(q.decimals))));
					for (const off of [lo - unit, hi + unit]) {
						const answer = base.map((v, j) => (j === i ? off : v));
						const raw = reshape(answer, computed);
						expect(grade(raw, computed).correct, `${q.id} seed ${seed} cell ${i}: ${off}`).toBe(
							false
						);
					}
				}
			}
		}
	});

	it("every question on the book's inputs and weights accepts the book's printed value", () => {
		const covered: string[] = [];
		for (const q of engineQuestions) {
			for (const { seed, book } of bookAttempts(q)) {
				const computed = computeExpectedSync(q, seed);
				const raw = typed(book.value, q.decimals);
				const where = `${q.id} (seed ${seed}, ${book.source}): ${raw}`;
				const result = grade(raw, computed);
				expect(result.correct, where).toBe(true);
				// and the value from the numbers as displayed is accepted too
				expect(grade(typed(computed.expected, q.decimals), computed).correct, where).toBe(true);
				covered.push(q.id);
			}
		}
		// the decks ask at least these on the book's numbers (issue 12's list)
		for (const id of [
			'qkv-query-book',
			'qkv-keys-book',
			'qkv-score-book',
			'scaled-weights-book',
			'scaled-context-book',
			'causal-row-book',
			'dropout-row-book'
		]) {
			if (engineQuestions.some((q) => q.id === id)) expect(covered, id).toContain(id);
		}
		expect(new Set(covered).size).toBeGreaterThanOrEqual(15);
	});

	it("the reference's full-precision values rounded to 4 decimals are the book's printed text", () => {
		for (const name of [
			'qkv.query_2',
			'qkv.keys',
			'qkv.attn_scores_2',
			'qkv.attn_weights_2',
			'qkv.context_vec_2',
			'causal.attn_weights',
			'dropout123.attn_weights',
			'sa_v1.output'
		]) {
			const value = reference(name) as number | number[] | number[][];
			const flat = typeof value === 'number' ? [value] : value.flat();
			expect(
				flat.map((v) => v.toFixed(4)),
				name
			).toEqual(printedNumbers(name));
		}
	});

	it("the worked solution gives the answer from the weights as shown, and the book's when it reads differently", () => {
		const query = journeyQuery();
		const solution = describeSolution(queryBook(), query);
		expect(solution).toContain('0.4307');
		expect(solution).toContain('0.4306');
		expect(solution).toContain('Either answer is accepted');
		expect(query.pytorch).toContain('.round(decimals=4)');

		// the same numbers at the asked decimals: no second answer to mention
		const keys = deckOr(
			'qkv-keys-book',
			'id: a\nkind: matrix\nprompt: P.\ncompute:\n  target: keys\n  weights: book\nshape: [tokens, d_out]\ndecimals: 3'
		);
		const computedKeys = computeExpectedSync(keys, 1);
		const same =
			typed(computedKeys.expected, keys.decimals) === typed(computedKeys.unrounded!, keys.decimals);
		expect(describeSolution(keys, computedKeys).includes('Either answer')).toBe(!same);
	});

	it('a question whose numbers are all shown exactly has one answer', () => {
		const q = question(
			'id: a\nkind: vector\nprompt: P.\ncompute:\n  target: query-vector\n  inputs: random\n  tokens: 4\n  d_in: 3\n  query: random\n  weights: random\nshape: [d_out]\ndecimals: 4'
		);
		for (const seed of [1, 2, 3]) {
			const computed = computeExpectedSync(q, seed);
			expect(computed.unrounded).toBeUndefined();
			expect(describeSolution(q, computed)).not.toContain('Either answer');
		}
	});
});

/** Within 1e-6 of a tie at `decimals` places, e.g. 0.14545013 at 4. */
function nearBoundary(value: number, decimals: number): boolean {
	const scaled = Math.abs(value) * 10 ** decimals;
	return Math.abs(scaled - Math.floor(scaled) - 0.5) * 10 ** -decimals < 1e-6;
}

/** Flat numbers written in the computed answer's shape. */
function reshape(flat: number[], computed: ComputedQuestion): string {
	const d = computed.decimals;
	const fmt = (v: number) => v.toFixed(d);
	if (computed.shape.length < 2) return flat.map(fmt).join(', ');
	const cols = computed.shape[1] ?? 1;
	const rows: string[] = [];
	for (let i = 0; i < flat.length; i += cols)
		rows.push(
			flat
				.slice(i, i + cols)
				.map(fmt)
				.join(', ')
		);
	return rows.join('\n');
}
