/**
 * The raw export: every object store of the database exactly as stored, read with the browser's
 * own IndexedDB API at the version it has (no Dexie, no upgrade). It is what the learner can still
 * download when an upgrade failed (the database is then left at its old version): a raw copy for
 * safekeeping or for support, not a backup file (the backup import does not read it).
 *
 * Format (one JSON object; rows one per line):
 *
 * ```json
 * {"format":"attentive-raw","version":20,"name":"attentive","exportedAt":"2025-06-30T09:00:00.000Z",
 * "schema":{"reviews":{"keyPath":"id","autoIncrement":false,"indexes":[{"name":"time","keyPath":"time",…}]},…},
 * "counts":{"reviews":2,…},
 * "stores":{"reviews":[
 * {"id":"…","cardId":"…","time":1751270400000,…},
 * …],…}}
 * ```
 *
 * `version` is the native IndexedDB version (Dexie stores schema n as 10n). A store without a key
 * path lists `{ "key": …, "value": … }` entries. Values JSON cannot hold are written as tagged
 * objects: typed arrays `{"$type":"Float64Array","values":[…]}`, an ArrayBuffer
 * `{"$type":"ArrayBuffer","values":[bytes]}`, a number that is not finite `{"$number":"NaN"}`, a
 * BigInt `{"$bigint":"12"}`; dates become ISO strings. Stores are read page by page (`getAll` with
 * `getAllKeys` for where the next page starts), each page in its own read transaction; the file is
 * built as a Blob of page-sized parts (no giant string).
 */
import { BlobBuilder } from './backup-export.js';
import { ProgressError, toProgressError } from './errors.js';
import { DB_NAME } from './schema.js';

export const RAW_FORMAT = 'attentive-raw';
/** Rows read per page. */
export const RAW_PAGE_SIZE = 2_000;

export interface RawExportOptions {
	name?: string;
	/** fake-indexeddb in tests; the browser's IndexedDB otherwise. */
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
	/** Epoch ms written as `exportedAt`. */
	now?: number;
	pageSize?: number;
}

/**
 * The stored database as a raw JSON Blob (see the file comment). Throws `ProgressError`:
 * `not-found` when there is no such database (nothing is created), `unavailable` without
 * IndexedDB, `blocked` while another tab upgrades it.
 */
export async function exportRawDatabase(options: RawExportOptions = {}): Promise<Blob> {
	const factory = options.indexedDB ?? globalThis.indexedDB;
	const KeyRange = options.IDBKeyRange ?? globalThis.IDBKeyRange;
	if (!factory || !KeyRange) throw new ProgressError('unavailable');
	const name = options.name ?? DB_NAME;
	const pageSize = options.pageSize ?? RAW_PAGE_SIZE;
	const db = await openAsItIs(factory, name);
	try {
		const storeNames = [...db.objectStoreNames];
		const schema: Record<string, unknown> = {};
		if (storeNames.length) {
			const tx = db.transaction(storeNames, 'readonly');
			for (const storeName of storeNames)
				schema[storeName] = describeStore(tx.objectStore(storeName));
		}
		const body = new BlobBuilder();
		const counts: Record<string, number> = {};
		body.push('"stores":{');
		for (const [s, storeName] of storeNames.entries()) {
			body.push(`${s ? ',\n' : ''}${JSON.stringify(storeName)}:[`);
			const outOfLine = (schema[storeName] as { keyPath: unknown }).keyPath === null;
			let count = 0;
			let after: IDBValidKey | undefined;
			for (;;) {
				const range = after === undefined ? undefined : KeyRange.lowerBound(after, true);
				const { keys, values } = await readPage(db, storeName, range, pageSize);
				if (keys.length === 0) break;
				const lines = values.map((value, i) =>
					rawJson(outOfLine ? { key: keys[i], value } : value)
				);
				body.push((count ? ',\n' : '\n') + lines.join(',\n'));
				count += keys.length;
				after = keys[keys.length - 1];
				if (keys.length < pageSize) break;
			}
			counts[storeName] = count;
			body.push(']');
		}
		body.push('}}\n');
		const head =
			`{"format":${JSON.stringify(RAW_FORMAT)},"version":${db.version},` +
			`"name":${JSON.stringify(name)},` +
			`"exportedAt":${JSON.stringify(new Date(options.now ?? Date.now()).toISOString())},\n` +
			`"schema":${rawJson(schema)},\n"counts":${JSON.stringify(counts)},\n`;
		return new Blob([head, body.build('application/json')], { type: 'application/json' });
	} catch (error) {
		throw toProgressError(error);
	} finally {
		db.close();
	}
}

/** Opens the database at the version it has; never creates or upgrades one. */
function openAsItIs(factory: IDBFactory, name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		let request: IDBOpenDBRequest;
		try {
			request = factory.open(name);
		} catch (error) {
			reject(toProgressError(error));
			return;
		}
		let missing = false;
		request.onupgradeneeded = () => {
			// opening without a version creates a database that does not exist: undo that
			missing = true;
			request.transaction?.abort();
		};
		request.onsuccess = () => resolve(request.result);
		request.onerror = (event) => {
			event.preventDefault();
			// (an aborted creation leaves no database behind)
			if (missing) reject(new ProgressError('not-found', `no database ${name}`));
			else reject(toProgressError(request.error));
		};
		request.onblocked = () => reject(new ProgressError('blocked'));
	});
}

function describeStore(store: IDBObjectStore) {
	return {
		keyPath: store.keyPath,
		autoIncrement: store.autoIncrement,
		indexes: [...store.indexNames].map((indexName) => {
			const index = store.index(indexName);
			return {
				name: index.name,
				keyPath: index.keyPath,
				unique: index.unique,
				multiEntry: index.multiEntry
			};
		})
	};
}

/** Up to `count` keys and values of a store from `range`, in one read transaction. */
function readPage(
	db: IDBDatabase,
	storeName: string,
	range: IDBKeyRange | undefined,
	count: number
): Promise<{ keys: IDBValidKey[]; values: unknown[] }> {
	return new Promise((resolve, reject) => {
		const tx = db.transaction(storeName, 'readonly');
		const store = tx.objectStore(storeName);
		const keys = store.getAllKeys(range, count);
		const values = store.getAll(range, count);
		tx.oncomplete = () => resolve({ keys: keys.result, values: values.result });
		tx.onerror = () => reject(tx.error ?? keys.error ?? values.error);
		tx.onabort = () => reject(tx.error ?? new ProgressError('aborted'));
	});
}

/** JSON of a stored value, with what JSON cannot hold tagged (see the file comment). */
export function rawJson(value: unknown): string {
	return JSON.stringify(value, function (this: Record<string, unknown>, key, replaced: unknown) {
		const original = this[key];
		if (typeof original === 'number' && !Number.isFinite(original)) {
			return { $number: String(original) };
		}
		if (typeof original === 'bigint') return { $bigint: original.toString() };
		if (original instanceof ArrayBuffer) {
			return { $type: 'ArrayBuffer', values: Array.from(new Uint8Array(original)) };
		}
		if (ArrayBuffer.isView(original) && !(original instanceof DataView)) {
			const items = original as unknown as ArrayLike<number | bigint>;
			return {
				$type: original.constructor.name,
				values: Array.from(items, (item) =>
					typeof item === 'bigint' ? item.toString() : Number.isFinite(item) ? item : String(item)
				)
			};
		}
		return replaced;
	});
}
