import { Dexie } from 'dexie';
import { IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import {
	openProgressDb,
	recordReview,
	SCHEMA_V1,
	SCHEMA_V2,
	type DexieDeps
} from '../../../src/lib/progress/index.js';
import { exportRawDatabase, RAW_FORMAT, rawJson } from '../../../src/lib/progress/raw-export.js';
import { freshDeps } from './helpers.js';

const t0 = Date.UTC(2024, 10, 4, 18);

function review(id: string, cardId: string, time: unknown, rating: number) {
	return {
		id,
		cardId,
		deckId: cardId.split('/')[0],
		time,
		rating,
		correct: null,
		rawAnswer: `answer "${id}"\n`,
		seed: 7,
		durationMs: 3000,
		undoes: null
	};
}

async function writeV2(deps: DexieDeps, reviews: object[]): Promise<void> {
	const v2 = new Dexie('attentive', deps);
	v2.version(1).stores(SCHEMA_V1);
	v2.version(2).stores(SCHEMA_V2);
	await v2.open();
	await v2.table('reviews').bulkAdd(reviews);
	await v2.table('cards').add({ cardId: '01-intro/q-a', due: t0, stability: 1, state: 2 });
	await v2.table('settings').put({ key: 'settings', dailyNewLimit: 12, dailyReviewLimit: 90 });
	await v2.table('meta').put({ key: 'lastBackupAt', value: t0 });
	v2.close();
}

const exportOf = (deps: DexieDeps, options = {}) =>
	exportRawDatabase({ indexedDB: deps.indexedDB, IDBKeyRange, now: t0, ...options });

describe('raw export', () => {
	it('a failed upgrade leaves no way to download the old data: the raw export reads a v2 database as it is', async () => {
		const deps = freshDeps();
		const reviews = Array.from({ length: 23 }, (_, i) =>
			review(`r${String(i).padStart(2, '0')}`, `01-intro/q-${i % 4}`, t0 + i * 1000, 1 + (i % 4))
		);
		const odd = [
			{ ...review('x1', '01-intro/q-a', Number.NaN, 3) },
			{ id: 'x2', note: 'no card, no time' }
		];
		await writeV2(deps, [...reviews, ...odd]);

		const blob = await exportOf(deps, { pageSize: 5 });
		expect(blob.type).toBe('application/json');
		const file = JSON.parse(await blob.text());
		expect(file).toMatchObject({
			format: RAW_FORMAT,
			version: 20,
			name: 'attentive',
			exportedAt: new Date(t0).toISOString()
		});
		expect(Object.keys(file.stores).sort()).toEqual(
			['cards', 'deckSchedules', 'experimentRuns', 'meta', 'reviews', 'settings'].sort()
		);
		expect(file.counts).toMatchObject({ reviews: 25, cards: 1, settings: 1, meta: 1 });
		// every row, in key order, as stored (NaN tagged rather than turned into null)
		expect(file.stores.reviews).toEqual([
			...reviews,
			{ ...odd[0], time: { $number: 'NaN' } },
			odd[1]
		]);
		expect(file.stores.meta).toEqual([{ key: 'lastBackupAt', value: t0 }]);
		expect(file.schema.reviews).toMatchObject({ keyPath: 'id', autoIncrement: false });
		expect(file.schema.reviews.indexes.map((index: { name: string }) => index.name).sort()).toEqual(
			['[cardId+time]', 'time', 'undoes'].sort()
		);

		// read at its version: no upgrade happened
		expect(await deps.indexedDB.databases()).toEqual([{ name: 'attentive', version: 20 }]);
	});

	it('the raw export creates a database when there is none', async () => {
		const deps = freshDeps();
		await expect(exportOf(deps)).rejects.toMatchObject({ kind: 'not-found' });
		expect(await deps.indexedDB.databases()).toEqual([]);
	});

	it('the raw export loses typed arrays and out-of-line keys', async () => {
		const deps = freshDeps();
		const db = await openProgressDb({ deps });
		await recordReview(db, { cardId: '01-intro/q-a', deckId: '01-intro', time: t0, rating: 3 });
		db.close();
		const raw = new Dexie('other', deps);
		raw.version(1).stores({ blobs: '' });
		await raw.open();
		await raw.table('blobs').put({ bytes: new Uint8Array([1, 2, 250]).buffer }, 'k1');
		raw.close();

		const file = JSON.parse(await (await exportOf(deps)).text());
		const [log] = file.stores.logs;
		expect(log.cardId).toBe('01-intro/q-a');
		expect(log.times).toEqual({ $type: 'Float64Array', values: [t0] });
		expect(log.seeds).toEqual({ $type: 'Float64Array', values: ['NaN'] });
		expect(log.ratings).toEqual({ $type: 'Uint8Array', values: [3] });

		const other = JSON.parse(await (await exportOf(deps, { name: 'other' })).text());
		expect(other.version).toBe(10);
		expect(other.stores.blobs).toEqual([
			{ key: 'k1', value: { bytes: { $type: 'ArrayBuffer', values: [1, 2, 250] } } }
		]);
	});

	it('rawJson tags what JSON cannot hold', () => {
		expect(JSON.parse(rawJson({ a: Infinity, b: -Infinity, c: 10n, d: [1, Number.NaN] }))).toEqual({
			a: { $number: 'Infinity' },
			b: { $number: '-Infinity' },
			c: { $bigint: '10' },
			d: [1, { $number: 'NaN' }]
		});
		expect(rawJson(Number.NaN)).toBe('{"$number":"NaN"}');
	});
});
