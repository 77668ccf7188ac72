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
import type { ChartData, HeatCell, HeatWeek, TableData } from '$lib/ui/chart-data';
import { formatPercent, formatSeconds } from '$lib/ui/format';

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
	return utc(day).toLocaleDateString(undefined, {
		timeZone: 'UTC',
		weekday: 'short',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});
}

/** "Jan 5, 2026": the Monday a week starts on (no weekday: it is always Monday). */
export function formatWeek(day: number): string {
	return utc(day).toLocaleDateString(undefined, {
		timeZone: 'UTC',
		year: 'numeric',
		month: 'short',
		day: 'numeric'
	});
}

/** "Jan 5": short axis labels. */
export function formatShortDay(day: number): string {
	return utc(day).toLocaleDateString(undefined, {
		timeZone: 'UTC',
		month: 'short',
		day: 'numeric'
	});
}

/** "7 min 40 s", "2 h 5 min", "0 s". */
export function formatDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
			const label = utc(first.day).toLocaleDateString(undefined, {
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
		caption: `Days with reviews in the last ${answers.length} days (every other day had none)`,
		columns: ['Day', 'Reviews', 'Time studied'],
		rows
	};
}

export function heatmapSummary(stats: ProgressStats): string {
	const { answers } = stats.calendar;
	const active = answers.filter((n) => n > 0).length;
	const total = answers.reduce((a, b) => a + b, 0);
	const max = Math.max(0, ...answers);
	return `Reviews per day over the last ${answers.length} days: ${plural(total, 'review')} on ${plural(active, 'day')}, at most ${max} in one day.`;
}

export function retentionTable(stats: ProgressStats): TableData {
	return {
		caption: 'True retention per week: reviews of cards already learned, and the share recalled',
		columns: ['Week of', 'Reviews', 'Recalled', 'Retention'],
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
			{ label: 'Retention', data: stats.retention.map((w) => Math.round(w.rate * 1000) / 10) }
		],
		valueLabel: 'Recalled (%)',
		percent: true
	};
}

export function accuracyTable(stats: ProgressStats, title: (deckId: string) => string): TableData {
	return {
		caption: 'Accuracy per deck and week',
		columns: ['Deck', 'Week of', 'Answers', 'Correct', 'Accuracy'],
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
		valueLabel: 'Correct (%)',
		percent: true
	};
}

export function masteryTable(stats: ProgressStats, title: (deckId: string) => string): TableData {
	return {
		caption: 'Mastery per deck, from FSRS memory state',
		columns: ['Deck', 'Cards studied', 'In review', 'Recall chance now', 'Stability'],
		rows: stats.mastery.map((deck) => [
			title(deck.deckId),
			String(deck.cards),
			String(deck.inReview),
			formatPercent(deck.meanRetrievability),
			`${deck.meanStabilityDays.toFixed(1)} days`
		])
	};
}

export function masteryChart(stats: ProgressStats, title: (deckId: string) => string): ChartData {
	return {
		type: 'bar',
		labels: stats.mastery.map((deck) => title(deck.deckId)),
		series: [
			{
				label: 'Recall chance now',
				data: stats.mastery.map((deck) => Math.round(deck.meanRetrievability * 1000) / 10)
			}
		],
		valueLabel: 'Recall chance (%)',
		percent: true,
		horizontal: true
	};
}

export function forecastTable(stats: ProgressStats): TableData {
	return {
		caption: `Cards due on each of the next ${stats.forecast.length} days (overdue cards count today)`,
		columns: ['Day', 'Cards due'],
		rows: stats.forecast.map((n, i) => [formatDay(stats.today + i), String(n)])
	};
}

export function forecastChart(stats: ProgressStats): ChartData {
	return {
		type: 'bar',
		labels: stats.forecast.map((_, i) => (i === 0 ? 'Today' : formatShortDay(stats.today + i))),
		series: [{ label: 'Cards due', data: stats.forecast }],
		valueLabel: 'Cards due'
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
		caption: 'Time studied per week',
		columns: ['Week of', 'Reviews', 'Time studied'],
		rows: weeks.map((w) => [formatWeek(w.start), String(w.answers), formatDuration(w.ms)])
	};
}

export function studyChart(weeks: StudyWeek[]): ChartData {
	return {
		type: 'bar',
		labels: weeks.map((w) => formatShortDay(w.start)),
		series: [{ label: 'Minutes', data: weeks.map((w) => Math.round(w.ms / 6000) / 10) }],
		valueLabel: 'Minutes'
	};
}

function formatValue(value: unknown): string {
	if (typeof value === 'number') {
		return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/^-/, '−');
	}
	if (typeof value === 'string') return value.length > 160 ? `${value.slice(0, 160)}…` : value;
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (value === null || value === undefined) return '—';
	if (Array.isArray(value)) return plural(value.length, 'value');
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

/** The summary's fields as a learner reads them. */
const ARM_LABELS: Record<keyof ArmResult, string> = {
	train_loss: 'Training loss',
	honest_loss: 'Honest loss',
	grad_norm: 'Gradient norm',
	sample_divergence: 'Sample divergence',
	next_token_share: 'Attention on the next token'
};
const SUMMARY_LABELS: Record<Exclude<keyof ExperimentRunSummary, 'masked' | 'unmasked'>, string> = {
	corpus_passage_divergence: 'Divergence of real text (reference)',
	total_ms: 'Training time',
	wall_ms: 'Wall time'
};
const RUN_LABELS: Record<string, string> = { ...ARM_LABELS, ...SUMMARY_LABELS };

/** `total_ms: 41234` reads "Training time: 41.2 s"; unknown keys lose their underscores. */
function readablePair([key, value]: [string, string]): [string, string] {
	const label = RUN_LABELS[key] ?? key.replaceAll('_', ' ');
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
			columns: ['Measure', 'With the causal mask', 'Without the mask'],
			rows: keys
				.slice(0, MAX_RUN_ENTRIES)
				.map((key) => [
					RUN_LABELS[key] ?? key.replaceAll('_', ' '),
					formatValue(masked[key]),
					formatValue(unmasked[key])
				])
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
