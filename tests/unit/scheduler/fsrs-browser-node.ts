/**
 * fsrs-browser (fsrs-rs's optimizer as WebAssembly) loaded in Node for the unit tests, as the
 * settings page's worker loads it in the browser. Its thread-pool helper module listens for
 * messages on `self` when imported, so Node gets a stand-in.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ComputeWeights } from '../../../src/lib/scheduler/optimizer.js';

export async function loadFsrsBrowser(): Promise<ComputeWeights> {
	const scope = globalThis as unknown as { self?: unknown; addEventListener?: unknown };
	scope.self ??= globalThis;
	scope.addEventListener ??= () => {};
	const fsrsBrowser = await import('fsrs-browser');
	const wasmPath = createRequire(import.meta.url).resolve('fsrs-browser/fsrs_browser_bg.wasm');
	fsrsBrowser.initSync({ module: readFileSync(wasmPath) });
	return ({ ratings, deltaTs, lengths }) =>
		new fsrsBrowser.Fsrs().computeParameters(ratings, deltaTs, lengths, null, true);
}
