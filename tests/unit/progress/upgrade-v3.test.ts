/**
 * The v2 -> v3 upgrade: reads `reviews` by primary key, a page at a time, keeps or sets aside every
 * row, and leaves the v2 database intact when it fails.
 */
import { Dexie, type DBCore, type Middleware, type Transaction } from 'dexie';
import { IDBKeyRange as FakeKeyRange, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	getCardLog,
	openProgressDb,
	SCHEMA_V1,
	SCHEMA_V2,
	SCHEMA_V3,
	type DexieDeps,
	type ProgressDb,
	type ReviewRow
} from '../../../src/lib/progress/index.js';
import { UpgradeError } from '../../../src/lib/progress/db.js';
import { groupByCard, logRecord } from '../../../src/lib/progress/log.js';
import { exportRawDatabase } from '../../../src/lib/progress/raw-export.js';
import {
	QUARANTINE_KEY_PREFIX,
	UPGRADE_REPORT_KEY,
	upgradeV1toV2,
	upgradeV2toV3,
	type UpgradeV3Options
} from '../../../src/lib/progress/migrations.js';
import { addRecent } from '../../../src/lib/progress/recent.js';
import { rebuildCardsIn } from '../../../src/lib/progress/rebuild.js';
import { freshDeps, schedulesMirrorCards } from './helpers.js';

const t0 = Date.UTC(2024, 10, 4, 18);
const MIN = 60_000;
const DAY = 86_400_000;

afterEach(() => {
	vi.restoreAllMocks();
});

function review(id: string, cardId: string, time: number, rating: number, extra = {}) {
	return {
		id,
		cardId,
		deckId: cardId.split('/')[0],
		time,
		rating,
		correct: rating === 0 ? null : rating > 2,
		rawAnswer: rating === 0 ? '' : `answer ${id}`,
		seed: rating === 0 ? null : 7,
		durationMs: rating === 0 ? 0 : 3000,
		undoes: null as string | null,
		...extra
	};
}

/** A v2 database holding `rows` in `reviews` (and whatever `fill` adds). */
async function writeV2(
	deps: DexieDeps,
	rows: readonly object[],
	fill?: (db: Dexie) => Promise<unknown>
): Promise<void> {
	const v2 = new Dexie('attentive', deps);
	v2.version(1).stores(SCHEMA_V1);
	v2.version(2).stores(SCHEMA_V2);
	await v2.open();
	await v2.table('reviews').bulkAdd([...rows]);
	await fill?.(v2);
	v2.close();
}

/** The database opened at v2 (no upgrade), as the old code would. */
async function openV2(deps: DexieDeps): Promise<Dexie> {
	const v2 = new Dexie('attentive', deps);
	v2.version(1).stores(SCHEMA_V1);
	v2.version(2).stores(SCHEMA_V2);
	await v2.open();
	return v2;
}

/** The v2 -> v3 upgrade as it was: the whole log read at once through `[cardId+time]`. */
async function legacyUpgradeV2toV3(tx: Transaction): Promise<void> {
	const byCard = groupByCard(
		await tx.table<ReviewRow, string>('reviews').orderBy('[cardId+time]').toArray()
	);
	const logs = tx.table('logs');
	await logs.bulkPut([...byCard].map(([cardId, rows]) => logRecord(cardId, rows)));
	await addRecent(tx.table('recent'), [...byCard.values()].flat());
	const tables = { logs, cards: tx.table('cards'), schedules: tx.table('schedules') };
	await tables.cards.clear();
	await rebuildCardsIn(tables, [...byCard.keys()]);
}

/** The reads of `reviews` that reach IndexedDB: how many rows each may and did return. */
interface Read {
	kind: string;
	limit: number | undefined;
	rows: number;
}

function spyOnReviews(reads: Read[]): Middleware<DBCore> {
	return {
		stack: 'dbcore',
		name: 'reviews-spy',
		create: (down) => ({
			...down,
			table(name) {
				const table = down.table(name);
				if (name !== 'reviews') return table;
				return {
					...table,
					async query(request) {
						const response = await table.query(request);
						reads.push({ kind: 'query', limit: request.limit, rows: response.result.length });
						return response;
					},
					async getMany(request) {
						const rows = await table.getMany(request);
						reads.push({ kind: 'getMany', limit: request.keys.length, rows: rows.length });
						return rows;
					},
					async openCursor(request) {
						reads.push({ kind: 'cursor', limit: undefined, rows: Infinity });
						return table.openCursor(request);
					}
				};
			}
		})
	};
}

