/**
 * Browser only: the wasm backend's binaries as URLs the bundler serves from the app's own assets
 * (Vite `?url` imports), so the engine never fetches them from a CDN. Node never loads this file;
 * there the wasm backend reads its binaries from node_modules.
 */
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const wasmPaths: Record<string, string> = {
	'tfjs-backend-wasm.wasm': wasmUrl,
	'tfjs-backend-wasm-simd.wasm': simdUrl,
	'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl
};
