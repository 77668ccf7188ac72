import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/lib/progress/ids.js';
import {
	readAllReviews,
	recordReview,
	type ProgressDb,
	type ReviewRow
} from '../../../src/lib/progress/index.js';
import {
	deviceId,
	OUT_WINDOW_MS,
	pullFromMirror,
	pushToMirror,
	reviewDoc,
	settingsDoc,
	type PouchDatabase
} from '../../../src/lib/sync/index.js';
import { DAY, freshDb, schedulesMirrorCards, storeRawReviews } from '../progress/helpers.js';
import { answer, memoryDb, MemoryPouch, MIN, T0 } from './helpers.js';

async function reviewIdsIn(mirror: PouchDatabase): Promise<string[]> {
	const { rows } = await mirror.allDocs({ startkey: 'r:', endkey: 'r:\uffff' });
	return rows.map((row) => row.id as string).sort();
}

const ids = (rows: readonly ReviewRow[]) => rows.map((row) => `r:${row.id}`).sort();

function row(overrides: Partial<ReviewRow> = {}): ReviewRow {
	return {
		id: newId(),
		cardId: '01-intro/q1',
		deckId: '01-intro',
		time: T0,
		rating: 3,
		correct: null,
		rawAnswer: '',
		seed: null,
		durationMs: 1000,
		undoes: null,
		...overrides
	};
}

describe('outbound: Dexie to the mirror', () => {
	it('mirrors every row once, and a second pass writes nothing', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		for (let i = 0; i < 5; i++) await recordReview(db, answer(`01-intro/q${i % 3}`, T0 + i * MIN));
		expect((await pushToMirror(db, mirror)).written).toBe(5);
		expect(await reviewIdsIn(mirror)).toEqual(ids(await readAllReviews(db)));
		expect((await pushToMirror(db, mirror)).written).toBe(0);
		expect((await pushToMirror(db, mirror, { full: true })).written).toBe(0);
	});

	it('a tab closed between the Dexie commit and the mirror write: the next start completes it', async () => {
		const db = await freshDb();
		const name = `mirror-${newId()}`;
		const mirror = new MemoryPouch(name, { adapter: 'memory' });
		await recordReview(db, answer('01-intro/q1', T0));
		await pushToMirror(db, mirror);
		const cursor = (await db.meta.get(`sync:out:${name}`))?.value;

		// the answer commits; the tab dies while writing the mirror
		const { review } = await recordReview(db, answer('01-intro/q2', T0 + MIN));
		mirror.bulkDocs = () => Promise.reject(new Error('tab closed'));
		await expect(pushToMirror(db, mirror)).rejects.toThrow('tab closed');
		expect((await db.meta.get(`sync:out:${name}`))?.value).toEqual(cursor);

		// restart: a new PouchDB instance on the same database, an incremental pass
		const reopened = new MemoryPouch(name, { adapter: 'memory' });
		expect(await reviewIdsIn(reopened)).not.toContain(`r:${review.id}`);
		expect((await pushToMirror(db, reopened)).written).toBe(1);
		expect(await reviewIdsIn(reopened)).toEqual(ids(await readAllReviews(db)));
	});

	it('a crash after the mirror write but before the cursor: the row is not written twice', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		await recordReview(db, answer('01-intro/q1', T0));
		await pushToMirror(db, mirror);
		await recordReview(db, answer('01-intro/q1', T0 + MIN));
		const put = db.meta.put.bind(db.meta);
		db.meta.put = (() => Promise.reject(new Error('tab closed'))) as unknown as typeof db.meta.put;
		await expect(pushToMirror(db, mirror)).rejects.toThrow('tab closed');
		db.meta.put = put;
		expect((await mirror.info()).doc_count).toBe(2);
		expect((await pushToMirror(db, mirror)).written).toBe(0);
		expect((await mirror.info()).doc_count).toBe(2);
	});

	it('rows older than the window (an import) wait for a full pass', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		await recordReview(db, answer('01-intro/q1', T0));
		await pushToMirror(db, mirror);
		const old = row({ cardId: '02-dot/q1', deckId: '02-dot', time: T0 - OUT_WINDOW_MS - DAY });
		await storeRawReviews(db, [old]);
		expect((await pushToMirror(db, mirror)).written).toBe(0);
		expect((await pushToMirror(db, mirror, { full: true })).written).toBe(1);
		expect(await reviewIdsIn(mirror)).toEqual(ids(await readAllReviews(db)));
	});

	it('an answer stamped by a clock ahead does not hide the answers after it', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		await recordReview(db, answer('01-intro/q1', T0 + 10 * DAY));
		expect((await pushToMirror(db, mirror, { now: T0 })).written).toBe(1);
		await recordReview(db, answer('01-intro/q2', T0 + MIN), { clockConfirmed: true });
		expect((await pushToMirror(db, mirror, { now: T0 + 2 * MIN })).written).toBe(1);
		expect(await reviewIdsIn(mirror)).toEqual(ids(await readAllReviews(db)));
	});

	it('an older row added to a card answered recently is found by an incremental pass', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		await recordReview(db, answer('01-intro/q1', T0));
		await pushToMirror(db, mirror);
		await storeRawReviews(db, [row({ time: T0 - 10 * MIN })]);
		expect((await pushToMirror(db, mirror)).written).toBe(1);
	});
});

