// The Content-Security-Policy, one source for svelte.config.js (Kit writes it into every prerendered
// page as <meta http-equiv>, adding the hashes of its own inline scripts) and scripts/start.mjs (sends
// it as a header). README "Content-Security-Policy" explains each directive.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * sha256 sources of the inline scripts in src/app.html (the theme script that runs before first
 * paint). Kit hashes only the scripts it writes itself; computing these from the file keeps the
 * policy right when the script is edited.
 * @param {string} [template]
 * @returns {`sha256-${string}`[]}
 */
export function templateScriptHashes(template = readFileSync('src/app.html', 'utf8')) {
	return [...template.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
		([, body]) =>
			/** @type {const} */ (`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`)
	);
}

/**
 * Kit's `kit.csp.directives`. Sources are Kit's names ('self', not "'self'").
 * @returns {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export function cspDirectives() {
	return {
		// everything else (fetch of page data and wasm, fonts, images, the manifest, workers): this origin
		'default-src': ['self'],
		// the app's modules; the wasm backend compiles its .wasm (WebAssembly needs 'wasm-unsafe-eval',
		// which allows no JS eval); the theme script's hash (Kit adds its own inline scripts' hashes)
		'script-src': ['self', 'wasm-unsafe-eval', ...templateScriptHashes()],
		// stylesheets only from this origin: no <style> elements are written by the app or libraries
		'style-src': ['self'],
		// style="" attributes: KaTeX's formulas (prerendered and inserted as HTML) position glyphs with
		// them, as do app.html's wrapper and Svelte's route announcer. They cannot run script.
		'style-src-attr': ['unsafe-inline'],
		// the experiment's worker is a same-origin module file (new Worker(new URL(...))), never a blob
		'worker-src': ['self'],
		// sync (opt-in) talks to the learner's own CouchDB server, at whatever address they type: any
		// https server, or http for one on their machine or network (no script can come from there)
		'connect-src': ['self', 'https:', 'http:'],
		'object-src': ['none'],
		'base-uri': ['self'],
		'form-action': ['self']
	};
}

/**
 * The experiment worker's policy (`npm start` sends it with the worker's file; on a static host the
 * worker has none, as a <meta> policy never reaches a worker): the pages' policy plus `blob:` for
 * scripts and workers. tfjs's threaded wasm build, which runs where the page is cross-origin
 * isolated, starts its threads as workers from blob: URLs, and each thread importScripts a blob: copy
 * of tfjs's code. Only script already running in that worker can make those URLs. Pages keep the
 * stricter policy: their engine runs the single-threaded build (src/lib/engine/tf-loader.ts).
 * @returns {ReturnType<typeof cspDirectives>}
 */
export function workerCspDirectives() {
	const directives = cspDirectives();
	return {
		...directives,
		'script-src': [...(directives['script-src'] ?? []), 'blob:'],
		'worker-src': [...(directives['worker-src'] ?? []), 'blob:']
	};
}

/**
 * Cross-origin isolation (README "Offline and updates"): `npm start` sends these on every response;
 * a static host must send them itself (the service worker does not add them: doing so stopped the
 * next version's worker from ever waiting, tests/e2e/update.spec.ts).
 * `credentialless` rather than `require-corp`: sync's Test connection tells "CORS not enabled" from
 * "unreachable" with a `no-cors` request to the learner's server, whose opaque answer `require-corp`
 * blocks (it has no Cross-Origin-Resource-Policy header), so every CORS problem read as an
 * unreachable server. A browser without `credentialless` (Safari) is simply not isolated and runs
 * the single-threaded build.
 */
export const ISOLATION_HEADERS = Object.freeze({
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-embedder-policy': 'credentialless'
});

/**
 * Serialises directives as a header value (quoting keywords and hashes as Kit does).
 * @param {object} directives Kit's directives
 */
export function serializeCsp(directives) {
	const keyword =
		/^(self|none|unsafe-.*|strict-dynamic|report-sample|wasm-unsafe-eval|sha\d+-.*|nonce-.*)$/;
	return /** @type {[string, string[] | undefined][]} */ (Object.entries(directives))
		.filter(([, sources]) => sources && sources.length > 0)
		.map(([name, sources]) =>
			[name, ...(sources ?? []).map((s) => (keyword.test(s) ? `'${s}'` : s))].join(' ')
		)
		.join('; ');
}

/** What a header can say and a <meta> cannot: no other site may frame the app. */
export const HEADER_ONLY = "frame-ancestors 'none'";
