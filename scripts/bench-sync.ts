/**
 * npm run bench:sync [-- --reviews 10000] [--cards 1000] [--days 200] [--live 20] [--json]
 *
 * Sync of a learner's log through the dev server (scripts/sync-server.mjs: express-pouchdb in
 * memory, over HTTP on 127.0.0.1), in Node: Dexie on fake-indexeddb, PouchDB's memory adapter.
 *
 * 1. Document design: the same reviews replicated up to the server and down to a fresh database as
 *    one document per review, one per card and day, and one per day: documents, JSON bytes, wire
 *    bytes (bodies, compressed as sent) and seconds; then the bytes one more answer sends.
 * 2. First sync with `startSync`: every review from a device's Dexie to the server, then from the
 *    server to a fresh device (merged into Dexie, caches rebuilt), against a bare PouchDB-to-PouchDB
 *    replication of the same documents measured in the same run (the ratio).
 * 3. Live: the time for one answer to appear in the other device's Dexie (median, p95).
 *
 * Timings vary between runs and machines: compare a number with the baseline of the same run.
 */
import type { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { newId } from '../src/lib/progress/ids.js';
import { openProgressDb, readAllReviews, recordReview } from '../src/lib/progress/index.js';
import { mergeReviewRows } from '../src/lib/progress/merge.js';
import type { ProgressDb, ReviewRow } from '../src/lib/progress/schema.js';
import { reviewDoc } from '../src/lib/sync/docs.js';
import { pushToMirror } from '../src/lib/sync/mirror.js';
import type { PouchDatabase, PouchDoc, PouchStatic } from '../src/lib/sync/pouch.js';
import { startSync } from '../src/lib/sync/sync.js';
import { startSyncServer } from './sync-server.mjs';

PouchDB.plugin(memory).plugin(http);
if (!Object.hasOwn(PouchDB, 'replicate')) PouchDB.plugin(replication);
(PouchDB as unknown as EventEmitter).setMaxListeners(1000);
const Pouch: PouchStatic = PouchDB;

const { values } = parseArgs({
	options: {
		reviews: { type: 'string', default: '10000' },
		cards: { type: 'string', default: '1000' },
		days: { type: 'string', default: '200' },
		live: { type: 'string', default: '20' },
		json: { type: 'boolean', default: false }
	}
});
const REVIEWS = Number(values.reviews);
const CARDS = Number(values.cards);
const DAYS = Number(values.days);
const LIVE = Number(values.live);
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 8);

const log = (line: string) => {
	if (!values.json) console.log(line);
};
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** A plausible history: `DAYS` days, the same number of answers a day, over `CARDS` cards. */
function history(): ReviewRow[] {
	const perDay = Math.ceil(REVIEWS / DAYS);
	return Array.from({ length: REVIEWS }, (_, i) => {
		const day = Math.floor(i / perDay);
		const card = (i * 7) % CARDS;
		const cardId = `${String(1 + (card % 12)).padStart(2, '0')}-deck/q-${card}`;
		const typed = i % 3 === 0;
		return {
			id: newId(),
			cardId,
			deckId: cardId.split('/')[0],
			time: START + day * DAY + (i % perDay) * 40_000,
			rating: ((i % 4) + 1) as ReviewRow['rating'],
			correct: typed ? i % 5 !== 0 : null,
			rawAnswer: typed ? `0.${(i * 7919) % 10000}` : '',
			seed: typed ? i : null,
			durationMs: 3000 + (i % 7) * 1000,
			undoes: null
		};
	});
}

type Design = 'review' | 'card-day' | 'day';

function documents(rows: readonly ReviewRow[], design: Design): PouchDoc[] {
	if (design === 'review') return rows.map((row) => reviewDoc(row, 'bench-device'));
	const groups = new Map<string, ReviewRow[]>();
	for (const row of rows) {
		const day = Math.floor(row.time / DAY);
		const key = design === 'day' ? `d:${day}` : `c:${row.cardId}:${day}`;
		const group = groups.get(key);
		if (group) group.push(row);
		else groups.set(key, [row]);
	}
	return [...groups].map(([key, group]) => ({ _id: key, type: design, v: 1, rows: group }));
}