/** Opens the database with the current schema and a given v2 -> v3 upgrade. */
async function upgradeWith(
	deps: DexieDeps,
	upgrade: (tx: Transaction) => Promise<void>,
	spy?: Middleware<DBCore>
): Promise<Dexie> {
	const db = new Dexie('attentive', deps);
	if (spy) db.use(spy);
	db.version(1).stores(SCHEMA_V1);
	db.version(2).stores(SCHEMA_V2).upgrade(upgradeV1toV2);
	db.version(3).stores(SCHEMA_V3).upgrade(upgrade);
	await db.open();
	return db;
}

/** Every table of the v3 database, as stored. */
async function snapshot(db: Dexie) {
	return {
		logs: await db.table('logs').toArray(),
		recent: await db.table('recent').toArray(),
		cards: await db.table('cards').toArray(),
		schedules: await db.table('schedules').toArray(),
		settings: await db.table('settings').toArray(),
		meta: await db.table('meta').toArray(),
		experimentRuns: await db.table('experimentRuns').toArray()
	};
}

/**
 * A mixed v2 log: 14 cards over 3 decks, answers over 5 days (some within the last two), undo
 * rows, misconceptions, equal times, a card moved to another deck, a card whose only answer is
 * undone; ids in no particular order relative to the times.
 */
function mixedLog() {
	const rows: ReturnType<typeof review>[] = [];
	let n = 0;
	const id = () => `${((n * 7919) % 1000).toString().padStart(4, '0')}-${n++}`;
	for (let c = 0; c < 14; c++) {
		const deck = ['01-intro', '02-attn', '03-softmax'][c % 3];
		const cardId = `${deck}/q-${c}`;
		for (let k = 0; k < 3 + (c % 5); k++) {
			const time = t0 + ((c * 13 + k * 29) % 120) * 60 * MIN;
			const extra = k === 1 && c % 4 === 0 ? { misconception: 'no-scaling' } : {};
			const row = review(id(), cardId, time, 1 + ((c + k) % 4), extra);
			rows.push(row);
			if (k === 2 && c % 3 === 1) {
				rows.push(review(id(), cardId, time + MIN, 0, { undoes: row.id }));
			}
			if (k === 0 && c % 5 === 2) rows.push(review(id(), cardId, time, 3)); // same time
		}
	}
	const moved = review(id(), '01-intro/q-0', t0 + 5 * DAY, 4, { deckId: '02-attn' });
	const lone = review(id(), '02-attn/q-lone', t0 + DAY, 3);
	rows.push(moved, lone, review(id(), '02-attn/q-lone', t0 + DAY + MIN, 0, { undoes: lone.id }));
	return rows;
}

async function fillOthers(v2: Dexie) {
	await v2.table('cards').add({ cardId: '01-intro/q-stale', due: 0, stability: 1, state: 2 });
	await v2
		.table('settings')
		.put({ key: 'settings', dailyNewLimit: 12, dailyReviewLimit: 90, dayStartHour: 4 });
	await v2.table('meta').put({ key: 'lastBackupAt', value: t0 });
	await v2.table('experimentRuns').put({ id: 'run-1', time: t0, config: {}, summary: {} });
	await v2.table('deckSchedules').put({ deckId: '01-intro', cards: [] });
}

