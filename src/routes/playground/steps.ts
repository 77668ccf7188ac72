/**
 * The playground's view of one forward pass: each step of the book's code with its tensor's shape,
 * the line that produces it, and its numbers as tables whose cells can explain themselves.
 */
import type { Matrix, NestedArray, PipelineHead, PipelineResult } from '$lib/engine';
import { m } from '$lib/paraglide/messages';
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
	const headName = (h: number): string => (headCount > 1 ? m.pages_head_suffix({ h }) : '');
	const lines = code(state);
	const steps: StepView[] = [];

	steps.push({
		id: 'inputs',
		title: m.pages_step_inputs(),
		shape: shaped(state, t, r.d_in),
		code: lines.inputs,
		grids: [
			{
				caption: m.pages_caption_inputs(),
				values: state.inputs,
				rowLabels: tokens,
				colLabels: dims(r.d_in),
				heat: false,
				explain: (i, d) => m.pages_explain_input({ d, token: tokens[i] })
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
			title: m.pages_step_split(),
			shape: `${shapeText(1, t, headCount, hd)} → ${shapeText(1, headCount, t, hd)}`,
			code: lines.split,
			note: m.pages_note_split({ d_out: state.d_out, heads: headCount, hd }),
			grids: r.heads.flatMap((head, h) =>
				(['queries', 'keys', 'values'] as const).map((name) => ({
					caption:
						hd === 1
							? m.pages_caption_split_column({ name, h, col: h })
							: m.pages_caption_split_columns({ name, h, from: h * hd, to: h * hd + hd - 1 }),
					values: head[name],
					rowLabels: tokens,
					colLabels: dims(hd),
					heat: false,
					explain: (i: number, d: number) =>
						m.pages_explain_split({ name, token: tokens[i], index: h * hd + d, h, d })
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
		title: m.pages_step_scores(),
		shape: tt,
		code: lines.scores,
		grids: perHead((head, h) => ({
			caption: m.pages_caption_scores({ head: headName(h) }),
			values: head.scores,
			heat: false,
			explain: (i, j) =>
				explainScore(tokens[i], tokens[j], head.queries[i], head.keys[j], head.scores[i][j])
		}))
	});

	if (state.mask === 'before') {
		steps.push({
			id: 'mask',
			title: m.pages_step_mask_before(),
			shape: tt,
			code: lines.mask,
			grids: perHead((head, h) => ({
				caption: m.pages_caption_masked_scores({ head: headName(h) }),
				values: head.masked!,
				heat: false,
				explain: (i, j) => explainMasked(tokens[i], tokens[j], j > i, head.masked![i][j])
			}))
		});
	}

	steps.push({
		id: 'scaled',
		title: state.scale ? m.pages_step_scaled() : m.pages_step_unscaled(),
		shape: tt,
		code: lines.scaled,
		note: state.scale
			? m.pages_note_scaled({
					dk: r.d_k,
					factor: r.scaleFactor.toFixed(4),
					temp:
						state.temperature === 1
							? ''
							: m.pages_note_then_times({ temperature: state.temperature })
				})
			: state.temperature === 1
				? m.pages_note_unscaled()
				: m.pages_note_unscaled_temp({ temperature: state.temperature }),
		grids: perHead((head, h) => ({
			caption: m.pages_caption_scaled({ head: headName(h) }),
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
		title: m.pages_step_softmax(),
		shape: tt,
		code: lines.softmax,
		grids: perHead((head, h) => ({
			caption: m.pages_caption_softmax({ head: headName(h) }),
			values: head.softmax,
			heat: true,
			explain: (i, j) => explainSoftmax(head.scaled[i], j, head.softmax[i][j])
		}))
	});

	if (state.mask === 'after' || state.mask === 'after-renorm') {
		const renorm = state.mask === 'after-renorm';
		steps.push({
			id: 'mask',
			title: renorm ? m.pages_step_mask_after_renorm() : m.pages_step_mask_after(),
			shape: tt,
			code: lines.mask,
			note: renorm ? m.pages_note_mask_after_renorm() : m.pages_note_mask_after(),
			grids: perHead((head, h) => ({
				caption: m.pages_caption_masked_weights({ head: headName(h) }),
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
		title: m.pages_step_dropout(),
		shape: tt,
		code: lines.dropout,
		note: dropping
			? m.pages_note_dropout_train({ p: state.dropout, scale: r.dropoutScale.toFixed(4) })
			: state.mode === 'eval'
				? m.pages_note_dropout_eval()
				: m.pages_note_dropout_zero(),
		grids: dropping
			? perHead((head, h) => ({
					caption: m.pages_caption_dropout_mask({ head: headName(h) }),
					values: head.dropoutKeep!,
					heat: false,
					explain: (i, j) =>
						head.dropoutKeep![i][j] === 1
							? m.pages_explain_kept({ keep: 1 - state.dropout })
							: m.pages_explain_dropped_p({ p: state.dropout })
				})).flatMap((mask, h) => [
					mask,
					{
						caption: m.pages_caption_after_dropout({ head: headName(h) }),
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
		title: mha
			? m.pages_step_context_heads()
			: wrapper
				? m.pages_step_context_wrapper()
				: m.pages_step_context(),
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
			title: mha ? m.pages_step_merged() : m.pages_step_concat(),
			shape: shaped(state, t, width),
			code: lines.concat,
			grids: [
				{
					caption: mha ? m.pages_caption_concat_mha() : m.pages_caption_concat_wrapper(),
					values: concat,
					rowLabels: tokens,
					colLabels: dims(width),
					heat: false,
					explain: (i, c) =>
						m.pages_explain_concat({
							c,
							h: Math.floor(c / r.d_k),
							o: c % r.d_k,
							token: tokens[i],
							value: concat[i][c].toFixed(4)
						})
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
			title: m.pages_step_out_proj(),
			shape: shaped(state, t, state.d_out),
			code: lines.outProj,
			note: m.pages_note_out_proj(),
			grids: [
				{
					caption: m.pages_caption_output(),
					values: r.context,
					rowLabels: tokens,
					colLabels: dims(state.d_out),
					heat: false,
					explain: (i, d) =>
						explainProjection(
							m.pages_what_out_proj(),
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
			caption: wrapper ? m.pages_caption_qkv_wrapper({ name }) : name,
			values,
			rowLabels: tokens,
			colLabels: dims(width),
			heat: false,
			explain: (i: number, c: number) => {
				const head = wrapper ? Math.floor(c / state.d_out) : 0;
				const prefix = wrapper ? `heads.${head}.${layer}` : layer;
				const col = wrapper ? c % state.d_out : c;
				const w = weightRows(r.parameters, prefix);
				if (!w)
					return m.pages_explain_qkv_plain({
						name,
						token: tokens[i],
						c,
						value: values[i][c].toFixed(4)
					});
				const b = biasOf(r.parameters, prefix);
				return explainProjection(
					m.pages_what_entry({ name: name.slice(0, -1), c }),
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
		title: m.pages_step_qkv(),
		shape: shaped(state, tokens.length, width),
		code: lines,
		note: wrapper
			? m.pages_note_qkv_wrapper({ heads: state.num_heads, d_out: state.d_out })
			: undefined,
		grids
	};
}
