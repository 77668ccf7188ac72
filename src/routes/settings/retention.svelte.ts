/**
 * The desired-retention panel: the retention in force, the one the learner is trying, a workload
 * forecast for each (ts-fsrs simulation, `forecastWorkload`), and saving, which reschedules every
 * studied card (progress's `applyScheduling`).
 */
import {
	applyScheduling,
	getCards,
	getSettings,
	saveSettings,
	schedulingOf,
	type ProgressDb,
	type Settings
} from '$lib/progress';
import {
	DEFAULT_FORECAST_RUNS,
	DEFAULT_RETENTION,
	forecastWorkload,
	type CardState,
	type Forecast
} from '$lib/scheduler';
import { progressDb } from '$lib/state/progress-db.svelte';
import { syncAfterSettingsSaved } from '$lib/state/sync.svelte';
import { m } from '$lib/paraglide/messages';
import { message } from './settings-helpers';
import { newCardCount, percentOf } from './retention-view';

/** The forecast covers a year; its first 30 days are the month's numbers. */
const FORECAST_DAYS = 365;
/** The slider settles this long before a forecast is simulated. */
const SETTLE_MS = 150;

export class RetentionPlanner {
	phase = $state<'loading' | 'ready' | 'failed'>('loading');
	/** The retention in force (saved in the settings). */
	saved = $state(DEFAULT_RETENTION);
	/** The retention on the slider. */
	chosen = $state(DEFAULT_RETENTION);
	/** Forecasts by retention in whole percent (moving the slider back reuses them). */
	forecasts = $state.raw<Record<number, Forecast>>({});
	computing = $state(false);
	newCards = $state(0);
	dailyNewLimit = $state(0);
	progress = $state<{ done: number; total: number } | null>(null);
	status = $state<string | null>(null);
	error = $state<string | null>(null);

	private db: ProgressDb | null = null;
	private cards: CardState[] = [];
	private settings: Settings | null = null;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private readonly courseCardIds: () => readonly string[];

	constructor(courseCardIds: () => readonly string[]) {
		this.courseCardIds = courseCardIds;
	}

	/** The forecasts to draw: the chosen retention's, then the saved one's when they differ. */
	get shown(): Forecast[] {
		const chosen = this.forecasts[percentOf(this.chosen)];
		const saved = this.forecasts[percentOf(this.saved)];
		if (!chosen) return [];
		return this.chosen === this.saved || !saved ? [chosen] : [chosen, saved];
	}

	get runs(): number {
		return DEFAULT_FORECAST_RUNS;
	}

	async load(now = Date.now()): Promise<void> {
		try {
			this.db = await progressDb();
			const [settings, cards] = await Promise.all([getSettings(this.db), getCards(this.db)]);
			this.settings = settings;
			this.cards = cards;
			this.newCards = newCardCount(this.courseCardIds(), cards);
			this.dailyNewLimit = settings.dailyNewLimit;
			this.saved = settings.desiredRetention;
			this.chosen = settings.desiredRetention;
			this.forecasts = {};
			this.simulate(this.saved, now);
			this.phase = 'ready';
		} catch (error) {
			this.error = message(error);
			this.phase = 'failed';
		}
	}

	/** The slider moved: forecast the new retention once it settles. */
	choose(retention: number): void {
		this.chosen = Math.round(retention * 100) / 100;
		this.status = null;
		clearTimeout(this.timer);
		if (this.forecasts[percentOf(this.chosen)]) return;
		this.computing = true;
		this.timer = setTimeout(() => {
			this.simulate(this.chosen, Date.now());
			this.computing = false;
		}, SETTLE_MS);
	}

	private simulate(retention: number, now: number): void {
		if (!this.settings || this.forecasts[percentOf(retention)]) return;
		try {
			const forecast = forecastWorkload({
				cards: this.cards,
				newCards: this.newCards,
				dailyNewLimit: this.settings.dailyNewLimit,
				dailyReviewLimit: this.settings.dailyReviewLimit,
				retention,
				days: FORECAST_DAYS,
				now,
				dayStartHour: this.settings.dayStartHour,
				timeZone: this.settings.timeZone,
				params: this.db ? (schedulingOf(this.db).weights ?? undefined) : undefined
			});
			this.forecasts = { ...this.forecasts, [percentOf(retention)]: forecast };
		} catch (error) {
			this.error = m.retention_failed({ error: message(error) });
		}
	}

	/** Saves the chosen retention and reschedules every studied card with it. */
	async save(): Promise<void> {
		if (!this.db || this.progress) return;
		const db = this.db;
		const retention = this.chosen;
		this.status = null;
		this.error = null;
		this.progress = { done: 0, total: this.cards.length };
		try {
			this.settings = await saveSettings(db, { desiredRetention: retention });
			const count = await applyScheduling(
				db,
				{ ...schedulingOf(db), desiredRetention: retention },
				{ onProgress: (done, total) => (this.progress = { done, total }) }
			);
			this.saved = retention;
			// the cards' due dates moved: forecast again from them
			this.cards = await getCards(db);
			this.forecasts = {};
			this.simulate(retention, Date.now());
			this.status =
				count > 0
					? m.retention_saved({ percent: percentOf(retention), count })
					: m.retention_saved_none({ percent: percentOf(retention) });
			void syncAfterSettingsSaved().catch(() => undefined);
		} catch (error) {
			this.error = message(error);
		} finally {
			this.progress = null;
		}
	}
}
