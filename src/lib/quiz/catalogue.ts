/**
 * The misconceptions the engine recognises: their names, titles, explanations and lessons. Light on
 * purpose (no engine), so study pages can name a diagnosis; which targets each applies to and the
 * answers it gives are `./misconceptions.ts`. A name is stored with a review, so a name never
 * changes meaning; a new misconception gets a new name.
 */

import { m } from '../paraglide/messages.js';
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
		get title() {
			return m.quiz_misc_no_scaling_title();
		},
		section: '3.4.1',
		lesson: 'scaled-attention',
		explain: ({ d_k }) =>
			m.quiz_misc_no_scaling_explain({
				sqrt_dk: `$\\sqrt{d_k} = \\sqrt{${d_k}} = ${root(d_k)}$`
			})
	},
	'scale-by-dk': {
		get title() {
			return m.quiz_misc_scale_by_dk_title();
		},
		section: '3.4.1',
		lesson: 'scaled-attention',
		explain: ({ d_k }) =>
			m.quiz_misc_scale_by_dk_explain({
				dk: `$d_k = ${d_k}$`,
				sqrt_dk: `$\\sqrt{d_k} = ${root(d_k)}$`
			})
	},
	'softmax-wrong-axis': {
		get title() {
			return m.quiz_misc_softmax_wrong_axis_title();
		},
		section: '3.3.2',
		lesson: 'normalisation',
		explain: () => m.quiz_misc_softmax_wrong_axis_explain()
	},
	'naive-instead-of-softmax': {
		get title() {
			return m.quiz_misc_naive_instead_of_softmax_title();
		},
		section: '3.3.1',
		lesson: 'normalisation',
		explain: () =>
			m.quiz_misc_naive_instead_of_softmax_explain({
				exp_i: '$e^{\\omega_i}$',
				exp_j: '$e^{\\omega_j}$'
			})
	},
	'softmax-instead-of-naive': {
		get title() {
			return m.quiz_misc_softmax_instead_of_naive_title();
		},
		section: '3.3.1',
		lesson: 'normalisation',
		explain: () => m.quiz_misc_softmax_instead_of_naive_explain()
	},
	'context-from-inputs': {
		get title() {
			return m.quiz_misc_context_from_inputs_title();
		},
		section: '3.4.1',
		lesson: 'qkv',
		explain: () => m.quiz_misc_context_from_inputs_explain()
	},
	'qk-swapped': {
		get title() {
			return m.quiz_misc_qk_swapped_title();
		},
		section: '3.4.1',
		lesson: 'qkv',
		explain: ({ query }) =>
			m.quiz_misc_qk_swapped_explain({ query, formula: '$\\omega_j = q \\cdot k^{(j)}$' })
	},
	'weights-transposed': {
		get title() {
			return m.quiz_misc_weights_transposed_title();
		},
		section: '3.4.1',
		lesson: 'qkv',
		explain: () => m.quiz_misc_weights_transposed_explain({ shape: '$d_{in} \\times d_{out}$' })
	},
	'wrong-query-row': {
		get title() {
			return m.quiz_misc_wrong_query_row_title();
		},
		section: '3.3.1',
		lesson: 'dot-product',
		explain: ({ query, used }) =>
			m.quiz_misc_wrong_query_row_explain({ query, used, x2: '$x^{(2)}$' })
	},
	'mask-with-zero': {
		get title() {
			return m.quiz_misc_mask_with_zero_title();
		},
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () => m.quiz_misc_mask_with_zero_explain({ e0: '$e^{0} = 1$' })
	},
	'mask-after-softmax': {
		get title() {
			return m.quiz_misc_mask_after_softmax_title();
		},
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () => m.quiz_misc_mask_after_softmax_explain()
	},
	'mask-diagonal': {
		get title() {
			return m.quiz_misc_mask_diagonal_title();
		},
		section: '3.5.1',
		lesson: 'causal-mask',
		explain: () => m.quiz_misc_mask_diagonal_explain()
	},
	'dropout-not-rescaled': {
		get title() {
			return m.quiz_misc_dropout_not_rescaled_title();
		},
		section: '3.5.2',
		lesson: 'dropout-causal-class',
		explain: ({ p }) =>
			m.quiz_misc_dropout_not_rescaled_explain({
				rescale: `$1/(1-p) = 1/${formatNumber(1 - p, 2)} = ${formatNumber(1 / (1 - p), 4)}$`
			})
	},
	'dropout-at-eval': {
		get title() {
			return m.quiz_misc_dropout_at_eval_title();
		},
		section: '3.5.2',
		lesson: 'dropout-causal-class',
		explain: () => m.quiz_misc_dropout_at_eval_explain()
	},
	'mha-scale-by-d-out': {
		get title() {
			return m.quiz_misc_mha_scale_by_d_out_title();
		},
		section: '3.6.2',
		lesson: 'multi-head',
		explain: ({ d_k, heads }) =>
			m.quiz_misc_mha_scale_by_d_out_explain({
				head_dim: `$= ${d_k}/${heads} = ${d_k / heads}$`,
				sqrt_head: `$\\sqrt{${d_k / heads}} = ${root(d_k / heads)}$`,
				sqrt_dout: `$\\sqrt{d_{out}} = ${root(d_k)}$`
			})
	},
	'mha-no-out-proj': {
		get title() {
			return m.quiz_misc_mha_no_out_proj_title();
		},
		section: '3.6.2',
		lesson: 'multi-head',
		explain: () => m.quiz_misc_mha_no_out_proj_explain()
	},
	'rounded-early': {
		get title() {
			return m.quiz_misc_rounded_early_title();
		},
		section: '3.3',
		lesson: 'context-vectors',
		explain: () => m.quiz_misc_rounded_early_explain()
	}
};
