/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { base, build, files, prerendered, version } from '$service-worker';

/*
 * Offline, one build at a time. Each build's worker caches that build's files (JS, CSS, wasm,
 * static files, prerendered pages and their data, _app/version.json) in its own cache
 * `attentive-<version>` and answers from it, so every page a tab loads is of one version.
 *
 * Updates: a new build's worker installs beside the old one and waits; open tabs keep the old one
 * (no skipWaiting on install, no clients.claim over them). The page sees the waiting worker and
 * offers "Reload" ($lib/state/app-update.svelte.ts), which posts SKIP_WAITING and reloads on
 * `controllerchange`. On activate the new worker deletes the older caches. Another old tab, if open,
 * is then controlled by the new worker: what it has loaded keeps working, and its next navigation
 * is a full page load of the new version (README "Offline and updates").
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'attentive-';
const CACHE = `${PREFIX}${version}`;
const ASSETS = new Set([...build, ...files, ...prerendered, `${base}/_app/version.json`]);

sw.addEventListener('install', (event) => {
	event.waitUntil(cacheBuild());
});

/** Fetches every file of this build past the HTTP cache (never a stale page); fails on any non-200. */
async function cacheBuild(): Promise<void> {
	const cache = await caches.open(CACHE);
	await Promise.all(
		[...ASSETS].map(async (path) => {
			const response = await fetch(new Request(path, { cache: 'reload' }));
			if (response.status !== 200 || response.type !== 'basic' || response.redirected) {
				throw new Error(`${path}: ${response.status}, not cached`);
			}
			await cache.put(path, response);
		})
	);
}

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches.keys().then(async (keys) => {
			const older = keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE);
			await Promise.all(older.map((key) => caches.delete(key)));
			// the first install takes no tab from an older version: control the open page at once
			if (older.length === 0) await sw.clients.claim();
		})
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	const path = cachedPath(url.pathname);
	// anything not of this build (another origin, an unknown path) goes to the network untouched
	if (path) event.respondWith(fromCache(request, path));
});

/** The build's path for a pathname, or null: '/zh/' (Paraglide's localised root) is '/zh'. */
function cachedPath(pathname: string): string | null {
	if (ASSETS.has(pathname)) return pathname;
	const trimmed = pathname.replace(/\/+$/, '');
	return trimmed !== pathname && ASSETS.has(trimmed) ? trimmed : null;
}

/** This build's copy; the network only if the cache lost it (evicted), and nothing is stored then. */
async function fromCache(request: Request, path: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	return (await cache.match(path)) ?? fetch(request);
}
