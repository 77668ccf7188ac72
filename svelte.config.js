import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives } from './scripts/csp.mjs';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, strict: true }),
		// '/zh' starts the Chinese edition's crawl; its pages link on to the rest of it
		prerender: { entries: ['*', '/zh'], handleHttpError: 'fail', handleMissingId: 'fail' },
		serviceWorker: { register: true },
		// prerendered pages carry the policy as <meta http-equiv> with Kit's inline-script hashes
		csp: { mode: 'hash', directives: cspDirectives() },
		// absolute asset paths: the Chinese root is reachable as /zh and /zh/ (Paraglide's localised
		// '/'), and a relative './_app' would point into /zh/_app from the latter
		paths: { relative: false }
	},
	compilerOptions: { runes: true }
};

export default config;
