/**
 * §3.3 "Attending to different parts of the input with self-attention": attention without trainable
 * weights. The scores are dot products of the embeddings, $\omega_{ij} = x^{(i)} \cdot x^{(j)}$; the
 * weights are their softmax, $\alpha_{ij} = e^{\omega_{ij}} / \sum_k e^{\omega_{ik}}$; the context
 * vectors are weighted sums of the inputs, $z^{(i)} = \sum_j \alpha_{ij} x^{(j)}$.
 */

import {
	allAttentionScores,
	attentionScores,
	contextVector,
	contextVectors,
	dot,
	naiveNormalize,
	naiveSoftmax,
	softmax,
	softmaxRows,
	transpose,
	type Matrix,
	type Vector
} from '../../engine/index.js';
import type { TargetName } from '../../content/index.js';
import { m } from '../../paraglide/messages.js';
import { tokenName, type Step } from '../attempt.js';
import type { Computation, Context, Result } from '../context.js';

function simpleScores(ctx: Context): Result & { scores: Vector } {
	const { query, products, ...raw } = attentionScores(ctx.x, ctx.query);
	const scores = ctx.early(raw.scores);
	return {
		scores,
		expected: scores,
		steps: [
			{
				text: m.quiz_step_query_is_embedding({ token: tokenName(ctx.spec, ctx.query) }),
				value: query
			},
			{
				text: m.quiz_step_multiply_each_input(),
				value: products,
				labels: ctx.labels
			},
			{ text: m.quiz_step_sum_each_row_scores(), value: scores, labels: ctx.labels }
		],
		python: [`query = inputs[${ctx.query}]`, 'attn_scores = inputs @ query']
	};
}

function softmaxSteps(
	ctx: Context,
	scores: Vector,
	labels: string[]
): { weights: Vector; steps: Step[] } {
	if (ctx.is('naive-instead-of-softmax')) {
		const { sum, weights } = naiveNormalize(scores);
		return {
			weights,
			steps: [
				{ text: m.quiz_step_sum_the_scores(), value: sum },
				{ text: m.quiz_step_divide_each_score(), value: weights, labels }
			]
		};
	}
	const { exps, sum } = naiveSoftmax(scores);
	const { weights } = softmax(scores);
	return {
		weights,
		steps: [
			{ text: m.quiz_step_exponentiate({ formula: '$e^{\\omega_i}$' }), value: exps, labels },
			{ text: m.quiz_step_sum_exponentials(), value: sum },
			{ text: m.quiz_step_divide_each_weights(), value: weights, labels }
		]
	};
}

/** The softmax of each row; a learner's `naive-instead-of-softmax` or `softmax-wrong-axis` too. */
function weightsOfRows(ctx: Context, scores: Matrix): Matrix {
	if (ctx.is('naive-instead-of-softmax')) {
		return scores.map((row) => naiveNormalize(row).weights);
	}
	if (ctx.is('softmax-wrong-axis')) return transpose(softmaxRows(transpose(scores)).weights);
	return softmaxRows(scores).weights;
}

function simpleWeightsRow(ctx: Context): Result & { weights: Vector } {
	const scores = simpleScores(ctx);
	if (ctx.is('softmax-wrong-axis')) {
		// over the column: each key's scores from every query, not the query's scores over the keys
		const weights = weightsOfRows(ctx, allAttentionScores(ctx.x))[ctx.query];
		return {
			weights,
			expected: weights,
			steps: [
				...scores.steps,
				{ text: m.quiz_step_softmax_column(), value: weights, labels: ctx.labels }
			],
			python: [...scores.python, 'attn_weights = torch.softmax(inputs @ inputs.T, dim=0)']
		};
	}
	const { weights, steps } = softmaxSteps(ctx, scores.scores, ctx.labels);
	const shown = ctx.early(weights);
	return {
		weights: shown,
		expected: weights,
		steps: [...scores.steps, ...steps],
		python: [...scores.python, 'attn_weights = torch.softmax(attn_scores, dim=0)']
	};
}

