/**
 * npm run bench:progress [-- --json] [--reviews N] [--cards N] [--writes N] [--merge] [--fake]
 *   [--persistent] [--time-ordered]
 *
 * Benchmarks the progress layer in headless Chromium's real IndexedDB: bundles
 * tests/fixtures/progress/bench-page.ts with esbuild into a temp dir, serves it on 127.0.0.1, and
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

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'tests/fixtures/progress/bench-page.ts');

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

async function runChromium(): Promise<{
	result: WorkloadResult;
	version: string;
	storage: string;
}> {
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
	try {
		const page = await context.newPage();
		page.on('console', (message) => {
			if (!json) console.log(`  [chromium] ${message.text()}`);
		});
		await page.goto(server.url);
		await page.waitForFunction(() => 'runBench' in window);
		const result = await page.evaluate(
			(opts) =>
				(window as unknown as { runBench: (o: unknown) => Promise<unknown> }).runBench(opts),
			options
		);
		const version = browser?.version() ?? context.browser()?.version() ?? 'unknown';
		return {
			result: result as WorkloadResult,
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

async function main(): Promise<void> {
	const started = Date.now();
	if (!json) {
		console.log(
			`bench:progress — ${options.reviews.toLocaleString('en')} reviews over ${options.cards.toLocaleString('en')} cards in headless Chromium`
		);
	}
	const { result, version, storage } = await runChromium();
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
			'\nChromium (headline; baseline: the raw IndexedDB / JSON work inside it, this run):'
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
	console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
