/**
 * The /settings page: the daily-limit and day form, backups (export, CSV, FSRS CSV) and the storage
 * status. The import with its preview is in import.svelte.ts.
 */
import {
	backupReminderDue,
	exportBackupBlob,
	exportReviewsCsvBlob,
	fsrsOptimizerCsv,
	getBackupStatus,
	getSettings,
	markBackedUp,
	readAllReviews,
	requestPersistence,
	saveSettings,
	type BackupStatus,
	type ProgressDb,
	type Settings
} from '$lib/progress';
import { m } from '$lib/paraglide/messages';
import { progressDb, storage } from '$lib/state/progress-db.svelte';
import { syncAfterSettingsSaved } from '$lib/state/sync.svelte';
import { chooseDelivery, hasActivation, isLearnerClick } from './backup-download';
import {
	backupFileName,
	checkWholeNumber,
	downloadBlob,
	LIMITS,
	message,
	timeZoneOptions,
	type FieldName
} from './settings-helpers';

/** The daily study form. Fields hold what the inputs hold; `save` validates them. */
export class SettingsForm {
	phase = $state<'loading' | 'ready' | 'failed'>('loading');
	dailyNewLimit = $state<number | string | null>(null);
	dailyReviewLimit = $state<number | string | null>(null);
	dayStartHour = $state(4);
	timeZone = $state('UTC');
	zones = $state.raw<string[]>([]);
	errors = $state<Partial<Record<FieldName, string>>>({});
	formError = $state<string | null>(null);
	saved = $state<string | null>(null);
	saving = $state(false);

	async load(): Promise<void> {
		try {
			this.fill(await getSettings(await progressDb()));
			this.phase = 'ready';
		} catch (error) {
			this.formError = message(error);
			this.phase = 'failed';
		}
	}

	fill(settings: Settings): void {
		this.dailyNewLimit = settings.dailyNewLimit;
		this.dailyReviewLimit = settings.dailyReviewLimit;
		this.dayStartHour = settings.dayStartHour;
		this.timeZone = settings.timeZone;
		this.zones = timeZoneOptions(settings.timeZone);
	}

	/** Checks every field; returns the patch to save, or null (and `errors` says why). */
	validate(): Partial<Settings> | null {
		const errors: Partial<Record<FieldName, string>> = {};
		const newLimit = checkWholeNumber(
			this.dailyNewLimit,
			LIMITS.dailyNewLimit.min,
			LIMITS.dailyNewLimit.max
		);
		const reviewLimit = checkWholeNumber(
			this.dailyReviewLimit,
			LIMITS.dailyReviewLimit.min,
			LIMITS.dailyReviewLimit.max
		);
		const hour = checkWholeNumber(
			this.dayStartHour,
			LIMITS.dayStartHour.min,
			LIMITS.dayStartHour.max
		);
		if (!newLimit.ok) errors.dailyNewLimit = newLimit.error;
		if (!reviewLimit.ok) errors.dailyReviewLimit = reviewLimit.error;
		if (!hour.ok) errors.dayStartHour = hour.error;
		if (!this.zones.includes(this.timeZone)) errors.timeZone = m.progress_choose_zone();
		this.errors = errors;
		if (!newLimit.ok || !reviewLimit.ok || !hour.ok || errors.timeZone) return null;
		return {
			dailyNewLimit: newLimit.value,
			dailyReviewLimit: reviewLimit.value,
			dayStartHour: hour.value,
			timeZone: this.timeZone
		};
	}

	/** Validates and stores; false when something is wrong (shown in `errors` / `formError`). */
	async save(): Promise<boolean> {
		this.saved = null;
		this.formError = null;
		const patch = this.validate();
		if (!patch) return false;
		this.saving = true;
		try {
			this.fill(await saveSettings(await progressDb(), patch));
			this.saved = m.progress_settings_saved();
			void syncAfterSettingsSaved().catch(() => undefined);
			return true;
		} catch (error) {
			this.formError = message(error);
			return false;
		} finally {
			this.saving = false;
		}
	}
}

/** The full backup, the review log for spreadsheets, the review log for FSRS tools. */
type ExportKind = 'json' | 'csv' | 'fsrs';

/** A file made but not downloaded yet: the page shows a link to it (see `backup-download.ts`). */
export interface ReadyFile {
	kind: ExportKind;
	url: string;
	name: string;
	/** When the export was made: what `markBackedUp` records once the learner saves it. */
	exportedAt: number;
}

/**
 * Export of everything (JSON) and of the log (CSV), and the backup reminder. A JSON export counts
 * as a backup only when the learner's own click started its download (`backup-download.ts`).
 */
export class BackupExport {
	status = $state.raw<BackupStatus | null>(null);
	reminderDue = $state(false);
	busy = $state<ExportKind | null>(null);
	progress = $state<{ done: number; total: number } | null>(null);
	notice = $state<string | null>(null);
	error = $state<string | null>(null);
	ready = $state.raw<ReadyFile | null>(null);
	/** What to enter in the FSRS optimizer with the last FSRS export (its time zone and day start). */
	fsrsSettings = $state<{ timeZone: string; hour: number } | null>(null);
	/** The click that asked for the next export, noted by the panel's button (`clicked`). */
	private click: { kind: ExportKind; learner: boolean } | null = null;

