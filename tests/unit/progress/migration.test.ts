import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import {
	addExperimentRun,
	CURRENT_VERSION,
	getSettings,
	openProgressDb,
	getBackupStatus,
	getCardLog,
	readAllReviews,
	recordReview,
	SCHEMA_V1,
	SCHEMA_V2
} from '../../../src/lib/progress/index.js';
import { applyRating, newCardState, PHASE } from '../../../src/lib/scheduler/index.js';
import { freshDeps, schedulesMirrorCards } from './helpers.js';

const t0 = Date.UTC(2024, 10, 4, 18);
const MIN = 60_000;

/** A v1 review row: no `undoes` field (v1 had no undo). */
function v1Review(id: string, cardId: string, time: number, rating: number) {
	return {
		id,
		cardId,
		deckId: cardId.split('/')[0],
		time,
		rating,
		correct: null,
		rawAnswer: `answer ${id}`,
		seed: 7,
		durationMs: 3000
	};
}

describe('migration v1 -> current', () => {
	it('keeps every review, renames settings, rebuilds the card cache, adds the new tables', async () => {
		const deps = freshDeps();
		const v1 = new Dexie('attentive', deps);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		const reviews = [
			v1Review('r1', '01-intro/q-a', t0, 3),
			v1Review('r2', '01-intro/q-a', t0 + 10 * MIN, 3),
			v1Review('r3', '02-attn/q-b', t0 + MIN, 1)
		];
		await v1.table('reviews').bulkAdd(reviews);
		// a v1 cache row: stale and without firstReview / answers
		await v1.table('cards').add({ cardId: '01-intro/q-a', due: 0, stability: 1, state: 2 });
		await v1.table('settings').put({
			key: 'settings',
			newPerDay: 15,
			reviewsPerDay: 50,
			dayStartHour: 3,
			timeZone: 'Europe/Berlin',
			theme: 'dark'
		});
		await v1.table('meta').put({ key: 'lastBackupAt', value: t0 - 1000 });
		v1.close();

		const db = await openProgressDb({ deps });
		expect(db.verno).toBe(CURRENT_VERSION);
		expect(db.backendDB().version).toBe(CURRENT_VERSION * 10);

		const stored = (await readAllReviews(db)).sort((x, y) => x.time - y.time);
		expect(db.backendDB().objectStoreNames.contains('reviews')).toBe(false);
		expect(await db.logs.count()).toBe(2);
		expect(stored).toEqual(
			[reviews[0], reviews[2], reviews[1]].map((r) => ({ ...r, undoes: null }))
		);
		expect(await getSettings(db)).toEqual({
			dailyNewLimit: 15,
			dailyReviewLimit: 50,
			dayStartHour: 3,
			timeZone: 'Europe/Berlin',
			desiredRetention: 0.9
		});
		expect((await db.settings.get('settings')) as unknown).not.toHaveProperty('newPerDay');
		expect(await db.meta.get('lastBackupAt')).toEqual({ key: 'lastBackupAt', value: t0 - 1000 });

		const a = await db.cards.get('01-intro/q-a');
		const expectedA = applyRating(applyRating(newCardState(), 3, t0), 3, t0 + 10 * MIN);
		expect(a).toEqual({
			cardId: '01-intro/q-a',
			deckId: '01-intro',
			...expectedA,
			firstReview: t0,
			answers: 2,
			logHead: 'r2',
			logRows: 2
		});
		expect((await db.cards.get('02-attn/q-b'))?.state).toBe(PHASE.Learning);
		expect(await db.cards.where('deckId').equals('02-attn').count()).toBe(1);
		expect(await schedulesMirrorCards(db)).toBe(true);
		expect([...new Set((await db.schedules.toArray()).map((d) => d.deckId))].sort()).toEqual([
			'01-intro',
			'02-attn'
		]);

		// v2 features work on the migrated data
		await addExperimentRun(db, { time: t0, config: { steps: 10 }, summary: { loss: 1.5 } });
		expect(await db.experimentRuns.count()).toBe(1);
		const next = await recordReview(db, {
			cardId: '02-attn/q-b',
			deckId: '02-attn',
			time: t0 + 20 * MIN,
			rating: 3
		});
		expect(next.card.answers).toBe(2);
		expect((await readAllReviews(db)).filter((r) => r.undoes === 'r3')).toHaveLength(0);
	});

	it('v2 -> v3 regroups the log per card (undo rows too) and rebuilds the caches', async () => {
		const deps = freshDeps();
		const v2 = new Dexie('attentive', deps);
		v2.version(1).stores(SCHEMA_V1);
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		const rows = [
			{ ...v1Review('r1', '01-intro/q-a', t0, 3), undoes: null },
			{ ...v1Review('r2', '01-intro/q-a', t0 + 10 * MIN, 1), undoes: null },
			{ ...v1Review('u2', '01-intro/q-a', t0 + 11 * MIN, 0), rawAnswer: '', undoes: 'r2' },
			{ ...v1Review('r3', '02-attn/q-b', t0 + MIN, 4), undoes: null }
		];
		await v2.table('reviews').bulkAdd(rows);
		v2.close();

		const db = await openProgressDb({ deps });
		expect(await getCardLog(db, '01-intro/q-a')).toEqual(rows.slice(0, 3));
		expect(await getCardLog(db, '02-attn/q-b')).toEqual([rows[3]]);
		const a = await db.cards.get('01-intro/q-a');
		expect(a).toMatchObject({ answers: 1, logHead: 'u2', firstReview: t0 });
		expect(a?.reps).toBe(applyRating(newCardState(), 3, t0).reps);
		expect(await schedulesMirrorCards(db)).toBe(true);
		expect(await getBackupStatus(db)).toMatchObject({
			firstReviewAt: t0,
			lastReviewAt: t0 + 11 * MIN
		});
	});

	it('an upgrade blocked by an old tab waits, tells the page, and completes once that tab closes', async () => {
		const deps = freshDeps();
		const v1 = new Dexie('attentive', deps);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		v1.close();
		// an old tab: a raw connection that ignores versionchange
		const old = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = deps.indexedDB.open('attentive');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		let blocked = 0;
		const opening = openProgressDb({ deps, onBlocked: () => blocked++ });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(blocked).toBeGreaterThan(0);
		old.close();
		const db = await opening;
		expect(db.verno).toBe(CURRENT_VERSION);
	});
});
