/**
 * `startSync`: the learner's log between this browser and a CouchDB database, through PouchDB's
 * replication (`PouchDB.sync`, `live` and `retry`), with the local mirror in between (mirror.ts).
 *
 *   Dexie ──pushToMirror──▶ mirror (PouchDB) ◀──PouchDB.sync──▶ remote (CouchDB)
 *   Dexie ◀─pullFromMirror── mirror
 *
 * At start: a full outbound pass (rows logged while sync was off, or lost by a closed tab), an
 * inbound pass (rows that reached the mirror before the tab closed), then replication. While it
 * runs: an incremental outbound pass every `pollMs` (and on `pushLocal()`, after an answer), and an
 * inbound pass after each batch replication pulls.
 */
import type { ProgressDb, Settings } from '../progress/index.js';
import type { RejectedDoc } from './docs.js';
import { classifySyncError, databaseUrl, SyncError, type SyncErrorKind } from './errors.js';
import { pullFromMirror, pushToMirror } from './mirror.js';
import {
	loadBrowserPouch,
	type PouchDatabase,
	type PouchReplication,
	type PouchStatic,
	type PouchSyncChange
} from './pouch.js';

export type SyncState = 'starting' | 'active' | 'paused' | 'complete' | 'error' | 'stopped';

export interface SyncStatus {
	state: SyncState;
	/** Review rows sent to the remote since the start. */
	sent: number;
	/** Review rows received and stored in Dexie (new ids) since the start. */
	received: number;
	/** Remote documents that failed the checks (not stored). */
	rejected: number;
	/** When replication last caught up with the remote (epoch ms), null before. */
	lastSyncedAt: number | null;
	/**
	 * Documents replication still has to read (first sync progress): PouchDB's count in a one-shot
	 * sync; live, where PouchDB gives none, the remote's documents the mirror lacked at the start
	 * less those read since.
	 */
	pending: number | null;
	/** Set with state `error`, and with `paused` while retrying after a failure. */
	error: SyncErrorKind | null;
}

export interface StartSyncOptions {
	db: ProgressDb;
	/** The server, e.g. `http://127.0.0.1:5984`. */
	remoteUrl: string;
	dbName: string;
	auth?: { username: string; password: string };
	/** Keep replicating (and retry after failures) until `stop()`; else one round. */
	live?: boolean;
	onStatus?: (status: SyncStatus) => void;
	onRejected?: (docs: RejectedDoc[]) => void;
	/** Settings from another device were applied (last writer wins). */
	onSettings?: (settings: Settings) => void;
	/** PouchDB to use (tests pass the memory adapter's); the browser build by default. */
	PouchDB?: PouchStatic;
	/** The local mirror's name (one per remote database by default). */
	mirrorName?: string;
	/** Options for the local mirror (tests: `{ adapter: 'memory' }`). */
	mirrorOptions?: { adapter?: string };
	/** Incremental outbound passes while live (ms). */
	pollMs?: number;
	/** Documents per replication batch. */
	batchSize?: number;
	now?: () => number;
}

export interface SyncHandle {
	/** Resolves when a one-shot sync completes (or a live one is stopped); rejects with a SyncError. */
	readonly done: Promise<SyncStatus>;
	readonly status: SyncStatus;
	readonly mirror: PouchDatabase;
	/**
	 * Mirrors the rows logged since the last pass now (call after an answer); `full` checks every
	 * card's log (call after an import: its rows may be older than the cursor's window).
	 */
	pushLocal(options?: { full?: boolean }): Promise<void>;
	/** Stops replication; local data stays. */
	stop(): Promise<void>;
}

export const DEFAULT_POLL_MS = 5_000;

/**
 * The mirror's name for a remote database: one mirror (and cursors) per server and database. A
 * user name or password written into the URL is left out (the name is stored, in IndexedDB's list
 * of databases and in `meta`). The URL is escaped: PouchDB reads any name holding `scheme://` as
 * the address of a remote database, and would open the "mirror" over HTTP.
 */
export function mirrorNameFor(remoteUrl: string, dbName: string): string {
	const url = new URL(databaseUrl(remoteUrl, dbName));
	url.username = '';
	url.password = '';
	return `attentive-sync:${encodeURIComponent(url.href)}`;
}

