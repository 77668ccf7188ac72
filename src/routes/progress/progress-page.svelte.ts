/**
 * The /progress page: loads the stats once, in the learner's time zone and day-start hour (from
 * settings), and the saved experiment runs. `progress-view.ts` turns them into charts and tables.
 */
import {
	getCards,
	getSettings,
	listExperimentRuns,
	loadMisconceptionCounts,
	loadProgressStats,
	type CardRow,
	type MisconceptionCount,
	type ProgressStats,
	type Settings
} from '$lib/progress';
import { progressDb } from '$lib/state/progress-db.svelte';
import { runView, type RunView } from './progress-view';

export class ProgressPageState {
	phase = $state<'loading' | 'ready' | 'failed'>('loading');
	error = $state<string | null>(null);
	stats = $state.raw<ProgressStats | null>(null);
	settings = $state.raw<Settings | null>(null);
	runs = $state.raw<RunView[]>([]);
	/** Diagnosed misconceptions, most frequent first. */
	misconceptions = $state.raw<MisconceptionCount[]>([]);
	/** Every studied card's cache row (the list of cards). */
	cards = $state.raw<CardRow[]>([]);
	private titles: Record<string, string> = {};

	readonly deckTitle = (deckId: string): string =>
		Object.hasOwn(this.titles, deckId) ? this.titles[deckId] : deckId;

	/** After a card action: the card's new row (null: it counts as new again, off the list). */
	cardChanged(cardId: string, card: CardRow | null): void {
		const rest = this.cards.filter((c) => c.cardId !== cardId);
		this.cards = card ? [...rest, card] : rest;
	}

	get isEmpty(): boolean {
		return this.stats !== null && this.stats.totals.answers === 0;
	}

	/** `deckTitles`: deck id -> title of the course's decks (other ids are shown as they are). */
	async load(now: number, deckTitles: Record<string, string> = {}): Promise<void> {
		this.titles = deckTitles;
		try {
			const db = await progressDb();
			const settings = await getSettings(db);
			const [stats, runs, misconceptions, cards] = await Promise.all([
				loadProgressStats(db, { now, settings }),
				listExperimentRuns(db),
				loadMisconceptionCounts(db),
				getCards(db)
			]);
			this.cards = cards;
			this.misconceptions = misconceptions;
			this.settings = settings;
			this.stats = stats;
			this.runs = runs.map(runView);
			this.phase = 'ready';
		} catch (error) {
			this.error = error instanceof Error ? error.message : String(error);
			this.phase = 'failed';
		}
	}
}
