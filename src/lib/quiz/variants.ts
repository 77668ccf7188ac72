/**
 * Buggy variants of the chapter's code, run by the engine next to the book's code (the catalogue of
 * names, lines and effects is `VARIANTS` in `src/lib/content/variants.ts`). Every number comes from
 * the engine's steps; a variant only wires them differently, as the buggy listing does. The
 * `spot-the-bug` deck's engine-checked questions, their worked solutions and the lessons'
 * `bug-compare` figures all run these functions.
 */

import {
	causalAttentionWeights,
	dropout,
	Generator,
	maskAndRenormalize,
	maskWithNegInf,
	matmul,
	MultiHeadAttention,
	scaledAttentionWeights,
	softmaxRows,
	transpose,
	type LinearData,
	type Matrix,
	type Tensor3
} from '../engine/index.js';
import { VARIANTS, type VariantName } from '../content/variants.js';
import { m } from '../paraglide/messages.js';
import { formatNumber } from './format.js';

const f32 = Math.fround;

/** Variants that change the attention weights of §3.3–§3.5. */
export type WeightsVariant =
	| 'softmax-dim0'
	| 'no-scaling'
	| 'masked-fill-dropped'
	| 'mask-with-zero'
	| 'zero-after-softmax'
	| 'triu-diagonal-0'
	| 'dropout-not-rescaled';

/** Variants of `MultiHeadAttention.forward` (§3.6.2). */
export type MhaVariant = 'view-without-transpose' | 'scale-by-d-out';

/** What a weights variant runs on: the queries and keys of every token (tokens × d_k). */
export interface WeightsSetting {
	queries: Matrix;
	keys: Matrix;
	/** `nn.Dropout(p)` after `torch.manual_seed(seed)`; only `dropout-not-rescaled` reads it. */
	dropout?: { p: number; seed: number };
}

/** The book's code and the buggy code on the same numbers. */
export interface VariantRun {
	/** The book's result (attention weights, or MultiHeadAttention's output). */
	correct: Matrix;
	/** The buggy code's result (NaN where PyTorch prints nan). */
	buggy: Matrix;
	/** The book's lines and the buggy lines, in PyTorch. */
	bookPython: string[];
	buggyPython: string[];
	/** What goes wrong, in words (markdown). */
	why: string;
	/** `dropout-not-rescaled`: dropout's 0/1 keep mask (the same in both). */
	keep?: Matrix;
}

const BOOK_WEIGHTS_PY = [
	'attn_scores = queries @ keys.T',
	'n = attn_scores.shape[0]',
	'mask = torch.triu(torch.ones(n, n), diagonal=1).bool()',
	'attn_scores.masked_fill_(mask, -torch.inf)',
	'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)'
];

/** The book's lines with line `at` replaced (or removed, with no replacement). */
function withLines(at: number, ...replacement: string[]): string[] {
	return [...BOOK_WEIGHTS_PY.slice(0, at), ...replacement, ...BOOK_WEIGHTS_PY.slice(at + 1)];
}

function mapMatrix(m: Matrix, f: (v: number, i: number, j: number) => number): Matrix {
	return m.map((row, i) => row.map((v, j) => f(v, i, j)));
}

type WeightsBug = (
	scores: Matrix,
	d_k: number,
	correct: Matrix,
	setting: WeightsSetting
) => Omit<VariantRun, 'correct' | 'bookPython'> & { correct?: Matrix; bookPython?: string[] };