describe('v2 -> v3 upgrade', () => {
	it('the v2→v3 upgrade drops a review its [cardId+time] index does not hold', async () => {
		const deps = freshDeps();
		const good = review('r1', '01-intro/q-a', t0, 3);
		// a time IndexedDB cannot index (a boxed number) but that still says when it was
		const unindexed = { ...review('r2', '01-intro/q-a', t0 + MIN, 1), time: new Number(t0 + MIN) };
		// no `undoes` (sparse index), no deckId: otherwise a usable answer
		const { undoes: _u, deckId: _d, ...bare } = review('r3', '02-attn/q-b', t0 + 2 * MIN, 4);
		// no time at all, and no card: nothing a log can place; kept aside as they were
		const { time: _t, ...timeless } = review('r4', '01-intro/q-a', 0, 3);
		const { cardId: _c, ...cardless } = review('r5', '01-intro/q-a', t0 + 3 * MIN, 2);
		await writeV2(deps, [good, unindexed, bare, timeless, cardless]);

		const db = await openProgressDb({ deps });
		expect(await getCardLog(db, '01-intro/q-a')).toEqual([good, { ...unindexed, time: t0 + MIN }]);
		expect(await getCardLog(db, '02-attn/q-b')).toEqual([
			{ ...bare, deckId: '02-attn', undoes: null }
		]);
		expect((await db.cards.get('01-intro/q-a'))?.answers).toBe(2);
		expect(await db.meta.get(`${QUARANTINE_KEY_PREFIX}0`)).toEqual({
			key: `${QUARANTINE_KEY_PREFIX}0`,
			value: { from: 'reviews', rows: [timeless, cardless] }
		});
		expect((await db.meta.get(UPGRADE_REPORT_KEY))?.value).toEqual({
			reviews: 5,
			repaired: 2,
			quarantined: 2,
			quarantineRecords: 1
		});
		db.close();
	});

	it('the v2→v3 upgrade reads the whole log at once (same result, one page at a time)', async () => {
		const rows = mixedLog();
		expect(rows.length).toBeGreaterThan(60);

		const legacyDeps = freshDeps();
		await writeV2(legacyDeps, rows, fillOthers);
		const legacy = await snapshot(await upgradeWith(legacyDeps, legacyUpgradeV2toV3));
		expect(legacy.cards.length).toBe(14); // 15 cards with answers, one undone entirely

		// through openProgressDb (one page: the defaults hold the whole test log)
		const plainDeps = freshDeps();
		await writeV2(plainDeps, rows, fillOthers);
		const plain = await openProgressDb({ deps: plainDeps });
		expect(await snapshot(plain)).toEqual(legacy);
		expect(await schedulesMirrorCards(plain)).toBe(true);
		plain.close();

		// pages of 7 rows, merged every 14: a card's rows arrive over many pages
		const pagedDeps = freshDeps();
		await writeV2(pagedDeps, rows, fillOthers);
		const reads: Read[] = [];
		const options: UpgradeV3Options = { pageSize: 7, mergeEvery: 14 };
		const paged = await upgradeWith(
			pagedDeps,
			(tx) => upgradeV2toV3(tx, options),
			spyOnReviews(reads)
		);
		expect(await snapshot(paged)).toEqual(legacy);
		paged.close();

		// memory: no read of `reviews` could return more than a page
		expect(reads.length).toBeGreaterThanOrEqual(Math.ceil(rows.length / 7));
		for (const read of reads) {
			expect(read.kind).toBe('query');
			expect(read.limit).toBeLessThanOrEqual(7);
			expect(read.rows).toBeLessThanOrEqual(7);
		}
		expect(reads.reduce((sum, read) => sum + read.rows, 0)).toBe(rows.length);
	});

	it('a failed v2→v3 upgrade loses the v2 data and says nothing about the upgrade', async () => {
		const deps = freshDeps();
		const rows = mixedLog();
		await writeV2(deps, rows, fillOthers);
		const before = await openV2(deps);
		const tables = before.tables.map((table) => table.name).sort();
		const stored = Object.fromEntries(
			await Promise.all(tables.map(async (name) => [name, await before.table(name).toArray()]))
		);
		before.close();

		// the disk fills up while the upgrade writes the logs
		const put = FakeObjectStore.prototype.put;
		vi.spyOn(FakeObjectStore.prototype, 'put').mockImplementation(function (
			this: IDBObjectStore,
			...args: Parameters<IDBObjectStore['put']>
		) {
			if (this.name === 'logs') throw new DOMException('disk full', 'QuotaExceededError');
			return put.apply(this, args);
		});
		const failure = await openProgressDb({ deps }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(UpgradeError);
		expect(failure).toMatchObject({ kind: 'quota', from: 2, to: 3 });
		vi.restoreAllMocks();

		// IndexedDB aborted the version change: still v2, every row as it was
		const native = await deps.indexedDB.databases();
		expect(native).toEqual([{ name: 'attentive', version: 20 }]);
		const after = await openV2(deps);
		expect(after.backendDB().objectStoreNames.contains('logs')).toBe(false);
		for (const name of tables) expect(await after.table(name).toArray()).toEqual(stored[name]);
		after.close();

		// the raw export reads it as it is, every row
		const raw = JSON.parse(
			await (
				await exportRawDatabase({ indexedDB: deps.indexedDB, IDBKeyRange: FakeKeyRange })
			).text()
		);
		expect(raw).toMatchObject({ format: 'attentive-raw', version: 20 });
		expect(raw.stores.reviews).toEqual(stored.reviews);
		expect(Object.keys(raw.stores).sort()).toEqual(tables);

		// and once there is room again, the upgrade runs
		const db: ProgressDb = await openProgressDb({ deps });
		expect(db.verno).toBe(3);
		expect(await db.cards.count()).toBe(14);
		db.close();
	});

	it('a failure opening a new database is not reported as a failed upgrade', async () => {
		const deps = freshDeps();
		vi.spyOn(FakeObjectStore.prototype, 'createIndex').mockImplementation(() => {
			throw new DOMException('disk full', 'QuotaExceededError');
		});
		const failure = await openProgressDb({ deps }).catch((error: unknown) => error);
		expect(failure).not.toBeInstanceOf(UpgradeError);
		expect(failure).toMatchObject({ kind: 'quota' });
	});
});
