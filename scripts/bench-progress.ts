/**
 * npm run bench:progress [-- --json] [--scale realistic|stress|both] [--reviews N] [--cards N]
 *   [--writes N] [--merge] [--fake] [--persistent] [--time-ordered]
 *
 * Two scales (--scale, default both):
 * - realistic: a learner's whole course over years, 1,500 cards and 50,000 reviews over 3 years
 *   (--realistic-cards, --realistic-reviews, --realistic-days). Goals, as ratios to a bare
 *   IndexedDB baseline of the same records and bytes measured in the same run in the same browser
 *   (scripts/bench-progress-ratios.ts): an answer's write p95 <= 3x a bare one-record put; import
 *   <= 3x a bare bulk write (one transaction) of the same records; today's queue <= 20 ms (and its
 *   ratio to a bare getAll of the stores it reads). Statistics: ratio to a bare getAll of theirs.
 * - stress: --reviews (default 1,000,000) over --cards (10,000) in one year: the same ratios, and
 *   the stress workload below with its absolute goals.
 *
 * Benchmarks the progress layer in headless Chromium's real IndexedDB: bundles
 * scripts/bench-progress-page.ts with esbuild into a temp dir, serves it on 127.0.0.1, and
 * drives it with Playwright. By default the browser context is a fresh incognito-like one, whose
 * IndexedDB is Chromium's real implementation on an in-memory store; --persistent uses an on-disk
 * profile, as a learner's browser does (slower on slow disks, and it grows the run time a lot).
 * --fake also runs the same workload in Node with fake-indexeddb (at --fake-reviews, default
 * 100,000). A quick look: --reviews 100000 --cards 1000.
 *
 * Each headline number is printed with its goal and with a baseline measured in the same run, on
 * the same data: the raw IndexedDB and JSON work inside it (an answer: reading and putting back a
 * card's log record; the queue: reading the `schedules` records and today's `recent` rows; the
 * statistics and the export: reading every log record; the import: parsing the file's entries
 * plus writing every log record into an empty database), and the ratio to it. Timings vary from
 * run to run and machine to machine: compare a number with the baseline of the same run. With
 * --json the last line of output is one JSON object with the numbers, goals, baselines and ratios.
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../tests/browser-path.js';
import type { WorkloadOptions, WorkloadResult } from '../tests/fixtures/progress/bench-workload.js';
import type { RatioOptions, RatioResult } from './bench-progress-ratios.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'scripts/bench-progress-page.ts');

const GOALS = {
	write_p95_ms: 5,
	due_queue_ms: 50,
	stats_1m_ms: 1000,
	export_1m_ms: 15_000,
	import_1m_ms: 15_000,
	peak_heap_mb: 256
} as const;

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);

const options: WorkloadOptions = {
	reviews: Number(arg('--reviews') ?? 1_000_000),
	cards: Number(arg('--cards') ?? 10_000),
	writes: Number(arg('--writes') ?? 200),
	queueRuns: 7,
	merge: flag('--merge'),
	timeOrdered: flag('--time-ordered')
};
const json = flag('--json');
const scale = arg('--scale') ?? 'both';
if (!['realistic', 'stress', 'both'].includes(scale)) {
	console.error('bench-progress: --scale is realistic, stress or both');
	process.exit(2);
}

const REALISTIC: RatioOptions = {
	scale: 'realistic',
	reviews: Number(arg('--realistic-reviews') ?? 50_000),
	cards: Number(arg('--realistic-cards') ?? 1_500),
	days: Number(arg('--realistic-days') ?? 3 * 365),
	decks: 30,
	writes: options.writes,
	importRuns: 3,
	queueRuns: 15,
	statsRuns: 7
};
const STRESS: RatioOptions = {
	scale: 'stress',
	reviews: options.reviews,
	cards: options.cards,
	days: 365,
	decks: 100,
	writes: options.writes,
	importRuns: 1,
	queueRuns: 7,
	statsRuns: 3
};

/** Goals on the ratio workload (the realistic scale), from issue #18. */
const RATIO_GOALS = {
	write_p95: { on: 'ratio', max: 3, text: '<= 3x a bare one-record put' },
	import: { on: 'ratio', max: 3, text: '<= 3x a bare bulk write of the same records' },
	queue: { on: 'ours_ms', max: 20, text: '<= 20 ms' },
	stats: null
} as const;
type RatioKey = keyof typeof RATIO_GOALS;
const RATIO_KEYS = Object.keys(RATIO_GOALS) as RatioKey[];

async function bundle(dir: string): Promise<string> {
	const outfile = join(dir, 'bench.js');
	await build({
		entryPoints: [ENTRY],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		outfile,
		logLevel: 'error'
	});
	return outfile;
}

