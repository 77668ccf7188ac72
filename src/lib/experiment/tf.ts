/**
 * The experiment's tfjs, from the engine's shared loader with the gradients added
 * ($lib/engine/tf-training): the namespace this folder's model code uses as `tf.op(...)` (so the
 * worker bundle keeps only those ops), and `setupBackend`. Importing this module loads tfjs: the
 * modules that do (ops, model, arm, generate, result, experiment, worker-protocol) are reached only
 * through run.ts's dynamic import or the worker entry, never from `index.ts` statically.
 *
 * WebGL is never used here: headless browsers expose a slow software WebGL, and tfjs on WebGL has
 * produced garbage softmax with huge negative masks. In Node under tsx, run
 * `installTfjsNodeResolver()` (node-resolve.ts) before importing this module: the gradients are
 * tfjs-core's ESM sources. Vite and vitest resolve them as they are.
 */
import { backendBuild, selectBackend, tf, type BackendBuild } from '../engine/tf-training.js';
import type { BackendName } from './config.js';

export { tf, backendBuild, type BackendBuild };

/**
 * Activates `preferred` (wasm: else cpu) and waits until it is ready. In a worker of a cross-origin
 * isolated page wasm is tfjs's threaded SIMD build; `backendBuild()` then says which build runs.
 * @returns the backend actually in use
 */
export async function setupBackend(preferred: BackendName): Promise<BackendName> {
	return (await selectBackend(preferred)) as BackendName;
}
