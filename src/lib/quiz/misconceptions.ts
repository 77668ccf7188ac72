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
import { shapeOf, type AnswerShape, type Numeric } from './answer.js';
import { tokenName, type AttemptParams, type MisconceptionAnswer } from './attempt.js';
import { Context, NotApplicable } from './context.js';
import { formatNumber } from './format.js';
import { gradeAnswer, gradeComputed, tolerance, type AcceptedAnswers } from './grade.js';
import type { MisconceptionId, Twist } from './misconception-ids.js';
import { TARGET_COMPUTATIONS } from './registry.js';

export { MISCONCEPTION_IDS, isMisconceptionId, type MisconceptionId } from './misconception-ids.js';

/** What an explanation may quote about the attempt. */
interface Facts {
	d_k: number;
	heads: number;
	p: number;
	/** The query's name, and the name of the row the learner used instead (`wrong-query-row`). */
	query: string;
	used: string;
}

export interface MisconceptionInfo {
	/** A short name, e.g. for the list on /progress. */
	title: string;
	/** The book's section. */
	section: string;
	/** The lesson (deck id) whose text fixes it. */
	lesson: string;
	/** One or two sentences in plain words, with this attempt's numbers (markdown). */
	explain(facts: Facts): string;
}

const root = (d: number) => formatNumber(Math.sqrt(d), 3);

