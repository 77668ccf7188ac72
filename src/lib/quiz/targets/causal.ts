/**
 * §3.5 "Hiding future words with causal attention": a token attends only to itself and earlier
 * tokens. Method 1 zeroes the softmax above the diagonal and renormalises each row; method 2 sets the
 * scores above the diagonal to $-\infty$ before $\mathrm{softmax}(\omega / \sqrt{d_k})$; both give the
 * same weights. Dropout (§3.5.2) zeroes weights with probability $p$ and scales the rest by
 * $1/(1-p)$; `CausalAttention` (§3.5.3) puts it together.
 */

import {
	BOOK_SEED,
	causalAttentionWeights,
	dropout,
	Generator,
	maskAndRenormalize,
	maskWithNegInf,
	matmul,
	scaledAttentionWeights,
	transpose,
	type Matrix
} from '../../engine/index.js';
import type { TargetName } from '../../content/index.js';
import { m } from '../../paraglide/messages.js';
import { tokenName, type Step } from '../attempt.js';
import type { Computation, Context } from '../context.js';
import { compareTable, runWeightsVariant, type WeightsVariant } from '../variants.js';
import { moduleTarget } from './modules.js';
import { QKV_PY, trainable } from './trainable.js';

/** All scores `Q Kᵀ` and both causal methods' matrices. */
function causal(ctx: Context): {
	scores: Matrix;
	weights: Matrix;
	unmasked: Matrix;
	masked: Matrix;
	normalized: Matrix;
	steps: Step[];
} {
	const t = trainable(ctx);
	const scores = ctx.early(matmul(t.queries, transpose(t.keys)));
	const d_k = ctx.dk(ctx.d_out);
	const method2 = { weights: ctx.early(causalWeights(ctx, scores, d_k)) };
	const unmasked = scaledAttentionWeights(scores, d_k).weights;
	const method1 = maskAndRenormalize(unmasked);
	if (ctx.is('mask-diagonal')) method1.masked = mapMatrix(unmasked, (v, i, j) => (j >= i ? 0 : v));
	if (ctx.is('mask-after-softmax') || ctx.is('mask-diagonal')) {
		method1.normalized = ctx.is('mask-after-softmax')
			? method1.masked
			: method1.masked.map((row) => normalize(row));
	}
	return {
		scores,
		weights: method2.weights,
		unmasked,
		masked: method1.masked,
		normalized: method1.normalized,
		steps: [
			...t.steps.slice(0, 2),
			{ text: m.quiz_step_scores_qk(), value: scores, labels: ctx.labels },
			{
				text: m.quiz_step_method2({ sqrt_dk: '$\\sqrt{d_k}$' }),
				value: method2.weights,
				labels: ctx.labels
			}
		]
	};
}

function mapMatrix(m: Matrix, f: (v: number, i: number, j: number) => number): Matrix {
	return m.map((row, i) => row.map((v, j) => f(v, i, j)));
}

function normalize(row: number[]): number[] {
	const sum = row.reduce((a, b) => a + b, 0);
	return row.map((v) => v / sum);
}

/**
 * Method 2's weights, $\mathrm{softmax}(\mathrm{mask}_{-\infty}(\omega) / \sqrt{d_k})$, or what a
 * learner with one of the mask's misconceptions computes instead.
 */
function causalWeights(ctx: Context, scores: Matrix, d_k: number): Matrix {
	if (ctx.is('mask-with-zero')) {
		return scaledAttentionWeights(
			mapMatrix(scores, (v, i, j) => (j > i ? 0 : v)),
			d_k
		).weights;
	}
	if (ctx.is('mask-after-softmax')) {
		return maskAndRenormalize(scaledAttentionWeights(scores, d_k).weights).masked;
	}
	if (ctx.is('mask-diagonal')) {
		const masked = mapMatrix(scores, (v, i, j) => (j >= i ? -Infinity : v));
		return scaledAttentionWeights(masked, d_k).weights;
	}
	if (ctx.is('softmax-wrong-axis')) {
		return transpose(scaledAttentionWeights(transpose(maskWithNegInf(scores)), d_k).weights);
	}
	return causalAttentionWeights(scores, d_k).weights;
}

const CAUSAL_PY = [
	...QKV_PY.slice(0, 2),
	'attn_scores = queries @ keys.T',
	'n = attn_scores.shape[0]',
	'mask = torch.triu(torch.ones(n, n), diagonal=1).bool()',
	'masked = attn_scores.masked_fill(mask, -torch.inf)',
	'attn_weights = torch.softmax(masked / keys.shape[-1]**0.5, dim=-1)'
];

/** `nn.Dropout(p)` in training mode on the causal weights, after `torch.manual_seed(seed)`. */
function dropoutOfWeights(ctx: Context, weights: Matrix) {
	const p = ctx.params.dropout ?? 0.5;
	const seed = ctx.params.seed ?? BOOK_SEED;
	const dropped = dropout(weights, p, { generator: new Generator(seed), training: true });
	return { p, seed, dropped, keep: dropped.keep[ctx.query] };
}

