import type { FigureSpec } from '$lib/content/present';
import type { FigureChoice, FigureData } from './figure-data';

/**
 * A lesson figure's state in the browser: its numbers, computed by the engine (`./figure-data.ts`,
 * loaded on first use with the engine), and what the learner picked in an interactive figure.
 */
export class FigureState {
	data = $state<FigureData | null>(null);
	error = $state<string | null>(null);
	/** `bug-compare`: what goes wrong, rendered from the variant's markdown. */
	whyHtml = $state<string | null>(null);
	private choice: FigureChoice = {};

	constructor(readonly spec: FigureSpec) {}

	async compute(): Promise<void> {
		try {
			const [engine, { computeFigure }] = await Promise.all([
				import('$lib/engine'),
				import('./figure-data')
			]);
			if (!engine.isEngineReady()) await engine.initEngine();
			const data = computeFigure(this.spec, this.choice);
			if (data.kind === 'bug-compare') {
				const { renderInline } = await import('$lib/content/render');
				this.whyHtml = renderInline(data.why);
			}
			this.data = data;
			this.error = null;
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
		}
	}

	/** A new query (and key) picked in the figure's controls. */
	async choose(choice: FigureChoice): Promise<void> {
		this.choice = { ...this.choice, ...choice };
		await this.compute();
	}

	async setQuery(index: number): Promise<void> {
		await this.choose({ query: index });
	}
}
