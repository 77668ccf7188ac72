#!/usr/bin/env node
/**
 * Per-route JavaScript a first visit downloads before the page runs: SvelteKit's start and app
 * entries plus each of the route's nodes (layout and page, read from the prerendered HTML's
 * `node_ids`) and everything they import statically, gzipped. Dynamic imports (tfjs, the experiment
 * worker, Chart.js where it is lazy) are not counted; they load only when a page needs them.
 *
 * Usage: `npm run -s size [-- --json] [--check]` after `npm run build` (builds first when `build/` is
 * missing). --check fails when a study page's JS is over its budget (BUDGET_KB): the pages a learner
 * opens every day load fast on a phone; tfjs and Chart.js load later, where a page needs them.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({
	options: { json: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } }
});

/**
 * @type {Record<string, number>} gzip KB of JS a first visit of each study page may download (issue #11:
 * at most ~120; +5 since #15: each UI message carries its English and Chinese text, ~12 KB on /review;
 * +7 since #16: the service worker's update banner in the layout, the clock check in the study view,
 * the deck-HTML policy and the paged, repairing v2→v3 upgrade, which Dexie must hold when it opens).
 * Check database and the raw export are loaded only when needed. +3 since #18 and #19 (measured on
 * /review: 131.3 → 134.2 KB): the answer's raw IndexedDB transaction (#18: answer p95) next to the
 * Dexie path it falls back to (~1 KB), card actions in the log, the caches and the queue (~0.9 KB),
 * and the scheduler's parameters (desired retention, fitted FSRS weights; ~0.7 KB). Card details, the
 * retention forecast, the optimizer and the Anki export load only when asked for.
 */
const BUDGET_KB = { '/': 135, '/review': 135, '/quiz/[deck]': 135, '/learn/[deck]': 135 };

const root = new URL('..', import.meta.url).pathname;
const buildDir = join(root, 'build');
const clientDir = join(root, '.svelte-kit/output/client');
const manifestPath = join(clientDir, '.vite/manifest.json');
if (!existsSync(buildDir) || !existsSync(manifestPath)) {
	execSync('npm run -s build', { cwd: root, stdio: 'inherit' });
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** @param {string} key */
function staticClosure(key, seen = new Set()) {
	if (seen.has(key)) return seen;
	seen.add(key);
	for (const next of manifest[key]?.imports ?? []) staticClosure(next, seen);
	return seen;
}

const entryKeys = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const start = entryKeys.find((key) => key.endsWith('client/entry.js'));
const app = entryKeys.find((key) => key.endsWith('/app.js'));
/** @param {number} id */
const nodeKey = (id) => `.svelte-kit/generated/client-optimized/nodes/${id}.js`;

/** @type {Map<string, number>} */
const gzipCache = new Map();
/** @param {string} file */
function gzipSize(file) {
	if (!gzipCache.has(file)) {
		gzipCache.set(file, gzipSync(readFileSync(join(clientDir, file)), { level: 9 }).length);
	}
	return /** @type {number} */ (gzipCache.get(file));
}

/** @param {string} dir @returns {string[]} */
function htmlFiles(dir) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === '_app' ? [] : htmlFiles(path);
		return name.endsWith('.html') ? [path] : [];
	});
}

/** One page per route: decks share a route, so the first deck's page stands for all of them. */
const routes = new Map();
for (const path of htmlFiles(buildDir).sort()) {
	const page = '/' + relative(buildDir, path).replace(/(index)?\.html$/, '');
	const route = page.replace(/^\/(learn|quiz)\/.+$/, '/$1/[deck]');
	const ids = readFileSync(path, 'utf8').match(/node_ids:\s*\[([^\]]*)\]/);
	if (!ids || routes.has(route)) continue;
	routes.set(route, { page, nodes: ids[1].split(',').map((id) => Number(id.trim())) });
}

const rows = [...routes].map(([route, { page, nodes }]) => {
	const keys = new Set();
	for (const key of [start, app, ...nodes.map(nodeKey)]) staticClosure(key, keys);
	const files = [...keys].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
	const gzip = files.reduce((sum, file) => sum + gzipSize(file), 0);
	return { route, page, files: files.length, gzipBytes: gzip };
});

if (values.json) {
	console.log(JSON.stringify(rows, null, '\t'));
} else {
	const width = Math.max(...rows.map((row) => row.route.length));
	console.log(`${'route'.padEnd(width)}  files  JS gzip`);
	for (const row of rows) {
		const kb = (row.gzipBytes / 1024).toFixed(1).padStart(6);
		console.log(`${row.route.padEnd(width)}  ${String(row.files).padStart(5)}  ${kb} KB`);
	}
}

if (values.check) {
	const over = rows.filter((row) => row.gzipBytes / 1024 > (BUDGET_KB[row.route] ?? Infinity));
	for (const row of over) {
		console.error(
			`${row.route}: ${(row.gzipBytes / 1024).toFixed(1)} KB of JS (gzip) is over its budget of ${BUDGET_KB[row.route]} KB. ` +
				'Find what a shared chunk pulls in (a schema library, tfjs, Chart.js) and load it where it is needed.'
		);
	}
	const missing = Object.keys(BUDGET_KB).filter((route) => !routes.has(route));
	for (const route of missing) console.error(`${route}: no prerendered page found to measure.`);
	if (over.length > 0 || missing.length > 0) process.exit(1);
}
