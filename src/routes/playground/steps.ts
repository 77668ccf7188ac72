/**
 * The playground's view of one forward pass: each step of the book's code with its tensor's shape,
 * the line that produces it, and its numbers as tables whose cells can explain themselves.
 */
import type { Matrix, NestedArray, PipelineHead, PipelineResult } from '$lib/engine';
import type { PlaygroundState } from '$lib/playground';
import { code, type CodeLine } from './code';
import {
	column,
	explainContext,
	explainDropout,
	explainMaskAfter,
	explainMasked,
	explainProjection,
	explainScaled,
	explainScore,
	explainSoftmax
} from './explain';

export interface GridView {
	caption: string;
	values: Matrix;
	rowLabels: string[];
	colLabels: string[];
	/** Shade by value (attention weights). */
	heat: boolean;
	explain: (row: number, col: number) => string;
}

export interface StepView {
	/** Anchor and the key that lines up the two sides of a comparison. */
	id: string;
	title: string;
	/** The tensor's shape as PyTorch prints it, e.g. (1, 6, 2). */
	shape: string;
	code: CodeLine[];
	/** Why a step looks as it does (e.g. dropout off in eval mode). */
	note?: string;
	grids: GridView[];
}

const dims = (n: number, prefix = ''): string[] =>
	Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function shapeText(...sizes: number[]): string {
	return `(${sizes.join(', ')})`;
}

function isBatched(state: PlaygroundState): boolean {
	return !['simplified', 'SelfAttention_v1', 'SelfAttention_v2'].includes(state.module);
}

/** The shape with the batch axis the module's forward has (b = 1 in the playground). */
function shaped(state: PlaygroundState, ...sizes: number[]): string {
	return isBatched(state) ? shapeText(1, ...sizes) : shapeText(...sizes);
}

/** Rows of W as `nn.Linear` stores them (out × in), whichever way the module keeps them. */
function weightRows(params: Record<string, NestedArray>, name: string): Matrix | null {
	const linear = params[`${name}.weight`] as Matrix | undefined;
	if (linear) return linear;
	const raw = params[name] as Matrix | undefined; // SelfAttention_v1 keeps x @ W, W of d_in × d_out
	return raw ? raw[0].map((_, c) => column(raw, c)) : null;
}

function biasOf(params: Record<string, NestedArray>, name: string): number[] | null {
	return (params[`${name}.bias`] as number[] | undefined) ?? null;
}

