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
import type { ProgressDb } from '../progress/index.js';
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
	/** Documents replication still has to read, when PouchDB says (first sync progress). */
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
 * of databases and in `meta`).
 */
export function mirrorNameFor(remoteUrl: string, dbName: string): string {
	const url = new URL(databaseUrl(remoteUrl, dbName));
	url.username = '';
	url.password = '';
	return `attentive-sync:${url.href}`;
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

	const fail = (error: unknown) => {
		const kind = classifySyncError(error);
		if (options.live && !stopped) {
			report({ state: 'paused', error: kind });
			return;
		}
		report({ state: 'error', error: kind });
		settle.reject(new SyncError(kind, errorMessage(error), error));
	};

	const replication: PouchReplication = PouchDB.sync(mirror, remote, {
		live: options.live ?? false,
		retry: options.live ?? false,
		...(options.batchSize && { batch_size: options.batchSize })
	});
	replication
		.on('change', (info: PouchSyncChange) => {
			const reviews = info.change.docs.filter((doc) => doc._id.startsWith('r:')).length;
			const pending = info.change.pending ?? null;
			if (info.direction === 'push') report({ sent: status.sent + reviews, pending });
			else {
				report({ pending });
				pull().catch(fail);
			}
		})
		.on('active', () => report({ state: 'active', error: null }))
		.on('paused', (error?: unknown) => {
			if (error) return fail(error);
			// caught up with the remote (live): merge what the last batch brought, then say so
			pull()
				.then(() => report({ state: 'paused', error: null, pending: 0, lastSyncedAt: now() }))
				.catch(fail);
		})
		.on('denied', (error: unknown) => fail(error))
		.on('error', (error: unknown) => fail(error))
		.on('complete', () => {
			// after an 'error' (a one-shot sync that failed) or stop(): `done` is settled already
			if (stopped || status.state === 'error') return;
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
			replication.cancel();
			await queue;
			await Promise.all([mirror.close(), remote.close()]).catch(() => undefined);
			report({ state: 'stopped' });
			settle.resolve({ ...status });
		}
	};
}

function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message;
	if (typeof error === 'object' && error !== null) {
		const { message, reason } = error as { message?: unknown; reason?: unknown };
		return String(message ?? reason ?? 'sync failed');
	}
	return String(error);
}
