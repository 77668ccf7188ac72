/**
 * The one Chart.js wrapper. Chart.js is loaded on first use (dynamic import, only the pieces
 * registered here) so it never blocks a page. Colours come from the page's CSS variables and follow
 * the light/dark theme as it changes; the canvas resizes with its container; each chart is created
 * in a task of its own (several charts drawn in one go could block the page for 100 ms).
 */
import type { Chart, ChartConfiguration, ChartType, DefaultDataPoint } from 'chart.js';
import type { ChartData as ChartSpec } from '$lib/ui/chart-data';
import { m } from '../paraglide/messages.js';

type ChartModule = typeof import('chart.js');
let loading: Promise<ChartModule> | null = null;

/** Chart.js, loaded once; call it early (on mount) so a live chart only pays for drawing. */
export function loadChartJs(): Promise<ChartModule> {
	loading ??= import('chart.js').then((mod) => {
		mod.Chart.register(
			mod.BarController,
			mod.BarElement,
			mod.LineController,
			mod.LineElement,
			mod.PointElement,
			mod.CategoryScale,
			mod.LinearScale,
			mod.LogarithmicScale,
			mod.Legend,
			mod.Tooltip
		);
		const font = getComputedStyle(document.documentElement).getPropertyValue('--font').trim();
		if (font) mod.Chart.defaults.font.family = font;
		mod.Chart.defaults.font.size = 12;
		return mod;
	});
	return loading;
}

// One chart's drawing per task.
const jobs: (() => void)[] = [];
let scheduled = false;
function runNext() {
	scheduled = false;
	jobs.shift()?.();
	if (jobs.length > 0) schedule();
}
function schedule() {
	if (scheduled) return;
	scheduled = true;
	setTimeout(runNext, 0);
}
/** Runs `job` in a task of its own, after the jobs queued before it. */
export function inOwnTask(job: () => void): void {
	jobs.push(job);
	schedule();
}

export interface ChartTheme {
	fg: string;
	muted: string;
	grid: string;
	surface: string;
	font: string;
	/** Series colours: the theme's accent, good, warn and bad, then extra distinct ones. */
	series: string[];
	/** Any theme colour by its CSS variable's name without `--`, e.g. `accent` or `bad`. */
	token(name: string): string;
}

/** Series colours beyond the theme's accent, good, warn and bad: distinct in each scheme. */
const EXTRA = {
	light: ['#7b3fa0', '#00707a', '#a3476b', '#4d5b00', '#5a5f73', '#b35900'],
	dark: ['#d29ce6', '#5fd4d4', '#ff9ec4', '#c5d86d', '#c3c8da', '#ffb36b']
};

export function readTheme(element: Element): ChartTheme {
	const style = getComputedStyle(element);
	const token = (name: string) => style.getPropertyValue(`--${name}`).trim();
	const dark = style.colorScheme.includes('dark');
	return {
		fg: token('fg'),
		muted: token('muted'),
		grid: token('border'),
		surface: token('surface'),
		font: token('font'),
		series: [
			token('accent'),
			token('good'),
			token('warn'),
			token('bad'),
			...EXTRA[dark ? 'dark' : 'light']
		],
		token
	};
}

/**
 * Draws the chart `configure` describes on `canvas` once Chart.js has loaded, and again (options and
 * dataset styles) whenever the theme changes. `onChart` receives the chart once it exists, for live
 * updates. Returns a cleanup that destroys the chart (also when it had not been drawn yet);
 * `onError` is told when Chart.js cannot be loaded.
 */
