/**
 * The ratio half of `npm run bench:progress`: each headline number of the progress layer next to a
 * bare IndexedDB baseline of the same records and bytes, measured in the same run, in the same
 * browser (or the same fake-indexeddb), interleaved run by run so that a busy machine slows both:
 *
 * - answer: `recordReview` (one read-write transaction: the card's log record, its cache row, a
 *   `recent` row, a `schedules` record) vs a bare `put` of one record of the size of that card's
 *   log record (a copy of it) into a bare object store (no indexes), one transaction per put.
 *   Also shown, as a second baseline with no goal: the bare IndexedDB work of an answer's access
 *   pattern (one transaction: get the log record, the cache row, the schedules record and the
 *   newest `recent` key, then put the four records back) in a bare copy of the database;
 * - import: the app's import of a backup file holding the history into an empty database
 *   (`previewImport`, which checks the whole file, then `applyImport` of that preview: parse
 *   again, write, rebuild the caches; both timed, and each part reported) vs a bare bulk write, in
 *   one read-write transaction of `put`s, of the very records the import left in the database
 *   (every store, same key paths and indexes) into an empty database;
 * - today's queue: `loadQueue` vs a bare `getAll` of the stores it reads (`schedules`, `recent`) in
 *   one read transaction;
 * - statistics: `loadProgressStats` (what /progress shows) vs a bare `getAll` of the stores it
 *   reads (`logs`, `schedules`) in one read transaction.
 *
 * Runs in a browser page (bundled by scripts/bench-progress.ts) or in Node with fake-indexeddb.
 */
import { Dexie } from 'dexie';
import {
	applyImport,
	countReviews,
	loadProgressStats,
	loadQueue,
	openProgressDb,
	previewImport,
	recordReview,
	type DexieDeps,
	type ProgressDb
} from '../src/lib/progress/index.js';
import { scheduleKey } from '../src/lib/progress/schedule-index.js';
import { cardIdOf, deckIdOf, syntheticBackup } from '../tests/fixtures/progress/synthetic.js';
import { END, SETTINGS } from '../tests/fixtures/progress/bench-workload.js';

export interface RatioOptions {
	/** A label: `realistic`, `stress`. */
	scale: string;
	reviews: number;
	cards: number;
	/** Days the history spreads over, ending at END. */
	days: number;
	decks: number;
	/** Timed answers (after 10 warm-up ones), and as many bare puts. */
	writes: number;
	/** Imports into a fresh database, each followed by a bare bulk write (the median is kept). */
	importRuns: number;
	queueRuns: number;
	statsRuns: number;
}

export interface RatioHooks {
	deps?: DexieDeps;
	log?: (line: string) => void;
}

/** One number of ours next to its bare baseline (milliseconds; ratio = ours / baseline). */
export interface Measured {
	ours_ms: number;
	baseline_ms: number;
	ratio: number;
	/** Every timed run, ours and baseline (interleaved in this order). */
	ours_runs_ms?: number[];
	baseline_runs_ms?: number[];
}

export interface RatioResult {
	scale: string;
	reviews: number;
	cards: number;
	days: number;
	decks: number;
	/** p95 over `writes` answers vs p95 over as many bare puts. */
	write_p95: Measured & {
		ours_p50_ms: number;
		baseline_p50_ms: number;
		record_bytes_p95: number;
		/** The answer's access pattern in bare IndexedDB (see above): p95, p50, ours / it at p95. */
		same_pattern_p95_ms: number;
		same_pattern_p50_ms: number;
		ratio_to_same_pattern: number;
	};
	/** Median over `importRuns`; `preview_ms` + `apply_ms` = `ours_ms` (medians of each part). */
	import: Measured & {
		file_bytes: number;
		preview_ms: number;
		apply_ms: number;
		/** The part the learner waits for after confirming the preview, / the bare bulk write. */
		apply_ratio: number;
		phases_ms: Record<string, number>;
	};
	/** Median over `queueRuns`. */
	queue: Measured & { first_ms: number; items: number };
	/** Median over `statsRuns`. */
	stats: Measured;
	/** Records and approximate bytes (typed arrays by byteLength, strings by length) per store. */
	stored: Record<string, { records: number; bytes: number }>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function measured(ours: number[], baseline: number[], q = 0.5, keepRuns = true): Measured {
	const o = quantile(ours, q);
	const b = quantile(baseline, q);
	return {
		ours_ms: round(o),
		baseline_ms: round(b),
		ratio: Math.round((o / b) * 100) / 100,
		...(keepRuns ? { ours_runs_ms: ours.map(round), baseline_runs_ms: baseline.map(round) } : {})
	};
}

/** Approximate stored size: what structured cloning copies. */
function sizeOf(value: unknown): number {
	if (value === null || value === undefined) return 1;
	if (typeof value === 'string') return value.length;
	if (typeof value === 'number') return 8;
	if (typeof value === 'boolean') return 1;
	if (ArrayBuffer.isView(value)) return value.byteLength;
	if (value instanceof ArrayBuffer) return value.byteLength;
	if (Array.isArray(value)) return value.reduce((n: number, v) => n + sizeOf(v), 0);
	if (typeof value === 'object') {
		let n = 0;
		for (const [k, v] of Object.entries(value)) n += k.length + sizeOf(v);
		return n;
	}
	return 0;
}

// ---- bare IndexedDB, no Dexie ---------------------------------------------------------------

function request<T>(r: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		r.onsuccess = () => resolve(r.result);
		r.onerror = () => reject(r.error);
	});
}