	/** The panel's export button calls this with its click event, just before `onexport`. */
	clicked(kind: ExportKind, event: Pick<Event, 'isTrusted'>): void {
		this.click = { kind, learner: isLearnerClick(event) };
	}

	/** Whether the learner's click asked for this export (and forgets the click). */
	private takeClick(kind: ExportKind): boolean {
		const click = this.click;
		this.click = null;
		return click?.kind === kind && click.learner;
	}

	async refresh(now: number): Promise<void> {
		try {
			this.status = await getBackupStatus(await progressDb());
			this.reminderDue = backupReminderDue(this.status, now);
		} catch (error) {
			this.error = message(error);
		}
	}

	async exportAll(now: number): Promise<void> {
		const learner = this.takeClick('json');
		await this.run('json', async (db) => {
			const blob = await exportBackupBlob(db, {
				now,
				onProgress: (done, total) => (this.progress = { done, total })
			});
			await this.deliver(db, blob, backupFileName('backup', now, 'json'), now, learner, 'json');
		});
	}

	async exportCsv(now: number): Promise<void> {
		const learner = this.takeClick('csv');
		await this.run('csv', async (db) => {
			const blob = await exportReviewsCsvBlob(db);
			await this.deliver(db, blob, backupFileName('reviews', now, 'csv'), now, learner, 'csv');
		});
	}

	/** The log in the FSRS optimizer's revlog format (`fsrsOptimizerCsv`), for other FSRS tools. */
	async exportFsrs(now: number): Promise<void> {
		const learner = this.takeClick('fsrs');
		await this.run('fsrs', async (db) => {
			const { timeZone, dayStartHour } = await getSettings(db);
			const { csv } = fsrsOptimizerCsv(await readAllReviews(db), { timeZone, dayStartHour });
			const blob = new Blob([csv], { type: 'text/csv' });
			await this.deliver(db, blob, backupFileName('fsrs-revlog', now, 'csv'), now, learner, 'fsrs');
			this.fsrsSettings = { timeZone, hour: dayStartHour };
		});
	}

	/** The learner clicked the offered link: the browser downloads it; a backup counts now. */
	async savedFromLink(event: Pick<Event, 'isTrusted'>): Promise<void> {
		const ready = this.ready;
		if (!ready || !isLearnerClick(event)) return;
		try {
			await this.saved(await progressDb(), ready.kind, ready.exportedAt);
		} catch (error) {
			this.error = message(error);
		}
	}

	/** Hands the file over: now when the learner's click still counts, else as a link. */
	private async deliver(
		db: ProgressDb,
		blob: Blob,
		name: string,
		exportedAt: number,
		learnerClick: boolean,
		kind: ExportKind
	): Promise<void> {
		if (chooseDelivery(learnerClick, hasActivation()) === 'download') {
			downloadBlob(blob, name);
			await this.saved(db, kind, exportedAt);
			return;
		}
		this.ready = { kind, url: URL.createObjectURL(blob), name, exportedAt };
		this.notice = kind === 'json' ? m.hardening_backup_ready() : m.hardening_csv_ready();
	}

	private async saved(db: ProgressDb, kind: ExportKind, exportedAt: number): Promise<void> {
		if (kind === 'json') {
			await markBackedUp(db, exportedAt);
			await this.refresh(exportedAt);
		}
		this.notice = {
			json: m.progress_backup_downloaded,
			csv: m.progress_csv_downloaded,
			fsrs: m.fsrs_csv_downloaded
		}[kind]();
	}

	private discardReady(): void {
		if (this.ready) URL.revokeObjectURL(this.ready.url);
		this.ready = null;
	}

	private async run(kind: ExportKind, work: (db: ProgressDb) => Promise<void>): Promise<void> {
		if (this.busy) return;
		this.discardReady();
		this.busy = kind;
		this.notice = null;
		this.error = null;
		try {
			await work(await progressDb());
		} catch (error) {
			this.error = message(error);
		} finally {
			this.busy = null;
			this.progress = null;
		}
	}
}

/** Whether the browser keeps our storage under pressure, and asking for it again. */
export class StorageStatus {
	supported = $state(true);
	asking = $state(false);

	get persisted(): boolean | null {
		return storage.persisted;
	}

	async check(): Promise<void> {
		const api = globalThis.navigator?.storage;
		this.supported = typeof api?.persist === 'function';
		if (storage.persisted === null && typeof api?.persisted === 'function') {
			try {
				storage.persisted = await api.persisted();
			} catch {
				storage.persisted = false;
			}
		}
	}

	async ask(): Promise<void> {
		this.asking = true;
		try {
			const result = await requestPersistence();
			this.supported = result.supported;
			storage.persisted = result.persisted;
		} finally {
			this.asking = false;
		}
	}
}
