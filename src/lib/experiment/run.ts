/**
 * `runExperiment` for code that must not load tfjs up front (index.ts, the CLI): the model code, and
 * tfjs with it, is imported on the first run. Same arguments, result and errors as experiment.ts's
 * `runExperiment`, which the worker (worker-protocol.ts) imports directly.
 */
import type { ExperimentConfig } from './config.js';
import type { ExperimentHooks, RunOutcome } from './experiment.js';

export async function runExperiment(
	partial: Partial<ExperimentConfig> = {},
	hooks: ExperimentHooks = {}
): Promise<RunOutcome> {
	const experiment = await import('./experiment.js');
	return experiment.runExperiment(partial, hooks);
}
