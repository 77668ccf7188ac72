/**
 * Browser-only glue: tells the wasm backend where Vite serves its .wasm files. Import it only from
 * browser entries (peek.worker.ts); `?url` imports do not exist in Node.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

let configured = false;

/** Call before the wasm backend starts (i.e. before runExperiment). */
export function configureWasmPaths(): void {
	if (configured) return;
	setWasmPaths({
		'tfjs-backend-wasm.wasm': wasmUrl,
		'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
		'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl
	});
	configured = true;
}
