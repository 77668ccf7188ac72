import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	applyImport,
	exportBackupBlob,
	loadQueue,
	readAllReviews,
	recordReview,
	undoReview
} from '../../../src/lib/progress/index.js';
import { RECENT_WINDOW_MS, rowsSince } from '../../../src/lib/progress/recent.js';
import { DAY, freshDb, HOUR } from './helpers.js';

const t0 = Date.UTC(2025, 2, 10, 9);
const deckIds = ['01-intro', '02-attn'];

describe('recent rows (what today’s limits read)', () => {
	it('equal the log rows since any time, inside the window or beyond it', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						card: fc.integer({ min: 0, max: 4 }),
						hours: fc.integer({ min: -80, max: 80 }),
						rating: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
						undo: fc.boolean()
					}),
					{ minLength: 1, maxLength: 25 }
				),
				async (steps) => {
					const db = await freshDb();
					for (const s of steps) {
						const deckId = deckIds[s.card % 2];
						const time = t0 + s.hours * HOUR;
						// times in any order: out of order by more than a day needs the learner's word
						const { review } = await recordReview(
							db,
							{ cardId: `${deckId}/q-${s.card}`, deckId, time, rating: s.rating },
							{ clockConfirmed: true }
						);
						if (s.undo) await undoReview(db, review, time + 1000);
					}
					const all = await readAllReviews(db);
					const newest = Math.max(...all.map((r) => r.time));
					for (const since of [newest - RECENT_WINDOW_MS, newest - DAY, newest, t0 - 100 * HOUR]) {
						const expected = all
							.filter((r) => r.time >= since)
							.map((r) => `${r.cardId} ${r.id} ${r.time} ${r.rating} ${r.undoes}`)
							.sort();
						const got = (await rowsSince(db, since))
							.map((r) => `${r.cardId} ${r.id} ${r.time} ${r.rating} ${r.undoes}`)
							.sort();
						expect(got).toEqual(expected);
					}
					// it holds the whole window (older rows may linger until a newer answer prunes them)
					const floor = newest - RECENT_WINDOW_MS;
					const kept = await db.recent.where('time').aboveOrEqual(floor).count();
					expect(kept).toBe(all.filter((r) => r.time >= floor).length);
					db.close();
				}
			),
			{ numRuns: 25 }
		);
	});

	it('a restored backup gives the same daily limits today as the browser it came from', async () => {
		const source = await freshDb();
		const content = Array.from({ length: 30 }, (_, i) => `01-intro/q-${i}`);
		for (let i = 0; i < 12; i++) {
			await recordReview(source, {
				cardId: content[i],
				deckId: '01-intro',
				time: t0 - 3 * DAY + i * HOUR,
				rating: 3
			});
		}
		for (let i = 0; i < 8; i++) {
			await recordReview(source, {
				cardId: content[i + 6],
				deckId: '01-intro',
				time: t0 + i * 60_000,
				rating: 3
			});
		}
		const now = t0 + HOUR;
		const blob = await exportBackupBlob(source, { now });
		const target = await freshDb();
		await applyImport(target, blob);
		const before = await loadQueue(source, { contentCardIds: content, now });
		const after = await loadQueue(target, { contentCardIds: content, now });
		expect(after.counts).toEqual(before.counts);
		expect(after.items).toEqual(before.items);
		expect(await target.recent.count()).toBeGreaterThan(0);
	});
});
