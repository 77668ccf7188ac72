/**
 * What /progress draws, as pure functions of the stats: the calendar heatmap, chart data, and the
 * same numbers as tables (text formatted for the reader's locale).
 */
import type {
	ArmResult,
	ExperimentRunRow,
	ExperimentRunSummary,
	ProgressStats
} from '$lib/progress';
import { DAY_MS, dayToIso, weekStartOf } from '$lib/scheduler';
import { m } from '$lib/paraglide/messages';
import type { ChartData, HeatCell, HeatWeek, TableData } from '$lib/ui/chart-data';
import { formatPercent, formatSeconds, intlLocale, isSingular } from '$lib/ui/format';

export interface RunView {
	id: string;
	time: number;
	/** The two models side by side, when the summary has `masked` and `unmasked` results. */
	arms: { columns: string[]; rows: string[][] } | null;
	/** "path: value" pairs of the rest of the summary, flattened, as plain text. */
	results: [string, string][];
	config: [string, string][];
}

/** Weeks of time studied shown at most. */
const STUDY_WEEKS = 26;
const MAX_RUN_ENTRIES = 24;

const utc = (day: number) => new Date(day * DAY_MS);

/** "Mon, Jan 5, 2026" in the reader's locale (day numbers are calendar dates: format in UTC). */
export function formatDay(day: number): string {
	return utc(day).toLocaleDateString(intlLocale(), {
		timeZone: 'UTC',
		weekday: 'short',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});
}

/** "Jan 5, 2026": the Monday a week starts on (no weekday: it is always Monday). */
export function formatWeek(day: number): string {
	return utc(day).toLocaleDateString(intlLocale(), {
		timeZone: 'UTC',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});
}

/** "Jan 5": short axis labels. */
export function formatShortDay(day: number): string {
	return utc(day).toLocaleDateString(intlLocale(), {
		timeZone: 'UTC',
		month: 'short',
		day: 'numeric'
	});
}

/** "7 min 40 s", "2 h 5 min", "0 s". */
export function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return m.progress_duration_s({ s: seconds });
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return seconds % 60
			? m.progress_duration_min_s({ min: minutes, s: seconds % 60 })
			: m.progress_duration_min({ min: minutes });
	}
	const hours = Math.floor(minutes / 60);
	return minutes % 60
		? m.progress_duration_h_min({ h: hours, min: minutes % 60 })
		: m.progress_duration_h({ h: hours });
}

type CountMessage = (inputs: { count: number }) => string;

/** "1 day", "3 days": the singular or plural message of the page's language. */
export function countText(count: number, one: CountMessage, other: CountMessage): string {
	return (isSingular(count) ? one : other)({ count });
}

/** "1 day", "3 days". */
export const dayCount = (n: number) => countText(n, m.progress_days_one, m.progress_days_other);

/** The calendar as columns of weeks (Monday first), ending with the current week. */
export function heatmapWeeks(stats: ProgressStats): HeatWeek[] {
	const { firstDay, answers } = stats.calendar;
	const max = Math.max(0, ...answers);
	const weeks: HeatWeek[] = [];
	for (let start = weekStartOf(firstDay); start <= stats.today; start += 7) {
		const cells: (HeatCell | null)[] = [];
		for (let day = start; day < start + 7; day++) {
			if (day < firstDay || day > stats.today) {
				cells.push(null);
				continue;
			}
			const count = answers[day - firstDay];
			const level = count === 0 ? 0 : (Math.min(4, Math.ceil((count / max) * 4)) as 1 | 2 | 3 | 4);
			cells.push({ day, iso: dayToIso(day), count, level, today: day === stats.today });
		}
		weeks.push({ start, cells });
	}
	return weeks;
}

/** Month names over the heatmap: at the first week that holds the 1st of a month. */
export function monthLabels(weeks: HeatWeek[]): { column: number; label: string }[] {
	const labels: { column: number; label: string }[] = [];
	weeks.forEach((week, column) => {
		const first = week.cells.find((cell) => cell && cell.iso.endsWith('-01'));
		if (first) {
			const label = utc(first.day).toLocaleDateString(intlLocale(), {
				timeZone: 'UTC',
				month: 'short'
			});
			labels.push({ column, label });
		}
	});
	return labels;
}

/** The days with reviews, oldest first. */
export function dayTable(stats: ProgressStats): TableData {
	const { firstDay, answers, studyMs } = stats.calendar;
	const rows: string[][] = [];
	answers.forEach((count, i) => {
		if (count > 0) rows.push([formatDay(firstDay + i), String(count), formatDuration(studyMs[i])]);
	});
	return {
		caption: m.progress_day_table_caption({ count: answers.length }),
		columns: [m.progress_col_day(), m.progress_reviews(), m.progress_time_studied()],
		rows
	};
}

