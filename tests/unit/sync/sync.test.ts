import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/progress/ids.js';
import { mergeReviewRows } from '../../../src/lib/progress/merge.js';
import { cardRowFromLog } from '../../../src/lib/progress/rebuild.js';
import { readAllReviews, recordReview, type ProgressDb } from '../../../src/lib/progress/index.js';
import {
	classifySyncError,
	mirrorNameFor,
	probeConnection,
	startSync,
	SyncError,
	type StartSyncOptions,
	type SyncStatus
} from '../../../src/lib/sync/index.js';
import { startSyncServer } from '../../../scripts/sync-server.mjs';
import { freshDb, schedulesMirrorCards } from '../progress/helpers.js';
import { answer, MemoryPouch, MIN, T0 } from './helpers.js';

const USER = 'alice';
const PASSWORD = 'correct horse';
let server: Awaited<ReturnType<typeof startSyncServer>>;
let dbName: string;

beforeAll(async () => {
	server = await startSyncServer({ user: USER, password: PASSWORD });
});
afterAll(() => server?.close());

/** A database of its own on the server for each test. */
async function newRemoteDb(): Promise<string> {
	const name = `learner-${newId()}`;
	const response = await fetch(server.url + name, {
		method: 'PUT',
		headers: { Authorization: `Basic ${btoa(`${USER}:${PASSWORD}`)}` }
	});
	expect(response.status).toBe(201);
	return name;
}

/** One device: its Dexie database and its mirror's name (kept across restarts). */
interface Device {
	db: ProgressDb;
	mirrorName: string;
}

async function device(): Promise<Device> {
	return { db: await freshDb(), mirrorName: `mirror-${newId()}` };
}

function options(dev: Device, extra: Partial<StartSyncOptions> = {}): StartSyncOptions {
	return {
		db: dev.db,
		remoteUrl: server.url,
		dbName,
		auth: { username: USER, password: PASSWORD },
		PouchDB: MemoryPouch,
		mirrorName: dev.mirrorName,
		mirrorOptions: { adapter: 'memory' },
		...extra
	};
}

/** One round of sync (not live): resolves with the final status. */
async function syncOnce(dev: Device, extra: Partial<StartSyncOptions> = {}): Promise<SyncStatus> {
	const handle = await startSync(options(dev, extra));
	const status = await handle.done;
	await handle.stop();
	return status;
}

const sortedRows = async (db: ProgressDb) =>
	(await readAllReviews(db)).sort((a, b) => (a.id < b.id ? -1 : 1));
const sortedCards = async (db: ProgressDb) =>
	(await db.cards.toArray()).sort((a, b) => (a.cardId < b.cardId ? -1 : 1));