describe('inbound: the mirror to Dexie', () => {
	async function withDocs(docs: object[]): Promise<{ db: ProgressDb; mirror: PouchDatabase }> {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		await mirror.bulkDocs(docs as never);
		return { db, mirror };
	}

	it('merges valid rows, rebuilds their cards, and rejects invalid documents without storing them', async () => {
		const good = row();
		const undo = row({ time: T0 + MIN, rating: 0, undoes: good.id });
		const other = row({ cardId: '02-dot/q1', deckId: '02-dot', time: T0 + 2 * MIN });
		const badRating = row({ rating: 7 as never });
		const control = row({ cardId: 'bad\u0007card' });
		const mismatched = reviewDoc(row(), 'device-b');
		mismatched._id = 'r:someone-else';
		const { db, mirror } = await withDocs([
			reviewDoc(good, 'device-b'),
			reviewDoc(undo, 'device-b'),
			reviewDoc(other, 'device-b'),
			reviewDoc(badRating, 'device-b'),
			reviewDoc(control, 'device-b'),
			mismatched,
			{ _id: 'r:no-row', type: 'review', v: 1, device: 'device-b' },
			{ _id: 'x:what', type: 'unknown', v: 1, device: 'device-b' },
			{ _id: 'r:old-format', type: 'review', v: 0, device: 'device-b', row: good },
			{ _id: '_design/views', views: {} }
		]);
		const reported: string[] = [];
		const result = await pullFromMirror(db, mirror, {
			onRejected: (docs) => reported.push(...docs.map((doc) => doc.id))
		});
		expect(result.added).toBe(3);
		expect(result.rebuilt).toBe(2);
		expect(result.rejected.map((doc) => doc.id).sort()).toEqual(
			[
				`r:${badRating.id}`,
				`r:${control.id}`,
				'r:someone-else',
				'r:no-row',
				'x:what',
				'r:old-format'
			].sort()
		);
		expect(reported.sort()).toEqual(result.rejected.map((doc) => doc.id).sort());
		expect(result.rejected.find((doc) => doc.id === `r:${badRating.id}`)?.reason).toMatch(
			/^row\.rating/
		);
		const stored = await readAllReviews(db);
		expect(stored.map((r) => r.id).sort()).toEqual([good.id, undo.id, other.id].sort());
		// the undone answer leaves its card new again; the other card is scheduled
		expect((await db.cards.toArray()).map((card) => card.cardId)).toEqual(['02-dot/q1']);
		expect(await schedulesMirrorCards(db)).toBe(true);
		expect(await db.meta.where('key').startsWith('job:').count()).toBe(0);
		// the cursor moved: nothing is merged again
		expect((await pullFromMirror(db, mirror)).added).toBe(0);
	});

	it('skips its own documents and merges the same rows again without duplicates', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		const own = row();
		const theirs = row({ time: T0 + MIN });
		await mirror.bulkDocs([reviewDoc(own, await deviceId(db)), reviewDoc(theirs, 'device-b')]);
		expect((await pullFromMirror(db, mirror)).added).toBe(1);
		// a tab closed before the cursor was written: the next pass merges the same rows again
		await db.meta.delete(`sync:in:${mirror.name}`);
		expect((await pullFromMirror(db, mirror)).added).toBe(0);
		expect((await readAllReviews(db)).map((r) => r.id)).toEqual([theirs.id]);
	});

	it('settings: the newest document wins, an older one never replaces newer settings', async () => {
		const db = await freshDb();
		const mirror = memoryDb('mirror');
		const base = {
			dailyNewLimit: 10,
			dailyReviewLimit: 100,
			dayStartHour: 4,
			timeZone: 'UTC',
			desiredRetention: 0.9
		};
		await mirror.bulkDocs([
			settingsDoc({ ...base, dailyNewLimit: 20 }, T0 + 2 * MIN, 'device-b', 'b'),
			settingsDoc({ ...base, dailyNewLimit: 30 }, T0 + MIN, 'device-c', 'c'),
			settingsDoc({ ...base, dailyNewLimit: 9999 }, T0 + 3 * MIN, 'device-d', 'd')
		]);
		const result = await pullFromMirror(db, mirror);
		expect(result.rejected.map((doc) => doc.id)).toEqual(['s:d']);
		expect(result.settings?.dailyNewLimit).toBe(20);
		await mirror.bulkDocs([settingsDoc({ ...base, dailyNewLimit: 40 }, T0 + MIN, 'device-c', 'e')]);
		expect((await pullFromMirror(db, mirror)).settings).toBeNull();
		expect((await db.settings.get('settings'))?.dailyNewLimit).toBe(20);
	});
});