export function heatmapSummary(stats: ProgressStats): string {
	const { answers } = stats.calendar;
	const active = answers.filter((n) => n > 0).length;
	const total = answers.reduce((a, b) => a + b, 0);
	const max = Math.max(0, ...answers);
	return m.progress_heatmap_summary({
		days: answers.length,
		reviews: countText(total, m.progress_review_count_one, m.progress_review_count_other),
		active: dayCount(active),
		max
	});
}

export function retentionTable(stats: ProgressStats): TableData {
	return {
		caption: m.progress_retention_caption(),
		columns: [
			m.progress_col_week_of(),
			m.progress_reviews(),
			m.progress_col_recalled(),
			m.progress_col_retention()
		],
		rows: stats.retention.map((w) => [
			formatWeek(w.weekStart),
			String(w.reviews),
			String(w.recalled),
			formatPercent(w.rate)
		])
	};
}

export function retentionChart(stats: ProgressStats): ChartData {
	return {
		type: 'line',
		labels: stats.retention.map((w) => formatShortDay(w.weekStart)),
		series: [
			{
				label: m.progress_col_retention(),
				data: stats.retention.map((w) => Math.round(w.rate * 1000) / 10)
			}
		],
		valueLabel: m.progress_recalled_percent(),
		percent: true
	};
}

export function accuracyTable(stats: ProgressStats, title: (deckId: string) => string): TableData {
	return {
		caption: m.progress_accuracy_caption(),
		columns: [
			m.progress_col_deck(),
			m.progress_col_week_of(),
			m.progress_col_answers(),
			m.progress_col_correct(),
			m.progress_col_accuracy()
		],
		rows: stats.deckAccuracy.flatMap((deck) =>
			deck.weeks.map((w) => [
				title(deck.deckId),
				formatWeek(w.weekStart),
				String(w.answers),
				String(w.correct),
				formatPercent(w.rate)
			])
		)
	};
}

export function accuracyChart(stats: ProgressStats, title: (deckId: string) => string): ChartData {
	const weeks = [
		...new Set(stats.deckAccuracy.flatMap((deck) => deck.weeks.map((w) => w.weekStart)))
	].sort((a, b) => a - b);
	return {
		type: 'line',
		labels: weeks.map(formatShortDay),
		series: stats.deckAccuracy.map((deck) => {
			const byWeek = new Map(deck.weeks.map((w) => [w.weekStart, w.rate]));
			return {
				label: title(deck.deckId),
				data: weeks.map((week) => {
					const rate = byWeek.get(week);
					return rate === undefined ? null : Math.round(rate * 1000) / 10;
				})
			};
		}),
		valueLabel: m.progress_correct_percent(),
		percent: true
	};
}

export function masteryTable(stats: ProgressStats, title: (deckId: string) => string): TableData {
	return {
		caption: m.progress_mastery_caption(),
		columns: [
			m.progress_col_deck(),
			m.progress_cards_studied(),
			m.progress_col_in_review(),
			m.progress_col_recall_now(),
			m.progress_col_stability()
		],
		rows: stats.mastery.map((deck) => [
			title(deck.deckId),
			String(deck.cards),
			String(deck.inReview),
			formatPercent(deck.meanRetrievability),
			m.progress_stability_days({ days: deck.meanStabilityDays.toFixed(1) })
		])
	};
}

export function masteryChart(stats: ProgressStats, title: (deckId: string) => string): ChartData {
	return {
		type: 'bar',
		labels: stats.mastery.map((deck) => title(deck.deckId)),
		series: [
			{
				label: m.progress_col_recall_now(),
				data: stats.mastery.map((deck) => Math.round(deck.meanRetrievability * 1000) / 10)
			}
		],
		valueLabel: m.progress_recall_percent(),
		percent: true,
		horizontal: true
	};
}

export function forecastTable(stats: ProgressStats): TableData {
	return {
		caption: m.progress_forecast_caption({ count: stats.forecast.length }),
		columns: [m.progress_col_day(), m.progress_col_cards_due()],
		rows: stats.forecast.map((n, i) => [formatDay(stats.today + i), String(n)])
	};
}

export function forecastChart(stats: ProgressStats): ChartData {
	return {
		type: 'bar',
		labels: stats.forecast.map((_, i) =>
			i === 0 ? m.progress_today() : formatShortDay(stats.today + i)
		),
		series: [{ label: m.progress_col_cards_due(), data: stats.forecast }],
		valueLabel: m.progress_col_cards_due()
	};
}

interface StudyWeek {
	start: number;
	answers: number;
	ms: number;
}