const WEIGHTS_BUGS: Record<WeightsVariant, WeightsBug> = {
	'softmax-dim0': (scores, d_k) => ({
		// softmax over dim=0 is the row softmax of the transpose, transposed back
		buggy: transpose(scaledAttentionWeights(transpose(maskWithNegInf(scores)), d_k).weights),
		buggyPython: withLines(
			4,
			'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=0)'
		),
		why: m.quiz_why_softmax_dim0()
	}),
	'no-scaling': (scores) => ({
		buggy: softmaxRows(maskWithNegInf(scores)).weights,
		buggyPython: withLines(4, 'attn_weights = torch.softmax(attn_scores, dim=-1)'),
		why: m.quiz_why_no_scaling({ scale: '$1/\\sqrt{d_k}$' })
	}),
	'masked-fill-dropped': (scores, d_k) => ({
		buggy: scaledAttentionWeights(scores, d_k).weights,
		buggyPython: withLines(
			3,
			`attn_scores.masked_fill(mask, -torch.inf)  ${m.quiz_py_masked_copy()}`
		),
		why: m.quiz_why_masked_fill_dropped()
	}),
	'mask-with-zero': (scores, d_k) => ({
		buggy: scaledAttentionWeights(
			mapMatrix(scores, (v, i, j) => (j > i ? 0 : v)),
			d_k
		).weights,
		buggyPython: withLines(3, 'attn_scores.masked_fill_(mask, 0)'),
		why: m.quiz_why_mask_with_zero({ e0: '$e^{0} = 1$' })
	}),
	'zero-after-softmax': (scores, d_k) => ({
		buggy: maskAndRenormalize(scaledAttentionWeights(scores, d_k).weights).masked,
		buggyPython: [
			'attn_scores = queries @ keys.T',
			'n = attn_scores.shape[0]',
			'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
			'attn_weights = attn_weights * torch.tril(torch.ones(n, n))'
		],
		why: m.quiz_why_zero_after_softmax()
	}),
	'triu-diagonal-0': (scores, d_k) => ({
		buggy: scaledAttentionWeights(
			mapMatrix(scores, (v, i, j) => (j >= i ? -Infinity : v)),
			d_k
		).weights,
		buggyPython: withLines(2, 'mask = torch.triu(torch.ones(n, n), diagonal=0).bool()'),
		why: m.quiz_why_triu_diagonal_0()
	}),
	'dropout-not-rescaled': (_scores, _d_k, weights, setting) => {
		const { p, seed } = setting.dropout ?? { p: 0.5, seed: 123 };
		const dropped = dropout(weights, p, { generator: new Generator(seed), training: true });
		return {
			correct: dropped.output,
			buggy: mapMatrix(weights, (v, i, j) => f32(v * dropped.keep[i][j])),
			bookPython: [
				...BOOK_WEIGHTS_PY,
				`torch.manual_seed(${seed})`,
				`attn_weights = torch.nn.Dropout(${p})(attn_weights)`
			],
			buggyPython: [
				...BOOK_WEIGHTS_PY,
				`torch.manual_seed(${seed})`,
				`keep = torch.nn.Dropout(${p})(torch.ones_like(attn_weights)) != 0  ${m.quiz_py_same_mask()}`,
				'attn_weights = attn_weights * keep'
			],
			keep: dropped.keep,
			why: m.quiz_why_dropout_not_rescaled({
				rescale: `$1/(1-p) = ${formatNumber(dropped.scale, 4)}$`
			})
		};
	}
};

/** Runs the book's causal attention weights and the buggy variant on the same queries and keys. */
export function runWeightsVariant(name: WeightsVariant, setting: WeightsSetting): VariantRun {
	const d_k = setting.keys[0].length;
	const scores = matmul(setting.queries, transpose(setting.keys));
	const correct = causalAttentionWeights(scores, d_k).weights;
	const run = WEIGHTS_BUGS[name](scores, d_k, correct, setting);
	return {
		correct: run.correct ?? correct,
		buggy: run.buggy,
		bookPython: run.bookPython ?? BOOK_WEIGHTS_PY,
		buggyPython: run.buggyPython,
		why: run.why,
		...(run.keep ? { keep: run.keep } : {})
	};
}

/** What an MHA variant runs on: one sequence, the module's seed and sizes (dropout 0). */
export interface MhaSetting {
	/** tokens × d_in (one sequence; the module sees a batch of one). */
	x: Matrix;
	seed: number;
	d_out: number;
	num_heads: number;
}

/** `nn.Linear` on rows with the engine: x Wᵀ (+ b, added in float32 like PyTorch). */
function linearRows(x: Matrix, l: LinearData): Matrix {
	const w: Matrix = Array.from({ length: l.out_features }, (_, o) =>
		Array.from(l.weight.subarray(o * l.in_features, (o + 1) * l.in_features))
	);
	const y = matmul(x, transpose(w));
	const bias = l.bias;
	return bias ? mapMatrix(y, (v, _i, j) => f32(v + bias[j])) : y;
}

/** (T, d_out) row-major data read as (h, T, d_h): what `view(b, h, T, d_h)` does without a transpose. */
function viewAsHeads(y: Matrix, h: number): Tensor3 {
	const flat = y.flat();
	const t = y.length;
	const hd = y[0].length / h;
	return Array.from({ length: h }, (_, i) =>
		Array.from({ length: t }, (_, r) => flat.slice((i * t + r) * hd, (i * t + r + 1) * hd))
	);
}

/** (T, d_out) to (h, T, d_h) the book's way: `view(b, T, h, d_h).transpose(1, 2)`. */
function splitHeads(y: Matrix, h: number): Tensor3 {
	const hd = y[0].length / h;
	return Array.from({ length: h }, (_, i) => y.map((row) => row.slice(i * hd, (i + 1) * hd)));
}