export async function startSync(options: StartSyncOptions): Promise<SyncHandle> {
	const { db } = options;
	const now = options.now ?? Date.now;
	const url = databaseUrl(options.remoteUrl, options.dbName);
	const PouchDB = options.PouchDB ?? (await loadBrowserPouch());
	const mirror = new PouchDB(
		options.mirrorName ?? mirrorNameFor(options.remoteUrl, options.dbName),
		options.mirrorOptions
	);
	const remote = new PouchDB(url, {
		skip_setup: true,
		...(options.auth && { auth: options.auth })
	});
	const status: SyncStatus = {
		state: 'starting',
		sent: 0,
		received: 0,
		rejected: 0,
		lastSyncedAt: null,
		pending: null,
		error: null
	};
	const report = (patch: Partial<SyncStatus>) => {
		Object.assign(status, patch);
		options.onStatus?.({ ...status });
	};

	// passes run one at a time, in order
	let queue: Promise<unknown> = Promise.resolve();
	const serial = <T>(task: () => Promise<T>): Promise<T> => {
		const next = queue.then(task);
		queue = next.catch(() => undefined);
		return next;
	};
	const pull = () =>
		serial(async () => {
			const result = await pullFromMirror(db, mirror, { onRejected: options.onRejected });
			if (result.settings) options.onSettings?.(result.settings);
			if (result.added || result.rejected.length) {
				report({
					received: status.received + result.added,
					rejected: status.rejected + result.rejected.length
				});
			}
		});
	const push = (full = false) => serial(() => pushToMirror(db, mirror, { full, now: now() }));

	report({ state: 'starting' });
	await push(true);
	await pull();

	let stopped = false;
	let timer: ReturnType<typeof setInterval> | undefined;
	let settle!: { resolve: (status: SyncStatus) => void; reject: (error: unknown) => void };
	const done = new Promise<SyncStatus>((resolve, reject) => (settle = { resolve, reject }));
	// an unobserved rejection must not crash anything: `done` is for those who await it
	done.catch(() => undefined);

	let replication: PouchReplication | null = null;
	let retryTimer: ReturnType<typeof setTimeout> | undefined;
	let retryMs = 0;

	/**
	 * Live: the server could not be reached (or refused): ask it again after `retryDelay` and start
	 * replication afresh once it answers. PouchDB's own `retry` does not cover a sync started while
	 * the server is down: it says 'paused', with no error, and never tries again.
	 */
	const retryLater = (delay?: number) => {
		if (stopped || retryTimer) return;
		retryMs = retryDelay(retryMs);
		retryTimer = setTimeout(() => {
			retryTimer = undefined;
			if (stopped) return;
			remote.info().then(
				() => replicate(),
				(error: unknown) => {
					if (stopped) return;
					report({ state: 'paused', error: classifySyncError(error) });
					retryLater();
				}
			);
		}, delay ?? retryMs);
	};
	// the browser says the network is back: try now rather than at the end of the wait
	const retryNow = () => {
		if (!retryTimer) return;
		clearTimeout(retryTimer);
		retryTimer = undefined;
		retryLater(0);
	};
	if (options.live) globalThis.addEventListener?.('online', retryNow);

	const fail = (error: unknown) => {
		const kind = classifySyncError(error);
		if (options.live && !stopped) {
			report({ state: 'paused', error: kind });
			retryLater();
			return;
		}
		report({ state: 'error', error: kind });
		settle.reject(new SyncError(kind, errorMessage(error), error));
	};

	// live replication reports no `pending`: estimate what a first pull has to read
	let toRead: number | null = null;
	let read = 0;
	Promise.all([mirror.info(), remote.info()]).then(
		([local, far]) => (toRead = Math.max(0, far.doc_count - local.doc_count)),
		() => undefined
	);

	const replicate = () => {
		replication?.cancel();
		const current: PouchReplication = PouchDB.sync(mirror, remote, {
			live: options.live ?? false,
			retry: options.live ?? false,
			back_off_function: retryDelay,
			...(options.batchSize && { batch_size: options.batchSize })
		});
		replication = current;
		// events of a replication that was replaced (a restart) or stopped are not ours any more
		const ours = () => replication === current && !stopped;
		const failIfOurs = (error: unknown) => {
			if (ours()) fail(error);
		};
		current
			.on('change', (info: PouchSyncChange) => {
				if (!ours()) return;
				const reviews = info.change.docs.filter((doc) => doc._id.startsWith('r:')).length;
				if (info.direction === 'push') {
					report({ sent: status.sent + reviews, pending: info.change.pending ?? null });
				} else {
					read += info.change.docs.length;
					const estimate = toRead === null ? null : Math.max(0, toRead - read);
					report({ pending: info.change.pending ?? estimate });
					pull().catch(failIfOurs);
				}
			})
			.on('active', () => {
				if (ours()) report({ state: 'active', error: null });
			})
			.on('paused', (error?: unknown) => {
				if (!ours()) return;
				if (error) return fail(error);
				// caught up (live)? PouchDB says 'paused' with no error also when it never reached the
				// server, so ask the server before saying so; then merge what the last batch brought
				remote
					.info()
					.then(() => pull())
					.then(() => {
						if (!ours()) return;
						retryMs = 0;
						report({ state: 'paused', error: null, pending: 0, lastSyncedAt: now() });
					})
					.catch(failIfOurs);
			})
			.on('denied', failIfOurs)
			.on('error', failIfOurs)
			.on('complete', () => {
				// after an 'error' (a one-shot sync that failed), a restart or stop(): not ours
				if (!ours() || status.state === 'error') return;
				pull()
					.then(() => {
						report({ state: 'complete', pending: 0, lastSyncedAt: now() });
						settle.resolve({ ...status });
					})
					.catch((error) => {
						report({ state: 'error', error: classifySyncError(error) });
						settle.reject(error);
					});
			});
	};
	replicate();

	if (options.live) {
		timer = setInterval(() => {
			push().catch(fail);
		}, options.pollMs ?? DEFAULT_POLL_MS);
	}

	return {
		done,
		get status() {
			return { ...status };
		},
		mirror,
		async pushLocal({ full = false } = {}) {
			await push(full);
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			if (timer) clearInterval(timer);
			clearTimeout(retryTimer);
			globalThis.removeEventListener?.('online', retryNow);
			replication?.cancel();
			await queue;
			await Promise.all([mirror.close(), remote.close()]).catch(() => undefined);
			report({ state: 'stopped' });
			settle.resolve({ ...status });
		}
	};
}

/** The longest wait between retries while the server cannot be reached (ms). */
export const MAX_RETRY_MS = 60_000;

/**
 * The wait before the next retry: 1 s, then doubling up to a minute. PouchDB's default grows to
 * ten minutes, so answers given offline could wait that long after the server is back.
 */
export function retryDelay(previous: number): number {
	return previous ? Math.min(previous * 2, MAX_RETRY_MS) : 1_000;
}

function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'object' && error !== null) {
		const { message, reason } = error as { message?: unknown; reason?: unknown };
		return String(message ?? reason ?? 'sync failed');
	}
	return String(error);
}
