import { m } from '$lib/paraglide/messages';
import {
	checkDatabase,
	discardOrphanCards,
	keepOrphanCards,
	listOrphanCards,
	type CheckReport,
	type OrphanCard
} from '$lib/progress';
import { progressDb } from '$lib/state/progress-db.svelte';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Check database (/settings): rebuilds every derived store from the log and shows what it changed;
 * answers dated in the future are re-dated only once the learner says the clock is right now.
 */
export class DatabaseCheck {
	phase = $state<'idle' | 'checking' | 'done' | 'cancelled' | 'failed'>('idle');
	progress = $state<{ done: number; total: number } | null>(null);
	report = $state.raw<CheckReport | null>(null);
	/** The last run re-dated answers (the learner confirmed the clock). */
	redated = $state(false);
	error = $state<string | null>(null);
	private controller: AbortController | null = null;

	async run(now: number, repairClock = false): Promise<void> {
		if (this.phase === 'checking') return;
		const controller = new AbortController();
		this.controller = controller;
		this.phase = 'checking';
		this.error = null;
		this.progress = { done: 0, total: 0 };
		try {
			this.report = await checkDatabase(await progressDb(), {
				now,
				repairClock,
				signal: controller.signal,
				onProgress: (done, total) => (this.progress = { done, total })
			});
			this.redated = repairClock;
			this.phase = 'done';
		} catch (error) {
			if (controller.signal.aborted) this.phase = 'cancelled';
			else {
				this.error = message(error);
				this.phase = 'failed';
			}
		} finally {
			this.controller = null;
			this.progress = null;
		}
	}

	/** Stops between pages; what was checked so far stays repaired. */
	cancel(): void {
		this.controller?.abort();
	}
}

/** Studied cards that are no longer in the course, and what the learner does with them. */
export class OrphanCards {
	cards = $state.raw<OrphanCard[] | null>(null);
	busy = $state(false);
	error = $state<string | null>(null);
	/** What the live region says after an action. */
	announcement = $state('');

	/** `contentCardIds`: every card id of the course (read when the list loads). */
	constructor(private readonly contentCardIds: () => readonly string[]) {}

	async load(): Promise<void> {
		try {
			this.cards = await listOrphanCards(await progressDb(), this.contentCardIds());
		} catch (error) {
			this.error = message(error);
		}
	}

	async keep(cardIds: readonly string[]): Promise<void> {
		await this.act(async (db) => {
			await keepOrphanCards(db, cardIds);
			this.announcement = m.database_orphans_kept({ count: cardIds.length });
		});
	}

	async discard(cardIds: readonly string[], now: number): Promise<void> {
		await this.act(async (db) => {
			await discardOrphanCards(db, cardIds, now);
			this.announcement = m.database_orphans_discarded({ count: cardIds.length });
		});
	}

	private async act(work: (db: Awaited<ReturnType<typeof progressDb>>) => Promise<void>) {
		this.busy = true;
		this.error = null;
		try {
			await work(await progressDb());
			await this.load();
		} catch (error) {
			this.error = message(error);
		} finally {
			this.busy = false;
		}
	}
}
