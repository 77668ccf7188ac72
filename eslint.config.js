import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Layers of design.md, top to bottom. A layer may import only the layers before it.
 * engine, content, quiz, scheduler and the experiment's model code must stay framework-free:
 * no svelte, no $app/*, no dexie.
 */
const layers = ['engine', 'content', 'quiz', 'scheduler', 'progress', 'experiment', 'state', 'ui'];
const pureLayers = ['engine', 'content', 'quiz', 'scheduler', 'experiment'];

/** @param {string} layer */
function layerRule(layer) {
	const below = layers.slice(layers.indexOf(layer) + 1);
	const patterns = below.map((other) => ({
		group: [
			`$lib/${other}`,
			`$lib/${other}/**`,
			`**/lib/${other}/**`,
			`../${other}`,
			`../${other}/**`
		],
		message: `The ${layer} layer must not import the ${other} layer (it comes later in design.md's list).`
	}));
	if (pureLayers.includes(layer)) {
		patterns.push({
			group: ['svelte', 'svelte/**', '$app/**', 'dexie', 'dexie/**'],
			message: `The ${layer} layer is framework-free: no svelte, $app/* or dexie.`
		});
	}
	return {
		files: [`src/lib/${layer}/**/*.{ts,js,svelte}`],
		// the experiment's Web Worker entry and page glue may use more; its model code may not
		ignores: layer === 'experiment' ? ['src/lib/experiment/**/*.svelte.ts'] : [],
		rules: { 'no-restricted-imports': ['error', { patterns }] }
	};
}

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// The site is served from the root (no paths.base), so plain hrefs are correct; the
			// prerenderer's crawler (handleHttpError: 'fail') and an e2e test catch dead links.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	...layers.map(layerRule),
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/']
	}
);
