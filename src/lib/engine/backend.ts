/**
 * Lazy tfjs loading and explicit backend choice. Nothing imports tfjs statically, so a page that
 * never calls `initEngine` never downloads it.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

export type Tf = typeof TfCore;
export type EngineBackend = 'wasm' | 'cpu' | 'webgl';

export interface InitOptions {
	/**
	 * Where the wasm backend finds its `.wasm` files: a URL prefix or a map from file name to URL.
	 * Default: in the browser the app's own bundled assets; in Node the files in node_modules.
	 */
	wasmPaths?: string | Record<string, string>;
}

let tf: Tf | null = null;
let active: EngineBackend | null = null;
let wasmConfigured = false;
let queue: Promise<unknown> = Promise.resolve();

function isNode(): boolean {
	const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
	return typeof proc?.versions?.node === 'string';
}

async function loadCore(): Promise<Tf> {
	if (tf) return tf;
	const core = await import('@tensorflow/tfjs-core');
	// PROD silences tfjs's console chatter (e.g. the "install tfjs-node" banner) and skips debug checks.
	core.env().set('PROD', true);
	await import('@tensorflow/tfjs-backend-cpu');
	tf = core;
	return core;
}

async function registerBackend(name: EngineBackend, options: InitOptions): Promise<void> {
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

async function trySetBackend(
	core: Tf,
	name: EngineBackend,
	options: InitOptions
): Promise<boolean> {
	try {
		await registerBackend(name, options);
		const ok = await core.setBackend(name);
		if (!ok) return false;
		await core.ready();
		return core.getBackend() === name;
	} catch {
		return false;
	}
}

/**
 * Load tfjs (once) and select a backend explicitly: `backend` (default wasm), falling back to cpu.
 * Never lets tfjs auto-pick WebGL. Resolves to the backend in use. Calls are serialised.
 */
export function initEngine(
	backend: EngineBackend = 'wasm',
	options: InitOptions = {}
): Promise<EngineBackend> {
	const run = async (): Promise<EngineBackend> => {
		const core = await loadCore();
		if (active === backend && core.getBackend() === backend) return backend;
		if (backend !== 'cpu' && (await trySetBackend(core, backend, options))) {
			active = backend;
			return backend;
		}
		if (!(await trySetBackend(core, 'cpu', options))) {
			throw new Error('Could not start the tfjs cpu backend');
		}
		active = 'cpu';
		return 'cpu';
	};
	const result = queue.then(run, run);
	queue = result.catch(() => undefined);
	return result;
}

export function isEngineReady(): boolean {
	return tf !== null && active !== null;
}

export function engineBackend(): EngineBackend | null {
	return active;
}

/** tfjs's tensor count and bytes, for leak checks. */
export function engineMemory(): { numTensors: number; numBytes: number } {
	const core = getTf();
	const m = core.memory();
	return { numTensors: m.numTensors, numBytes: m.numBytes };
}

/** The loaded tfjs module; throws when `initEngine` has not finished. Engine-internal. */
export function getTf(): Tf {
	if (!tf || !active) throw new Error('Engine not initialised: await initEngine() first');
	return tf;
}