const memoryDb = (label: string): PouchDatabase =>
	new Pouch(`${label}-${newId()}`, { adapter: 'memory' });

/** The q-quantile of sorted values (nearest rank). */
const quantile = (sorted: readonly number[], q: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function timed<T>(task: () => Promise<T>): Promise<[T, number]> {
	const start = performance.now();
	const result = await task();
	return [result, performance.now() - start];
}

function replicate(source: PouchDatabase, target: PouchDatabase): Promise<unknown> {
	return new Promise((resolve, reject) => {
		Pouch.replicate(source, target, { batch_size: 500 })
			.on('complete', resolve)
			.on('error', reject);
	});
}

async function main() {
	const server = await startSyncServer({});
	const remote = (name: string) => new Pouch(server.url + name);
	const createRemote = async (name: string) => {
		const db = remote(name);
		await db.info();
		return db;
	};
	const traffic = async <T>(task: () => Promise<T>) => {
		const before = server.traffic();
		const [result, ms] = await timed(task);
		const after = server.traffic();
		return {
			result,
			ms,
			up: after.bytesIn - before.bytesIn,
			down: after.bytesOut - before.bytesOut,
			requests: after.requests - before.requests
		};
	};
	const rows = history();
	log(`${REVIEWS} reviews over ${CARDS} cards and ${DAYS} days\n`);

	// 1. document design
	const designs: Record<string, object> = {};
	let bare = { up: 0, down: 0 };
	log('design      docs   JSON      up: s    wire       down: s  wire       +1 answer: wire up');
	for (const design of ['review', 'card-day', 'day'] as Design[]) {
		const docs = documents(rows, design);
		const json = docs.reduce((sum, doc) => sum + JSON.stringify(doc).length, 0);
		const local = memoryDb(`local-${design}`);
		await local.bulkDocs(docs);
		const target = await createRemote(`design-${design}-${newId()}`);
		const up = await traffic(() => replicate(local, target));
		const down = await traffic(() => replicate(target, memoryDb(`down-${design}`)));
		// one more answer: a new document, or the grouped document rewritten with the row added
		const extra = { ...rows[rows.length - 1], id: newId(), time: rows[rows.length - 1].time + 1 };
		if (design === 'review') await local.bulkDocs([reviewDoc(extra, 'bench-device')]);
		else {
			const last = docs[docs.length - 1];
			const { rows: found } = await local.allDocs({ keys: [last._id], include_docs: true });
			const doc = found[0].doc as PouchDoc & { rows: ReviewRow[] };
			await local.bulkDocs([{ ...doc, rows: [...doc.rows, extra] }]);
		}
		const one = await traffic(() => replicate(local, target));
		designs[design] = {
			docs: docs.length,
			jsonBytes: json,
			upMs: Math.round(up.ms),
			upBytes: up.up + up.down,
			downMs: Math.round(down.ms),
			downBytes: down.up + down.down,
			oneAnswerUpBytes: one.up
		};
		if (design === 'review') bare = { up: up.ms, down: down.ms };
		log(
			`${design.padEnd(10)} ${String(docs.length).padStart(6)}  ${kb(json).padStart(8)}  ${seconds(up.ms).padStart(6)}  ${kb(up.up + up.down).padStart(8)}  ${seconds(down.ms).padStart(8)}  ${kb(down.up + down.down).padStart(8)}  ${String(one.up).padStart(8)} B`
		);
	}

	// 2. first sync through startSync, Dexie to Dexie
	const deps = () => ({ indexedDB: new IDBFactory(), IDBKeyRange });
	const laptop = await openProgressDb({ deps: deps(), name: 'attentive' });
	await mergeReviewRows(laptop, rows);
	const dbName = `learner-${newId()}`;
	await createRemote(dbName);
	const syncOnce = async (db: ProgressDb, mirror: string) => {
		const handle = await startSync({
			db,
			remoteUrl: server.url,
			dbName,
			PouchDB: Pouch,
			mirrorName: mirror,
			mirrorOptions: { adapter: 'memory' },
			batchSize: 500
		});
		const status = await handle.done;
		await handle.stop();
		return status;
	};
	// each device keeps its mirror, as a browser does between sessions
	const laptopMirror = `laptop-${newId()}`;
	const phoneMirror = `phone-${newId()}`;
	const [, upMs] = await timed(() => syncOnce(laptop, laptopMirror));
	const phone = await openProgressDb({ deps: deps(), name: 'attentive' });
	const [received, downMs] = await timed(() => syncOnce(phone, phoneMirror));
	if ((await readAllReviews(phone)).length !== REVIEWS || received.received !== REVIEWS) {
		throw new Error(`the fresh device has ${received.received} reviews, not ${REVIEWS}`);
	}
	const ratio = (upMs + downMs) / (bare.up + bare.down);
	log(
		`\nfirst sync (startSync, Dexie → server → fresh Dexie): up ${seconds(upMs)} s, down ${seconds(downMs)} s, ` +
			`${Math.round(REVIEWS / ((upMs + downMs) / 1000))} reviews/s end to end`
	);
	log(
		`bare PouchDB replication of the same documents: up ${seconds(bare.up)} s, down ${seconds(bare.down)} s; ratio ${ratio.toFixed(2)}`
	);

	// a restart with nothing new: the full outbound pass reads every log and asks the mirror
	const reopened = new Pouch(laptopMirror, { adapter: 'memory' });
	const [restart, restartMs] = await timed(() => pushToMirror(laptop, reopened, { full: true }));
	const [, incrementalMs] = await timed(() => pushToMirror(laptop, reopened));
	await reopened.close();
	log(
		`restart with nothing new: full outbound pass ${restartMs.toFixed(0)} ms (${restart.cardsRead} card logs, ${restart.written} written), incremental pass ${incrementalMs.toFixed(1)} ms`
	);

	// 3. live: one answer on the laptop until it is in the phone's Dexie (both caught up first)
	const latencies: number[] = [];
	if (LIVE > 0) {
		let waiting: (() => void) | null = null;
		let seen = 0;
		const live = (db: ProgressDb, mirror: string, onReceived?: (count: number) => void) =>
			new Promise<Awaited<ReturnType<typeof startSync>>>((resolve, reject) => {
				let caughtUp = false;
				let handle: Awaited<ReturnType<typeof startSync>>;
				startSync({
					db,
					remoteUrl: server.url,
					dbName,
					PouchDB: Pouch,
					mirrorName: mirror,
					mirrorOptions: { adapter: 'memory' },
					live: true,
					pollMs: 60_000,
					onStatus: (status) => {
						onReceived?.(status.received);
						if (!caughtUp && status.state === 'paused' && status.lastSyncedAt !== null) {
							caughtUp = true;
							resolve(handle);
						}
					}
				}).then((started) => (handle = started), reject);
			});
		const receiver = await live(phone, phoneMirror, (count) => {
			if (count > seen) {
				seen = count;
				waiting?.();
			}
		});
		const sender = await live(laptop, laptopMirror);
		let time = rows[rows.length - 1].time + DAY;
		for (let i = 0; i < LIVE; i++) {
			const arrived = new Promise<void>((resolve) => (waiting = resolve));
			const start = performance.now();
			time += 60_000;
			await recordReview(laptop, { cardId: '01-deck/q-1', deckId: '01-deck', time, rating: 3 });
			await sender.pushLocal();
			await arrived;
			latencies.push(performance.now() - start);
		}
		await sender.stop();
		await receiver.stop();
		latencies.sort((x, y) => x - y);
		log(
			`live: one answer to the other device's Dexie: median ${quantile(latencies, 0.5).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms (${LIVE} answers)`
		);
	}
	await server.close();
	if (values.json) {
		console.log(
			JSON.stringify({
				reviews: REVIEWS,
				cards: CARDS,
				days: DAYS,
				designs,
				firstSync: { upMs: Math.round(upMs), downMs: Math.round(downMs) },
				restart: { fullPassMs: Math.round(restartMs), incrementalPassMs: incrementalMs },
				bare: { upMs: Math.round(bare.up), downMs: Math.round(bare.down) },
				ratio: Number(ratio.toFixed(2)),
				live: latencies.length
					? {
							medianMs: Math.round(quantile(latencies, 0.5)),
							p95Ms: Math.round(quantile(latencies, 0.95))
						}
					: null
			})
		);
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	}
);
