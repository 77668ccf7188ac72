import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { tfjsThreads } from './scripts/tfjs-threads-plugin.mjs';

export default defineConfig({
	plugins: [
		// UI messages (messages/{en,zh}.json) compiled to typed functions in src/lib/paraglide; the
		// locale comes from the URL only (/zh/… is Chinese): every page prerenders in both languages,
		// and the layout applies the remembered or preferred language on the client
		// (vitest uses the files `npm run i18n` compiled; the plugin's watcher would keep it running)
		process.env.VITEST
			? []
			: paraglideVitePlugin({
					project: './project.inlang',
					outdir: './src/lib/paraglide',
					strategy: ['url', 'baseLocale']
				}),
		sveltekit(),
		// tfjs's threaded wasm build runs in the experiment's worker (scripts/tfjs-threads-plugin.mjs)
		tfjsThreads()
	],
	worker: { plugins: () => [tfjsThreads()] },
	// no data: URLs for small assets (a KaTeX font was one): the Content-Security-Policy allows fonts
	// and images from this origin only (scripts/csp.mjs)
	build: { assetsInlineLimit: 0 },
	server: { fs: { allow: ['content'] } },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000
	}
});