describe('two devices of one learner', () => {
	beforeAll(async () => {
		dbName = await newRemoteDb();
	});

	it('answering different cards: both end with the union, each row once', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		for (let i = 0; i < 6; i++) {
			await recordReview(laptop.db, answer(`01-intro/q${i % 3}`, T0 + i * MIN));
			await recordReview(phone.db, answer(`02-dot/q${i % 2}`, T0 + i * MIN + 30_000, 4));
		}
		const first = await syncOnce(laptop);
		expect(first).toMatchObject({ state: 'complete', sent: 6, received: 0, error: null });
		const second = await syncOnce(phone);
		expect(second).toMatchObject({ state: 'complete', sent: 6, received: 6 });
		expect((await syncOnce(laptop)).received).toBe(6);

		const rows = await sortedRows(laptop.db);
		expect(rows).toHaveLength(12);
		expect(new Set(rows.map((row) => row.id)).size).toBe(12);
		expect(await sortedRows(phone.db)).toEqual(rows);
		expect(await sortedCards(phone.db)).toEqual(await sortedCards(laptop.db));
		expect((await sortedCards(laptop.db)).map((card) => card.cardId)).toEqual([
			'01-intro/q0',
			'01-intro/q1',
			'01-intro/q2',
			'02-dot/q0',
			'02-dot/q1'
		]);
		expect(await schedulesMirrorCards(laptop.db)).toBe(true);
		expect(await schedulesMirrorCards(phone.db)).toBe(true);

		// syncing again changes nothing
		expect(await syncOnce(phone)).toMatchObject({ sent: 0, received: 0 });
		expect(await sortedRows(phone.db)).toEqual(rows);
	});

	it('answering the same card: both rows kept, the schedule is their replay in time order', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		const card = '03-softmax/q-sum';
		// the phone answers later but syncs first
		const later = (await recordReview(phone.db, answer(card, T0 + 10 * MIN, 1))).review;
		const earlier = (await recordReview(laptop.db, answer(card, T0, 4))).review;
		await syncOnce(phone);
		await syncOnce(laptop);
		await syncOnce(phone);
		const expected = cardRowFromLog(card, [earlier, later]);
		for (const dev of [laptop, phone]) {
			expect((await sortedRows(dev.db)).map((row) => row.id).sort()).toEqual(
				[earlier.id, later.id].sort()
			);
			expect(await dev.db.cards.get(card)).toEqual(expected);
		}
		expect(expected?.logHead).toBe(later.id);
	});

	it('an answer committed but never mirrored (the tab closed) goes up at the next start', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		await recordReview(laptop.db, answer('01-intro/q1', T0));
		const live = await startSync(options(laptop, { live: true, pollMs: 60_000 }));
		await recordReview(laptop.db, answer('01-intro/q2', T0 + MIN));
		// the tab dies before any pass mirrors it
		await live.stop();
		const reopened = new MemoryPouch(laptop.mirrorName, { adapter: 'memory' });
		expect((await reopened.info()).doc_count).toBe(1);
		await reopened.close();
		await syncOnce(laptop);
		await syncOnce(phone);
		expect(await sortedRows(phone.db)).toEqual(await sortedRows(laptop.db));
		expect(await sortedRows(phone.db)).toHaveLength(2);
	});

	it('rows imported on one device (older than any answer) reach the other', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		await recordReview(laptop.db, answer('01-intro/q1', T0));
		await syncOnce(laptop);
		// a backup of last year's answers, merged the way an import merges
		const old = Array.from({ length: 5 }, (_, i) => ({
			id: newId(),
			cardId: `02-dot/q${i}`,
			deckId: '02-dot',
			time: T0 - 365 * 86_400_000 + i * MIN,
			rating: 3 as const,
			correct: null,
			rawAnswer: '',
			seed: null,
			durationMs: 1000,
			undoes: null
		}));
		await mergeReviewRows(laptop.db, old);
		expect((await syncOnce(laptop)).sent).toBe(5);
		expect((await syncOnce(phone)).received).toBe(6);
		expect(await sortedRows(phone.db)).toEqual(await sortedRows(laptop.db));
		expect(await sortedCards(phone.db)).toEqual(await sortedCards(laptop.db));
	});

	it('a first sync stopped half-way resumes and ends with every row exactly once', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		const rows = Array.from({ length: 300 }, (_, i) => ({
			id: newId(),
			cardId: `04-scale/q${i % 40}`,
			deckId: '04-scale',
			time: T0 + i * MIN,
			rating: (1 + (i % 4)) as 1 | 2 | 3 | 4,
			correct: null,
			rawAnswer: `answer ${i}`,
			seed: null,
			durationMs: 1000,
			undoes: null
		}));
		await mergeReviewRows(laptop.db, rows);
		await syncOnce(laptop, { batchSize: 50 });
		// the page closes after the first batches arrived
		const first = await startSync(
			options(phone, {
				batchSize: 50,
				onStatus: (status) => {
					if (status.received >= 50) void first.stop();
				}
			})
		);
		await first.done;
		const partial = (await readAllReviews(phone.db)).length;
		// usually 50-100 (on a loaded machine the first merge may already take more)
		expect(partial).toBeGreaterThan(0);
		const second = await syncOnce(phone, { batchSize: 50 });
		expect(second.received).toBe(300 - partial);
		const stored = await sortedRows(phone.db);
		expect(stored).toHaveLength(300);
		expect(stored).toEqual(await sortedRows(laptop.db));
		expect(await sortedCards(phone.db)).toEqual(await sortedCards(laptop.db));
		expect(await phone.db.meta.where('key').startsWith('job:').count()).toBe(0);
	});

	it('live: an answer reaches the other device', async () => {
		dbName = await newRemoteDb();
		const laptop = await device();
		const phone = await device();
		const received = new Promise<void>((resolve) => {
			void startSync(
				options(phone, {
					live: true,
					onStatus: (status) => {
						if (status.received === 1) resolve();
					}
				})
			).then((handle) => received.then(() => handle.stop()));
		});
		const handle = await startSync(options(laptop, { live: true, pollMs: 60_000 }));
		const { review } = await recordReview(laptop.db, answer('01-intro/q1', T0));
		await handle.pushLocal();
		await received;
		await handle.stop();
		expect((await readAllReviews(phone.db)).map((row) => row.id)).toEqual([review.id]);
	});
});

describe('a live sync started while the server is down', () => {
	it('said "up to date" and never retried (PouchDB pauses without an error): it reports the server unreachable and catches up once it starts', async () => {
		const probe = await startSyncServer();
		await probe.close();
		const laptop = await device();
		await recordReview(laptop.db, answer('01-intro/q1', T0));
		const states: SyncStatus[] = [];
		let caughtUp!: () => void;
		const upToDate = new Promise<void>((resolve) => (caughtUp = resolve));
		const handle = await startSync({
			...options(laptop, { live: true, pollMs: 60_000 }),
			remoteUrl: `http://127.0.0.1:${probe.port}/`,
			dbName: 'learner',
			auth: undefined,
			onStatus: (status) => {
				states.push(status);
				if (status.state === 'paused' && !status.error && status.sent === 1) caughtUp();
			}
		});
		await expect.poll(() => states.at(-1)?.error, { timeout: 5_000 }).toBe('unreachable');
		expect(states.some((s) => s.lastSyncedAt !== null)).toBe(false);

		const late = await startSyncServer({ port: probe.port, dbs: ['learner'] });
		try {
			await upToDate;
			expect(handle.status.lastSyncedAt).not.toBeNull();
		} finally {
			await handle.stop();
			// requests the stopped replication had in flight end before the server goes
			await new Promise((resolve) => setTimeout(resolve, 500));
			await late.close();
		}
	}, 30_000);
});

