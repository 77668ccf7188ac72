// A Vite plugin for tfjs's threaded wasm build (issue #18). tfjs starts each wasm thread as a blob:
// worker that runs `factory.toString()` of tfjs-backend-wasm-threaded-simd.js, so that function must
// not use any name from the scope around it once bundled. One does: emscripten's `_scriptDir`, which
// the minifier renames (`e`) and, seeing it declared, turns `typeof _scriptDir !== "undefined" &&
// _scriptDir` into a bare read, so every thread fails with "ReferenceError: e is not defined". In a
// browser worker `_scriptDir` is always undefined (no document.currentScript, no __filename), so the
// plugin drops that test: the same behaviour, and nothing outside the function is read in a thread.
// Registered for the app and, as `worker.plugins`, for the experiment's worker (vite.config.ts).

const FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const OUTER_READ =
	'if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}';

/** @returns {import('vite').Plugin} */
export function tfjsThreads() {
	return {
		name: 'attentive:tfjs-threads',
		enforce: 'pre',
		transform(code, id) {
			if (!FILE.test(id.split('?')[0])) return null;
			if (!code.includes(OUTER_READ)) {
				this.error(
					`${id}: the _scriptDir test this plugin removes is gone; check the tfjs version`
				);
			}
			return { code: code.replace(OUTER_READ, ''), map: null };
		}
	};
}
