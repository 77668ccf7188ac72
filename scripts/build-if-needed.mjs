#!/usr/bin/env node
// Builds the static site unless build/ is newer than every source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCES = [
	'src',
	'content',
	'static',
	'package.json',
	'svelte.config.js',
	'vite.config.ts',
	'scripts/csp.mjs'
];
const MARKER = 'build/index.html';

/** @param {string} path @returns {number} newest modification time under path */
function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = stat.mtimeMs;
	for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
	return latest;
}

export function isBuildFresh() {
	if (!existsSync(MARKER)) return false;
	const built = statSync(MARKER).mtimeMs;
	return SOURCES.every((source) => newest(source) <= built);
}

export async function ensureBuilt() {
	if (isBuildFresh()) return;
	console.log('Building the site (first start or sources changed)…');
	const result = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('The build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureBuilt();