export const MISCONCEPTIONS: Record<MisconceptionId, MisconceptionInfo> = {
	'no-scaling': {
		title: 'Forgot to scale by √d_k',
		section: '3.4.1',
		lesson: 'scaled-attention',
		explain: ({ d_k }) =>
			`Your numbers are the weights **without** dividing the scores by $\\sqrt{d_k} = \\sqrt{${d_k}} = ${root(d_k)}$. Scaling keeps the softmax from saturating (and its gradients from vanishing) when $d_k$ is large.`
	},
	'scale-by-dk': {
		title: 'Scaled by d_k instead of √d_k',
		section: '3.4.1',
		lesson: 'scaled-attention',
		explain: ({ d_k }) =>
			`You divided the scores by $d_k = ${d_k}$ instead of $\\sqrt{d_k} = ${root(d_k)}$, so the weights come out flatter than they should. The square root makes the scores' variance 1.`
	},
	'softmax-wrong-axis': {
		title: 'Softmax over the wrong axis',
		section: '3.3.2',
		lesson: 'normalisation',
		explain: () =>
			"You took the softmax down each **column** (`dim=0`) instead of along each row (`dim=-1`). A query's weights are a distribution over the keys: each **row** must sum to 1."
	},
	'naive-instead-of-softmax': {
		title: 'Divided by the sum instead of softmax',
		section: '3.3.1',
		lesson: 'normalisation',
		explain: () =>
			'You divided each score by the sum of the scores. The attention weights are the **softmax**: $e^{\\omega_i}$ over the sum of the $e^{\\omega_j}$, which keeps every weight positive and favours the largest scores.'
	},
	'softmax-instead-of-naive': {
		title: 'Softmax instead of the simple normalisation',
		section: '3.3.1',
		lesson: 'normalisation',
		explain: () =>
			'You took the softmax, but this question asks for the simple normalisation first: each score divided by the sum of the scores.'
	},
	'context-from-inputs': {
		title: 'Context vector from the inputs, not the values',
		section: '3.4.1',
		lesson: 'qkv',
		explain: () =>
			'You weighted the **inputs** $x$. With trainable weights the context vector is the weighted sum of the **values** $v = x W_v$.'
	},
	'qk-swapped': {
		title: 'Queries and keys swapped',
		section: '3.4.1',
		lesson: 'qkv',
		explain: ({ query }) =>
			`Your scores are the transposed ones: keys dotted with queries. The scores of ${query} are **its query** dotted with **every key**, $\\omega_j = q \\cdot k^{(j)}$.`
	},
	'weights-transposed': {
		title: 'Weight matrices used transposed',
		section: '3.4.1',
		lesson: 'qkv',
		explain: () =>
			"You multiplied by $W^\\top$ instead of $W$. The projection is $x W$ with $W$ of shape $d_{in} \\times d_{out}$ (PyTorch's `nn.Linear` stores $W^\\top$, which is why its code transposes)."
	},
	'wrong-query-row': {
		title: 'Off by one: the wrong token’s row',
		section: '3.3.1',
		lesson: 'dot-product',
		explain: ({ query, used }) =>
			`These are the numbers of ${used}, not of ${query}: an off-by-one row. The book counts tokens from 1 ($x^{(2)}$), Python from 0 (\`inputs[1]\`).`
	},
	'mask-with-zero': {
		title: 'Masked with 0 instead of −∞',
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () =>
			'You set the future scores to **0** before the softmax. A score of 0 is an ordinary score, $e^{0} = 1$, so the future keeps some weight; the mask fills them with $-\\infty$.'
	},
	'mask-after-softmax': {
		title: 'Masked after the softmax, not renormalised',
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () =>
			'You zeroed the future after the softmax but did not divide by the new row sum, so the row sums to less than 1.'
	},
	'mask-diagonal': {
		title: 'Mask hides the token itself (diagonal=0)',
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () =>
			'Your mask also hides the diagonal, as `torch.triu(..., diagonal=0)` would. A token attends to itself and the past: the mask is `torch.triu(..., diagonal=1)`.'
	},
	'dropout-not-rescaled': {
		title: 'Dropout without the 1/(1−p) rescale',
		section: '3.5.2',
		lesson: 'dropout-causal-class',
		explain: ({ p }) =>
			`You dropped the weights but did not multiply the kept ones by $1/(1-p) = 1/${formatNumber(1 - p, 2)} = ${formatNumber(1 / (1 - p), 4)}$. The rescale keeps the expected sum the same in training and in evaluation.`
	},
	'dropout-at-eval': {
		title: 'Dropout applied in evaluation mode',
		section: '3.5.2',
		lesson: 'dropout-causal-class',
		explain: () =>
			'After `model.eval()` dropout does nothing: no weight is dropped and none is rescaled. You applied the training mask.'
	},
	'mha-scale-by-d-out': {
		title: 'Heads scaled by √d_out, not √head_dim',
		section: '3.6.2',
		lesson: 'multi-head',
		explain: ({ d_k, heads }) =>
			`Each head's scores are dot products of head_dim $= ${d_k}/${heads} = ${d_k / heads}$ numbers, so they are divided by $\\sqrt{${d_k / heads}} = ${root(d_k / heads)}$; you divided by $\\sqrt{d_{out}} = ${root(d_k)}$.`
	},
	'mha-no-out-proj': {
		title: 'Heads concatenated without out_proj',
		section: '3.6.2',
		lesson: 'multi-head',
		explain: () =>
			'Your numbers are the heads concatenated, before `out_proj`. `MultiHeadAttention` ends with that linear layer, which mixes the heads.'
	},
	'rounded-early': {
		title: 'Rounded too early',
		section: '3.3',
		lesson: 'context-vectors',
		explain: () =>
			'You rounded the intermediate numbers to 2 decimals and carried on with them. Keep full precision until the answer, and round only that.'
	}
};

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

function cells(value: Numeric): number[] {
	return typeof value === 'number' ? [value] : value.flat();
}

/** True when some cell differs by more than two tolerances: no typed value can match both. */
function distinct(a: Numeric, b: Numeric, decimals: number): boolean {
	const x = cells(a);
	const y = cells(b);
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
			if (!cells(answer).every(Number.isFinite)) continue;
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

/**
 * The misconception a wrong answer shows: the one whose answer it matches (graded as that answer
 * would be), when it matches exactly one and is not right. Null otherwise.
 */
export function diagnose(
	given: Numeric,
	computed: AcceptedAnswers & { misconceptions: readonly MisconceptionAnswer[] }
): MisconceptionAnswer | null {
	if (gradeComputed(given, computed).correct) return null;
	const matches = computed.misconceptions.filter(
		(m) => gradeAnswer(given, m.expected, computed.decimals).correct
	);
	return matches.length === 1 ? matches[0] : null;
}
