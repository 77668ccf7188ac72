/**
 * The misconceptions the engine recognises: their names, titles, explanations and lessons. Light on
 * purpose (no engine), so study pages can name a diagnosis; which targets each applies to and the
 * answers it gives are `./misconceptions.ts`. A name is stored with a review, so a name never
 * changes meaning; a new misconception gets a new name.
 */

import { formatNumber } from './format.js';
export const MISCONCEPTION_IDS = [
	'no-scaling',
	'scale-by-dk',
	'softmax-wrong-axis',
	'naive-instead-of-softmax',
	'softmax-instead-of-naive',
	'context-from-inputs',
	'qk-swapped',
	'weights-transposed',
	'wrong-query-row',
	'mask-with-zero',
	'mask-after-softmax',
	'mask-diagonal',
	'dropout-not-rescaled',
	'dropout-at-eval',
	'mha-scale-by-d-out',
	'mha-no-out-proj',
	'rounded-early'
] as const;

export type MisconceptionId = (typeof MISCONCEPTION_IDS)[number];

/**
 * One way of computing a target wrong: a misconception, and for `wrong-query-row` which neighbour
 * (−1: the row before, +1: the row after) was used instead of the query's.
 */
export interface Twist {
	id: MisconceptionId;
	shift?: -1 | 1;
}

export function isMisconceptionId(value: string): value is MisconceptionId {
	return (MISCONCEPTION_IDS as readonly string[]).includes(value);
}

/** What an explanation may quote about the attempt. */
export interface Facts {
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