/** (h, T, d_h) back to (T, d_out): `.transpose(1, 2).contiguous().view(b, T, d_out)`. */
function mergeHeads(heads: Tensor3): Matrix {
	return heads[0].map((_, r) => heads.flatMap((head) => head[r]));
}

/**
 * `MultiHeadAttention.forward` (dropout 0) wired from engine steps with the module's own weights:
 * `split` turns queries, keys and values into heads, `d_k` is what the scores are scaled by.
 */
export function wiredMultiHeadAttention(
	mha: MultiHeadAttention,
	x: Matrix,
	split: 'book' | 'view-only',
	d_k: number,
	outProj = true
): Matrix {
	const h = mha.num_heads;
	const heads = (y: Matrix): Tensor3 => (split === 'book' ? splitHeads(y, h) : viewAsHeads(y, h));
	const queries = heads(linearRows(x, mha.W_query));
	const keys = heads(linearRows(x, mha.W_key));
	const values = heads(linearRows(x, mha.W_value));
	const context = queries.map((q, i) => {
		const weights = causalAttentionWeights(matmul(q, transpose(keys[i])), d_k).weights;
		return matmul(weights, values[i]);
	});
	const merged = mergeHeads(context);
	return outProj ? linearRows(merged, mha.out_proj) : merged;
}

/** What goes wrong, in the page's language (a function: the words are looked up when asked). */
const MHA_WHY: Record<MhaVariant, () => string> = {
	'view-without-transpose': () => m.quiz_why_view_without_transpose(),
	'scale-by-d-out': () =>
		m.quiz_why_scale_by_d_out({
			sqrt_hd: '$\\sqrt{\\text{head\\_dim}}$',
			sqrt_dout: '$\\sqrt{d_{out}}$'
		})
};

/** Runs the book's `MultiHeadAttention` (the engine's module) and the buggy forward with its weights. */
export function runMhaVariant(name: MhaVariant, setting: MhaSetting): VariantRun {
	const { x, seed, d_out, num_heads } = setting;
	const d_in = x[0].length;
	const t = x.length;
	const mha = new MultiHeadAttention(d_in, d_out, t, 0, num_heads, false, {
		generator: new Generator(seed)
	});
	const correct = mha.forward([x])[0];
	const buggy =
		name === 'view-without-transpose'
			? wiredMultiHeadAttention(mha, x, 'view-only', mha.head_dim)
			: wiredMultiHeadAttention(mha, x, 'book', d_out);
	const build = [
		`torch.manual_seed(${seed})`,
		`mha = MultiHeadAttention(${d_in}, ${d_out}, ${t}, 0.0, num_heads=${num_heads})`
	];
	const info = VARIANTS[name];
	return {
		correct,
		buggy,
		bookPython: [...build, 'mha(inputs.unsqueeze(0))[0]'],
		buggyPython: [
			m.quiz_py_mha_with_change(),
			`#   ${info.bug}`,
			...(name === 'view-without-transpose' ? [m.quiz_py_same_for_qv()] : []),
			...build,
			'mha(inputs.unsqueeze(0))[0]'
		],
		why: MHA_WHY[name]()
	};
}

export function isWeightsVariant(name: VariantName): name is WeightsVariant {
	return (VARIANTS[name] as { target?: string }).target === 'buggy-weights';
}

export function isMhaVariant(name: VariantName): name is MhaVariant {
	return (VARIANTS[name] as { target?: string }).target === 'buggy-mha';
}

function cell(v: number, decimals: number): string {
	return Number.isNaN(v) ? 'nan' : formatNumber(v, decimals);
}

/**
 * One row of the book's result and the buggy one, side by side, as a markdown table: a row per
 * entry (e.g. per key token), with the difference, and the sums when `sums` (attention weights).
 */
export function compareTable(
	correct: number[],
	buggy: number[],
	options: { labels: string[]; decimals: number; corner?: string; sums?: boolean }
): string {
	const { labels, decimals, corner = m.quiz_format_token(), sums = false } = options;
	const rows = correct.map((c, i) => {
		const b = buggy[i];
		const diff = Number.isNaN(b) ? 'nan' : formatNumber(f32(b - c), decimals);
		return `| ${labels[i]} | ${cell(c, decimals)} | ${cell(b, decimals)} | ${diff} |`;
	});
	const total = (v: number[]): number => v.reduce((a, b) => a + b, 0);
	return [
		`| ${corner} | ${m.quiz_table_book_code()} | ${m.quiz_table_buggy_code()} | ${m.quiz_table_difference()} |`,
		'| --- | ---: | ---: | ---: |',
		...rows,
		...(sums
			? [
					`| ${m.quiz_table_sum()} | ${cell(total(correct), decimals)} | ${cell(total(buggy), decimals)} | |`
				]
			: [])
	].join('\n');
}
