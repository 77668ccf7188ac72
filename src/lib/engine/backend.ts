/**
 * The engine's start-up: `initEngine` imports the shared tfjs loader (tf-loader.ts) lazily and
 * selects a backend through it, so a page that never calls `initEngine` never downloads tfjs.
 */
import type { Tf, TfBackend, TfLoadOptions } from './tf-loader.js';

export type { Tf };
export type EngineBackend = TfBackend;
export type InitOptions = Pick<TfLoadOptions, 'wasmPaths'>;

let tf: Tf | null = null;
let active: EngineBackend | null = null;

/**
 * Load tfjs (once) and select a backend explicitly: `backend` (default wasm), falling back to cpu.
 * Never lets tfjs auto-pick WebGL. Resolves to the backend in use. Calls are serialised.
 */
export async function initEngine(
	backend: EngineBackend = 'wasm',
	options: InitOptions = {}
): Promise<EngineBackend> {
	const loader = await import('./tf-loader.js');
	const selected = await loader.selectBackend(backend, {
		wasmPaths: options.wasmPaths,
		importWebgl: () => import('@tensorflow/tfjs-backend-webgl')
	});
	tf = loader.tf;
	active = selected;
	return selected;
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