function serve(script: string): Promise<{ url: string; close: () => void }> {
	const html =
		'<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>';
	const server = createServer((req, res) => {
		if (req.url === '/bench.js') {
			res.writeHead(200, { 'content-type': 'text/javascript' });
			res.end(readFileSync(script));
		} else {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end(html);
		}
	});
	return new Promise((done) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			done({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
		});
	});
}

interface ChromiumRun {
	ratios: RatioResult[];
	stress: WorkloadResult | null;
	version: string;
	storage: string;
}

/** One browser; each workload in a fresh page: the ratio workloads, then the stress workload. */
async function runChromium(ratioJobs: RatioOptions[], stress: boolean): Promise<ChromiumRun> {
	const dir = mkdtempSync(join(tmpdir(), 'bench-progress-'));
	const server = await serve(await bundle(dir));
	const args = [...CHROMIUM_FLAGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'];
	const incognito = !flag('--persistent');
	const browser = incognito
		? await chromium.launch({ executablePath: findChromium(), args })
		: null;
	const context = browser
		? await browser.newContext()
		: await chromium.launchPersistentContext(join(dir, 'profile'), {
				executablePath: findChromium(),
				args
			});
	const inPage = async <T>(fn: string, opts: unknown): Promise<T> => {
		const page = await context.newPage();
		page.on('console', (message) => {
			if (!json) console.log(`  [chromium] ${message.text()}`);
		});
		try {
			await page.goto(server.url);
			await page.waitForFunction(() => 'runBench' in window && 'runRatios' in window);
			return (await page.evaluate(
				([name, o]) =>
					(window as unknown as Record<string, (o: unknown) => Promise<unknown>>)[name as string](
						o
					),
				[fn, opts] as const
			)) as T;
		} finally {
			await page.close();
		}
	};
	try {
		const ratios: RatioResult[] = [];
		for (const job of ratioJobs) ratios.push(await inPage<RatioResult>('runRatios', job));
		const result = stress ? await inPage<WorkloadResult>('runBench', options) : null;
		const version = browser?.version() ?? context.browser()?.version() ?? 'unknown';
		return {
			ratios,
			stress: result,
			version,
			storage: incognito ? 'in-memory (incognito)' : 'persistent profile on disk'
		};
	} finally {
		await context.close();
		await browser?.close();
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function runFake(): Promise<WorkloadResult> {
	const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
	const { runWorkload } = await import('../tests/fixtures/progress/bench-workload.js');
	const reviews = Number(arg('--fake-reviews') ?? 100_000);
	return runWorkload(
		{ ...options, reviews, cards: Math.min(options.cards, Math.max(1, reviews / 100)) },
		{
			deps: { indexedDB: new IDBFactory(), IDBKeyRange },
			heap: () => process.memoryUsage().heapUsed,
			gc: (globalThis as { gc?: () => void }).gc,
			log: (line) => {
				if (!json) console.log(`  [fake-indexeddb] ${line}`);
			}
		}
	);
}

function ratio(value: number, goal: number): number {
	return Math.round((value / goal) * 1000) / 1000;
}

type Headline = keyof typeof GOALS;

/** Each headline number's baseline (see the top of this file); none for the heap. */
function baselinesOf(result: WorkloadResult): Record<Headline, number | null> {
	const b = result.baselines;
	return {
		write_p95_ms: b.write_p95_ms,
		due_queue_ms: b.queue_ms,
		stats_1m_ms: b.read_logs_ms,
		export_1m_ms: b.read_logs_ms,
		import_1m_ms: Math.round((b.parse_file_ms + b.write_logs_ms) * 100) / 100,
		peak_heap_mb: null
	};
}

/** The stress workload's numbers, goals and baselines (printed unless --json); its report object. */
async function stressReport(
	result: WorkloadResult,
	version: string,
	storage: string,
	started: number
): Promise<Record<string, unknown>> {
	const peakHeap = Math.max(
		result.import_peak_heap_mb,
		result.export_peak_heap_mb,
		result.stats_1m_peak_heap_mb
	);
	const measured = {
		write_p95_ms: result.write_p95_ms,
		due_queue_ms: result.due_queue_ms,
		stats_1m_ms: result.stats_1m_ms,
		export_1m_ms: result.export_1m_ms,
		import_1m_ms: result.import_1m_ms,
		peak_heap_mb: peakHeap
	};
	const ratios = Object.fromEntries(
		Object.entries(measured).map(([key, value]) => [
			key,
			ratio(value, GOALS[key as keyof typeof GOALS])
		])
	);
	const meets = Object.fromEntries(
		Object.entries(measured).map(([key, value]) => [key, value < GOALS[key as keyof typeof GOALS]])
	);
	const baselines = baselinesOf(result);
	const ratiosToBaseline = Object.fromEntries(
		Object.entries(measured).map(([key, value]) => {
			const baseline = baselines[key as Headline];
			return [key, baseline ? ratio(value, baseline) : null];
		})
	);
	const fake = flag('--fake') ? await runFake() : undefined;
	const report = {
		...measured,
		goals: GOALS,
		ratio_to_goal: ratios,
		meets_goal: meets,
		baselines,
		ratio_to_baseline: ratiosToBaseline,
		details: {
			backend: `Chromium ${version} IndexedDB, ${storage}`,
			reviews: result.reviews,
			cards: result.cards,
			write_p50_ms: result.write_p50_ms,
			write_max_ms: result.write_max_ms,
			due_queue_first_ms: result.due_queue_first_ms,
			due_queue_items: result.due_queue_items,
			stats_1m_compute_ms: result.stats_1m_compute_ms,
			stats_1m_peak_heap_mb: result.stats_1m_peak_heap_mb,
			import_phases_ms: result.import_phases_ms,
			import_peak_heap_mb: result.import_peak_heap_mb,
			import_live_heap_mb: result.import_live_heap_mb,
			export_peak_heap_mb: result.export_peak_heap_mb,
			export_bytes: result.export_bytes,
			import_1m_merge_ms: result.import_1m_merge_ms,
			import_1m_time_ordered_ms: result.import_1m_time_ordered_ms,
			baseline_parts: result.baselines,
			bench_seconds: Math.round((Date.now() - started) / 1000)
		},
		...(fake ? { fake_indexeddb: fake } : {})
	};
	if (!json) {
		console.log(
			`\nstress workload, ${result.reviews.toLocaleString('en')} reviews over ${result.cards.toLocaleString('en')} cards, Chromium (baseline: the raw IndexedDB / JSON work inside it, this run):`
		);
		console.log(
			`       ${'number'.padEnd(14)} ${'value'.padStart(10)} ${'baseline'.padStart(10)} ${'x base'.padStart(7)}   goal`
		);
		for (const [key, value] of Object.entries(measured)) {
			const goal = GOALS[key as Headline];
			const mark = value < goal ? 'ok  ' : 'OVER';
			const baseline = baselines[key as Headline];
			const base = baseline === null ? '-' : String(baseline);
			const times = ratiosToBaseline[key] === null ? '-' : `x${ratiosToBaseline[key]}`;
			console.log(
				`  ${mark} ${key.padEnd(14)} ${String(value).padStart(10)} ${base.padStart(10)} ${times.padStart(7)}   < ${goal} (x${ratios[key]})`
			);
		}
		if (fake) console.log('\nfake-indexeddb:', fake);
	}
	return report;
}

interface RatioRow {
	ours_ms: number;
	baseline_ms: number;
	ratio: number;
	goal: string | null;
	meets_goal: boolean | null;
}

/** Each ratio number with its goal (goals apply at the realistic scale only). */
function ratioRows(r: RatioResult): Record<RatioKey, RatioRow> {
	return Object.fromEntries(
		RATIO_KEYS.map((key) => {
			const m = r[key];
			const goal = r.scale === 'realistic' ? RATIO_GOALS[key] : null;
			const value = goal ? m[goal.on] : null;
			return [
				key,
				{
					ours_ms: m.ours_ms,
					baseline_ms: m.baseline_ms,
					ratio: m.ratio,
					goal: goal ? goal.text : null,
					meets_goal: goal && value !== null ? value <= goal.max : null
				}
			];
		})
	) as Record<RatioKey, RatioRow>;
}

const BASELINE_TEXT: Record<RatioKey, string> = {
	write_p95: 'p95 of recordReview vs p95 of a bare one-record put (a copy of the card log record)',
	import:
		'median previewImport + applyImport of the backup (as /settings does) vs a bare bulk write (one transaction) of the records it stored',
	queue: 'median loadQueue vs a bare getAll of schedules + recent',
	stats: 'median loadProgressStats vs a bare getAll of logs + schedules'
};

function printRatios(r: RatioResult, env: string): void {
	const rows = ratioRows(r);
	console.log(
		`\n${r.scale}: ${r.reviews.toLocaleString('en')} reviews over ${r.cards.toLocaleString('en')} cards in ${r.decks} decks over ${r.days} days, ${env}`
	);
	console.log(
		`       ${'number'.padEnd(10)} ${'ours ms'.padStart(9)} ${'bare ms'.padStart(9)} ${'ratio'.padStart(7)}   goal`
	);
	for (const key of RATIO_KEYS) {
		const row = rows[key];
		const mark = row.meets_goal === null ? '    ' : row.meets_goal ? 'ok  ' : 'OVER';
		console.log(
			`  ${mark} ${key.padEnd(10)} ${row.ours_ms.toFixed(2).padStart(9)} ${row.baseline_ms.toFixed(2).padStart(9)} ${('x' + row.ratio).padStart(7)}   ${row.goal ?? '-'}`
		);
	}
	for (const key of RATIO_KEYS) console.log(`       ${key}: ${BASELINE_TEXT[key]}`);
	const w = r.write_p95;
	console.log(
		`       answer, p50: ${w.ours_p50_ms} ms vs bare put ${w.baseline_p50_ms} ms; the answer's access pattern in bare IndexedDB (4 gets + 4 puts, one transaction): p95 ${w.same_pattern_p95_ms} ms, p50 ${w.same_pattern_p50_ms} ms (answer p95 x${w.ratio_to_same_pattern} of it)`
	);
	const im = r.import;
	console.log(
		`       import = preview (checks the whole file) ${im.preview_ms} ms + apply ${im.apply_ms} ms (medians); apply alone, what the learner waits for after confirming: x${im.apply_ratio} the bare bulk write; phases ${JSON.stringify(im.phases_ms)}`
	);
	const bytes = Object.entries(r.stored)
		.filter(([, s]) => s.records > 0)
		.map(([name, s]) => `${name} ${s.records} (${(s.bytes / 1e6).toFixed(2)} MB)`)
		.join(', ');
	console.log(
		`       stored records: ${bytes}; backup file ${(r.import.file_bytes / 1e6).toFixed(1)} MB`
	);
}

async function runFakeRatios(jobs: RatioOptions[]): Promise<RatioResult[]> {
	const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
	const { runRatios } = await import('./bench-progress-ratios.js');
	const results: RatioResult[] = [];
	for (const job of jobs) {
		const reviews = Math.min(job.reviews, Number(arg('--fake-reviews') ?? 100_000));
		results.push(
			await runRatios(
				{ ...job, reviews, cards: Math.max(1, Math.round((job.cards * reviews) / job.reviews)) },
				{
					deps: { indexedDB: new IDBFactory(), IDBKeyRange },
					log: (line) => {
						if (!json) console.log(`  [fake-indexeddb] ${line}`);
					}
				}
			)
		);
	}
	return results;
}

async function main(): Promise<void> {
	const started = Date.now();
	const jobs = [
		...(scale !== 'stress' ? [REALISTIC] : []),
		...(scale !== 'realistic' ? [STRESS] : [])
	];
	const stress = scale !== 'realistic';
	if (!json) {
		console.log(
			`bench:progress — ${jobs.map((j) => `${j.scale}: ${j.reviews.toLocaleString('en')} reviews over ${j.cards.toLocaleString('en')} cards`).join('; ')}; in headless Chromium's IndexedDB`
		);
	}
	const run = await runChromium(jobs, stress);
	const env = `Chromium ${run.version} IndexedDB, ${run.storage}`;
	if (!json) for (const r of run.ratios) printRatios(r, env);
	const stressDetails = run.stress
		? await stressReport(run.stress, run.version, run.storage, started)
		: null;
	const fakeRatios = flag('--fake') ? await runFakeRatios(jobs) : null;
	if (fakeRatios && !json) for (const r of fakeRatios) printRatios(r, 'Node fake-indexeddb');
	const byScale = (results: RatioResult[]) =>
		Object.fromEntries(results.map((r) => [r.scale, ratioRows(r)]));
	const report = {
		bench: 'progress',
		environment: env,
		ratios: Object.fromEntries(
			run.ratios.map((r) => [
				r.scale,
				Object.fromEntries(RATIO_KEYS.map((key) => [key, r[key].ratio]))
			])
		),
		meets_goal: Object.fromEntries(
			run.ratios
				.filter((r) => r.scale === 'realistic')
				.flatMap((r) => RATIO_KEYS.map((key) => [key, ratioRows(r)[key].meets_goal]))
				.filter(([, v]) => v !== null)
		),
		baselines: BASELINE_TEXT,
		numbers: byScale(run.ratios),
		details: run.ratios,
		...(stressDetails ? { stress_workload: stressDetails } : {}),
		...(fakeRatios ? { fake_indexeddb: byScale(fakeRatios) } : {}),
		bench_seconds: Math.round((Date.now() - started) / 1000)
	};
	console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
