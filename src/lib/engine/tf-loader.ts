/**
 * The one module through which tfjs enters the app, shared by the engine (`initEngine`) and, with
 * the gradients added by tf-training.ts, the experiment (`setupBackend`). It imports tfjs statically,
 * so **import it only lazily**: a dynamic import (the engine's `initEngine`), or from modules that
 * are themselves reached only through a dynamic import or a worker entry (the experiment's model
 * code). Then no page chunk carries tfjs (`tests/unit/engine/lazy-tfjs.test.ts` checks the barrels),
 * and a bundle that uses tfjs-core through `tf.op` member accesses (the experiment's worker) keeps
 * only the ops it uses. (A dynamic `import()` of tfjs here would defeat that: a bundle that cannot
 * split code inlines it, keeps every export of tfjs-core and wraps its modules in lazy initialisers.)
 *
 * - `PROD` silences tfjs's console chatter (the "install tfjs-node" banner, re-registration warnings).
 * - the wasm backend's `.wasm` paths are set once, before it first starts: in the browser the app's
 *   own assets (wasm-assets.ts, the one map of them), in Node the files in node_modules, or the
 *   caller's.
 * - the backend is chosen explicitly: the one asked for, else cpu. tfjs never auto-picks, so WebGL
 *   loads only when asked for by name, through the caller's `importWebgl`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

tf.env().set('PROD', true);

export { tf };
export type Tf = typeof tf;
export type TfBackend = 'wasm' | 'cpu' | 'webgl';

export interface TfLoadOptions {
	/**
	 * Where the wasm backend finds its `.wasm` files: a URL prefix or a map from file name to URL.
	 * Default: in the browser the app's own bundled assets; in Node the files in node_modules.
	 * Only the first wasm start uses it (tfjs reads the paths once).
	 */
	wasmPaths?: string | Record<string, string>;
	/**
	 * Imports the WebGL backend, for `selectBackend('webgl')` (without it webgl falls back to cpu).
	 * The caller passes it so that a bundle which never asks for WebGL (the experiment's worker) does
	 * not carry it: bundles that cannot split code inline every `import()` they can see.
	 */
	importWebgl?: () => Promise<unknown>;
}

let wasmConfigured = false;
let selected: TfBackend | null = null;
let queue: Promise<unknown> = Promise.resolve();

function isNode(): boolean {
	const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
	return typeof proc?.versions?.node === 'string';
}

async function registerBackend(name: TfBackend, options: TfLoadOptions): Promise<void> {
	if (name === 'wasm') {
		if (!wasmConfigured) {
			const paths =
				options.wasmPaths ?? (isNode() ? undefined : (await import('./wasm-assets.js')).wasmPaths);
			if (paths !== undefined) setWasmPaths(paths);
			wasmConfigured = true;
		}
	} else if (name === 'webgl') {
		if (!options.importWebgl) throw new Error('webgl: no importWebgl given');
		await options.importWebgl();
	}
}

async function trySetBackend(name: TfBackend, options: TfLoadOptions): Promise<boolean> {
	try {
		await registerBackend(name, options);
		if (!(await tf.setBackend(name))) return false;
		await tf.ready();
		return tf.getBackend() === name;
	} catch {
		// e.g. no WebAssembly or WebGL here, or a .wasm file that does not load: cpu below
		return false;
	}
}

/**
 * Makes `backend` tfjs's active backend, falling back to cpu; resolves to the backend in use. Calls
 * are serialised, so the engine and the experiment never race on tfjs's one global backend. Rejects
 * only when even cpu cannot start.
 */
export function selectBackend(
	backend: TfBackend = 'wasm',
	options: TfLoadOptions = {}
): Promise<TfBackend> {
	const run = async (): Promise<TfBackend> => {
		if (selected === backend && tf.getBackend() === backend) return backend;
		if (backend !== 'cpu' && (await trySetBackend(backend, options))) {
			selected = backend;
			return backend;
		}
		if (!(await trySetBackend('cpu', options))) {
			throw new Error('Could not start the tfjs cpu backend');
		}
		selected = 'cpu';
		return 'cpu';
	};
	const result = queue.then(run, run);
	queue = result.catch(() => undefined);
	return result;
}
