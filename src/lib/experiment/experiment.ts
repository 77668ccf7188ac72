import { Arm, type ArmStepMetrics } from './arm.js';
import { resolveConfig, type BackendName, type ExperimentConfig } from './config.js';
import { buildVocab, encode, sampleBatch, type Vocab } from './data.js';
import { causalMask, initialWeights, type ModelShape } from './model.js';
import { newTrace, record, summarise, type ExperimentResult } from './result.js';
import { deriveSeed, mulberry32 } from '../random/rng.js';
import { setupBackend, tf } from './tf.js';

/** Independent random streams derived from the run's seed. */
const STREAM = { init: 0, batches: 1, sampling: 2 } as const;

export interface StepInfo {
	/** Steps completed, 1..totalSteps. */
	step: number;
	totalSteps: number;
	masked: ArmStepMetrics;
	unmasked: ArmStepMetrics;
	/** Wall time of this step, both arms. */
	msPerStep: number;
	/** The backend in use (wasm, or cpu after a fallback), so a page can warn early that cpu is slow. */
	backend: BackendName;
}

export interface ExperimentHooks {
	/** Called after every step. */
	onStep?: (info: StepInfo) => void;
	/** Checked before every step; true ends the run early (everything is disposed). */
	shouldStop?: () => boolean;
}

export type RunOutcome =
	{ status: 'done'; result: ExperimentResult } | { status: 'stopped'; step: number };

/** Lets a pending 'stop' message (worker) or timer run between steps, without setTimeout's clamping. */
export function yieldToEventLoop(): Promise<void> {
	if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
	if (typeof MessageChannel === 'function') {
		const channel = new MessageChannel();
		return new Promise((resolve) => {
			channel.port1.onmessage = () => {
				channel.port1.close();
				resolve();
			};
			channel.port2.postMessage(null);
		});
	}
	return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Both arms: identical initial weights, one optimiser each. */
export function createArms(config: ExperimentConfig, shape: ModelShape) {
	const init = initialWeights(shape, mulberry32(deriveSeed(config.seed, STREAM.init)));
	return {
		masked: new Arm(true, shape, init, config.lr),
		unmasked: new Arm(false, shape, init, config.lr)
	};
}

export function modelShape(config: ExperimentConfig, vocab: Vocab): ModelShape {
	return {
		vocab: vocab.chars.length,
		dModel: config.dModel,
		heads: config.heads,
		positions: config.context + 1
	};
}

/** One training step of both arms on one batch ([batch * (context + 1)] character ids). */
function stepBoth(
	arms: { masked: Arm; unmasked: Arm },
	batch: Int32Array,
	width: number,
	mask: tf.Tensor2D
) {
	const windows = tf.tensor2d(batch, [batch.length / width, width], 'int32');
	try {
		const t0 = performance.now();
		const masked = arms.masked.trainStep(windows, mask);
		const t1 = performance.now();
		const unmasked = arms.unmasked.trainStep(windows, mask);
		return { masked, unmasked, msMasked: t1 - t0, msUnmasked: performance.now() - t1 };
	} finally {
		windows.dispose();
	}
}

/**
 * Trains the same tiny model twice, from the same initial weights on the same batches: once with the
 * causal mask, once without; then maps each arm's attention and samples text from each (with the mask:
 * generation never has a future). Runs under Node (CLI, tests) and in a Web Worker.
 * @throws ConfigError on a bad option
 */
export async function runExperiment(
	partial: Partial<ExperimentConfig> = {},
	hooks: ExperimentHooks = {}
): Promise<RunOutcome> {
	const config = resolveConfig(partial);
	const backend = await setupBackend(config.backend);
	const vocab = buildVocab(config.corpus);
	const data = encode(vocab, config.corpus);
	const shape = modelShape(config, vocab);
	const batchRng = mulberry32(deriveSeed(config.seed, STREAM.batches));
	const width = config.context + 1;
	const mask = causalMask(width);
	const arms = createArms(config, shape);
	const traces = { masked: newTrace(), unmasked: newTrace() };
	const started = performance.now();
	try {
		for (let step = 0; step < config.steps; step++) {
			if (hooks.shouldStop?.()) return { status: 'stopped', step };
			const batch = sampleBatch(batchRng, data, config.batch, config.context);
			const { masked, unmasked, msMasked, msUnmasked } = stepBoth(arms, batch, width, mask);
			record(traces.masked, masked, msMasked);
			record(traces.unmasked, unmasked, msUnmasked);
			hooks.onStep?.({
				step: step + 1,
				totalSteps: config.steps,
				masked,
				unmasked,
				msPerStep: msMasked + msUnmasked,
				backend
			});
			await yieldToEventLoop();
		}
		const trainMs = performance.now() - started;
		const samplingSeed = deriveSeed(config.seed, STREAM.sampling);
		const result = summarise({ config, backend, vocab, data, mask, samplingSeed }, arms, traces);
		return {
			status: 'done',
			result: {
				...result,
				ms_per_step: trainMs / config.steps,
				total_ms: performance.now() - started
			}
		};
	} finally {
		arms.masked.dispose();
		arms.unmasked.dispose();
		mask.dispose();
	}
}