function committed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
	});
}

interface StoreShape {
	name: string;
	keyPath: string | string[] | null;
	autoIncrement: boolean;
	indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
}

/** The stores of `idb` as they are: key paths, indexes. */
function shapeOf(idb: IDBDatabase): StoreShape[] {
	const names = Array.from(idb.objectStoreNames);
	const tx = idb.transaction(names, 'readonly');
	return names.map((name) => {
		const store = tx.objectStore(name);
		return {
			name,
			keyPath: store.keyPath,
			autoIncrement: store.autoIncrement,
			indexes: Array.from(store.indexNames).map((i) => {
				const index = store.index(i);
				return {
					name: i,
					keyPath: index.keyPath,
					unique: index.unique,
					multiEntry: index.multiEntry
				};
			})
		};
	});
}

async function deleteBare(factory: IDBFactory, name: string): Promise<void> {
	await request(factory.deleteDatabase(name) as IDBRequest<unknown>);
}

/** A fresh database `name` holding empty stores of these shapes. */
async function openBare(
	factory: IDBFactory,
	name: string,
	shapes: StoreShape[]
): Promise<IDBDatabase> {
	await deleteBare(factory, name);
	const open = factory.open(name, 1);
	open.onupgradeneeded = () => {
		for (const s of shapes) {
			const store = open.result.createObjectStore(s.name, {
				keyPath: s.keyPath,
				autoIncrement: s.autoIncrement
			});
			for (const i of s.indexes) {
				store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
			}
		}
	};
	return request(open);
}

async function getAllOf(idb: IDBDatabase, stores: string[]): Promise<unknown[][]> {
	const tx = idb.transaction(stores, 'readonly');
	const all = await Promise.all(stores.map((s) => request(tx.objectStore(s).getAll())));
	await committed(tx);
	return all;
}

// ---- the workload ---------------------------------------------------------------------------

