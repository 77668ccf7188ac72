/**
 * Engine-checked questions: draw this attempt's numbers from its seed, ask the engine for the
 * answer and the intermediate steps, and describe both as markdown. Nothing here is typed in a deck.
 *
 * This file is the registry: every target of `TARGETS` (content) maps to its computation, grouped by
 * the book's section in `./targets/`; `computeExpected` runs one and checks the answer. The draws
 * live in `./attempt.ts` and `./context.ts`, the page's markdown in `./describe.ts` and `./format.ts`.
 */

import { initEngine, isEngineReady } from '../engine/index.js';
import type { Dim, EngineQuestion } from '../content/index.js';
import { numbersOf, shapeOf, type AnswerShape, type Numeric } from './answer.js';
import { drawParams, placeholders, type AttemptParams, type ComputedQuestion } from './attempt.js';
import { Context } from './context.js';
import { misconceptionAnswers } from './misconceptions.js';
import { TARGET_COMPUTATIONS } from './registry.js';

export {
	drawParams,
	type AttemptParams,
	type ComputedQuestion,
	type Given,
	type MisconceptionAnswer,
	type Step
} from './attempt.js';
export {
	describeFaded,
	describePaths,
	describeQuestion,
	describeSolution,
	fadedStepCount,
	targetSummary
} from './describe.js';
export { formatNumber, formatValue } from './format.js';

/**
 * The expected answer of `question` for the attempt `seed` (any safe integer), with what the
 * learner is shown and a worked solution. Starts the engine if nobody has (`initEngine()`); the rest
 * is synchronous, so the same seed always gives the same numbers. Throws when the engine's answer
 * is not finite or not of the declared shape.
 */
export async function computeExpected(
	question: EngineQuestion,
	seed: number
): Promise<ComputedQuestion> {
	if (!isEngineReady()) await initEngine();
	return computeExpectedSync(question, seed);
}

/** `computeExpected` for callers that have already awaited `initEngine()`. */
export function computeExpectedSync(question: EngineQuestion, seed: number): ComputedQuestion {
	if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
	const spec = question.compute;
	const params = drawParams(spec, seed);
	const compute = TARGET_COMPUTATIONS[spec.target];
	const ctx = new Context(spec, params, seed);
	const { expected, steps, python } = compute(ctx);
	const shape = resolveShape(question.shape, params);
	checkAnswer(question, expected, shape);
	// numbers shown rounded (the book's seeded weights): also the answer PyTorch gives unrounded
	const unrounded = ctx.rounded
		? compute(new Context(spec, params, seed, 'full')).expected
		: undefined;
	if (unrounded !== undefined) checkAnswer(question, unrounded, shape);
	const accepted = { expected, unrounded, decimals: question.decimals, shape };
	return {
		id: question.id,
		seed,
		params,
		placeholders: placeholders(spec, params),
		inputs: ctx.givens,
		expected,
		...(unrounded === undefined ? {} : { unrounded }),
		shape,
		decimals: question.decimals,
		steps,
		pytorch: [...ctx.python, ...python].join('\n'),
		misconceptions: misconceptionAnswers(spec, params, seed, accepted)
	};
}

function resolveDim(dim: Dim, params: AttemptParams): number {
	if (typeof dim === 'number') return dim;
	if (dim === 'num_heads*d_out') return (params.num_heads ?? 2) * (params.d_out ?? 2);
	if (dim === 'tokens' || dim === 'd_in') return params[dim];
	return params.d_out ?? 2;
}

/** The declared shape with this attempt's sizes. */
export function resolveShape(shape: readonly Dim[], params: AttemptParams): AnswerShape {
	return shape.map((dim) => resolveDim(dim, params)) as AnswerShape;
}

function isRagged(value: Numeric): boolean {
	if (typeof value === 'number' || !Array.isArray(value[0])) return false;
	const rows = value as number[][];
	return rows.some((row) => row.length !== rows[0].length);
}

function checkAnswer(question: EngineQuestion, expected: Numeric, shape: AnswerShape): void {
	const actual = isRagged(expected) ? null : shapeOf(expected);
	if (actual?.join('x') !== shape.join('x')) {
		const got = actual ? `[${actual.join(', ')}]` : 'a ragged matrix';
		throw new Error(
			`${question.id}: the engine computed ${got} but the question declares [${shape.join(', ')}]`
		);
	}
	const values = numbersOf(expected);
	const bad = values.find((v) => !Number.isFinite(v));
	if (bad !== undefined)
		throw new Error(`${question.id}: the engine computed a non-finite value (${bad})`);
}
