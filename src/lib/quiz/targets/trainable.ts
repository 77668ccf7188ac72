/**
 * §3.4 "Implementing self-attention with trainable weights": queries, keys and values are
 * projections of the inputs, $Q = X W_q$, $K = X W_k$, $V = X W_v$; the weights are the softmax of the
 * scaled scores, $\mathrm{softmax}(Q K^\top / \sqrt{d_k})$; the context vectors weight the values,
 * $Z = A V$. The classes `SelfAttention_v1` and `SelfAttention_v2` (§3.4.2) compute all of it.
 */

import {
	contextVector,
	dot,
	matmul,
	projectQKV,
	scaledAttentionWeights,
	transpose,
	type Matrix,
	type Vector
} from '../../engine/index.js';
import type { TargetName } from '../../content/index.js';
import { m } from '../../paraglide/messages.js';
import { tokenName, type Step } from '../attempt.js';
import type { Computation, Context, Weights } from '../context.js';
import { moduleTarget } from './modules.js';

/** The weights (shown as givens) and the Q/K/V projections of every input, with their steps. */
export function trainable(
	ctx: Context
): Weights & ReturnType<typeof projectQKV> & { steps: Step[] } {
	const weights = ctx.weights();
	const projected = projectQKV(ctx.x, weights.W_query, weights.W_key, weights.W_value);
	const swapped = ctx.is('qk-swapped');
	const qkv = {
		queries: ctx.early(swapped ? projected.keys : projected.queries),
		keys: ctx.early(swapped ? projected.queries : projected.keys),
		values: ctx.early(projected.values)
	};
	const steps: Step[] = [
		{ text: m.quiz_step_queries(), value: qkv.queries, labels: ctx.labels },
		{ text: m.quiz_step_keys(), value: qkv.keys, labels: ctx.labels },
		{ text: m.quiz_step_values(), value: qkv.values, labels: ctx.labels }
	];
	return { ...weights, ...qkv, steps };
}

export const QKV_PY = [
	'queries = inputs @ W_query',
	'keys = inputs @ W_key',
	'values = inputs @ W_value'
];

function qkScoresRow(ctx: Context): { scores: Vector; values: Matrix; steps: Step[] } {
	const t = trainable(ctx);
	const q = t.queries[ctx.query];
	const scores = ctx.early(matmul([q], transpose(t.keys))[0]);
	return {
		scores,
		values: t.values,
		steps: [
			...t.steps,
			{
				text: m.quiz_step_scores_of({ token: tokenName(ctx.spec, ctx.query) }),
				value: scores,
				labels: ctx.labels
			}
		]
	};
}

function scaledRow(ctx: Context): { weights: Vector; values: Matrix; steps: Step[] } {
	const { scores, values, steps } = qkScoresRow(ctx);
	const scaled = scaledAttentionWeights(scores, ctx.dk(ctx.d_out));
	return {
		weights: ctx.early(scaled.weights),
		values,
		steps: [
			...steps,
			{
				text: m.quiz_step_divide_by({ formula: `$\\sqrt{d_k} = \\sqrt{${ctx.d_out}}$` }),
				value: scaled.scaled,
				labels: ctx.labels
			},
			{ text: m.quiz_step_softmax_weights(), value: scaled.weights, labels: ctx.labels }
		]
	};
}

export const TRAINABLE_TARGETS = {
	/** §3.4.1: the query vector, $q = x^{(q)} W_q$. */
	'query-vector': (ctx) => {
		const w = ctx.weights();
		const x = ctx.x[ctx.query];
		const q = matmul([x], w.W_query)[0];
		return {
			expected: q,
			steps: [
				{ text: m.quiz_step_embedding_of({ token: tokenName(ctx.spec, ctx.query) }), value: x },
				{ text: m.quiz_step_multiply_wq({ formula: '$\\sum_i x_i (W_q)_{ij}$' }), value: q }
			],
			python: [`query = inputs[${ctx.query}] @ W_query`]
		};
	},
	/** §3.4.1: all keys, $K = X W_k$. */
	keys: (ctx) => {
		const t = trainable(ctx);
		return { expected: t.keys, steps: [t.steps[1]], python: ['keys = inputs @ W_key'] };
	},
	/** §3.4.1: all values, $V = X W_v$. */
	values: (ctx) => {
		const t = trainable(ctx);
		return { expected: t.values, steps: [t.steps[2]], python: ['values = inputs @ W_value'] };
	},
	/** §3.4.1: one unscaled score, $\omega = q \cdot k$. */
	'qk-score': (ctx) => {
		const t = trainable(ctx);
		const q = t.queries[ctx.query];
		const k = t.keys[ctx.key];
		const { products, value } = dot(q, k);
		return {
			expected: value,
			steps: [
				{ text: m.quiz_step_query_vector_of({ token: tokenName(ctx.spec, ctx.query) }), value: q },
				{ text: m.quiz_step_key_vector_of({ token: tokenName(ctx.spec, ctx.key) }), value: k },
				{ text: m.quiz_step_elementwise(), value: products },
				{ text: m.quiz_step_sum_unscaled_score(), value }
			],
			python: [
				`query = inputs[${ctx.query}] @ W_query`,
				`key = inputs[${ctx.key}] @ W_key`,
				'query.dot(key)'
			]
		};
	},
	/** §3.4.1: the query's unscaled scores, $\omega = q K^\top$. */
	'qk-scores-row': (ctx) => {
		const { scores, steps } = qkScoresRow(ctx);
		return {
			expected: scores,
			steps,
			python: [...QKV_PY.slice(0, 2), `attn_scores = queries[${ctx.query}] @ keys.T`]
		};
	},
	/** §3.4.1: scaled dot-product weights, $\alpha = \mathrm{softmax}(\omega / \sqrt{d_k})$. */
	'scaled-weights-row': (ctx) => {
		const { weights, steps } = scaledRow(ctx);
		return {
			expected: weights,
			steps,
			python: [
				...QKV_PY.slice(0, 2),
				`attn_scores = queries[${ctx.query}] @ keys.T`,
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)'
			]
		};
	},
	/** §3.4.1: the weighted sum of the values, $z = \sum_i \alpha_i v^{(i)}$. */
	'qkv-context-vector': (ctx) => {
		const { weights, values, steps } = scaledRow(ctx);
		const { terms, vector } = contextVector(weights, ctx.valuesOr(values));
		return {
			expected: vector,
			steps: [
				...steps,
				{ text: m.quiz_step_scale_values(), value: terms, labels: ctx.labels },
				{ text: m.quiz_step_sum_them_context(), value: vector }
			],
			python: [
				...QKV_PY,
				`attn_scores = queries[${ctx.query}] @ keys.T`,
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'context_vec = attn_weights @ values'
			]
		};
	},
	/** §3.4.2: `SelfAttention_v1` (`nn.Parameter(torch.rand(...))` weights), $\mathrm{softmax}(Q K^\top / \sqrt{d_k})\, V$. */
	'self-attention-v1': (ctx) => moduleTarget(ctx, 'SelfAttention_v1'),
	/** §3.4.2: `SelfAttention_v2` (`nn.Linear` weights), the same formula. */
	'self-attention-v2': (ctx) => moduleTarget(ctx, 'SelfAttention_v2')
} satisfies Partial<Record<TargetName, Computation>>;
