/**
 * Web Worker entry of the FSRS fit (/settings → FSRS parameters), started only when the learner
 * presses "Fit to my history", so neither this code nor the optimizer's wasm (fsrs-browser: fsrs-rs
 * compiled to WebAssembly, ~1.7 MB) is loaded before. Single-threaded: fsrs-browser's thread pool
 * (wasm-bindgen-rayon) would need cross-origin isolation and blob-free worker starts; one thread fits
 * a learner's history in seconds.
 */
import init, { Fsrs } from 'fsrs-browser';
import wasmUrl from 'fsrs-browser/fsrs_browser_bg.wasm?url';
import type { ComputeWeights } from '$lib/scheduler/optimizer';
import {
	handleFitRequest,
	reportEpochs,
	type FitRequest,
	type FitResponse
} from './fsrs-fit-protocol';

interface WorkerScope {
	postMessage(message: FitResponse): void;
	onmessage: ((event: MessageEvent<FitRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const post = (message: FitResponse) => scope.postMessage(message);

// fsrs-rs reports each finished epoch on the console: the only progress it gives while it runs
reportEpochs(console, post);

async function loadCompute(): Promise<ComputeWeights> {
	await init({ module_or_path: wasmUrl });
	return ({ ratings, deltaTs, lengths }) =>
		new Fsrs().computeParameters(ratings, deltaTs, lengths, null, true);
}

scope.onmessage = (event) => void handleFitRequest(event.data, loadCompute, post);