export function buildSteps(state: PlaygroundState, r: PipelineResult): StepView[] {
	const t = state.tokens.length;
	const tokens = state.tokens;
	const mha = state.module === 'MultiHeadAttention';
	const wrapper = state.module === 'MultiHeadAttentionWrapper';
	const headCount = r.heads.length;
	const headName = (h: number): string => (headCount > 1 ? `, head ${h}` : '');
	const lines = code(state);
	const steps: StepView[] = [];

	steps.push({
		id: 'inputs',
		title: 'Inputs',
		shape: shaped(state, t, r.d_in),
		code: lines.inputs,
		grids: [
			{
				caption: 'inputs (one row per token)',
				values: state.inputs,
				rowLabels: tokens,
				colLabels: dims(r.d_in),
				heat: false,
				explain: (i, d) => `Entry ${d} of “${tokens[i]}”'s embedding, as you set it.`
			}
		]
	});

	if (state.module !== 'simplified') {
		steps.push(projectionStep(state, r, lines.qkv));
	}

	if (mha) {
		const hd = r.d_k;
		steps.push({
			id: 'split',
			title: 'Split into heads',
			shape: `${shapeText(1, t, headCount, hd)} → ${shapeText(1, headCount, t, hd)}`,
			code: lines.split,
			note: `view cuts each token's ${state.d_out} outputs into ${headCount} heads of head_dim = ${hd}; transpose(1, 2) puts the heads first, so each head attends on its own.`,
			grids: r.heads.flatMap((head, h) =>
				(['queries', 'keys', 'values'] as const).map((name) => ({
					caption: `${name}, head ${h} (${hd === 1 ? `column ${h}` : `columns ${h * hd}–${h * hd + hd - 1}`} of ${name})`,
					values: head[name],
					rowLabels: tokens,
					colLabels: dims(hd),
					heat: false,
					explain: (i: number, d: number) =>
						`${name}[${tokens[i]}][${h * hd + d}] moved to head ${h}, position ${d}: no arithmetic, only a new view of the same numbers.`
				}))
			)
		});
	}

	const perHead = (
		make: (head: PipelineHead, h: number) => Omit<GridView, 'rowLabels' | 'colLabels'>
	): GridView[] =>
		r.heads.map((head, h) => ({ ...make(head, h), rowLabels: tokens, colLabels: tokens }));
	const tt = mha ? shapeText(1, headCount, t, t) : shaped(state, t, t);

	steps.push({
		id: 'scores',
		title: 'Attention scores',
		shape: tt,
		code: lines.scores,
		grids: perHead((head, h) => ({
			caption: `attn_scores${headName(h)} (rows: queries, columns: keys)`,
			values: head.scores,
			heat: false,
			explain: (i, j) =>
				explainScore(tokens[i], tokens[j], head.queries[i], head.keys[j], head.scores[i][j])
		}))
	});

	if (state.mask === 'before') {
		steps.push({
			id: 'mask',
			title: 'Causal mask (before softmax)',
			shape: tt,
			code: lines.mask,
			grids: perHead((head, h) => ({
				caption: `masked attn_scores${headName(h)}`,
				values: head.masked!,
				heat: false,
				explain: (i, j) => explainMasked(tokens[i], tokens[j], j > i, head.masked![i][j])
			}))
		});
	}

	steps.push({
		id: 'scaled',
		title: state.scale ? 'Scaled scores' : 'Scores into softmax (not scaled)',
		shape: tt,
		code: lines.scaled,
		note: state.scale
			? `Divided by √d_k = √${r.d_k} = ${r.scaleFactor.toFixed(4)}${state.temperature === 1 ? '' : `, then × ${state.temperature}`}.`
			: state.temperature === 1
				? 'Scaling is off: softmax gets the raw scores (the simplified attention of §3.3 does not scale).'
				: `Not scaled, × ${state.temperature} (temperature).`,
		grids: perHead((head, h) => ({
			caption: `scaled scores${headName(h)}`,
			values: head.scaled,
			heat: false,
			explain: (i, j) =>
				explainScaled(
					(head.masked ?? head.scores)[i][j],
					r.scaleFactor,
					state.temperature,
					head.scaled[i][j]
				)
		}))
	});

	steps.push({
		id: 'softmax',
		title: 'Attention weights (softmax)',
		shape: tt,
		code: lines.softmax,
		grids: perHead((head, h) => ({
			caption: `attn_weights${headName(h)} (each row sums to 1)`,
			values: head.softmax,
			heat: true,
			explain: (i, j) => explainSoftmax(head.scaled[i], j, head.softmax[i][j])
		}))
	});

	if (state.mask === 'after' || state.mask === 'after-renorm') {
		const renorm = state.mask === 'after-renorm';
		steps.push({
			id: 'mask',
			title: renorm ? 'Causal mask after softmax, renormalised' : 'Causal mask after softmax',
			shape: tt,
			code: lines.mask,
			note: renorm
				? 'Zeroing the future and dividing each row by its new sum gives exactly the weights of the −∞ mask before softmax (§3.5.1).'
				: 'Zeroing the future after softmax without renormalising leaves rows that sum to less than 1: the future still shaped the weights through the softmax denominator.',
			grids: perHead((head, h) => ({
				caption: `masked attn_weights${headName(h)}`,
				values: head.maskedAfter!,
				heat: true,
				explain: (i, j) => {
					const past = head.softmax[i].slice(0, i + 1).reduce((a, b) => a + b, 0);
					const rowSum = renorm ? past : head.maskedAfter![i].reduce((a, b) => a + b, 0);
					return explainMaskAfter(
						j > i,
						renorm,
						rowSum,
						head.softmax[i][j],
						head.maskedAfter![i][j]
					);
				}
			}))
		});
	}

	const dropping = r.heads[0].dropoutKeep !== null;
	steps.push({
		id: 'dropout',
		title: 'Dropout',
		shape: tt,
		code: lines.dropout,
		note: dropping
			? `In training mode each weight is dropped with probability p = ${state.dropout}; the kept ones are scaled by 1/(1 − p) = ${r.dropoutScale.toFixed(4)}, so each row keeps its expected sum.`
			: state.mode === 'eval'
				? 'eval mode: dropout does nothing, the weights pass through unchanged.'
				: 'p = 0: dropout draws nothing and changes nothing.',
		grids: dropping
			? perHead((head, h) => ({
					caption: `dropout mask${headName(h)} (1 = kept)`,
					values: head.dropoutKeep!,
					heat: false,
					explain: (i, j) =>
						head.dropoutKeep![i][j] === 1
							? `Kept: each weight survives with probability 1 − p = ${1 - state.dropout}.`
							: `Dropped: each weight is zeroed with probability p = ${state.dropout}.`
				})).flatMap((mask, h) => [
					mask,
					{
						caption: `attn_weights after dropout${headName(h)}`,
						values: r.heads[h].weights,
						rowLabels: tokens,
						colLabels: tokens,
						heat: true,
						explain: (i: number, j: number) => {
							const head = r.heads[h];
							const before = (head.maskedAfter ?? head.softmax)[i][j];
							return explainDropout(
								head.dropoutKeep![i][j] === 1,
								r.dropoutScale,
								before,
								head.weights[i][j]
							);
						}
					}
				])
			: []
	});

	steps.push({
		id: 'context',
		title: mha ? 'Context per head' : wrapper ? 'Context vectors, head by head' : 'Context vectors',
		shape: mha ? shapeText(1, headCount, t, r.d_k) : shaped(state, t, r.d_k),
		code: lines.context,
		grids: r.heads.map((head, h) => ({
			caption: `context_vec${headName(h)}`,
			values: head.context,
			rowLabels: tokens,
			colLabels: dims(r.d_k),
			heat: false,
			explain: (i: number, d: number) =>
				explainContext(tokens[i], head.weights[i], column(head.values, d), head.context[i][d])
		}))
	});

	if ((mha || wrapper) && r.concat) {
		const concat = r.concat;
		const width = concat[0].length;
		steps.push({
			id: 'concat',
			title: mha ? 'Heads merged back' : 'Heads concatenated (the output)',
			shape: shaped(state, t, width),
			code: lines.concat,
			grids: [
				{
					caption: mha ? 'context_vec before out_proj' : 'torch.cat of the heads (the output)',
					values: concat,
					rowLabels: tokens,
					colLabels: dims(width),
					heat: false,
					explain: (i, c) =>
						`Column ${c} is head ${Math.floor(c / r.d_k)}'s output ${c % r.d_k} for “${tokens[i]}”, copied side by side: ${concat[i][c].toFixed(4)}.`
				}
			]
		});
	}

	if (mha) {
		const w = weightRows(r.parameters, 'out_proj')!;
		const b = biasOf(r.parameters, 'out_proj');
		const concat = r.concat!;
		steps.push({
			id: 'out_proj',
			title: 'Output projection',
			shape: shaped(state, t, state.d_out),
			code: lines.outProj,
			note: 'out_proj = nn.Linear(d_out, d_out) mixes the heads’ outputs into the final context vectors.',
			grids: [
				{
					caption: 'context_vec (the output)',
					values: r.context,
					rowLabels: tokens,
					colLabels: dims(state.d_out),
					heat: false,
					explain: (i, d) =>
						explainProjection(
							'out_proj output',
							tokens[i],
							concat[i],
							w[d],
							b?.[d] ?? null,
							r.context[i][d]
						)
				}
			]
		});
	}
	return steps;
}

