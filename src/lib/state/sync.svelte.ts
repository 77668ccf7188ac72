/**
 * Sync from the page's side: the learner's connection (kept in this browser's localStorage, password
 * included, never in the progress database, the log or a backup), the one running `startSync`
 * handle, its status for /settings, and the calls pages make after they write (`syncAfterAnswer`,
 * `syncAfterImport`, `syncAfterSettingsSaved`). The sync layer and PouchDB load only when sync runs.
 */
import type { SettingsInForce, SyncErrorKind, SyncHandle, SyncStatus } from '$lib/sync';
import { progressDb } from './progress-db.svelte';

/** localStorage key of the connection (the README and the page say where the password is). */
export const SYNC_STORAGE_KEY = 'attentive-sync';

export interface SyncConnection {
	remoteUrl: string;
	dbName: string;
	username: string;
	password: string;
	/** Keep syncing while the app is open (and start again when it opens). */
	live: boolean;
}

interface Stored extends SyncConnection {
	lastSyncedAt: number | null;
}

export const sync = $state({
	/** The connection in use on this device, null when sync is off. */
	connection: null as SyncConnection | null,
	/** The running sync's status, null when none runs. */
	status: null as SyncStatus | null,
	/** When this device last caught up with the server (kept across visits). */
	lastSyncedAt: null as number | null,
	/** The settings in force through sync (when and where they were saved). */
	settingsInForce: null as SettingsInForce | null,
	/** Counts up when settings arrived from another device (the form reloads). */
	settingsArrived: 0
});

let handle: SyncHandle | null = null;
let starting: Promise<void> | null = null;

function readStored(): Stored | null {
	try {
		const raw = localStorage.getItem(SYNC_STORAGE_KEY);
		if (!raw) return null;
		const value = JSON.parse(raw) as Partial<Stored>;
		if (typeof value.remoteUrl !== 'string' || typeof value.dbName !== 'string') return null;
		return {
			remoteUrl: value.remoteUrl,
			dbName: value.dbName,
			username: typeof value.username === 'string' ? value.username : '',
			password: typeof value.password === 'string' ? value.password : '',
			live: value.live === true,
			lastSyncedAt: typeof value.lastSyncedAt === 'number' ? value.lastSyncedAt : null
		};
	} catch {
		return null;
	}
}

function writeStored(connection: SyncConnection, lastSyncedAt: number | null): void {
	try {
		const stored: Stored = { ...connection, lastSyncedAt };
		localStorage.setItem(SYNC_STORAGE_KEY, JSON.stringify(stored));
	} catch {
		// private mode or storage full: sync still runs for this visit
	}
}

/** Reads the saved connection into `sync` (the page shows it); starts nothing. */
export function loadSyncConnection(): SyncConnection | null {
	const stored = readStored();
	if (!stored) return null;
	const { lastSyncedAt, ...connection } = stored;
	sync.connection ??= connection;
	sync.lastSyncedAt ??= lastSyncedAt;
	return connection;
}

function authOf(connection: SyncConnection) {
	return connection.username
		? { username: connection.username, password: connection.password }
		: undefined;
}

/** Asks the server once; null when the database answers, else what is wrong. */
export async function testSyncConnection(
	connection: SyncConnection
): Promise<SyncErrorKind | null> {
	const { probeConnection } = await import('$lib/sync');
	return probeConnection({
		remoteUrl: connection.remoteUrl,
		dbName: connection.dbName,
		auth: authOf(connection)
	});
}

/**
 * Starts syncing with this connection (saved on this device): live until stopped, or one round
 * ("Sync now" with live sync off). Resolves once replication has started; a one-shot round's end
 * and every error show in `sync.status`.
 */
export async function startSyncing(connection: SyncConnection): Promise<void> {
	await starting;
	starting = run(connection);
	return starting;
}

async function run(connection: SyncConnection): Promise<void> {
	await stopHandle();
	sync.connection = connection;
	writeStored(connection, sync.lastSyncedAt);
	const [{ startSync, mirrorNameFor, settingsInForce }, db] = await Promise.all([
		import('$lib/sync'),
		progressDb()
	]);
	let mirrorName: string;
	try {
		mirrorName = mirrorNameFor(connection.remoteUrl, connection.dbName);
	} catch {
		sync.status = failedStatus('invalid-url');
		return;
	}
	const refreshSettings = async () => {
		sync.settingsInForce = await settingsInForce(db, mirrorName);
	};
	await refreshSettings();
	const onStatus = (status: SyncStatus) => {
		sync.status = status;
		if (status.lastSyncedAt && status.lastSyncedAt !== sync.lastSyncedAt) {
			sync.lastSyncedAt = status.lastSyncedAt;
			writeStored(connection, status.lastSyncedAt);
		}
	};
	try {
		handle = await startSync({
			db,
			remoteUrl: connection.remoteUrl,
			dbName: connection.dbName,
			auth: authOf(connection),
			live: connection.live,
			mirrorName,
			onStatus,
			onSettings: () => {
				sync.settingsArrived += 1;
				void refreshSettings();
			}
		});
	} catch (error) {
		const { classifySyncError } = await import('$lib/sync');
		sync.status = failedStatus(classifySyncError(error));
		return;
	}
	const current = handle;
	// a one-shot round ends by itself: the handle is let go (its status stays shown)
	current.done.then(
		() => {
			if (!connection.live && handle === current) handle = null;
		},
		() => {
			if (handle === current) handle = null;
		}
	);
}

function failedStatus(error: SyncErrorKind): SyncStatus {
	return {
		state: 'error',
		sent: 0,
		received: 0,
		rejected: 0,
		lastSyncedAt: null,
		pending: null,
		error
	};
}

async function stopHandle(): Promise<void> {
	const current = handle;
	handle = null;
	await current?.stop();
}

/** Pauses sync on this device; the connection stays saved (Sync now or live starts it again). */
export async function pauseSyncing(): Promise<void> {
	await starting;
	await stopHandle();
}

/**
 * "Stop syncing on this device": stops replication and forgets the connection and its password.
 * Every answer stays in this browser (and on the server).
 */
export async function stopSyncing(): Promise<void> {
	await pauseSyncing();
	try {
		localStorage.removeItem(SYNC_STORAGE_KEY);
	} catch {
		// nothing saved to forget
	}
	sync.connection = null;
	sync.status = null;
	sync.lastSyncedAt = null;
	sync.settingsInForce = null;
}

/** At start-up (the layout): live sync resumes when the learner left it on. */
export function resumeSyncing(): void {
	const connection = loadSyncConnection();
	if (connection?.live && !handle) void startSyncing(connection);
}

/** After an answer or an undo: mirror it now rather than at the next poll. */
export function syncAfterAnswer(): void {
	handle?.pushLocal().catch(() => undefined);
}

/** After a backup import: its rows may be older than the outbound window, so check every card. */
export function syncAfterImport(): void {
	handle?.pushLocal({ full: true }).catch(() => undefined);
}

/** After the learner saved settings: they win on every device (last writer wins). */
export async function syncAfterSettingsSaved(now: number = Date.now()): Promise<void> {
	const current = handle;
	if (!current) return;
	const [{ publishSettings, settingsInForce }, db] = await Promise.all([
		import('$lib/sync'),
		progressDb()
	]);
	await publishSettings(db, current.mirror, now);
	sync.settingsInForce = await settingsInForce(db, current.mirror.name);
}
