import type { FigureSpec } from '$lib/content/present';
import { BOOK_TOKENS } from '$lib/engine';

export interface HeatmapData {
	kind: 'attention-weights';
	tokens: string[];
	weights: number[][];
	scores: number[][];
	masked: boolean;
}

export interface WeightedSumData {
	kind: 'context-vector';
	tokens: string[];
	query: number;
	weights: number[];
	inputs: number[][];
	terms: number[][];
	context: number[];
}

export type FigureData = HeatmapData | WeightedSumData;

/** The book's tokens (§3.3.1): the figures' inputs are their embeddings. */
const TOKENS: string[] = [...BOOK_TOKENS];

/** Computes a lesson figure with the engine in the browser (nothing is drawn by hand). */
export class FigureState {
	data = $state<FigureData | null>(null);
	error = $state<string | null>(null);
	query = $state(1);

	constructor(readonly spec: FigureSpec) {
		if (spec.kind === 'context-vector')
			this.query = Math.max(0, TOKENS.indexOf(spec.query ?? 'journey'));
	}

	get tokens(): string[] {
		return TOKENS;
	}

	async compute(): Promise<void> {
		try {
			const engine = await import('$lib/engine');
			const { BOOK_INPUTS } = engine;
			await engine.initEngine();
			const inputs = BOOK_INPUTS;
			const scores = engine.allAttentionScores(inputs);
			if (this.spec.kind === 'attention-weights') {
				const masked = this.spec.mask === 'causal';
				const weights = masked
					? engine.causalAttentionWeights(scores, 1).weights
					: engine.softmaxRows(scores).weights;
				this.data = { kind: 'attention-weights', tokens: TOKENS, weights, scores, masked };
			} else {
				const weights = engine.softmax(scores[this.query]).weights;
				const { terms, vector } = engine.contextVector(weights, inputs);
				this.data = {
					kind: 'context-vector',
					tokens: TOKENS,
					query: this.query,
					weights,
					inputs,
					terms,
					context: vector
				};
			}
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		}
	}

	async setQuery(index: number): Promise<void> {
		this.query = index;
		await this.compute();
	}
}
