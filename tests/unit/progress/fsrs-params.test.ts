import { describe, expect, it } from 'vitest';
import {
	acceptFsrsParameters,
	activateFsrsParameters,
	activeFsrsWeights,
	addFsrsParameters,
	FSRS_PARAMETERS_KEY,
	getFsrsParameters,
	revertFsrsParametersToDefaults,
	type FsrsFit
} from '../../../src/lib/progress/index.js';
import { DAY, freshDb } from './helpers.js';

const t0 = Date.UTC(2025, 5, 2, 12);

function fit(first: number, reviews = 500): FsrsFit {
	return {
		weights: Array.from({ length: 21 }, (_, i) => (i === 0 ? first : 0.5)),
		reviews,
		logLossDefault: 0.45,
		logLossFitted: 0.41,
		rmseDefault: 0.38,
		rmseFitted: 0.36
	};
}

describe('versioned FSRS parameters', () => {
	it('start with no version: scheduling uses the defaults', async () => {
		const db = await freshDb();
		expect(await getFsrsParameters(db)).toEqual({ active: null, versions: [] });
		expect(await activeFsrsWeights(db)).toBeNull();
	});

	it('add, accept and revert: versions are numbered and dated, every one kept', async () => {
		const db = await freshDb();
		const first = await acceptFsrsParameters(db, fit(0.3), t0);
		expect(first).toMatchObject({ version: 1, createdAt: t0, reviews: 500 });
		expect((await activeFsrsWeights(db))?.[0]).toBe(0.3);

		const added = await addFsrsParameters(db, fit(0.7, 900), t0 + DAY);
		expect(added.version).toBe(2);
		expect((await activeFsrsWeights(db))?.[0]).toBe(0.3); // added, not accepted

		await activateFsrsParameters(db, 2);
		expect((await activeFsrsWeights(db))?.[0]).toBe(0.7);

		await activateFsrsParameters(db, 1); // revert to an earlier version
		expect((await activeFsrsWeights(db))?.[0]).toBe(0.3);

		const reverted = await revertFsrsParametersToDefaults(db);
		expect(reverted.active).toBeNull();
		expect(await activeFsrsWeights(db)).toBeNull();
		expect(reverted.versions.map((v) => [v.version, v.createdAt])).toEqual([
			[1, t0],
			[2, t0 + DAY]
		]);

		const third = await acceptFsrsParameters(db, fit(0.9), t0 + 2 * DAY);
		expect(third.version).toBe(3);
		expect((await getFsrsParameters(db)).active).toBe(3);
	});

	it('refuses weights that are not 21 finite numbers, and an unknown version', async () => {
		const db = await freshDb();
		await expect(
			acceptFsrsParameters(db, { ...fit(0.3), weights: new Array(19).fill(1) }, t0)
		).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/weights/) });
		await expect(
			acceptFsrsParameters(db, { ...fit(0.3), weights: [NaN, ...fit(0.3).weights.slice(1)] }, t0)
		).rejects.toMatchObject({ kind: 'invalid' });
		await expect(activateFsrsParameters(db, 4)).rejects.toMatchObject({ kind: 'not-found' });
		expect(await getFsrsParameters(db)).toEqual({ active: null, versions: [] });
	});

	it('a stored value that does not validate is read as no versions, never as weights', async () => {
		const db = await freshDb();
		await db.meta.put({
			key: FSRS_PARAMETERS_KEY,
			value: { active: 1, versions: [{ version: 1, weights: [1, 2, 3] }] }
		});
		expect(await activeFsrsWeights(db)).toBeNull();
		expect((await getFsrsParameters(db)).versions).toEqual([]);
	});
});
