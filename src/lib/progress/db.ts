/** Opening the database, and asking the browser to keep it. */
import { Dexie } from 'dexie';
import { guard, ProgressError, toProgressError, type ProgressErrorKind } from './errors.js';
import { upgradeV1toV2, upgradeV2toV3 } from './migrations.js';
import {
	CURRENT_VERSION,
	DB_NAME,
	SCHEMA_V1,
	SCHEMA_V2,
	SCHEMA_V3,
	type DexieDeps,
	type ProgressDb
} from './schema.js';

export interface OpenOptions {
	name?: string;
	/** fake-indexeddb in tests; the browser's IndexedDB otherwise. */
	deps?: DexieDeps;
	/** Another tab opened a newer schema: this connection was closed; ask the learner to reload. */
	onVersionChange?: () => void;
	/** Our upgrade waits for another tab on an older schema to close; tell the learner. */
	onBlocked?: () => void;
}

/**
 * The database with every schema version and the upgrades between them (not opened yet). `deps`
 * lets tests pass fake-indexeddb; the browser's IndexedDB is used otherwise.
 */
function createProgressDb(
	name: string = DB_NAME,
	deps?: DexieDeps,
	onUpgrade: (from: number) => void = () => undefined
): ProgressDb {
	const db = new Dexie(
		name,
		deps ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined
	) as ProgressDb;
	db.version(1).stores(SCHEMA_V1);
	db.version(2)
		.stores(SCHEMA_V2)
		.upgrade((tx) => (onUpgrade(1), upgradeV1toV2(tx)));
	db.version(3)
		.stores(SCHEMA_V3)
		.upgrade((tx) => (onUpgrade(2), upgradeV2toV3(tx)));
	return db;
}

/**
 * Opening failed while upgrading a database written by an older schema (`from`) to this one. Its
 * `kind` is the cause's (`quota`, `unknown`, …). IndexedDB aborted the version change, so the
 * database is still at `from` with everything it held; `exportRawDatabase` (raw-export.ts) reads
 * it as it is.
 */
export class UpgradeError extends ProgressError {
	readonly from: number;
	readonly to: number;

	constructor(kind: ProgressErrorKind, from: number, to: number, cause: unknown) {
		const reason = cause instanceof Error ? `: ${cause.message}` : '';
		super(kind, `upgrade from schema ${from} to ${to}${reason}`, { cause });
		this.name = 'UpgradeError';
		this.from = from;
		this.to = to;
	}
}

/** Dexie stores version n as native IndexedDB version 10n (plus small patches). */
const nativeToSchema = (native: number) => Math.floor(native / 10);

/**
 * Opens (creating or upgrading) the progress database. Failures become a `ProgressError`:
 * `version` when the stored schema is newer than this code (older code never writes to a newer
 * schema: versions only go forward), `unavailable` without IndexedDB, and an `UpgradeError` when
 * an older database could not be upgraded (it is left as it was).
 */
export async function openProgressDb(options: OpenOptions = {}): Promise<ProgressDb> {
	const factory = options.deps?.indexedDB ?? globalThis.indexedDB;
	if (!factory) throw new ProgressError('unavailable');
	const name = options.name ?? DB_NAME;
	// Dexie 4 would open (and patch) a newer database; look first where the browser lets us
	const existing = await guard(async () =>
		typeof factory.databases === 'function' ? await factory.databases() : []
	);
	const stored = existing.find((info) => info.name === name)?.version ?? 0;
	if (nativeToSchema(stored) > CURRENT_VERSION) {
		throw new ProgressError('version', `stored schema ${nativeToSchema(stored)}`);
	}
	// the schema an upgrade starts from: seen by the browser before opening, or by the upgrade
	let upgradingFrom =
		stored > 0 && nativeToSchema(stored) < CURRENT_VERSION ? nativeToSchema(stored) : 0;
	const db = createProgressDb(name, options.deps, (from) => {
		if (!upgradingFrom || from < upgradingFrom) upgradingFrom = from;
	});
	let opened = false;
	db.on('versionchange', () => {
		// while opening, Dexie may reopen its own connection (schema patch): not another tab
		if (!opened) return;
		db.close();
		options.onVersionChange?.();
	});
	db.on('blocked', () => options.onBlocked?.());
	try {
		await db.open();
	} catch (error) {
		const failure = toProgressError(error);
		if (!upgradingFrom || failure.kind === 'version' || failure.kind === 'blocked') throw failure;
		throw new UpgradeError(failure.kind, upgradingFrom, CURRENT_VERSION, error);
	}
	opened = true;
	const schema = nativeToSchema(db.backendDB().version);
	if (schema > CURRENT_VERSION) {
		db.close();
		throw new ProgressError('version', `stored schema ${schema}`);
	}
	return db;
}

export interface PersistenceResult {
	/** The browser offers `navigator.storage.persist()`. */
	supported: boolean;
	/** Storage is persistent: the browser will not evict it under storage pressure. */
	persisted: boolean;
}

/**
 * Asks the browser not to evict our storage (`navigator.storage.persist()`), and reports whether it
 * is granted. Never throws: an unsupported or failing API reports `persisted: false`.
 */
export async function requestPersistence(
	storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined = globalThis.navigator?.storage
): Promise<PersistenceResult> {
	if (!storage || typeof storage.persist !== 'function') {
		return { supported: false, persisted: false };
	}
	try {
		if (typeof storage.persisted === 'function' && (await storage.persisted())) {
			return { supported: true, persisted: true };
		}
		return { supported: true, persisted: await storage.persist() };
	} catch {
		return { supported: true, persisted: false };
	}
}