function projectionStep(state: PlaygroundState, r: PipelineResult, lines: CodeLine[]): StepView {
	const tokens = state.tokens;
	const wrapper = state.module === 'MultiHeadAttentionWrapper';
	const width = r.queries[0].length;
	const grids = (['queries', 'keys', 'values'] as const).map((name) => {
		const layer = name === 'queries' ? 'W_query' : name === 'keys' ? 'W_key' : 'W_value';
		const values = r[name];
		return {
			caption: wrapper ? `${name} (heads side by side)` : name,
			values,
			rowLabels: tokens,
			colLabels: dims(width),
			heat: false,
			explain: (i: number, c: number) => {
				const head = wrapper ? Math.floor(c / state.d_out) : 0;
				const prefix = wrapper ? `heads.${head}.${layer}` : layer;
				const col = wrapper ? c % state.d_out : c;
				const w = weightRows(r.parameters, prefix);
				if (!w) return `${name}[${tokens[i]}][${c}] = ${values[i][c].toFixed(4)}.`;
				const b = biasOf(r.parameters, prefix);
				return explainProjection(
					`${name.slice(0, -1)} entry ${c}`,
					tokens[i],
					state.inputs[i],
					w[col],
					b?.[col] ?? null,
					values[i][c]
				);
			}
		};
	});
	return {
		id: 'qkv',
		title: 'Queries, keys and values',
		shape: shaped(state, tokens.length, width),
		code: lines,
		note: wrapper
			? `Each of the ${state.num_heads} heads has its own W_query, W_key and W_value (d_in → ${state.d_out}).`
			: undefined,
		grids
	};
}
