/**
 * Web Worker entry of the peek-at-the-future experiment. From a page:
 *   const worker = new Worker(new URL('$lib/experiment/peek.worker.ts', import.meta.url), { type: 'module' });
 *   worker.postMessage({ type: 'start', config: { steps: 300 } });  // later: { type: 'stop' }
 *   worker.onmessage = (e: MessageEvent<PeekResponse>) => ...;      // progress | done | stopped | error
 * tfjs comes with the model code, through the engine's loader ($lib/engine/tf-loader, via
 * tf-training); on the first start the loader points the wasm backend at the .wasm files Vite serves
 * with the app.
 */
import { createPeekHandler, type PeekRequest, type PeekResponse } from './worker-protocol.js';

interface WorkerScope {
	postMessage(message: PeekResponse): void;
	onmessage: ((event: MessageEvent<PeekRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handle = createPeekHandler((message) => scope.postMessage(message));
scope.onmessage = (event) => void handle(event.data);
