/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, prerendered, version } from '$service-worker';

// Offline: the whole built app (JS, CSS, wasm, static files, prerendered pages) is cached on install.
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `attentive-${version}`;
const ASSETS = [...build, ...files, ...prerendered];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(ASSETS))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	if (event.request.method !== 'GET') return;
	const url = new URL(event.request.url);
	if (url.origin !== sw.location.origin) return;
	event.respondWith(respond(event.request, url));
});

/** Built assets never change under one version: cache first. Pages: network first, cache when offline. */
async function respond(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	if (ASSETS.includes(url.pathname)) {
		const hit = await cache.match(url.pathname);
		if (hit) return hit;
	}
	try {
		const response = await fetch(request);
		if (response.ok && response.type === 'basic') cache.put(request, response.clone());
		return response;
	} catch (error) {
		const hit = (await cache.match(request)) ?? (await cache.match(url.pathname));
		if (hit) return hit;
		throw error;
	}
}
