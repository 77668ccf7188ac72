/**
 * Compare mode: the same inputs under two settings, side by side (A | B), and which numbers differ.
 */
import type { PipelineConfig } from '$lib/engine';
import { m } from '$lib/paraglide/messages';
import type { PlaygroundState } from '$lib/playground';
import type { StepView } from './steps';

export interface ComparisonSide {
	label: string;
	state: PlaygroundState;
	config: PipelineConfig;
}
export type ComparisonSides = ComparisonSide[];

/**
 * What each comparison sets on side A and side B; everything else is the learner's settings. The
 * labels are messages, read when a comparison is made (in the page's language).
 */
const SIDES: Record<
	Exclude<PlaygroundState['compare'], 'none'>,
	[() => string, Partial<PlaygroundState>, () => string, Partial<PlaygroundState>]
> = {
	mask: [m.pages_compare_mask_a, { mask: 'before' }, m.pages_compare_mask_b, { mask: 'after' }],
	scale: [m.pages_compare_scale_a, { scale: true }, m.pages_compare_scale_b, { scale: false }],
	dropout: [
		m.pages_compare_dropout_a,
		{ mode: 'train' },
		m.pages_compare_dropout_b,
		{ mode: 'eval' }
	],
	heads: [
		m.pages_compare_heads_a,
		{ module: 'MultiHeadAttentionWrapper' },
		m.pages_compare_heads_b,
		{ module: 'MultiHeadAttention' }
	]
};

export function toConfig(state: PlaygroundState): PipelineConfig {
	const { tokens: _tokens, compare: _compare, ...config } = state;
	return config;
}

/** One side, or the two sides of the chosen comparison. */
export function comparisonConfigs(state: PlaygroundState): ComparisonSides {
	if (state.compare === 'none') return [{ label: '', state, config: toConfig(state) }];
	const [labelA, a, labelB, b] = SIDES[state.compare];
	// dropout at p = 0 would show two equal sides: compare at the book's p = 0.5 instead
	const p = state.compare === 'dropout' && state.dropout === 0 ? { dropout: 0.5 } : {};
	return [
		{ label: labelA(), ...side({ ...state, ...p, ...a }) },
		{ label: labelB(), ...side({ ...state, ...p, ...b }) }
	];
}

function side(state: PlaygroundState): { state: PlaygroundState; config: PipelineConfig } {
	return { state, config: toConfig(state) };
}

/** Within float32 rounding: the same number (−∞ equals −∞). */
function same(a: number, b: number): boolean {
	return a === b || Math.abs(a - b) <= 1e-6;
}

/**
 * For each step of B with a twin in A (same id, same grid, same shape): which cells differ.
 * Grids without a twin of the same shape get no marks (e.g. wrapper vs MultiHeadAttention widths).
 */
export function differences(a: StepView[], b: StepView[]): Map<string, (boolean[][] | null)[]> {
	const out = new Map<string, (boolean[][] | null)[]>();
	for (const step of b) {
		const twin = a.find((s) => s.id === step.id);
		out.set(
			step.id,
			step.grids.map((grid, g) => {
				const other = twin?.grids[g]?.values;
				const rows = grid.values;
				if (!other || other.length !== rows.length || other[0]?.length !== rows[0]?.length)
					return null;
				return rows.map((row, r) => row.map((v, c) => !same(v, other[r][c])));
			})
		);
	}
	return out;
}

/** How many cells differ, over every marked grid. */
export function countDifferences(marks: Map<string, (boolean[][] | null)[]>): number {
	let n = 0;
	for (const grids of marks.values())
		for (const grid of grids) if (grid) for (const row of grid) for (const d of row) if (d) n++;
	return n;
}