describe('failures are kinds, and change nothing locally', () => {
	async function failure(extra: Partial<StartSyncOptions>): Promise<SyncError> {
		const dev = await device();
		await recordReview(dev.db, answer('01-intro/q1', T0));
		const before = await sortedRows(dev.db);
		const error = await syncOnce(dev, extra).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(SyncError);
		expect(await sortedRows(dev.db)).toEqual(before);
		return error as SyncError;
	}

	it('wrong password', async () => {
		dbName = await newRemoteDb();
		expect((await failure({ auth: { username: USER, password: 'wrong' } })).kind).toBe(
			'unauthorized'
		);
		expect((await failure({ auth: undefined })).kind).toBe('unauthorized');
	});

	it('database missing (never created by sync)', async () => {
		dbName = `missing-${newId()}`;
		expect((await failure({})).kind).toBe('missing-database');
		const check = await fetch(server.url + dbName, {
			headers: { Authorization: `Basic ${btoa(`${USER}:${PASSWORD}`)}` }
		});
		expect(check.status).toBe(404);
	});

	it('server unreachable', async () => {
		const closed = await startSyncServer();
		await closed.close();
		expect((await failure({ remoteUrl: closed.url })).kind).toBe('unreachable');
	});

	it('probeConnection says what is wrong before syncing', async () => {
		const name = await newRemoteDb();
		const auth = { username: USER, password: PASSWORD };
		const remoteUrl = server.url;
		expect(await probeConnection({ remoteUrl, dbName: name, auth })).toBeNull();
		expect(
			await probeConnection({ remoteUrl, dbName: name, auth: { ...auth, password: 'x' } })
		).toBe('unauthorized');
		expect(await probeConnection({ remoteUrl, dbName: 'nope', auth })).toBe('missing-database');
		expect(await probeConnection({ remoteUrl: 'ftp://x', dbName: name })).toBe('invalid-url');
		const closed = await startSyncServer();
		await closed.close();
		expect(await probeConnection({ remoteUrl: closed.url, dbName: name })).toBe('unreachable');
		// a browser: the CORS request fails (TypeError), the no-cors one gets an opaque answer
		const corsBlocked = async (_url: string, init?: RequestInit) => {
			if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
			throw new TypeError('Failed to fetch');
		};
		expect(await probeConnection({ remoteUrl, dbName: name }, corsBlocked)).toBe('cors');
	});

	it('the mirror is named after the server and database, never the credentials', () => {
		expect(mirrorNameFor('https://alice:secret@couch.example.org:6984/', 'learner-alice')).toBe(
			`attentive-sync:${encodeURIComponent('https://couch.example.org:6984/learner-alice')}`
		);
		expect(() => mirrorNameFor('couch.example.org', 'x')).toThrow(SyncError);
	});

	it('a mirror named after an http URL was opened as a remote database: the name holds no scheme://', async () => {
		const name = mirrorNameFor(server.url, 'learner-alice');
		expect(name).not.toMatch(/[a-z-]*:\/\//);
		// PouchDB picks the adapter from the name: the mirror must stay local (here: memory)
		const mirror = new MemoryPouch(name, { adapter: 'memory' });
		expect((mirror as unknown as { adapter: string }).adapter).toBe('memory');
		await mirror.destroy();
	});

	it('classifies what PouchDB and fetch throw', () => {
		expect(classifySyncError({ status: 401, name: 'unauthorized' })).toBe('unauthorized');
		expect(classifySyncError({ status: 403, name: 'forbidden' })).toBe('forbidden');
		expect(classifySyncError({ status: 404, name: 'not_found' })).toBe('missing-database');
		expect(classifySyncError(new TypeError('Failed to fetch'))).toBe('unreachable');
		expect(classifySyncError({ status: 500, reason: 'Failed to fetch' })).toBe('unreachable');
		expect(classifySyncError(new Error('boom'))).toBe('unknown');
	});
});

describe('npm run sync-server', () => {
	it('starts on a free port and answers GET /', async () => {
		const child = spawn(process.execPath, ['scripts/sync-server.mjs', '--port', '0'], {
			stdio: ['ignore', 'pipe', 'pipe']
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (chunk: Buffer) => {
					out += chunk.toString();
					const match = /listening on (http:\/\/\S+)/.exec(out);
					if (match) resolve(match[1]);
				});
				child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
			});
			const response = await fetch(url, { headers: { Origin: 'http://localhost:5173' } });
			expect(response.status).toBe(200);
			expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
			expect(await response.json()).toMatchObject({ 'express-pouchdb': 'Welcome!' });
		} finally {
			child.kill();
		}
	});
});
