/** Settings, the `meta` key-value rows, and the backup reminder. */
import { DAY_MS } from '../scheduler/index.js';
import { guard, ProgressError } from './errors.js';
import type { ProgressDb, Settings } from './schema.js';
import { describeIssues, normalizeSettings, settingsSchema } from './validate.js';

const SETTINGS_KEY = 'settings';
const LAST_BACKUP_KEY = 'lastBackupAt';

/** The stored settings; defaults for anything missing or invalid. */
export async function getSettings(db: ProgressDb): Promise<Settings> {
	return normalizeSettings(await guard(() => db.settings.get(SETTINGS_KEY)));
}

/** Validates and stores a change; throws `ProgressError('invalid')` naming the bad field. */
export async function saveSettings(db: ProgressDb, patch: Partial<Settings>): Promise<Settings> {
	return guard(() =>
		db.transaction('rw', db.settings, async () => {
			const next = { ...normalizeSettings(await db.settings.get(SETTINGS_KEY)), ...patch };
			const parsed = settingsSchema.safeParse(next);
			if (!parsed.success) throw new ProgressError('invalid', describeIssues(parsed.error));
			await db.settings.put({ key: SETTINGS_KEY, ...parsed.data });
			return parsed.data;
		})
	);
}

export interface BackupStatus {
	/** When the learner last exported a backup (epoch ms), null if never. */
	lastBackupAt: number | null;
	firstReviewAt: number | null;
	lastReviewAt: number | null;
}

export const BACKUP_REMINDER_DAYS = 7;

/**
 * True when there is progress no backup holds and the last backup (or, if there never was one, the
 * first answer) is at least `maxAgeDays` old.
 */
export function backupReminderDue(
	status: BackupStatus,
	now: number,
	maxAgeDays = BACKUP_REMINDER_DAYS
): boolean {
	if (status.lastReviewAt === null) return false;
	const since = status.lastBackupAt ?? status.firstReviewAt ?? status.lastReviewAt;
	const unsaved = status.lastBackupAt === null || status.lastReviewAt > status.lastBackupAt;
	return unsaved && now - since >= maxAgeDays * DAY_MS;
}

export async function getBackupStatus(db: ProgressDb): Promise<BackupStatus> {
	return guard(() =>
		db.transaction('r', db.meta, db.logs, async () => {
			const [backup, first, last] = await Promise.all([
				db.meta.get(LAST_BACKUP_KEY),
				db.logs.orderBy('firstTime').limit(1).keys(),
				db.logs.orderBy('lastTime').reverse().limit(1).keys()
			]);
			return {
				lastBackupAt: typeof backup?.value === 'number' ? backup.value : null,
				firstReviewAt: (first[0] as number | undefined) ?? null,
				lastReviewAt: (last[0] as number | undefined) ?? null
			};
		})
	);
}

/** Records that a backup was made at `time` (call it once the file has been handed to the learner). */
export async function markBackedUp(db: ProgressDb, time: number): Promise<void> {
	await guard(() => db.meta.put({ key: LAST_BACKUP_KEY, value: time }));
}
