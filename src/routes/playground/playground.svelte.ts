import type { PipelineConfig, PipelineResult } from '$lib/engine';
import { m } from '$lib/paraglide/messages';
import {
	bookState,
	checkState,
	decodeState,
	encodeState,
	moduleDefaults,
	type PlaygroundModule,
	type PlaygroundState
} from '$lib/playground';
import { comparisonConfigs, type ComparisonSides } from './compare';
import { buildSteps, type StepView } from './steps';

type Engine = typeof import('$lib/engine');

/** One side of the view: its label, its steps, or why it cannot be computed. */
export interface Side {
	label: string;
	steps: StepView[];
	error: string | null;
}

/**
 * The playground page's state: the inputs and settings (mirrored in the URL), the engine once it has
 * loaded, and the steps computed from them (one side, or two in compare mode).
 */
export class Playground {
	/** Replaced, never mutated (every edit returns a new state): no deep proxy, no snapshots. */
	state = $state.raw<PlaygroundState>(bookState());
	/** Why the link's state was not used (it fell back to the book's example). */
	linkProblems = $state<string[]>([]);
	/** The step the link asked to show (`step=`), scrolled to once. */
	linkStep = $state<string | null>(null);
	/** Set when switching module applied the book's settings for it. */
	notice = $state<string | null>(null);
	engineError = $state<string | null>(null);
	private engine = $state.raw<Engine | null>(null);

	/** Problems with the current settings (e.g. heads that do not divide d_out): nothing is computed. */
	readonly problems = $derived(checkState(this.state));

	readonly sides = $derived.by((): Side[] => {
		const engine = this.engine;
		if (!engine || this.problems.length > 0) return [];
		return comparisonConfigs(this.state).map((side) => computeSide(engine, side));
	});

	readonly query = $derived(encodeState(this.state));

	/** Read the link, then load the engine (the page works without it until then). */
	async start(search: string): Promise<void> {
		const decoded = decodeState(search);
		this.state = decoded.state;
		this.linkProblems = decoded.problems;
		this.linkStep = decoded.step;
		try {
			const engine = await import('$lib/engine');
			if (!engine.isEngineReady()) await engine.initEngine();
			this.engine = engine;
		} catch (error) {
			this.engineError = error instanceof Error ? error.message : String(error);
		}
	}

	/** Switch module with the settings of the book's example of it (its seed, mask and scaling). */
	setModule(module: PlaygroundModule): void {
		const defaults = moduleDefaults(module);
		this.state = { ...this.state, module, ...defaults };
		const words = {
			seed: defaults.seed,
			mask: defaults.mask === 'off' ? m.pages_notice_off() : m.pages_notice_mask_before(),
			scaling: defaults.scale ? m.pages_notice_on() : m.pages_notice_off()
		};
		this.notice =
			module === 'simplified'
				? m.pages_notice_module_simplified(words)
				: m.pages_notice_module({ ...words, module });
	}

	reset(): void {
		this.state = bookState(this.state.module);
		this.notice = m.pages_notice_reset();
	}
}

function computeSide(engine: Engine, side: ComparisonSides[number]): Side {
	try {
		const result: PipelineResult = engine.runPipeline(side.config as PipelineConfig);
		return { label: side.label, steps: buildSteps(side.state, result), error: null };
	} catch (error) {
		return {
			label: side.label,
			steps: [],
			error: error instanceof Error ? error.message : String(error)
		};
	}
}
