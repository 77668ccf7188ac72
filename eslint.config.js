import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Shared layers of `src/lib`, bottom to top (README "Layout"). A layer may import only the layers
 * before it. `ui` is the floor: primitives that know no domain layer. `study` is the one shared
 * feature (quiz, review and lesson practice); what serves one page lives beside it in `src/routes/`.
 * random, engine, playground, content, quiz, anki, scheduler and the experiment's model code stay
 * framework-free:
 * no svelte, no $app/*, no dexie.
 */
const layers = [
	'ui',
	'random',
	'engine',
	'playground',
	'content',
	'quiz',
	'anki',
	'scheduler',
	'progress',
	'sync',
	'experiment',
	'state',
	'study'
];
const pureLayers = [
	'random',
	'engine',
	'playground',
	'content',
	'quiz',
	'anki',
	'scheduler',
	'experiment'
];
/** Layers that may import `ui` (the others produce data, not markup). */
const uiUsers = ['study'];

/** @param {string} other */
function importPatterns(other) {
	return [
		`$lib/${other}`,
		`$lib/${other}/**`,
		`**/lib/${other}/**`,
		`../${other}`,
		`../${other}/**`
	];
}

/** @param {string} layer */
function layerRule(layer) {
	const later = layers.slice(layers.indexOf(layer) + 1);
	const forbidden = layer === 'ui' ? later : later.concat(uiUsers.includes(layer) ? [] : ['ui']);
	const patterns = forbidden.map((other) => ({
		group: importPatterns(other),
		message:
			layer === 'ui'
				? `ui holds primitives that know no domain layer: it must not import ${other}.`
				: `The ${layer} layer must not import the ${other} layer (README "Layout").`
	}));
	patterns.push({
		group: ['**/routes/**', '$routes/**'],
		message: `src/lib is shared: the ${layer} layer must not import a route's files.`
	});
	if (layer === 'sync') {
		patterns.push({
			group: ['svelte', 'svelte/**', '$app/**'],
			message: 'The sync layer is plain TypeScript: no svelte or $app/* (README "Layout").'
		});
	}
	if (layer === 'progress' || layer === 'sync') {
		patterns.push({
			regex: '^zod$',
			message:
				'progress and sync use zod/mini (full zod adds ~16 KB gzip to each; README "Libraries").'
		});
	}
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
		// a circle of value imports fails lint; import-x skips type-only imports, so
		// tests/unit/structure/import-graph.test.ts checks the graph with them too
		files: ['src/**/*.{ts,js,svelte}', 'scripts/**/*.{ts,mjs}', 'tests/**/*.ts'],
		plugins: { 'import-x': importX },
		// import-x parses an imported .svelte file with the importing file's parser options: a .ts file
		// that imports one (card-details-open.ts) must name the parser of its <script lang="ts">
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
		settings: {
			'import-x/extensions': ['.ts', '.js', '.svelte', '.mjs'],
			'import-x/parsers': {
				'svelte-eslint-parser': ['.svelte'],
				'@typescript-eslint/parser': ['.ts', '.js', '.mjs']
			},
			'import-x/resolver-next': [
				createTypeScriptImportResolver({
					project: './tsconfig.json',
					extensions: ['.ts', '.js', '.svelte', '.mjs']
				})
			]
		},
		rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'test-results/',
			'playwright-report/',
			'src/lib/paraglide/'
		]
	}
);