export const SIMPLE_TARGETS = {
	/** §3.3.1: two embeddings' dot product, $a \cdot b = \sum_j a_j b_j$. */
	'dot-product': (ctx) => {
		const a = ctx.x[ctx.query];
		const b = ctx.x[ctx.key];
		const { products, value } = dot(a, b);
		return {
			expected: value,
			steps: [
				{ text: m.quiz_step_embedding_of({ token: tokenName(ctx.spec, ctx.query) }), value: a },
				{ text: m.quiz_step_embedding_of({ token: tokenName(ctx.spec, ctx.key) }), value: b },
				{ text: m.quiz_step_elementwise(), value: products },
				{ text: m.quiz_step_sum_dot(), value }
			],
			python: [`torch.dot(inputs[${ctx.query}], inputs[${ctx.key}])`]
		};
	},
	/** §3.3.1: the query's scores, $\omega_i = x^{(i)} \cdot x^{(q)}$. */
	'attention-scores-row': (ctx) => simpleScores(ctx),
	/** §3.3.2: every score at once, $\Omega = X X^\top$. */
	'attention-scores': (ctx) => {
		const scores = allAttentionScores(ctx.x);
		return {
			expected: scores,
			steps: [
				{
					text: m.quiz_step_entry_ij({ formula: '$x^{(i)} \\cdot x^{(j)}$' }),
					value: scores,
					labels: ctx.labels
				}
			],
			python: ['attn_scores = inputs @ inputs.T']
		};
	},
	/** §3.3.1: scores over their sum, $\alpha_i = \omega_i / \sum_j \omega_j$. */
	'naive-weights-row': (ctx) => {
		const scores = simpleScores(ctx);
		if (ctx.is('softmax-instead-of-naive')) {
			const { weights, steps } = softmaxSteps(ctx, scores.scores, ctx.labels);
			return { expected: weights, steps: [...scores.steps, ...steps], python: scores.python };
		}
		const { sum, weights } = naiveNormalize(scores.scores);
		return {
			expected: weights,
			steps: [
				...scores.steps,
				{ text: m.quiz_step_sum_of_scores(), value: sum },
				{ text: m.quiz_step_divide_each_score(), value: weights, labels: ctx.labels }
			],
			python: [...scores.python, 'attn_weights = attn_scores / attn_scores.sum()']
		};
	},
	/** §3.3.1: softmax, $\alpha_i = e^{\omega_i} / \sum_j e^{\omega_j}$. */
	'attention-weights-row': (ctx) => simpleWeightsRow(ctx),
	/** §3.3.2: the softmax of each row of $X X^\top$. */
	'attention-weights': (ctx) => {
		const scores = ctx.early(allAttentionScores(ctx.x));
		const weights = weightsOfRows(ctx, scores);
		return {
			expected: weights,
			steps: [
				{ text: m.quiz_step_scores_code(), value: scores, labels: ctx.labels },
				{ text: m.quiz_step_softmax_each_row(), value: weights, labels: ctx.labels }
			],
			python: ['attn_weights = torch.softmax(inputs @ inputs.T, dim=-1)']
		};
	},
	/** §3.3.1: the weighted sum of the inputs, $z = \sum_i \alpha_i x^{(i)}$. */
	'context-vector': (ctx) => {
		const w = simpleWeightsRow(ctx);
		const { terms, vector } = contextVector(w.weights, ctx.x);
		return {
			expected: vector,
			steps: [
				...w.steps,
				{
					text: m.quiz_step_scale_inputs({ formula: '$\\alpha_i x^{(i)}$' }),
					value: terms,
					labels: ctx.labels
				},
				{ text: m.quiz_step_sum_scaled_inputs(), value: vector }
			],
			python: [...w.python, 'context_vec = attn_weights @ inputs']
		};
	},
	/** §3.3.2: every context vector at once, $Z = A X$. */
	'context-vectors': (ctx) => {
		const weights = ctx.early(weightsOfRows(ctx, ctx.early(allAttentionScores(ctx.x))));
		const vectors = contextVectors(weights, ctx.x);
		return {
			expected: vectors,
			steps: [
				{
					text: m.quiz_step_weights_code(),
					value: weights,
					labels: ctx.labels
				},
				{ text: m.quiz_step_context_code(), value: vectors, labels: ctx.labels }
			],
			python: [
				'attn_weights = torch.softmax(inputs @ inputs.T, dim=-1)',
				'all_context_vecs = attn_weights @ inputs'
			]
		};
	}
} satisfies Partial<Record<TargetName, Computation>>;
