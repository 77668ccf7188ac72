/**
 * What the app holds after a failed upgrade: the failure (not a generic problem line) and a raw
 * download of the old database. Runs the state module against a global fake IndexedDB.
 */
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2 } from '../../../src/lib/progress/index.js';

afterEach(() => {
	vi.restoreAllMocks();
	vi.unstubAllGlobals();
	vi.resetModules();
});

const t0 = Date.UTC(2024, 10, 4, 18);

describe('failed upgrade in the app state', () => {
	it('a failed upgrade shows only the error text and offers no raw data', async () => {
		const indexedDB = new IDBFactory();
		vi.stubGlobal('indexedDB', indexedDB);
		vi.stubGlobal('IDBKeyRange', IDBKeyRange);
		// Dexie took the globals when it loaded (none in Node)
		const dependencies = { ...Dexie.dependencies };
		Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange });
		onTestFinished(() => void Object.assign(Dexie.dependencies, dependencies));
		const v2 = new Dexie('attentive', { indexedDB, IDBKeyRange });
		v2.version(1).stores(SCHEMA_V1);
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		const row = {
			id: 'r1',
			cardId: '01-intro/q-a',
			deckId: '01-intro',
			time: t0,
			rating: 3,
			correct: null,
			rawAnswer: 'x',
			seed: null,
			durationMs: 1000,
			undoes: null
		};
		await v2.table('reviews').add(row);
		v2.close();

		const put = FakeObjectStore.prototype.put;
		vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(function (
			this: IDBObjectStore,
			...args: Parameters<IDBObjectStore['put']>
		) {
			if (this.name === 'logs') throw new DOMException('disk full', 'QuotaExceededError');
			return put.apply(this, args);
		});
		const { progressDb, storage, downloadRawData, rawDataFileName } =
			await import('../../../src/lib/state/progress-db.svelte.js');
		await expect(progressDb()).rejects.toMatchObject({ kind: 'quota', from: 2 });
		expect(storage.problem).toBeNull();
		expect(storage.upgradeFailure).toMatchObject({ kind: 'quota', from: 2 });
		expect(storage.upgradeFailure?.detail).toContain('disk full');

		// "Download the raw data": the v2 rows, as stored
		const clicked: { href: string; download: string }[] = [];
		const blobs = new Map<string, Blob>();
		vi.stubGlobal('document', {
			createElement: () => {
				const link = {
					href: '',
					download: '',
					rel: '',
					click: () => clicked.push({ href: link.href, download: link.download }),
					remove: () => undefined
				};
				return link;
			},
			body: { append: () => undefined }
		});
		vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
			blobs.set('blob:raw', blob as Blob);
			return 'blob:raw';
		});
		vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
		await downloadRawData(t0);
		expect(clicked).toEqual([{ href: 'blob:raw', download: rawDataFileName(t0) }]);
		expect(rawDataFileName(t0)).toMatch(/^attentive-raw-2024-11-0[45]\.json$/);
		const file = JSON.parse(await (blobs.get('blob:raw') as Blob).text());
		expect(file).toMatchObject({ format: 'attentive-raw', version: 20 });
		expect(file.stores.reviews).toEqual([row]);
	});
});
