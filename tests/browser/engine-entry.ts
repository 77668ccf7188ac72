/**
 * Browser entry for the engine's own browser test and benchmark: exposes the engine and the
 * benchmark on `window` so Playwright can call them. Not part of the app.
 */
import * as engine from '../../src/lib/engine/index.js';
import { runBench } from './bench-core.js';

export type EngineApi = typeof engine;
export type BenchApi = { runBench: typeof runBench };
export type ProbeApi = { tfBackend: () => Promise<string>; webglRenderer: () => string };

/** What the page can tell about its graphics stack. */
const probe: ProbeApi = {
	/** The backend tfjs itself reports (should equal engineBackend()). */
	tfBackend: async () => (await import('@tensorflow/tfjs-core')).getBackend(),
	webglRenderer: () => {
		const gl = document.createElement('canvas').getContext('webgl2');
		if (!gl) return 'no WebGL2 context';
		const info = gl.getExtension('WEBGL_debug_renderer_info');
		return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
	}
};

Object.assign(globalThis, { engine, bench: { runBench }, probe });
document.body.dataset.ready = 'true';
