/**
 * The misconceptions the engine recognises. Each is a named way of computing a target wrong (the
 * targets' computations run with a `Twist` in their `Context`, so the wrong path is the engine's own
 * steps, wired as the learner wired them), with a one-line explanation and the lesson that fixes it.
 * `APPLICABLE` is the one table of which misconceptions each target can show.
 *
 * On an attempt, a misconception is used only when its answer can be told apart from the right
 * answer(s) and from every other misconception's: somewhere a cell differs by more than two
 * tolerances, so no typed value can match two of them (e.g. scaling changes nothing when d_k = 1).
 * A wrong answer that matches exactly one of them is diagnosed as it (`diagnose`).
 */

import type { ComputeSpec, TargetName } from '../content/index.js';
import { numbersOf, shapeOf, type AnswerShape, type Numeric } from './answer.js';
import { tokenName, type AttemptParams, type MisconceptionAnswer } from './attempt.js';
import { Context, NotApplicable } from './context.js';
import { tolerance, type AcceptedAnswers } from './grade.js';
import { MISCONCEPTIONS, type Facts, type MisconceptionId, type Twist } from './catalogue.js';
import { TARGET_COMPUTATIONS } from './registry.js';

export {
	MISCONCEPTION_IDS,
	MISCONCEPTIONS,
	isMisconceptionId,
	type MisconceptionId,
	type MisconceptionInfo
} from './catalogue.js';
export { diagnose } from './diagnose.js';

const SCALING = ['no-scaling', 'scale-by-dk'] as const;

/** Which misconceptions each target can show (none for the classes run whole and the code questions). */
export const APPLICABLE: Record<TargetName, readonly MisconceptionId[]> = {
	'dot-product': ['wrong-query-row'],
	'attention-scores-row': ['wrong-query-row'],
	'attention-scores': [],
	'naive-weights-row': ['softmax-instead-of-naive', 'wrong-query-row'],
	'attention-weights-row': [
		'naive-instead-of-softmax',
		'softmax-wrong-axis',
		'wrong-query-row',
		'rounded-early'
	],
	'attention-weights': ['naive-instead-of-softmax', 'softmax-wrong-axis', 'rounded-early'],
	'context-vector': [
		'naive-instead-of-softmax',
		'softmax-wrong-axis',
		'wrong-query-row',
		'rounded-early'
	],
	'context-vectors': ['naive-instead-of-softmax', 'softmax-wrong-axis', 'rounded-early'],
	'query-vector': ['weights-transposed', 'wrong-query-row'],
	keys: [],
	values: ['weights-transposed'],
	'qk-score': ['qk-swapped', 'weights-transposed', 'wrong-query-row', 'rounded-early'],
	'qk-scores-row': ['qk-swapped', 'weights-transposed', 'wrong-query-row', 'rounded-early'],
	'scaled-weights-row': [
		...SCALING,
		'qk-swapped',
		'weights-transposed',
		'wrong-query-row',
		'rounded-early'
	],
	'qkv-context-vector': [
		...SCALING,
		'context-from-inputs',
		'qk-swapped',
		'weights-transposed',
		'wrong-query-row',
		'rounded-early'
	],
	'self-attention-v1': [],
	'self-attention-v2': [],
	'causal-weights': [
		...SCALING,
		'softmax-wrong-axis',
		'qk-swapped',
		'mask-with-zero',
		'mask-after-softmax'
	],
	'causal-weights-row': [
		...SCALING,
		'softmax-wrong-axis',
		'qk-swapped',
		'wrong-query-row',
		'mask-with-zero',
		'mask-after-softmax',
		'mask-diagonal'
	],
	'masked-weights-row': [...SCALING, 'mask-diagonal', 'wrong-query-row'],
	'renormalized-weights-row': [
		...SCALING,
		'mask-after-softmax',
		'mask-diagonal',
		'wrong-query-row'
	],
	'finite-mask-row': [...SCALING, 'wrong-query-row'],
	'dropout-row': ['dropout-not-rescaled', 'no-scaling', 'wrong-query-row'],
	'dropout-eval-row': ['dropout-at-eval', 'wrong-query-row'],
	'dropout-kept-value': ['dropout-not-rescaled'],
	'buggy-weights': [],
	'causal-attention': [],
	'mha-wrapper': [],
	'multi-head-attention': ['mha-scale-by-d-out', 'mha-no-out-proj'],
	'mha-shape': [],
	'buggy-mha': [],
	'parameter-count': [],
	'module-output-shape': []
};

/** The twists a misconception runs as: `wrong-query-row` tries the row before and the row after. */
function twistsOf(id: MisconceptionId): Twist[] {
	return id === 'wrong-query-row'
		? [
				{ id, shift: -1 },
				{ id, shift: 1 }
			]
		: [{ id }];
}

/** True when some cell differs by more than two tolerances: no typed value can match both. */
function distinct(a: Numeric, b: Numeric, decimals: number): boolean {
	const x = numbersOf(a);
	const y = numbersOf(b);
	const gap = 2 * tolerance(decimals);
	return x.length !== y.length || x.some((v, i) => Math.abs(v - y[i]) > gap);
}

function facts(ctx: Context, params: AttemptParams): Facts {
	const query = params.query ?? 0;
	return {
		d_k: params.d_out ?? 2,
		heads: params.num_heads ?? 2,
		p: params.dropout ?? 0.5,
		query: tokenName(ctx.spec, query),
		used: tokenName(ctx.spec, query + (ctx.twist?.shift ?? 0))
	};
}

/**
 * Every applicable misconception's answer on the attempt `(spec, params, seed)`, keeping those that
 * can be told apart from the accepted answers and from each other.
 */
export function misconceptionAnswers(
	spec: ComputeSpec,
	params: AttemptParams,
	seed: number,
	accepted: AcceptedAnswers & { shape: AnswerShape }
): MisconceptionAnswer[] {
	const { decimals } = accepted;
	const right = [
		accepted.expected,
		...(accepted.unrounded === undefined ? [] : [accepted.unrounded])
	];
	const candidates: MisconceptionAnswer[] = [];
	for (const id of APPLICABLE[spec.target]) {
		for (const twist of twistsOf(id)) {
			const ctx = new Context(spec, params, seed, 'shown', twist);
			let result;
			try {
				result = TARGET_COMPUTATIONS[spec.target](ctx);
			} catch (error) {
				if (error instanceof NotApplicable) continue;
				throw error;
			}
			const answer = result.expected;
			const shape = shapeOf(answer);
			if (shape.join('x') !== accepted.shape.join('x')) continue;
			if (!numbersOf(answer).every(Number.isFinite)) continue;
			if (right.some((value) => !distinct(answer, value, decimals))) continue;
			candidates.push({
				id,
				...(twist.shift === undefined ? {} : { shift: twist.shift }),
				expected: answer,
				steps: result.steps,
				message: MISCONCEPTIONS[id].explain(facts(ctx, params))
			});
		}
	}
	return candidates.filter((a) =>
		candidates.every((b) => a === b || distinct(a.expected, b.expected, decimals))
	);
}
