/**
 * One attempt at an engine-checked question: the sizes, tokens and seeds drawn from its seed, what the
 * engine returns for it, and the words that name its tokens in the prompt.
 *
 * Randomness, so that a PyTorch user can reproduce every attempt:
 * - random inputs are `torch.manual_seed(seed); torch.rand(tokens, d_in)` rounded to 2 decimals, and
 *   shown weights continue that stream (`torch.rand(d_in, d_out)` three times, rounded); the engine
 *   computes on the rounded numbers the learner sees (`./context.ts`); seeded weights (the book's) are
 *   shown to 4 decimals and the answer is computed both from what is shown and at full precision;
 * - sizes, the query/key token, module seeds and dropout rates are drawn here from a second
 *   generator (seeded with `seed` + PARAM_SALT), so they do not shift the inputs' stream.
 */

import type { MisconceptionId } from './catalogue.js';
import {
	BOOK_INPUTS,
	BOOK_TOKENS,
	Generator,
	type Matrix,
	type ModuleName
} from '../engine/index.js';
import {
	choiceValues,
	type ComputeSpec,
	type IntChoice,
	type Markdown,
	type NumberChoice,
	type SeedSpec,
	type TokenRef
} from '../content/index.js';
import type { AnswerShape, Numeric } from './answer.js';
import { m } from '../paraglide/messages.js';

const PARAM_SALT = 0x5eed;
/** Module and dropout seeds drawn for an attempt stay short enough to type. */
const MAX_DRAWN_SEED = 999;

/** The sizes and choices of one attempt. */
export interface AttemptParams {
	tokens: number;
	d_in: number;
	d_out?: number;
	num_heads?: number;
	batch?: number;
	/** 0-based. */
	query?: number;
	key?: number;
	/** The module's (or dropout's) `torch.manual_seed`. */
	seed?: number;
	/** The `torch.manual_seed` of seeded Q/K/V weights. */
	weights_seed?: number;
	dropout?: number;
	mask_value?: number;
	module?: ModuleName;
}

/** A number shown to the learner as part of the question. */
export interface Given {
	name: string;
	/** TeX for the name, e.g. `W_q`. */
	tex: string;
	value: Numeric;
	/** Row labels of a matrix (or entry labels of a vector), e.g. the tokens. */
	labels?: string[];
	/** Decimals to show: the given's exact value at that precision. */
	decimals: number;
}

/** One step of a worked solution. */
export interface Step {
	text: Markdown;
	value?: Numeric;
	labels?: string[];
}

export interface ComputedQuestion {
	id: string;
	seed: number;
	params: AttemptParams;
	/** The prompt's `{{placeholder}}` values. */
	placeholders: Record<string, string>;
	inputs: Given[];
	/** The answer computed from exactly the numbers shown (what the worked solution redoes). */
	expected: Numeric;
	/**
	 * When a number shown was rounded for display (seeded weights, 4 decimals): the answer computed
	 * from the unrounded numbers, which is what PyTorch, and the book, print. Also accepted.
	 */
	unrounded?: Numeric;
	shape: AnswerShape;
	decimals: number;
	steps: Step[];
	/** Python that reproduces `expected` with PyTorch. */
	pytorch: string;
	/**
	 * What each misconception that applies to this target gives on this attempt, those that can be
	 * told apart from the right answer and from each other (`./misconceptions.ts`).
	 */
	misconceptions: MisconceptionAnswer[];
}

/** A misconception's answer on one attempt, with the learner's path and what to say about it. */
export interface MisconceptionAnswer {
	id: MisconceptionId;
	shift?: -1 | 1;
	expected: Numeric;
	/** The worked steps as the learner with this misconception computes them. */
	steps: Step[];
	/** Plain words with this attempt's numbers (markdown). */
	message: Markdown;
}

function pick(gen: Generator, n: number): number {
	return gen.randomU32() % n;
}

function drawInt(gen: Generator, choice: IntChoice | undefined): number | undefined {
	if (!choice) return undefined;
	if (choice.type === 'fixed') return choice.value;
	const values = choiceValues(choice);
	return values[pick(gen, values.length)];
}

