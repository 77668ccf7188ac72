import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives } from './scripts/csp.mjs';

// the e2e update test builds a second version elsewhere (tests/e2e/two-builds.ts)
const out = process.env.ATTENTIVE_BUILD_DIR ?? 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: out, assets: out, fallback: undefined, strict: true }),
		// '/zh' starts the Chinese edition's crawl; its pages link on to the rest of it
		prerender: { entries: ['*', '/zh'], handleHttpError: 'fail', handleMissingId: 'fail' },
		// registered by the layout ($lib/state/app-update), which shows "A new version is ready"
		serviceWorker: { register: false },
		// names the service worker's cache and _app/version.json; the e2e update test builds a second
		// version with ATTENTIVE_VERSION set (Kit's default is the build's timestamp)
		version: process.env.ATTENTIVE_VERSION ? { name: process.env.ATTENTIVE_VERSION } : {},
		// prerendered pages carry the policy as <meta http-equiv> with Kit's inline-script hashes
		csp: { mode: 'hash', directives: cspDirectives() },
		// absolute asset paths: the Chinese root is reachable as /zh and /zh/ (Paraglide's localised
		// '/'), and a relative './_app' would point into /zh/_app from the latter
		paths: { relative: false }
	},
	compilerOptions: { runes: true }
};

export default config;