/** Weeks from the first one with reviews (at most `STUDY_WEEKS` back) to this week. */
export function studyWeeks(stats: ProgressStats): StudyWeek[] {
	const { firstDay, answers, studyMs } = stats.calendar;
	const current = weekStartOf(stats.today);
	const firstActive = answers.findIndex((n) => n > 0);
	if (firstActive < 0) return [];
	const from = Math.max(weekStartOf(firstDay + firstActive), current - 7 * (STUDY_WEEKS - 1));
	const weeks: StudyWeek[] = [];
	for (let start = from; start <= current; start += 7) {
		let count = 0;
		let ms = 0;
		for (let day = Math.max(start, firstDay); day < start + 7 && day <= stats.today; day++) {
			count += answers[day - firstDay];
			ms += studyMs[day - firstDay];
		}
		weeks.push({ start, answers: count, ms });
	}
	return weeks;
}

export function studyTable(weeks: StudyWeek[]): TableData {
	return {
		caption: m.progress_study_caption(),
		columns: [m.progress_col_week_of(), m.progress_reviews(), m.progress_time_studied()],
		rows: weeks.map((w) => [formatWeek(w.start), String(w.answers), formatDuration(w.ms)])
	};
}

export function studyChart(weeks: StudyWeek[]): ChartData {
	return {
		type: 'bar',
		labels: weeks.map((w) => formatShortDay(w.start)),
		series: [{ label: m.progress_minutes(), data: weeks.map((w) => Math.round(w.ms / 6000) / 10) }],
		valueLabel: m.progress_minutes()
	};
}

function formatValue(value: unknown): string {
	if (typeof value === 'number') {
		return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/^-/, '−');
	}
	if (typeof value === 'string') return value.length > 160 ? `${value.slice(0, 160)}…` : value;
	if (typeof value === 'boolean') return value ? m.progress_yes() : m.progress_no();
	if (value === null || value === undefined) return '—';
	if (Array.isArray(value)) {
		return countText(value.length, m.progress_values_one, m.progress_values_other);
	}
	return '…';
}

/** A run's JSON as "a.b: value" text pairs; arrays are summarised, never expanded. */
export function flattenJson(
	value: Record<string, unknown>,
	limit = MAX_RUN_ENTRIES
): [string, string][] {
	const out: [string, string][] = [];
	const walk = (node: unknown, path: string) => {
		if (out.length >= limit) return;
		if (node && typeof node === 'object' && !Array.isArray(node)) {
			for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
				walk(child, path ? `${path}.${key}` : key);
			}
		} else {
			out.push([path, formatValue(node)]);
		}
	};
	walk(value, '');
	return out;
}

/** The summary's fields as a learner reads them (messages: read in the page's language). */
const ARM_LABELS: Record<keyof ArmResult, () => string> = {
	train_loss: m.progress_arm_train_loss,
	honest_loss: m.progress_arm_honest_loss,
	grad_norm: m.progress_arm_grad_norm,
	sample_divergence: m.progress_arm_sample_divergence,
	next_token_share: m.progress_arm_next_token_share
};
const SUMMARY_LABELS: Record<
	Exclude<keyof ExperimentRunSummary, 'masked' | 'unmasked'>,
	() => string
> = {
	corpus_passage_divergence: m.progress_run_corpus_divergence,
	total_ms: m.progress_run_total_ms,
	wall_ms: m.progress_run_wall_ms
};
const RUN_LABELS: Record<string, () => string> = { ...ARM_LABELS, ...SUMMARY_LABELS };

/** A field's label, or the key without underscores when it is not a known field. */
const runLabel = (key: string): string =>
	Object.hasOwn(RUN_LABELS, key) ? RUN_LABELS[key]() : key.replaceAll('_', ' ');

/** `total_ms: 41234` reads "Training time: 41.2 s"; unknown keys lose their underscores. */
function readablePair([key, value]: [string, string]): [string, string] {
	const label = runLabel(key);
	const ms = key.endsWith('_ms') ? Number(value.replace(/[^\d.-]/g, '')) : Number.NaN;
	return [label, Number.isFinite(ms) ? formatSeconds(ms, 1) : value];
}

/**
 * A saved run as text: both arms of the experiment side by side, the rest as pairs (fields the
 * summary lacks are left out; fields it does not define are shown as they are).
 */
export function runView(run: ExperimentRunRow): RunView {
	const { masked, unmasked, ...rest } = run.summary;
	let arms: RunView['arms'] = null;
	let results: [string, string][];
	if (masked && unmasked) {
		const keys = [...new Set([...Object.keys(masked), ...Object.keys(unmasked)])];
		arms = {
			columns: [m.progress_run_measure(), m.progress_run_masked(), m.progress_run_unmasked()],
			rows: keys
				.slice(0, MAX_RUN_ENTRIES)
				.map((key) => [runLabel(key), formatValue(masked[key]), formatValue(unmasked[key])])
		};
		results = flattenJson(rest);
	} else {
		results = flattenJson(run.summary);
	}
	const readable = (pairs: [string, string][]) => pairs.map(readablePair);
	return {
		id: run.id,
		time: run.time,
		arms,
		results: readable(results),
		config: readable(flattenJson(run.config))
	};
}
