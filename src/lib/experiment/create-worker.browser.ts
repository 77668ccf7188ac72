/**
 * Browser-only: starts the experiment's Web Worker. Vite sees the `new URL(..., import.meta.url)`
 * pattern and bundles peek.worker.ts (and its .wasm files) as a worker chunk.
 * Talk to it with PeekRequest / PeekResponse (worker-protocol.ts).
 */
export function createPeekWorker(): Worker {
	return new Worker(new URL('./peek.worker.ts', import.meta.url), { type: 'module' });
}
