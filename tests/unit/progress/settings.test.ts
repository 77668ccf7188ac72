import { describe, expect, it } from 'vitest';
import {
	addExperimentRun,
	backupReminderDue,
	defaultSettings,
	getBackupStatus,
	getSettings,
	listExperimentRuns,
	markBackedUp,
	recordReview,
	requestPersistence,
	saveSettings,
	SETTINGS_LIMITS
} from '../../../src/lib/progress/index.js';
import { DAY, freshDb } from './helpers.js';

const t0 = Date.UTC(2025, 5, 2, 12);

describe('settings', () => {
	it('defaults: 10 new, 100 reviews, day starts at 4, the system zone', async () => {
		const db = await freshDb();
		expect(await getSettings(db)).toEqual({
			dailyNewLimit: 10,
			dailyReviewLimit: 100,
			dayStartHour: 4,
			timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
			desiredRetention: 0.9
		});
		expect(defaultSettings().dailyNewLimit).toBe(10);
	});

	it('saves valid changes and refuses invalid ones with the field named', async () => {
		const db = await freshDb();
		expect(await saveSettings(db, { dailyNewLimit: 3, timeZone: 'Europe/Paris' })).toMatchObject({
			dailyNewLimit: 3,
			timeZone: 'Europe/Paris'
		});
		await expect(saveSettings(db, { dayStartHour: 24 })).rejects.toMatchObject({
			kind: 'invalid',
			message: expect.stringMatching(/dayStartHour/)
		});
		await expect(saveSettings(db, { timeZone: 'Mars/Base' })).rejects.toMatchObject({
			kind: 'invalid'
		});
		expect((await getSettings(db)).dayStartHour).toBe(4);
	});

	it('a row stored with a theme (it now lives in localStorage) loads; the next save drops it', async () => {
		const db = await freshDb();
		const old = { dailyNewLimit: 7, dailyReviewLimit: 70, dayStartHour: 5, timeZone: 'UTC' };
		await db.settings.put({ key: 'settings', ...old, theme: 'dark' } as never);
		// saved before desired retention existed too: it reads as the default 0.90
		const loaded = { ...old, desiredRetention: 0.9 };
		expect(await getSettings(db)).toEqual(loaded);
		expect(await saveSettings(db, { dailyNewLimit: 8 })).toEqual({ ...loaded, dailyNewLimit: 8 });
		expect(await db.settings.get('settings')).toEqual({
			key: 'settings',
			...loaded,
			dailyNewLimit: 8
		});
	});

	it('the limits the settings schema checks are the exported bounds', async () => {
		const db = await freshDb();
		for (const [field, { min, max }] of Object.entries(SETTINGS_LIMITS)) {
			await saveSettings(db, { [field]: min });
			await saveSettings(db, { [field]: max });
			await expect(saveSettings(db, { [field]: min - 1 })).rejects.toMatchObject({
				kind: 'invalid'
			});
			await expect(saveSettings(db, { [field]: max + 1 })).rejects.toMatchObject({
				kind: 'invalid'
			});
		}
	});

	it('a corrupt stored field falls back to its default, the others are kept', async () => {
		const db = await freshDb();
		await db.settings.put({ key: 'settings', dailyNewLimit: -4, dailyReviewLimit: 30 } as never);
		expect(await getSettings(db)).toMatchObject({ dailyNewLimit: 10, dailyReviewLimit: 30 });
	});
});

describe('backup reminder', () => {
	const status = (
		lastBackupAt: number | null,
		firstReviewAt: number | null,
		lastReviewAt: number | null
	) => ({
		lastBackupAt,
		firstReviewAt,
		lastReviewAt
	});
	it('is due when the last backup is a week old and there are reviews since', () => {
		expect(backupReminderDue(status(t0, t0 - 30 * DAY, t0 + DAY), t0 + 7 * DAY)).toBe(true);
		expect(backupReminderDue(status(t0, t0 - 30 * DAY, t0 + DAY), t0 + 6 * DAY)).toBe(false);
		expect(backupReminderDue(status(t0, t0 - 30 * DAY, t0 - DAY), t0 + 30 * DAY)).toBe(false);
	});
	it('without any backup: due a week after the first review; never without reviews', () => {
		expect(backupReminderDue(status(null, t0, t0), t0 + 6 * DAY)).toBe(false);
		expect(backupReminderDue(status(null, t0, t0), t0 + 7 * DAY)).toBe(true);
		expect(backupReminderDue(status(null, null, null), t0 + 70 * DAY)).toBe(false);
	});
	it('reads its status from the database', async () => {
		const db = await freshDb();
		expect(await getBackupStatus(db)).toEqual(status(null, null, null));
		await recordReview(db, { cardId: 'c', deckId: 'd', time: t0, rating: 3 });
		await recordReview(db, { cardId: 'c', deckId: 'd', time: t0 + DAY, rating: 3 });
		await markBackedUp(db, t0 + 2 * DAY);
		expect(await getBackupStatus(db)).toEqual(status(t0 + 2 * DAY, t0, t0 + DAY));
	});
});

describe('requestPersistence', () => {
	it('asks the browser and reports the answer', async () => {
		let asked = 0;
		const storage = {
			persisted: async () => false,
			persist: async () => (++asked, true)
		};
		expect(await requestPersistence(storage)).toEqual({ supported: true, persisted: true });
		expect(asked).toBe(1);
	});
	it('does not ask again when storage is already persistent', async () => {
		const storage = { persisted: async () => true, persist: async () => false };
		expect(await requestPersistence(storage)).toEqual({ supported: true, persisted: true });
	});
	it('reports refusal, missing support and errors without throwing', async () => {
		expect(
			await requestPersistence({ persisted: async () => false, persist: async () => false })
		).toEqual({ supported: true, persisted: false });
		expect(await requestPersistence(undefined)).toEqual({ supported: false, persisted: false });
		expect(
			await requestPersistence({
				persisted: async () => false,
				persist: async () => {
					throw new Error('denied');
				}
			})
		).toEqual({ supported: true, persisted: false });
	});
});

describe('experiment runs', () => {
	it('stores cleaned runs and lists the newest first', async () => {
		const db = await freshDb();
		await addExperimentRun(db, { time: t0, config: { masked: true }, summary: { loss: 2.1 } });
		await addExperimentRun(db, { time: t0 + 1, config: { masked: false }, summary: { loss: 0.1 } });
		const runs = await listExperimentRuns(db);
		expect(runs.map((r) => r.config)).toEqual([{ masked: false }, { masked: true }]);
		await expect(
			addExperimentRun(db, { time: t0, config: { x: Number.NaN }, summary: {} })
		).rejects.toMatchObject({ kind: 'invalid' });
	});
});
