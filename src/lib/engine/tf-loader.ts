/**
 * The one place the app loads TensorFlow.js, shared by the engine (`initEngine`) and the experiment
 * (`setupBackend`). Everything here is a dynamic `import()`, so a module graph that imports this file
 * (or a barrel above it) downloads no tfjs until a backend is selected.
 *
 * - core + the cpu backend load once; `PROD` silences tfjs's console chatter (the "install
 *   tfjs-node" banner, kernel re-registration warnings).
 * - gradients (training) load on request. In Node under tsx they are tfjs-core's ESM sources, which
 *   need `installTfjsNodeResolver()` (experiment/node-resolve.ts) first; Vite and vitest need nothing.
 * - the wasm backend's `.wasm` paths are set once, before it first starts: in the browser the app's
 *   own assets (wasm-assets.ts), in Node the files in node_modules, or what the caller passes.
 * - the backend is chosen explicitly: the one asked for, else cpu. tfjs never auto-picks, so WebGL
 *   loads only when asked for by name.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;
export type TfBackend = 'wasm' | 'cpu' | 'webgl';

export interface TfLoadOptions {
	/**
	 * Where the wasm backend finds its `.wasm` files: a URL prefix or a map from file name to URL.
	 * Default: in the browser the app's own bundled assets; in Node the files in node_modules.
	 * Only the first wasm start uses it (tfjs reads the paths once).
	 */
	wasmPaths?: string | Record<string, string>;
	/** Also register every kernel's gradient (needed to train, not to run a forward pass). */
	gradients?: boolean;
}

let core: Tf | null = null;
let gradientsLoaded = false;
let wasmConfigured = false;
let selected: TfBackend | null = null;
let queue: Promise<unknown> = Promise.resolve();

function isNode(): boolean {
	const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
	return typeof proc?.versions?.node === 'string';
}

/** Loads tfjs-core and the cpu backend (once), and the gradients when asked; selects no backend. */
export async function loadTf(options: Pick<TfLoadOptions, 'gradients'> = {}): Promise<Tf> {
	if (!core) {
		const loaded = await import('@tensorflow/tfjs-core');
		loaded.env().set('PROD', true);
		await import('@tensorflow/tfjs-backend-cpu');
		core = loaded;
	}
	if (options.gradients && !gradientsLoaded) {
		await import('@tensorflow/tfjs-core/dist/register_all_gradients');
		gradientsLoaded = true;
	}
	return core;
}

/** tfjs-core once `loadTf` (or `selectBackend`) has loaded it, else null. */
export function loadedTf(): Tf | null {
	return core;
}

async function registerBackend(name: TfBackend, options: TfLoadOptions): Promise<void> {
	if (name === 'wasm') {
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		if (!wasmConfigured) {
			const paths =
				options.wasmPaths ?? (isNode() ? undefined : (await import('./wasm-assets.js')).wasmPaths);
			if (paths !== undefined) wasm.setWasmPaths(paths);
			wasmConfigured = true;
		}
	} else if (name === 'webgl') {
		await import('@tensorflow/tfjs-backend-webgl');
	}
}

async function trySetBackend(tf: Tf, name: TfBackend, options: TfLoadOptions): Promise<boolean> {
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
 * Loads tfjs (once) and makes `backend` tfjs's active backend, falling back to cpu; resolves to the
 * backend in use. Calls are serialised, so the engine and the experiment never race on tfjs's one
 * global backend. Rejects only when even cpu cannot start.
 */
export function selectBackend(
	backend: TfBackend = 'wasm',
	options: TfLoadOptions = {}
): Promise<TfBackend> {
	const run = async (): Promise<TfBackend> => {
		const tf = await loadTf(options);
		if (selected === backend && tf.getBackend() === backend) return backend;
		if (backend !== 'cpu' && (await trySetBackend(tf, backend, options))) {
			selected = backend;
			return backend;
		}
		if (!(await trySetBackend(tf, 'cpu', options))) {
			throw new Error('Could not start the tfjs cpu backend');
		}
		selected = 'cpu';
		return 'cpu';
	};
	const result = queue.then(run, run);
	queue = result.catch(() => undefined);
	return result;
}
