/**
 * The workload forecast as the retention panel shows it: totals for the next 30 and 365 days, and
 * the chart and table of reviews per day (30 days) or per week (a year).
 */
import type { Forecast } from '$lib/scheduler';
import { DAY_MS } from '$lib/scheduler';
import { m } from '$lib/paraglide/messages';
import type { ChartData, TableData } from '$lib/ui/chart-data';
import { intlLocale } from '$lib/ui/format';

export type ForecastSpan = 30 | 365;

/** Whole percent of a retention (0.9 → 90). */
export const percentOf = (retention: number): number => Math.round(retention * 100);

/** Course cards never studied (each id once, whatever the course lists twice). */
export function newCardCount(
	courseCardIds: readonly string[],
	studied: readonly { cardId: string }[]
): number {
	const seen = new Set(studied.map((card) => card.cardId));
	return new Set(courseCardIds.filter((id) => !seen.has(id))).size;
}

/** Reviews in the first `days` days of a forecast. */
export function reviewsWithin(forecast: Forecast, days: number): number {
	return forecast.perDay.slice(0, days).reduce((sum, day) => sum + day.reviews, 0);
}

/** "1,234 reviews (41 a day)" for the first `days` days. */
export function workloadText(forecast: Forecast, days: number): string {
	const total = reviewsWithin(forecast, days);
	const format = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 0 });
	return m.retention_per_day({
		total: format.format(total),
		average: new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(total / days)
	});
}

interface Bucket {
	day: number;
	values: number[];
}

/** Per day for 30 days, per 7-day week for a year: one value per forecast given. */
export function buckets(forecasts: readonly Forecast[], span: ForecastSpan): Bucket[] {
	const width = span === 30 ? 1 : 7;
	const days = forecasts[0]?.perDay.slice(0, span) ?? [];
	const result: Bucket[] = [];
	for (let i = 0; i < days.length; i += width) {
		result.push({
			day: days[i].day,
			values: forecasts.map((f) =>
				f.perDay.slice(i, Math.min(i + width, span)).reduce((sum, d) => sum + d.reviews, 0)
			)
		});
	}
	return result;
}

const dateOf = (day: number, withYear: boolean) =>
	new Date(day * DAY_MS).toLocaleDateString(intlLocale(), {
		timeZone: 'UTC',
		month: 'short',
		day: 'numeric',
		...(withYear ? { year: 'numeric' } : {})
	});

const round = (x: number) => Math.round(x * 10) / 10;

/** The chart: one series per retention compared (the chosen one first). */
export function forecastChart(forecasts: readonly Forecast[], span: ForecastSpan): ChartData {
	const rows = buckets(forecasts, span);
	return {
		type: 'line',
		labels: rows.map((row) => dateOf(row.day, false)),
		series: forecasts.map((f, k) => ({
			label: m.retention_series({ percent: percentOf(f.retention) }),
			data: rows.map((row) => round(row.values[k]))
		})),
		valueLabel: m.retention_value_axis()
	};
}

/** The same numbers as the chart. */
export function forecastTable(forecasts: readonly Forecast[], span: ForecastSpan): TableData {
	const format = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 });
	return {
		caption: m.retention_table_caption({
			unit: span === 30 ? m.retention_unit_day() : m.retention_unit_week()
		}),
		columns: [
			span === 30 ? m.retention_col_day() : m.retention_col_week(),
			...forecasts.map((f) => m.retention_series({ percent: percentOf(f.retention) }))
		],
		rows: buckets(forecasts, span).map((row) => [
			dateOf(row.day, true),
			...row.values.map((v) => format.format(v))
		])
	};
}

/** The drawing's text alternative. */
export function forecastSummary(forecasts: readonly Forecast[], span: ForecastSpan): string {
	const format = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 0 });
	const [chosen, saved] = forecasts;
	if (!chosen) return '';
	const chosenTotal = format.format(reviewsWithin(chosen, span));
	if (!saved)
		return m.retention_chart_summary_one({ chosen: percentOf(chosen.retention), chosenTotal });
	return m.retention_chart_summary({
		chosen: percentOf(chosen.retention),
		chosenTotal,
		saved: percentOf(saved.retention),
		savedTotal: format.format(reviewsWithin(saved, span))
	});
}
