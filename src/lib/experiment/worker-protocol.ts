import type { ArmStepMetrics } from './arm.js';
import type { BackendName, ExperimentConfig } from './config.js';
import { runExperiment } from './experiment.js';
import type { ExperimentResult } from './result.js';
import { backendBuild, type BackendBuild } from './tf.js';

/** Messages a page sends to the experiment worker. */
export type PeekRequest = { type: 'start'; config?: Partial<ExperimentConfig> } | { type: 'stop' };

/** Messages the experiment worker sends back. */
export type PeekResponse =
	| {
			type: 'progress';
			step: number;
			totalSteps: number;
			masked: ArmStepMetrics;
			unmasked: ArmStepMetrics;
			msPerStep: number;
			backend: BackendName;
			/** Which build of the backend runs (wasm: SIMD or not, threads). */
			build: BackendBuild | null;
	  }
	| { type: 'done'; result: ExperimentResult }
	| { type: 'stopped'; step: number }
	| { type: 'error'; message: string };

/**
 * The worker's logic without the worker: feed it requests, it posts responses. One run at a time;
 * 'stop' is honoured between two training steps, and a stopped run leaves no tensors behind.
 */
export function createPeekHandler(
	post: (message: PeekResponse) => void
): (request: PeekRequest) => Promise<void> {
	let running = false;
	let stopRequested = false;
	return async (request) => {
		const type = (request as { type?: unknown } | null)?.type;
		if (type === 'stop') {
			stopRequested = true;
			return;
		}
		if (type !== 'start') {
			post({ type: 'error', message: `unknown message type ${JSON.stringify(type)}` });
			return;
		}
		const { config } = request as Extract<PeekRequest, { type: 'start' }>;
		if (running) {
			post({ type: 'error', message: 'a run is already in progress; send stop first' });
			return;
		}
		running = true;
		stopRequested = false;
		try {
			const outcome = await runExperiment(config ?? {}, {
				onStep: (info) => post({ type: 'progress', ...info, build: backendBuild() }),
				shouldStop: () => stopRequested
			});
			post(
				outcome.status === 'done'
					? { type: 'done', result: outcome.result }
					: { type: 'stopped', step: outcome.step }
			);
		} catch (error) {
			post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
		} finally {
			running = false;
		}
	};
}