export function mountChart<TType extends ChartType, TData = DefaultDataPoint<TType>>(
	canvas: HTMLCanvasElement,
	configure: (theme: ChartTheme) => ChartConfiguration<TType, TData>,
	{
		onError = () => {},
		onChart = () => {}
	}: {
		onError?: (error: unknown) => void;
		onChart?: (chart: Chart<TType, TData> | null) => void;
	} = {}
): () => void {
	let chart: Chart<TType, TData> | null = null;
	let stopped = false;

	const retheme = () => {
		if (!chart) return;
		const config = configure(readTheme(canvas));
		if (config.options) chart.options = config.options;
		chart.data.datasets.forEach((dataset, i) => Object.assign(dataset, config.data.datasets[i]));
		chart.update('none');
	};
	const observer = new MutationObserver(retheme);
	observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
	const scheme = matchMedia('(prefers-color-scheme: dark)');
	scheme.addEventListener('change', retheme);

	loadChartJs().then(
		({ Chart }) =>
			inOwnTask(() => {
				if (stopped) return;
				chart = new Chart(canvas, configure(readTheme(canvas)));
				onChart(chart);
			}),
		(error: unknown) => {
			if (!stopped) onError(error);
		}
	);

	return () => {
		stopped = true;
		observer.disconnect();
		scheme.removeEventListener('change', retheme);
		chart?.destroy();
		chart = null;
		onChart(null);
	};
}

const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

/** Splits a long category label (a deck title) into lines of about `width` characters. */
export function wrapLabel(label: string, width = 18): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of label.split(/\s+/)) {
		if (line && line.length + word.length + 1 > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}
	if (line) lines.push(line);
	if (lines.length <= 3) return lines;
	const rest = lines.slice(2).join(' ');
	return [...lines.slice(0, 2), `${rest.slice(0, width - 1)}…`];
}

function buildConfig(spec: ChartSpec, theme: ChartTheme): ChartConfiguration<'bar' | 'line'> {
	const valueAxis = {
		beginAtZero: true,
		max: spec.percent ? 100 : undefined,
		title: { display: true, text: spec.valueLabel, color: theme.muted },
		ticks: {
			color: theme.muted,
			precision: 0,
			stepSize: spec.percent ? (spec.horizontal ? 25 : 20) : undefined,
			maxRotation: 0,
			callback: (value: string | number) => (spec.percent ? `${value}%` : value)
		},
		grid: { color: theme.grid }
	};
	const labelAxis = {
		ticks: {
			color: theme.muted,
			autoSkip: !spec.horizontal,
			maxRotation: 0,
			// horizontal bars are labelled with deck titles: wrap them instead of cutting them off
			callback(this: { getLabelForValue(value: number): string }, value: string | number) {
				const label = this.getLabelForValue(Number(value));
				return spec.horizontal ? wrapLabel(label) : label;
			}
		},
		grid: { display: false },
		border: { color: theme.grid }
	};
	return {
		type: spec.type,
		data: {
			labels: spec.labels,
			datasets: spec.series.map((series, i) => {
				const color = theme.series[i % theme.series.length];
				return {
					label: series.label,
					data: series.data,
					backgroundColor: color,
					borderColor: color,
					borderWidth: spec.type === 'line' ? 2 : 0,
					borderDash: spec.type === 'line' ? DASHES[i % DASHES.length] : undefined,
					pointRadius: spec.type === 'line' ? 3 : undefined,
					pointBackgroundColor: theme.surface,
					spanGaps: true,
					clip: 6,
					borderRadius: spec.type === 'bar' ? 3 : undefined,
					maxBarThickness: 28
				};
			})
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			layout: { padding: { top: 6, right: 4 } },
			indexAxis: spec.horizontal ? 'y' : 'x',
			scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
			plugins: {
				legend: {
					display: spec.series.length > 1,
					position: 'bottom',
					labels: { color: theme.fg, boxWidth: 14 }
				},
				tooltip: {
					callbacks: spec.percent
						? {
								label: (item) =>
									m.progress_chart_percent({
										label: item.dataset.label ?? '',
										value: item.formattedValue
									})
							}
						: {}
				}
			}
		}
	};
}

/** A category chart (bars or lines) of `spec`; see `mountChart`. */
export function renderChart(
	canvas: HTMLCanvasElement,
	spec: ChartSpec,
	onError: (error: unknown) => void = () => {}
): () => void {
	return mountChart(canvas, (theme) => buildConfig(spec, theme), { onError });
}
