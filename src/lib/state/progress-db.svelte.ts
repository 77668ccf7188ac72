import { m } from '$lib/paraglide/messages';
import { openProgressDb, requestPersistence, UpgradeError } from '$lib/progress/db';
import { ProgressError, type ProgressErrorKind } from '$lib/progress/errors';
import { runPendingRepair } from '$lib/progress/jobs';
import type { ProgressDb } from '$lib/progress/schema';

/**
 * Upgrading the stored progress to this version's schema failed (the database is left as it was,
 * at schema `from`): the layout explains it and offers the raw data (`downloadRawData`).
 */
export interface UpgradeFailure {
	kind: ProgressErrorKind;
	from: number;
	/** The error's message, for the learner's "technical details". */
	detail: string;
}

/** App-wide storage status, shown in a banner when something needs the learner. */
export const storage = $state({
	/** A message to show (blocked upgrade, newer version in another tab, no IndexedDB). */
	problem: null as string | null,
	/** A failed upgrade (shown instead of `problem`, with a download of the raw data). */
	upgradeFailure: null as UpgradeFailure | null,
	/** Something the learner should know that needs nothing from them (a repair at start-up). */
	notice: null as string | null,
	persisted: null as boolean | null
});

let opening: Promise<ProgressDb> | null = null;

/** The progress database, opened once per page; asks for persistent storage the first time. */
export function progressDb(): Promise<ProgressDb> {
	opening ??= openProgressDb({
		onBlocked: () => {
			storage.problem = m.progress_storage_blocked();
		},
		onVersionChange: () => {
			storage.problem = m.progress_storage_updated();
		}
	}).then(
		async (db) => {
			storage.upgradeFailure = null;
			void requestPersistence().then((result) => (storage.persisted = result.persisted));
			await repairInterruptedJobs(db);
			await scheduleWithStoredParams(db);
			return db;
		},
		(error: unknown) => {
			opening = null;
			if (error instanceof UpgradeError) {
				storage.upgradeFailure = { kind: error.kind, from: error.from, detail: error.message };
				storage.problem = null;
				throw error;
			}
			const plain = olderPageError(error);
			storage.problem = plain instanceof Error ? plain.message : String(plain);
			throw plain;
		}
	);
	return opening;
}

/**
 * Puts the learner's desired retention (and accepted FSRS weights) in force; finishes a reschedule
 * that a closed tab left half-done. Not fatal: the caches then keep the parameters they had.
 */
async function scheduleWithStoredParams(db: ProgressDb): Promise<void> {
	try {
		// loaded after the page: the settings schema and the rebuild code are not every page's JS
		const { ensureScheduling } = await import('$lib/progress/scheduling');
		await ensureScheduling(db);
	} catch (error) {
		console.warn('Rescheduling with the stored parameters failed', error);
	}
}

/**
 * An import that stopped between its transactions left a marker: rebuild the derived stores before
 * any page reads them (Check database; see progress's jobs.ts). A failing repair is not fatal: the
 * caches are then only as stale as before, and Check database in /settings can try again.
 */
async function repairInterruptedJobs(db: ProgressDb): Promise<void> {
	try {
		const report = await runPendingRepair(db, { now: Date.now() });
		if (report) storage.notice = m.database_startup_repaired();
	} catch (error) {
		console.warn('Repair after an interrupted import failed', error);
	}
}

/**
 * Downloads the stored database exactly as it is, read at its own version (no upgrade): the raw
 * copy a learner keeps when an upgrade failed. Throws a `ProgressError` when it cannot be read.
 */
export async function downloadRawData(now: number = Date.now()): Promise<void> {
	// loaded when asked for: every page opens the database through this module
	const { exportRawDatabase } = await import('$lib/progress/raw-export');
	const blob = await exportRawDatabase({ now });
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = rawDataFileName(now);
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "attentive-raw-2026-01-21.json": the local date of `now`. */
export function rawDataFileName(now: number): string {
	// en-CA writes dates as YYYY-MM-DD
	const day = new Intl.DateTimeFormat('en-CA', {
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(now);
	return `attentive-raw-${day}.json`;
}

/**
 * The stored schema is newer than this page's code (a tab or cache of an older build): say that in
 * plain words, without the schema number, wherever the page shows the error. The banner's Reload
 * fetches the new version ($lib/state/app-update).
 */
function olderPageError(error: unknown): unknown {
	if (!(error instanceof ProgressError) || error.kind !== 'version') return error;
	const plain = new ProgressError('version', undefined, { cause: error });
	plain.message = m.web_older_page();
	return plain;
}
