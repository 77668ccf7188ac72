/** /settings → Import a backup: check, preview, merge (the page's state; see `progress`). */
import {
	applyImport,
	previewImport,
	ProgressError,
	type ImportPhase,
	type ImportPreview,
	type ImportResult
} from '$lib/progress';
import { m } from '$lib/paraglide/messages';
import { progressDb } from '$lib/state/progress-db.svelte';
import { syncAfterImport } from '$lib/state/sync.svelte';
import { message } from './settings-helpers';

/**
 * Import of a backup file: `choose` checks it and counts what it holds (nothing is written);
 * `apply` then merges it. The check can be cancelled; writing cannot (it is safe to repeat).
 */
export class BackupImport {
	phase = $state<'idle' | 'checking' | 'preview' | 'rejected' | 'importing' | 'done' | 'failed'>(
		'idle'
	);
	fileName = $state<string | null>(null);
	preview = $state.raw<ImportPreview | null>(null);
	result = $state.raw<ImportResult | null>(null);
	progress = $state<{ phase: ImportPhase; done: number; total: number } | null>(null);
	error = $state<string | null>(null);
	replaceSettings = $state(false);
	private controller: AbortController | null = null;

	/**
	 * A backup can be applied: checked, valid, and with something new in it or cards it repairs (an
	 * earlier import of it that stopped before rebuilding); its settings count when the learner
	 * asked for them (without a request they only fill in a browser that has none).
	 */
	get canApply(): boolean {
		const p = this.preview;
		return (
			this.phase === 'preview' &&
			!!p?.ok &&
			(p.reviews.new > 0 ||
				p.cardsToRepair > 0 ||
				p.experimentRuns.new > 0 ||
				(p.settings === 'valid' && this.replaceSettings))
		);
	}

	async choose(file: File | null): Promise<void> {
		this.controller?.abort();
		this.reset();
		if (!file) return;
		this.fileName = file.name;
		this.phase = 'checking';
		const controller = new AbortController();
		this.controller = controller;
		try {
			const preview = await previewImport(await progressDb(), file, {
				signal: controller.signal,
				onProgress: (phase, done, total) => {
					if (!controller.signal.aborted) this.progress = { phase, done, total };
				}
			});
			if (controller.signal.aborted) return;
			this.preview = preview;
			this.phase = preview.ok ? 'preview' : 'rejected';
		} catch (error) {
			if (controller.signal.aborted) return;
			this.error = message(error);
			this.phase = 'failed';
		} finally {
			if (this.controller === controller) this.controller = null;
			this.progress = null;
		}
	}

	/** Stops checking the file; nothing has been written. */
	cancel(): void {
		if (this.phase !== 'checking') return;
		this.controller?.abort();
		this.reset();
		this.error = m.progress_import_cancelled();
	}

	async apply(): Promise<boolean> {
		const preview = this.preview;
		if (!preview || !this.canApply) return false;
		this.phase = 'importing';
		this.error = null;
		try {
			this.result = await applyImport(await progressDb(), preview, {
				replaceSettings: this.replaceSettings,
				onProgress: (phase, done, total) => (this.progress = { phase, done, total })
			});
			this.phase = 'done';
			syncAfterImport();
			return true;
		} catch (error) {
			this.error =
				error instanceof ProgressError && error.kind === 'import'
					? error.message
					: m.progress_import_stopped({ error: message(error) });
			this.phase = 'failed';
			return false;
		} finally {
			this.progress = null;
		}
	}

	reset(): void {
		this.phase = 'idle';
		this.fileName = null;
		this.preview = null;
		this.result = null;
		this.progress = null;
		this.error = null;
	}
}
