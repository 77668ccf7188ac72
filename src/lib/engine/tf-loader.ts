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
 * - wasm threads: in a worker (the experiment's) tfjs picks its threaded SIMD build by itself when
 *   SharedArrayBuffer can be posted, that is when the page is cross-origin isolated (README "Offline
 *   and updates"). If that build does not start (its thread workers blocked, say), the
 *   single-threaded build is tried before cpu. On a page's main thread the engine always runs the
 *   single-threaded build: its forward passes are small, and the threads would need `blob:` in the
 *   pages' script-src (scripts/csp.mjs workerCspDirectives). `backendBuild()` says which one runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

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

/** The build of the backend in use: for wasm, whether it is the SIMD build and its thread count. */
export interface BackendBuild {
	backend: TfBackend;
	/** wasm only: the SIMD build (threaded or not); false for cpu and webgl. */
	simd: boolean;
	/** wasm only: the threaded SIMD build (the page is cross-origin isolated), even on 1 thread. */
	threaded: boolean;
	/** wasm: XNNPACK's threads (1 = the single-threaded build); 1 for cpu and webgl. */
	threads: number;
	/** Fewer logical cores than the threaded build needs to help (`MIN_CORES_FOR_THREADS`). */
	fewCores: boolean;
}

const THREADS_FLAG = 'WASM_HAS_MULTITHREAD_SUPPORT';
/** How long the threaded build may take to start before the single-threaded one is tried. */
const THREADED_START_MS = 30_000;
/** At most this many threads: the experiment's matrices are small, more threads mostly wait. */
const MAX_THREADS = 4;
/** The threaded build is used from this many logical cores (tfjs then gives it 2 threads or more). */
export const MIN_CORES_FOR_THREADS = 4;

/** Whether this machine has the cores for the threaded build to run on more than one thread. */
export function threadsCanHelp(): boolean {
	const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
		?.hardwareConcurrency;
	return (cores ?? 1) >= MIN_CORES_FOR_THREADS;
}

let wasmConfigured = false;
let selected: TfBackend | null = null;
let build: BackendBuild | null = null;
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
			// a page's main thread: the single-threaded build (see the top of this file)
			if (typeof (globalThis as { document?: unknown }).document !== 'undefined') {
				tf.env().set(THREADS_FLAG, false);
			} else if (!threadsCanHelp()) {
				// tfjs 4.22 gives one thread per two logical cores: below 4 the threaded build runs on one
				// thread and only adds its pool of thread workers (measured slower on 2 cores, and their
				// start-up delays the page's own tasks)
				tf.env().set(THREADS_FLAG, false);
			} else {
				setThreadsCount(MAX_THREADS);
			}
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
		if (name === 'wasm' && (await tf.env().getAsync(THREADS_FLAG))) {
			if (await withTimeout(activate(name), THREADED_START_MS)) return true;
			// the threaded build did not start: the single-threaded one, before cpu
			tf.env().set(THREADS_FLAG, false);
		}
		return await activate(name);
	} catch {
		// e.g. no WebAssembly or WebGL here, or a .wasm file that does not load: cpu below
		return false;
	}
}

async function activate(name: TfBackend): Promise<boolean> {
	if (!(await tf.setBackend(name))) return false;
	await tf.ready();
	return tf.getBackend() === name;
}

/** `attempt`, or false after `ms` (a threaded build whose thread workers never load never settles). */
function withTimeout(attempt: Promise<boolean>, ms: number): Promise<boolean> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<boolean>((resolve) => {
		timer = setTimeout(() => resolve(false), ms);
	});
	return Promise.race([attempt.catch(() => false), timeout]).finally(() => clearTimeout(timer));
}

async function describe(name: TfBackend): Promise<BackendBuild> {
	const fewCores = !threadsCanHelp();
	if (name !== 'wasm') return { backend: name, simd: false, threaded: false, threads: 1, fewCores };
	const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
	return {
		backend: name,
		simd,
		threaded: simd && (await tf.env().getAsync(THREADS_FLAG)) === true,
		threads: getThreadsCount(),
		fewCores
	};
}

/** Which build of the selected backend runs (null before `selectBackend` has finished). */
export function backendBuild(): BackendBuild | null {
	return build;
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
			build = await describe(backend);
			return backend;
		}
		if (!(await trySetBackend('cpu', options))) {
			throw new Error('Could not start the tfjs cpu backend');
		}
		selected = 'cpu';
		build = await describe('cpu');
		return 'cpu';
	};
	const result = queue.then(run, run);
	queue = result.catch(() => undefined);
	return result;
}
