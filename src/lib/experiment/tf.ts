/**
 * The experiment's handle on tfjs. tfjs itself is loaded by the engine's shared loader
 * ($lib/engine/tf-loader): lazily, with every gradient (training needs them), on the backend asked
 * for or else cpu. WebGL is never used here: headless browsers expose a slow software WebGL, and tfjs
 * on WebGL has produced garbage softmax with huge negative masks.
 *
 * Nothing here imports tfjs statically, so importing the experiment's modules costs no tfjs until
 * `setupBackend` (which `runExperiment` calls first) has loaded it. In Node under tsx, run
 * `installTfjsNodeResolver()` (node-resolve.ts) before `setupBackend`: the gradients are tfjs-core's
 * ESM sources. Vite and vitest resolve them as they are.
 */
import { loadTf, selectBackend, type Tf } from '../engine/tf-loader.js';
import type { BackendName } from './config.js';

let core: Tf | null = null;

/**
 * tfjs-core, with gradients registered, once `setupBackend` has resolved. Before that, any use throws
 * an error that says so (instead of "cannot read properties of undefined").
 */
export const tf: Tf = new Proxy({} as Tf, {
	get(_, key) {
		if (!core) throw new Error('tfjs is not loaded: await setupBackend() first');
		return core[key as keyof Tf];
	}
});

/**
 * Loads tfjs with its gradients (once), activates `preferred` (wasm: else cpu) and waits until it is
 * ready.
 * @returns the backend actually in use
 */
export async function setupBackend(preferred: BackendName): Promise<BackendName> {
	const backend = await selectBackend(preferred, { gradients: true });
	core = await loadTf({ gradients: true });
	return backend as BackendName;
}
