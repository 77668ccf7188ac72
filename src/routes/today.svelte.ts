import {
	backupReminderDue,
	getBackupStatus,
	loadProgressStats,
	loadQueue,
	studiedCardIds
} from '$lib/progress';
import { progressDb } from '$lib/state/progress-db.svelte';

export interface DeckProgress {
	studied: number;
	total: number;
}

/** The home page's numbers: what is due today, the streak, where to continue. */
export class TodayState {
	phase = $state<'loading' | 'ready' | 'failed'>('loading');
	error = $state<string | null>(null);
	dueNow = $state(0);
	newToday = $state(0);
	streak = $state(0);
	longestStreak = $state(0);
	answers = $state(0);
	backupDue = $state(false);
	deckProgress = $state<Record<string, DeckProgress>>({});

	async load(decks: { id: string; questionIds: string[] }[], now: number): Promise<void> {
		try {
			const db = await progressDb();
			const contentCardIds = decks.flatMap((deck) => deck.questionIds);
			const [queue, stats, backup, studied] = await Promise.all([
				loadQueue(db, { contentCardIds, now }),
				loadProgressStats(db, { now, calendarDays: 7, forecastDays: 1 }),
				getBackupStatus(db),
				studiedCardIds(db)
			]);
			this.dueNow = queue.counts.learning + queue.counts.review;
			this.newToday = queue.counts.new;
			this.streak = stats.streak.current;
			this.longestStreak = stats.streak.longest;
			this.answers = stats.totals.answers;
			this.backupDue = backupReminderDue(backup, now);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, never rendered
			const studiedIds = new Set(studied);
			this.deckProgress = Object.fromEntries(
				decks.map((deck) => [
					deck.id,
					{
						studied: deck.questionIds.filter((id) => studiedIds.has(id)).length,
						total: deck.questionIds.length
					}
				])
			);
			this.phase = 'ready';
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
			this.phase = 'failed';
		}
	}

	/** The first lesson not fully studied, in course order. */
	nextDeck(order: string[]): string | null {
		return (
			order.find((id) => {
				const p = this.deckProgress[id];
				return !p || p.studied < p.total;
			}) ?? null
		);
	}
}
