/**
 * Browser only, and the app's only map of the wasm backend's binaries: URLs the bundler serves from
 * the app's own assets (Vite `?url` imports), so tfjs never fetches them from a CDN. tf-loader.ts
 * imports it lazily for pages and the experiment's worker alike; Node never loads this file (the wasm
 * backend reads its binaries from node_modules there).
 */
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const wasmPaths: Record<string, string> = {
	'tfjs-backend-wasm.wasm': wasmUrl,
	'tfjs-backend-wasm-simd.wasm': simdUrl,
	'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl
};
