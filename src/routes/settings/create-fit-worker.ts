/**
 * Browser-only: starts the FSRS fit worker. Vite sees the `new URL(..., import.meta.url)` pattern
 * and bundles fsrs-fit.worker.ts (with fsrs-browser and its .wasm) as a worker chunk, which the
 * browser loads only when this runs. Talk to it with FitRequest / FitResponse.
 */
export function createFitWorker(): Worker {
	return new Worker(new URL('./fsrs-fit.worker.ts', import.meta.url), { type: 'module' });
}