export async function runRatios(
	options: RatioOptions,
	hooks: RatioHooks = {}
): Promise<RatioResult> {
	const log = hooks.log ?? (() => {});
	const deps = hooks.deps;
	const factory = deps?.indexedDB ?? globalThis.indexedDB;
	const dexieDeps = deps ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined;
	const name = `attentive-ratios-${options.scale}`;
	const bareName = `${name}-bare`;
	const remove = (n: string) => (dexieDeps ? new Dexie(n, dexieDeps).delete() : Dexie.delete(n));
	const { decks } = options;
	const synth = {
		reviews: options.reviews,
		cards: options.cards,
		decks,
		days: options.days,
		end: END
	};

	let t = performance.now();
	const file = syntheticBackup(synth, END);
	log(
		`${options.scale}: generated a ${(file.size / 1e6).toFixed(1)} MB backup (${options.reviews} reviews, ${options.cards} cards) in ${(performance.now() - t).toFixed(0)} ms`
	);

	// import into an empty database, then a bare bulk write of what it stored; `importRuns` times
	const importTimes: number[] = [];
	const previewTimes: number[] = [];
	const applyTimes: number[] = [];
	const bulkTimes: number[] = [];
	let contentsAfterImport: unknown[][] = [];
	let shapesAfterImport: StoreShape[] = [];
	const phases: Record<string, number> = {};
	let db: ProgressDb | null = null;
	let stored: Record<string, { records: number; bytes: number }> = {};
	for (let run = 0; run < options.importRuns; run++) {
		db?.close();
		await remove(name);
		db = await openProgressDb({ name, deps });
		let phase: string | null = null;
		let phaseStart = performance.now();
		const runPhases: Record<string, number> = {};
		t = performance.now();
		const preview = await previewImport(db, file);
		const previewMs = performance.now() - t;
		await applyImport(db, preview, {
			onProgress: (next) => {
				if (next === phase) return;
				const now = performance.now();
				if (phase) runPhases[phase] = (runPhases[phase] ?? 0) + now - phaseStart;
				phase = next;
				phaseStart = now;
			}
		});
		const importMs = performance.now() - t;
		if (phase) runPhases[phase] = (runPhases[phase] ?? 0) + performance.now() - phaseStart;
		importTimes.push(importMs);
		previewTimes.push(previewMs);
		applyTimes.push(importMs - previewMs);
		runPhases.checking = previewMs;
		for (const [k, v] of Object.entries(runPhases)) phases[k] = (phases[k] ?? 0) + v;

		// what the import stored: every record of every store, read with a bare getAll (untimed)
		const idb = db.backendDB();
		const shapes = shapeOf(idb);
		const names = shapes.map((s) => s.name);
		const contents = await getAllOf(idb, names);
		stored = Object.fromEntries(
			names.map((n, i) => [n, { records: contents[i].length, bytes: sizeOf(contents[i]) }])
		);
		contentsAfterImport = contents;
		shapesAfterImport = shapes;
		const bare = await openBare(factory, bareName, shapes);
		t = performance.now();
		const tx = bare.transaction(names, 'readwrite');
		names.forEach((n, i) => {
			const store = tx.objectStore(n);
			for (const record of contents[i]) store.put(record);
		});
		await committed(tx);
		bulkTimes.push(performance.now() - t);
		bare.close();
		await deleteBare(factory, bareName);
		log(
			`${options.scale}: import ${importMs.toFixed(0)} ms (preview ${previewMs.toFixed(0)} ms), bare bulk write of the same records ${bulkTimes[run].toFixed(0)} ms`
		);
	}
	if (!db) throw new Error('importRuns must be at least 1');
	const reviews = await countReviews(db);
	if (reviews !== options.reviews) throw new Error(`imported ${reviews} of ${options.reviews}`);
	await db.settings.put({ key: 'settings', ...SETTINGS });
	const idb = db.backendDB();

	// today's queue vs a bare getAll of schedules and recent, interleaved
	const contentCardIds = Array.from({ length: options.cards + 50 }, (_, i) => cardIdOf(i, decks));
	const now = END + 3_600_000;
	const queueTimes: number[] = [];
	const queueBare: number[] = [];
	let items = 0;
	for (let i = 0; i < options.queueRuns; i++) {
		t = performance.now();
		const queue = await loadQueue(db, { contentCardIds, now, settings: SETTINGS });
		queueTimes.push(performance.now() - t);
		items = queue.items.length;
		t = performance.now();
		await getAllOf(idb, ['schedules', 'recent']);
		queueBare.push(performance.now() - t);
	}
	log(`${options.scale}: queue ${quantile(queueTimes, 0.5).toFixed(2)} ms (${items} items)`);

	// statistics vs a bare getAll of logs and schedules, interleaved
	const statsTimes: number[] = [];
	const statsBare: number[] = [];
	for (let i = 0; i < options.statsRuns; i++) {
		t = performance.now();
		const stats = await loadProgressStats(db, { now, settings: SETTINGS });
		statsTimes.push(performance.now() - t);
		if (stats.totals.answers === 0) throw new Error('stats saw no answers');
		t = performance.now();
		await getAllOf(idb, ['logs', 'schedules']);
		statsBare.push(performance.now() - t);
	}
	log(`${options.scale}: stats ${quantile(statsTimes, 0.5).toFixed(1)} ms`);

	// answers vs bare one-record puts of a copy of the card's log record, interleaved
	const bare = await openBare(factory, bareName, [
		{ name: 'bare', keyPath: 'cardId', autoIncrement: false, indexes: [] }
	]);
	// a bare copy of what the import stored, for the answer's access pattern
	const patternStores = ['logs', 'cards', 'schedules', 'recent'];
	const copy = await openBare(
		factory,
		`${name}-copy`,
		shapesAfterImport.filter((s) => patternStores.includes(s.name))
	);
	{
		const tx = copy.transaction(patternStores, 'readwrite');
		for (const store of patternStores) {
			const i = shapesAfterImport.findIndex((s) => s.name === store);
			for (const record of contentsAfterImport[i]) tx.objectStore(store).put(record);
		}
		await committed(tx);
	}
	contentsAfterImport.length = 0; // lets the copy go before the answers
	const patternTimes: number[] = [];
	const writeTimes: number[] = [];
	const putTimes: number[] = [];
	const recordBytes: number[] = [];
	const warmup = 10;
	for (let i = -warmup; i < options.writes; i++) {
		const card = ((i + warmup) * 7919) % options.cards;
		const cardId = cardIdOf(card, decks);
		t = performance.now();
		await recordReview(db, {
			cardId,
			deckId: deckIdOf(card, decks),
			time: now + (i + warmup) * 1000,
			rating: (((i + warmup) % 4) + 1) as 1 | 2 | 3 | 4,
			rawAnswer: '0.42',
			durationMs: 4000
		});
		const ours = performance.now() - t;
		const deckId = deckIdOf(card, decks);
		const read = idb.transaction(patternStores, 'readonly');
		const [record, cached, schedule] = await Promise.all([
			request(read.objectStore('logs').get(cardId)),
			request(read.objectStore('cards').get(cardId)),
			request(read.objectStore('schedules').get(scheduleKey({ cardId, deckId })))
		]);
		const recentRow = await request(
			read.objectStore('recent').index('time').openCursor(null, 'prev')
		);
		const newest = recentRow?.value as unknown;
		if (!record || !cached || !schedule || !newest) {
			throw new Error(`missing records for ${cardId}`);
		}
		// the answer's access pattern, bare: four reads, then four puts, one transaction
		t = performance.now();
		const ptx = copy.transaction(patternStores, 'readwrite');
		await Promise.all([
			request(ptx.objectStore('logs').get(cardId)),
			request(ptx.objectStore('cards').get(cardId)),
			request(ptx.objectStore('schedules').get(scheduleKey({ cardId, deckId }))),
			request(ptx.objectStore('recent').index('time').openCursor(null, 'prev'))
		]);
		ptx.objectStore('logs').put(record);
		ptx.objectStore('cards').put(cached);
		ptx.objectStore('schedules').put(schedule);
		ptx.objectStore('recent').put(newest);
		await committed(ptx);
		const pattern = performance.now() - t;
		t = performance.now();
		const tx = bare.transaction('bare', 'readwrite');
		tx.objectStore('bare').put(record);
		await committed(tx);
		const put = performance.now() - t;
		if (i >= 0) {
			patternTimes.push(pattern);
			writeTimes.push(ours);
			putTimes.push(put);
			recordBytes.push(sizeOf(record));
		}
	}
	bare.close();
	await deleteBare(factory, bareName);
	copy.close();
	await deleteBare(factory, `${name}-copy`);
	db.close();
	await remove(name);
	log(
		`${options.scale}: answer p95 ${quantile(writeTimes, 0.95).toFixed(2)} ms, bare put p95 ${quantile(putTimes, 0.95).toFixed(2)} ms`
	);

	const runs = options.importRuns;
	return {
		scale: options.scale,
		reviews: options.reviews,
		cards: options.cards,
		days: options.days,
		decks,
		write_p95: {
			...measured(writeTimes, putTimes, 0.95, false),
			ours_p50_ms: round(quantile(writeTimes, 0.5)),
			baseline_p50_ms: round(quantile(putTimes, 0.5)),
			record_bytes_p95: quantile(recordBytes, 0.95),
			same_pattern_p95_ms: round(quantile(patternTimes, 0.95)),
			same_pattern_p50_ms: round(quantile(patternTimes, 0.5)),
			ratio_to_same_pattern:
				Math.round((quantile(writeTimes, 0.95) / quantile(patternTimes, 0.95)) * 100) / 100
		},
		import: {
			...measured(importTimes, bulkTimes),
			file_bytes: file.size,
			preview_ms: round(quantile(previewTimes, 0.5)),
			apply_ms: round(quantile(applyTimes, 0.5)),
			apply_ratio: Math.round((quantile(applyTimes, 0.5) / quantile(bulkTimes, 0.5)) * 100) / 100,
			phases_ms: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v / runs)]))
		},
		queue: { ...measured(queueTimes, queueBare), first_ms: round(queueTimes[0]), items },
		stats: measured(statsTimes, statsBare),
		stored
	};
}
