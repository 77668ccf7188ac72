/**
 * The one place this folder loads tfjs: core, every gradient (training needs them), and the two
 * backends it may use. WebGL is never registered: headless browsers expose a slow software WebGL, and
 * tfjs on WebGL has produced garbage softmax with huge negative masks.
 *
 * In Node the gradients are tfjs-core's ESM sources; run `installTfjsNodeResolver()` (node-resolve.ts)
 * before importing this module under tsx. Vite and vitest resolve them as they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from './config.js';

export { tf };

/**
 * Activates `preferred` (wasm: else cpu) and waits until it is ready.
 * @returns the backend actually in use
 */
export async function setupBackend(preferred: BackendName): Promise<BackendName> {
	if (preferred === 'wasm') {
		try {
			if (await tf.setBackend('wasm')) {
				await tf.ready();
				return 'wasm';
			}
		} catch {
			// no wasm here (missing .wasm file, no WebAssembly): cpu below
		}
	}
	await tf.setBackend('cpu');
	await tf.ready();
	return 'cpu';
}
