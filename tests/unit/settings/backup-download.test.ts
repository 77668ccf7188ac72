/**
 * A backup counts (markBackedUp, which clears the reminder) only when the learner's own click
 * started its download: backup-download.ts and BackupExport on a fake IndexedDB.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBackupStatus, recordReview } from '../../../src/lib/progress/index.js';
import { progressDb } from '../../../src/lib/state/progress-db.svelte.js';
import {
	chooseDelivery,
	hasActivation,
	isLearnerClick
} from '../../../src/routes/settings/backup-download.js';
import { BackupExport } from '../../../src/routes/settings/settings.svelte.js';

const NOW = Date.UTC(2026, 0, 21, 12);
const learner = { isTrusted: true };
const script = { isTrusted: false };

describe('backup-download', () => {
	it('only a click the browser produced is the learner’s', () => {
		expect(isLearnerClick(learner)).toBe(true);
		expect(isLearnerClick(script)).toBe(false);
		expect(isLearnerClick(undefined)).toBe(false);
	});

	it('reads the transient activation, and none where the browser cannot say', () => {
		expect(hasActivation({ userActivation: { isActive: true } })).toBe(true);
		expect(hasActivation({ userActivation: { isActive: false } })).toBe(false);
		expect(hasActivation({})).toBe(false);
		expect(hasActivation(undefined)).toBe(false);
	});

	it('downloads at once only for a learner click the browser still credits; else offers a link', () => {
		expect(chooseDelivery(true, true)).toBe('download');
		expect(chooseDelivery(true, false)).toBe('link');
		expect(chooseDelivery(false, true)).toBe('link');
		expect(chooseDelivery(false, false)).toBe('link');
	});
});

describe('BackupExport', () => {
	afterEach(() => vi.unstubAllGlobals());

	async function withAnswer() {
		const db = await progressDb();
		await recordReview(db, {
			cardId: 'deck/q-1',
			deckId: 'deck',
			time: NOW - 10 * 86_400_000,
			rating: 3
		});
		return db;
	}

	/** A page whose links record their clicks instead of downloading. */
	function stubPage(activation: boolean) {
		const clicks: string[] = [];
		vi.stubGlobal('navigator', { userActivation: { isActive: activation } });
		vi.stubGlobal('document', {
			createElement: () => ({ click: () => clicks.push('download'), remove() {} }),
			body: { append() {} }
		});
		return clicks;
	}

	it('an export no learner click asked for does not count as a backup, nor does a scripted click on its link', async () => {
		const db = await withAnswer();
		const clicks = stubPage(true);
		const backup = new BackupExport();
		await backup.refresh(NOW);
		expect(backup.reminderDue).toBe(true);

		await backup.exportAll(NOW); // no click noted: a programmatic export
		expect(clicks).toEqual([]); // nothing downloaded behind the learner's back
		expect(backup.ready?.name).toBe('attentive-backup-2026-01-21.json');
		await backup.savedFromLink(script);
		expect((await getBackupStatus(db)).lastBackupAt).toBeNull();
		expect(backup.reminderDue).toBe(true);

		await backup.savedFromLink(learner);
		expect((await getBackupStatus(db)).lastBackupAt).toBe(NOW);
		expect(backup.reminderDue).toBe(false);
	});

	it('a scripted click on the export button does not count as a backup', async () => {
		const db = await progressDb();
		const clicks = stubPage(true);
		const backup = new BackupExport();
		backup.clicked('json', script);
		await backup.exportAll(NOW + 1);
		expect(clicks).toEqual([]);
		expect((await getBackupStatus(db)).lastBackupAt).not.toBe(NOW + 1);
		expect(backup.ready).not.toBeNull();
	});

	it('a learner click downloads at once and counts while the browser credits it', async () => {
		const db = await progressDb();
		const clicks = stubPage(true);
		const backup = new BackupExport();
		backup.clicked('json', learner);
		await backup.exportAll(NOW + 2);
		expect(clicks).toEqual(['download']);
		expect(backup.ready).toBeNull();
		expect((await getBackupStatus(db)).lastBackupAt).toBe(NOW + 2);
	});

	it('once the gesture has expired, a learner click gets a link and counts only when it is clicked', async () => {
		const db = await progressDb();
		const clicks = stubPage(false);
		const backup = new BackupExport();
		backup.clicked('json', learner);
		await backup.exportAll(NOW + 3);
		expect(clicks).toEqual([]);
		expect((await getBackupStatus(db)).lastBackupAt).toBe(NOW + 2);
		await backup.savedFromLink(learner);
		expect((await getBackupStatus(db)).lastBackupAt).toBe(NOW + 3);
	});

	it('a CSV export never counts as a backup', async () => {
		const db = await progressDb();
		const clicks = stubPage(true);
		const backup = new BackupExport();
		backup.clicked('csv', learner);
		await backup.exportCsv(NOW + 4);
		expect(clicks).toEqual(['download']);
		expect((await getBackupStatus(db)).lastBackupAt).toBe(NOW + 3);
	});
});