function row(ctx: Context, matrix: Matrix, text: string): Step {
	return {
		text: m.quiz_step_row_of({ text, token: tokenName(ctx.spec, ctx.query) }),
		value: matrix[ctx.query]
	};
}

export const CAUSAL_TARGETS = {
	/** §3.5.1 method 2: $\mathrm{softmax}(\mathrm{mask}_{-\infty}(Q K^\top) / \sqrt{d_k})$, $-\infty$ above the diagonal. */
	'causal-weights': (ctx) => {
		const c = causal(ctx);
		return { expected: c.weights, steps: c.steps, python: CAUSAL_PY };
	},
	/** §3.5.1: one row of the causal weights. */
	'causal-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.weights[ctx.query],
			steps: [...c.steps, row(ctx, c.weights, m.quiz_step_answer_is_row())],
			python: [...CAUSAL_PY, `attn_weights[${ctx.query}]`]
		};
	},
	/** §3.5.1 method 1: $\mathrm{softmax}(Q K^\top / \sqrt{d_k}) \odot \mathrm{tril}(1)$, before renormalising. */
	'masked-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.masked[ctx.query],
			steps: [
				...c.steps.slice(0, 3),
				{
					text: m.quiz_step_method1(),
					value: c.unmasked,
					labels: ctx.labels
				},
				row(ctx, c.masked, m.quiz_step_multiply_tril())
			],
			python: [
				...CAUSAL_PY.slice(0, 4),
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'masked_simple = attn_weights * torch.tril(torch.ones(n, n))',
				`masked_simple[${ctx.query}]`
			]
		};
	},
	/** §3.5.1 method 1: the masked row over its sum, equal to method 2. */
	'renormalized-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.normalized[ctx.query],
			steps: [
				...c.steps.slice(0, 3),
				{
					text: m.quiz_step_method1(),
					value: c.unmasked,
					labels: ctx.labels
				},
				row(ctx, c.masked, m.quiz_step_zero_future()),
				row(ctx, c.normalized, m.quiz_step_divide_row_sum())
			],
			python: [
				...CAUSAL_PY.slice(0, 4),
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'masked_simple = attn_weights * torch.tril(torch.ones(n, n))',
				'masked_simple_norm = masked_simple / masked_simple.sum(dim=-1, keepdim=True)',
				`masked_simple_norm[${ctx.query}]`
			]
		};
	},
	/** §3.5.1: the future filled with a finite `mask_value` keeps some weight, since $e^x > 0$. */
	'finite-mask-row': (ctx) => {
		const c = causal(ctx);
		const fill = ctx.params.mask_value ?? 0;
		const maskedRow = c.scores[ctx.query].map((s, j) => (j > ctx.query ? fill : s));
		const scaled = scaledAttentionWeights(maskedRow, ctx.dk(ctx.d_out));
		return {
			expected: scaled.weights,
			steps: [
				...c.steps.slice(0, 3),
				{
					text: m.quiz_step_scores_future_set({ token: tokenName(ctx.spec, ctx.query), fill }),
					value: maskedRow,
					labels: ctx.labels
				},
				{
					text: m.quiz_step_divided_by({ sqrt_dk: '$\\sqrt{d_k}$' }),
					value: scaled.scaled,
					labels: ctx.labels
				},
				{
					text: m.quiz_step_softmax_future_weight({ formula: '$e^{x} > 0$' }),
					value: scaled.weights,
					labels: ctx.labels
				}
			],
			python: [
				...CAUSAL_PY.slice(0, 5),
				`masked = attn_scores.masked_fill(mask, ${fill})`,
				'attn_weights = torch.softmax(masked / keys.shape[-1]**0.5, dim=-1)',
				`attn_weights[${ctx.query}]`
			]
		};
	},
	/** §3.5.2: `nn.Dropout(p)` on the causal weights: kept entries times $1/(1-p)$, dropped ones 0. */
	'dropout-row': (ctx) => {
		const c = causal(ctx);
		const { p, seed, dropped, keep } = dropoutOfWeights(ctx, c.weights);
		ctx.given('keep', '\\text{keep}', keep, 0, ctx.labels);
		const output = ctx.is('dropout-not-rescaled')
			? c.weights[ctx.query].map((v, j) => v * keep[j])
			: dropped.output[ctx.query];
		return {
			expected: output,
			steps: [
				...c.steps,
				row(ctx, c.weights, m.quiz_step_before_dropout()),
				{
					text: m.quiz_step_keep_mask({ seed_call: `\`torch.manual_seed(${seed})\`` }),
					value: keep,
					labels: ctx.labels
				},
				{
					text: m.quiz_step_kept_multiplied({
						formula: `$1/(1-p) = 1/(1-${p}) = ${dropped.scale.toFixed(4)}$`
					}),
					value: dropped.output[ctx.query],
					labels: ctx.labels
				}
			],
			python: [
				...CAUSAL_PY,
				`torch.manual_seed(${seed})`,
				`dropout = torch.nn.Dropout(${p})`,
				`dropout(attn_weights)[${ctx.query}]  ${m.quiz_py_masks_match()}`
			]
		};
	},
	/**
	 * §3.5.2: `nn.Dropout(p)` after `model.eval()` passes the weights through unchanged; the keep
	 * mask training would draw is shown, so applying it anyway is a recognisable mistake.
	 */
	'dropout-eval-row': (ctx) => {
		const c = causal(ctx);
		const { p, seed, dropped, keep } = dropoutOfWeights(ctx, c.weights);
		ctx.given('keep', `\\text{${m.quiz_given_keep_training_only()}}`, keep, 0, ctx.labels);
		const atEval = ctx.is('dropout-at-eval');
		const output = atEval ? dropped.output[ctx.query] : c.weights[ctx.query];
		return {
			expected: output,
			steps: [
				...c.steps,
				row(ctx, c.weights, m.quiz_step_causal_weights()),
				atEval
					? {
							text: m.quiz_step_dropout_as_training({
								formula: `$1/(1-p) = ${dropped.scale.toFixed(4)}$`
							}),
							value: output,
							labels: ctx.labels
						}
					: {
							text: m.quiz_step_eval_does_nothing(),
							value: output,
							labels: ctx.labels
						}
			],
			python: [
				...CAUSAL_PY,
				`torch.manual_seed(${seed})`,
				`dropout = torch.nn.Dropout(${p})`,
				'dropout.eval()',
				`dropout(attn_weights)[${ctx.query}]`
			]
		};
	},
	/** §3.5.2: what a kept 1 becomes, $1/(1-p)$. */
	'dropout-kept-value': (ctx) => {
		const p = ctx.params.dropout ?? 0.5;
		const seed = ctx.params.seed ?? BOOK_SEED;
		const ones = Array.from({ length: ctx.params.tokens }, () =>
			Array<number>(ctx.params.tokens).fill(1)
		);
		const dropped = dropout(ones, p, { generator: new Generator(seed), training: true });
		const kept = ctx.is('dropout-not-rescaled')
			? 1
			: (dropped.output.flat().find((v) => v !== 0) ?? dropped.scale);
		return {
			expected: kept,
			steps: [
				{
					text: m.quiz_step_dropout_on_ones({
						call: `\`nn.Dropout(${p})\``,
						seed_call: `\`torch.manual_seed(${seed})\``
					}),
					value: dropped.output
				},
				{
					text: m.quiz_step_survivors_scaled({ formula: `$1/(1-p) = 1/${(1 - p).toFixed(2)}$` }),
					value: kept
				}
			],
			python: [
				`torch.manual_seed(${seed})`,
				`torch.nn.Dropout(${p})(torch.ones(${ctx.params.tokens}, ${ctx.params.tokens}))`
			]
		};
	},
	/**
	 * Spot the bug (§3.3–§3.5): the query's row of the attention weights as a buggy listing computes
	 * them (`variant`, run by `../variants.ts`), with the book's row beside it in the solution.
	 */
	'buggy-weights': (ctx) => {
		const t = trainable(ctx);
		const name = ctx.spec.variant as WeightsVariant;
		const p = ctx.params.dropout;
		const seed = ctx.params.seed ?? BOOK_SEED;
		const run = runWeightsVariant(name, {
			queries: t.queries,
			keys: t.keys,
			...(p === undefined ? {} : { dropout: { p, seed } })
		});
		const q = ctx.query;
		if (run.keep) ctx.given('keep', '\\text{keep}', run.keep[q], 0, ctx.labels);
		const who = tokenName(ctx.spec, q);
		return {
			expected: run.buggy[q],
			steps: [
				...t.steps.slice(0, 2),
				{ text: m.quiz_step_book_code_gives(), value: run.correct, labels: ctx.labels },
				{ text: m.quiz_step_buggy_code_gives(), value: run.buggy, labels: ctx.labels },
				{
					text: `${m.quiz_step_side_by_side_row({ token: who })}\n\n${compareTable(
						run.correct[q],
						run.buggy[q],
						{
							labels: ctx.labels,
							decimals: 4,
							corner: m.quiz_table_key(),
							sums: true
						}
					)}`
				},
				{ text: run.why }
			],
			python: [...QKV_PY.slice(0, 2), ...run.buggyPython, `attn_weights[${q}]`]
		};
	},
	/** §3.5.3: `CausalAttention` (dropout 0), the first batch item. */
	'causal-attention': (ctx) => moduleTarget(ctx, 'CausalAttention')
} satisfies Partial<Record<TargetName, Computation>>;