function drawNumber(gen: Generator, choice: NumberChoice | undefined): number | undefined {
	if (!choice) return undefined;
	return choice.type === 'fixed' ? choice.value : choice.values[pick(gen, choice.values.length)];
}

function drawToken(gen: Generator, ref: TokenRef | undefined, tokens: number): number | undefined {
	if (!ref) return undefined;
	if (ref.type === 'random') return pick(gen, tokens);
	if (ref.type === 'position') return ref.position - 1;
	return (BOOK_TOKENS as readonly string[]).indexOf(ref.word);
}

function drawSeed(gen: Generator, seed: SeedSpec | undefined): number | undefined {
	if (!seed) return undefined;
	return seed.type === 'fixed' ? seed.value : pick(gen, MAX_DRAWN_SEED + 1);
}

/** Draw order is fixed (sizes, then tokens, then seeds), so a recorded seed replays the attempt. */
export function drawParams(spec: ComputeSpec, seed: number): AttemptParams {
	const gen = new Generator(BigInt(seed) + BigInt(PARAM_SALT));
	const inputs = spec.inputs;
	const tokens =
		inputs.source === 'book' ? BOOK_INPUTS.length : (drawInt(gen, inputs.tokens) as number);
	const d_in =
		inputs.source === 'book'
			? BOOK_INPUTS[0].length
			: inputs.source === 'one-hot'
				? tokens
				: (drawInt(gen, inputs.d_in) as number);
	const params: AttemptParams = { tokens, d_in };
	const set = <K extends keyof AttemptParams>(
		key: K,
		value: AttemptParams[K] | undefined
	): void => {
		if (value !== undefined) params[key] = value;
	};
	set('d_out', drawInt(gen, spec.d_out));
	set('num_heads', drawInt(gen, spec.num_heads));
	set('batch', drawInt(gen, spec.batch));
	set('query', drawToken(gen, spec.query, tokens));
	set('key', drawToken(gen, spec.key, tokens));
	set('seed', drawSeed(gen, spec.seed));
	if (spec.weights?.type === 'seeded') set('weights_seed', drawSeed(gen, spec.weights.seed));
	set('dropout', drawNumber(gen, spec.dropout));
	set('mask_value', spec.mask_value);
	set('module', spec.module);
	return params;
}

/** One-hot rows: token i has its 1 at a distinct position (a permutation drawn from the seed). */
export function oneHotInputs(tokens: number, gen: Generator): Matrix {
	const positions = Array.from({ length: tokens }, (_, i) => i);
	for (let i = tokens - 1; i > 0; i--) {
		const j = pick(gen, i + 1);
		[positions[i], positions[j]] = [positions[j], positions[i]];
	}
	return positions.map((p) => Array.from({ length: tokens }, (_, k) => (k === p ? 1 : 0)));
}

/** Row labels of the inputs: the book's words, or `x^(i)`. */
export function tokenLabels(spec: ComputeSpec, tokens: number): string[] {
	if (spec.inputs.source === 'book') return [...BOOK_TOKENS];
	return Array.from({ length: tokens }, (_, i) => `$x^{(${i + 1})}$`);
}

/** A token (0-based) in a sentence: “journey” ($x^{(2)}$), or just its position. */
export function tokenName(spec: ComputeSpec, index: number): string {
	const position = `$x^{(${index + 1})}$`;
	return spec.inputs.source === 'book'
		? m.quiz_attempt_token_name({ word: BOOK_TOKENS[index], position })
		: position;
}

/** The prompt's `{{placeholder}}` values for this attempt. */
export function placeholders(spec: ComputeSpec, params: AttemptParams): Record<string, string> {
	const values: Record<string, string> = {
		tokens: String(params.tokens),
		d_in: String(params.d_in)
	};
	if (params.query !== undefined) values.query = tokenName(spec, params.query);
	if (params.key !== undefined) values.key = tokenName(spec, params.key);
	for (const key of ['d_out', 'num_heads', 'batch', 'seed', 'dropout', 'mask_value'] as const) {
		if (params[key] !== undefined) values[key] = String(params[key]);
	}
	if (params.module) values.module = `\`${params.module}\``;
	return values;
}
