import { dev } from '$app/environment';

/**
 * The service worker, from the page's side: registers it, notices a new version waiting, and applies
 * it only when the learner asks (src/service-worker.ts explains the worker's side).
 */
export const appUpdate = $state({
	/** A newer version is installed and waiting (or already took over from another tab). */
	ready: false,
	/** Another tab applied the update: this page is older than its worker; leave it by full loads. */
	stale: false,
	/** Reload was asked for and is under way. */
	reloading: false
});

/** How often an open tab asks the server for a new worker, at most. */
const CHECK_EVERY_MS = 60 * 60 * 1000;
/** How long Reload waits for a new version to download before reloading anyway. */
const INSTALL_WAIT_MS = 30_000;

let registration: ServiceWorkerRegistration | undefined;
let lastCheck = 0;

/** Registers the worker once per page (not in dev, where Vite serves no built worker). */
export async function registerServiceWorker(): Promise<void> {
	if (dev || !('serviceWorker' in navigator)) return;
	const container = navigator.serviceWorker;
	let controller = container.controller;
	container.addEventListener('controllerchange', () => {
		if (appUpdate.reloading) reloadOnce();
		// from no controller: the first install claimed this page, which is no update
		else if (controller) appUpdate.stale = appUpdate.ready = true;
		controller = container.controller;
	});
	try {
		registration = await container.register('/service-worker.js', { type: 'classic' });
	} catch {
		return; // offline first visit, private mode: the site still works online
	}
	lastCheck = Date.now();
	watch(registration);
	setInterval(() => void checkForUpdate(), CHECK_EVERY_MS);
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible') void checkForUpdate(CHECK_EVERY_MS / 60);
	});
}

/** Asks the server for a newer worker unless asked within `minAgeMs`; offline is no error. */
export async function checkForUpdate(minAgeMs = 0): Promise<void> {
	if (!registration || Date.now() - lastCheck < minAgeMs) return;
	lastCheck = Date.now();
	try {
		await registration.update();
	} catch {
		// offline or the server is down: try again later
	}
}

function watch(reg: ServiceWorkerRegistration): void {
	const controlled = () => Boolean(navigator.serviceWorker.controller);
	if (reg.waiting && controlled()) appUpdate.ready = true;
	reg.addEventListener('updatefound', () => {
		const worker = reg.installing;
		worker?.addEventListener('statechange', () => {
			if (worker.state === 'installed' && controlled()) appUpdate.ready = true;
		});
	});
}

/**
 * Reload into the newest version: a waiting worker is told to take over (SKIP_WAITING) and the
 * page reloads when it controls the page; without one, asks the server for a newer version first
 * (the database may be newer than this page), else reloads as is.
 */
export async function reloadToNewest(): Promise<void> {
	if (appUpdate.reloading) return;
	appUpdate.reloading = true;
	const reg = registration;
	if (reg && !reg.waiting) {
		await checkForUpdate();
		await installed(reg);
	}
	const waiting = reg?.waiting;
	if (!waiting) {
		reloadOnce();
		return;
	}
	// controllerchange (registerServiceWorker) reloads; activation covers a page it never controlled
	waiting.addEventListener('statechange', () => {
		if (waiting.state === 'activated' || waiting.state === 'redundant') reloadOnce();
	});
	waiting.postMessage({ type: 'SKIP_WAITING' });
}

let reloaded = false;
function reloadOnce(): void {
	if (reloaded) return;
	reloaded = true;
	location.reload();
}

/** Resolves when the installing worker, if any, has installed or failed (or after INSTALL_WAIT_MS). */
function installed(reg: ServiceWorkerRegistration): Promise<void> {
	const worker = reg.installing;
	if (!worker) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, INSTALL_WAIT_MS);
		worker.addEventListener('statechange', () => {
			if (worker.state === 'installing') return;
			clearTimeout(timer);
			resolve();
		});
	});
}
