/**
 * The FSRS fit worker's messages and its logic without the worker (testable in Node). The page
 * sends the review log once; the worker converts it to training items, runs fsrs-rs's optimizer
 * (fsrs-browser, WebAssembly) and evaluates the defaults and the fit on the same items. Cancel is
 * the page terminating the worker: the optimizer is one synchronous wasm call that cannot be
 * interrupted from inside.
 */
import { fsrsItems, type FsrsItemInputRow } from '$lib/scheduler/fsrs-items';
import {
	FitError,
	fitFsrsWeights,
	type ComputeWeights,
	type FitResult
} from '$lib/scheduler/optimizer';

export interface FitRequest {
	type: 'fit';
	rows: FsrsItemInputRow[];
	timeZone: string;
	dayStartHour: number;
}

export type FitStage = 'loading' | 'preparing' | 'fitting' | 'evaluating';

/** fsrs-rs's optimizer trains for 5 epochs. */
export const FIT_EPOCHS = 5;

export type FitResponse =
	| { type: 'progress'; stage: FitStage; epoch: number; epochs: number }
	| { type: 'done'; result: FitResult; ms: number }
	| {
			type: 'error';
			kind: 'too-few' | 'no-items' | 'bad-weights' | 'unavailable' | 'failed';
			message: string;
	  };

/**
 * The epoch fsrs-rs just finished, from its log line (`epoch: 2 loss: 0.31…`), or null. Its
 * `Progress` counter lives in wasm memory that only a cross-origin-isolated page could read while
 * the worker is busy; the log line reaches the worker's own console on every page.
 */
export function epochOfLogLine(line: unknown): number | null {
	if (typeof line !== 'string') return null;
	const match = /^epoch:\s*(\d+)/.exec(line);
	return match ? Number(match[1]) : null;
}

/**
 * Makes `target`'s `info` and `log` (fsrs-rs writes its epoch lines with `console.info`) post a
 * 'fitting' progress message for each epoch line; other lines go through unchanged.
 */
export function reportEpochs(
	target: Pick<Console, 'info' | 'log'>,
	post: (message: FitResponse) => void
): void {
	for (const method of ['info', 'log'] as const) {
		const original = target[method].bind(target);
		target[method] = (...args: unknown[]) => {
			const epoch = epochOfLogLine(args[0]);
			if (epoch === null) original(...args);
			else post({ type: 'progress', stage: 'fitting', epoch, epochs: FIT_EPOCHS });
		};
	}
}

/**
 * Handles one fit request. `loadCompute` loads the optimizer (the wasm) when first needed; a
 * failure there is 'unavailable' (e.g. a browser that refuses the shared WebAssembly memory
 * fsrs-browser asks for).
 */
export async function handleFitRequest(
	request: FitRequest,
	loadCompute: () => Promise<ComputeWeights>,
	post: (message: FitResponse) => void,
	now: () => number = () => performance.now()
): Promise<void> {
	const started = now();
	post({ type: 'progress', stage: 'loading', epoch: 0, epochs: FIT_EPOCHS });
	let compute: ComputeWeights;
	try {
		compute = await loadCompute();
	} catch (error) {
		post({ type: 'error', kind: 'unavailable', message: messageOf(error) });
		return;
	}
	post({ type: 'progress', stage: 'preparing', epoch: 0, epochs: FIT_EPOCHS });
	try {
		const dataset = fsrsItems(request.rows, request);
		post({ type: 'progress', stage: 'fitting', epoch: 0, epochs: FIT_EPOCHS });
		const result = fitFsrsWeights(dataset, (packed) => {
			const weights = compute(packed);
			post({ type: 'progress', stage: 'evaluating', epoch: FIT_EPOCHS, epochs: FIT_EPOCHS });
			return weights;
		});
		post({ type: 'done', result, ms: Math.round(now() - started) });
	} catch (error) {
		post({
			type: 'error',
			kind: error instanceof FitError ? error.kind : 'failed',
			message: messageOf(error)
		});
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
