/**
 * npm run bench:playground [-- --json] [--iterations N] [--warmup N]
 *
 * Time from an edit of a vector entry to the updated view on the /playground page: builds the site
 * if needed (scripts/build-if-needed.mjs), serves it with scripts/start.mjs on a free port and
 * drives headless Chromium. Inside the page (page.evaluate, so no DevTools round trip is timed) it
 * focuses the first entry (#entry-0) and dispatches real `keydown` ArrowUp / ArrowDown events,
 * alternating so the value stays bounded. One edit is timed from just before the dispatch until
 * the Svelte update has reached the DOM (a MutationObserver on the softmax step fires) and a forced
 * style + layout (`getBoundingClientRect`) has run: recompute (runPipeline) + steps + DOM + layout.
 * Every edit must change the softmax table's text, else the run fails.
 *
 * Cases: the book's example (SelfAttention_v2, 6 tokens, d_in 3), goal p95 ≤ 16 ms; 16 tokens ×
 * d_in 64, MultiHeadAttention d_out 64 with 4 heads, goal p95 ≤ 50 ms; the same in compare mode
 * (cmp=mask, two forward passes and two views), reported without a goal.
 *
 * Baseline, measured in the same page right after each case (absolute times vary about 2× between
 * machines): a bare DOM update of the same size, i.e. new text written into every number cell the
 * view shows, then the same forced layout. The split: the script part (edit → DOM updated) and
 * the layout part of each edit, and runPipeline alone on the same configs, timed in the same
 * Chromium on the engine's test page (tests/browser/build.ts, wasm backend, as the page uses).
 * With --json the output is one JSON object with every number (the build's messages go to stderr).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { mulberry32 } from '../src/lib/random/rng.js';
import type { PipelineConfig } from '../src/lib/engine/index.js';
import {
	bookState,
	decodeState,
	encodeState,
	type PlaygroundState
} from '../src/lib/playground/index.js';
import { comparisonConfigs } from '../src/routes/playground/compare.js';
import { CHROMIUM_FLAGS, findChromium } from '../tests/browser-path.js';
import { buildEnginePage, serveFolder } from '../tests/browser/build.js';
import type { EngineApi } from '../tests/browser/engine-entry.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Case {
	name: string;
	label: string;
	query: string;
	/** p95 goal in ms; null: reported only. */
	goalP95: number | null;
}

interface Stats {
	median: number;
	p95: number;
	mean: number;
	max: number;
}

interface PageTimes {
	cells: number;
	total: number[];
	script: number[];
	layout: number[];
}

interface CaseResult {
	case: string;
	label: string;
	cells: number;
	edit_ms: Stats;
	script_ms: Stats;
	layout_ms: Stats;
	baseline_ms: Stats;
	run_pipeline_ms: Stats;
	goal_p95_ms: number | null;
	ratio_p95_to_goal: number | null;
	meets_goal: boolean | null;
	ratio_to_baseline: { median: number; p95: number };
}

function parseCli(): { json: boolean; iterations: number; warmup: number } {
	try {
		const { values } = parseArgs({
			args: process.argv.slice(2),
			options: {
				json: { type: 'boolean' },
				iterations: { type: 'string' },
				warmup: { type: 'string' }
			}
		});
		const iterations = Number(values.iterations ?? 60);
		const warmup = Number(values.warmup ?? 10);
		if (!Number.isInteger(iterations) || iterations < 2 || !Number.isInteger(warmup) || warmup < 0)
			throw new Error('--iterations must be a whole number ≥ 2, --warmup one ≥ 0');
		return { json: values.json ?? false, iterations, warmup };
	} catch (error) {
		console.error(`bench-playground: ${(error as Error).message}`);
		process.exit(2);
	}
}

const cli = parseCli();
const log = (line: string): void => {
	if (!cli.json) console.log(line);
};

/** 16 tokens × d_in 64 (entries in [−1, 1), two decimals), MultiHeadAttention d_out 64, 4 heads. */
function largeState(): PlaygroundState {
	const next = mulberry32(20240601); // the same vectors every run
	const tokens = Array.from({ length: 16 }, (_, i) => `tok${i + 1}`);
	return {
		...bookState('MultiHeadAttention'),
		tokens,
		inputs: tokens.map(() =>
			Array.from({ length: 64 }, () => Math.round((next() * 2 - 1) * 100) / 100 || 0)
		),
		d_out: 64,
		num_heads: 4
	};
}

const LARGE = largeState();
const CASES: Case[] = [
	{
		name: 'book',
		label: "book's example: SelfAttention_v2, 6 tokens × d_in 3, d_out 2",
		query: '',
		goalP95: 16
	},
	{
		name: 'large',
		label: 'MultiHeadAttention, 16 tokens × d_in 64, d_out 64, 4 heads',
		query: encodeState(LARGE),
		goalP95: 50
	},
	{
		name: 'large-compare',
		label: 'the same, compare mode cmp=mask (two passes, two views)',
		query: encodeState({ ...LARGE, compare: 'mask' }),
		goalP95: null
	}
];

function stats(values: number[]): Stats {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number): number =>
		sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
	const round = (x: number): number => Math.round(x * 100) / 100;
	return {
		median: round(
			sorted.length % 2
				? sorted[(sorted.length - 1) / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
		),
		p95: round(at(0.95)),
		mean: round(values.reduce((s, v) => s + v, 0) / values.length),
		max: round(sorted[sorted.length - 1])
	};
}

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** `node scripts/start.mjs` on a free port; resolves once it prints its URL. */
async function startSite(): Promise<{ url: string; server: ChildProcess }> {
	const port = await freePort();
	const server = spawn(process.execPath, ['scripts/start.mjs'], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => {
			server.kill();
			reject(new Error(`start.mjs printed no URL within 60 s: ${out}`));
		}, 60_000);
		server.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /running at (http:\/\/\S+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		server.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`start.mjs exited with ${code}: ${out}`));
		});
	});
	return { url, server };
}

/**
 * In the page: time `iterations` edits of #entry-0 after `warmup` untimed ones. Functions passed to
 * page.evaluate are serialised; tsx's keepNames wraps named inner functions in `__name`, which the
 * page gets from the init script in `openCase`.
 */
function timeEdits(page: Page, warmup: number, iterations: number): Promise<PageTimes> {
	return page.evaluate(
		async ({ warmup, iterations }) => {
			const step = document.querySelector('#step-softmax');
			const entry = document.querySelector<HTMLInputElement>('#entry-0');
			if (!step || !entry) throw new Error('no #step-softmax or #entry-0 on the page');
			entry.focus();
			const cells = document.querySelectorAll('td[role="gridcell"]').length;
			const times: PageTimes = { cells, total: [], script: [], layout: [] };
			for (let i = 0; i < warmup + iterations; i++) {
				const before = step.textContent;
				const valueBefore = entry.value;
				let observer: MutationObserver | undefined;
				let timer: ReturnType<typeof setTimeout> | undefined;
				const updated = new Promise<boolean>((resolve) => {
					observer = new MutationObserver(() => resolve(true));
					observer.observe(step, {
						subtree: true,
						childList: true,
						characterData: true,
						attributes: true
					});
					timer = setTimeout(() => resolve(false), 5000);
				});
				const key = i % 2 === 0 ? 'ArrowUp' : 'ArrowDown';
				const t0 = performance.now();
				entry.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
				const mutated = await updated;
				const tScript = performance.now();
				document.body.getBoundingClientRect();
				void document.body.offsetHeight;
				const t1 = performance.now();
				observer?.disconnect();
				clearTimeout(timer);
				if (!mutated || step.textContent === before) {
					throw new Error(
						`edit ${i} (${key}, #entry-0 ${valueBefore} → ${entry.value}) did not change the softmax table` +
							(mutated ? '' : ' (no DOM mutation within 5 s)')
					);
				}
				if (i >= warmup) {
					times.total.push(t1 - t0);
					times.script.push(tScript - t0);
					times.layout.push(t1 - tScript);
				}
			}
			return times;
		},
		{ warmup, iterations }
	);
}

/** In the page: new text in every number cell the view shows, then the same forced layout. */
function timeBaseline(page: Page, warmup: number, iterations: number): Promise<number[]> {
	return page.evaluate(
		async ({ warmup, iterations }) => {
			const cells = [...document.querySelectorAll('td[role="gridcell"]')];
			const texts = [0, 1].map((phase) =>
				cells.map((_, k) => (((k * 7919 + phase * 104729) % 20000) / 10000 - 1).toFixed(4))
			);
			const times: number[] = [];
			for (let i = 0; i < warmup + iterations; i++) {
				const next = texts[i % 2];
				const t0 = performance.now();
				for (let k = 0; k < cells.length; k++) cells[k].textContent = next[k];
				await Promise.resolve();
				document.body.getBoundingClientRect();
				void document.body.offsetHeight;
				const t1 = performance.now();
				if (i >= warmup) times.push(t1 - t0);
			}
			return times;
		},
		{ warmup, iterations }
	);
}

async function openCase(browser: Browser, url: string, c: Case): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
	await page.addInitScript('globalThis.__name = (f) => f;');
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(`${url}playground${c.query ? `?${c.query}` : ''}`);
	await page.waitForSelector('#step-softmax', { timeout: 60_000 });
	// let the service worker finish precaching, so it does not compete for the CPU while timing
	await page.evaluate(() =>
		Promise.race([
			navigator.serviceWorker?.ready,
			new Promise((resolve) => setTimeout(resolve, 10_000))
		])
	);
	const problems = await page.locator('.problem').allTextContents();
	if (problems.length > 0 || errors.length > 0) {
		throw new Error(
			`case ${c.name}: the page shows a problem: ${[...problems, ...errors].join('; ')}`
		);
	}
	return page;
}

/** runPipeline alone on the case's configs (both sides in compare mode), same browser, wasm. */
async function timePipeline(
	page: Page,
	configs: PipelineConfig[],
	warmup: number,
	iterations: number
): Promise<number[]> {
	return page.evaluate(
		async ({ configs, warmup, iterations }) => {
			const e = (window as unknown as { engine: EngineApi }).engine;
			if (!e.isEngineReady()) await e.initEngine('wasm');
			const times: number[] = [];
			for (let i = 0; i < warmup + iterations; i++) {
				const up = i % 2 === 0;
				const edited = configs.map((c) => ({
					...c,
					inputs: c.inputs.map((row, r) =>
						r === 1
							? row.map((x, d) => (d === 0 ? Math.round((x + (up ? 0.01 : 0)) * 100) / 100 : x))
							: row
					)
				}));
				const t0 = performance.now();
				for (const config of edited) e.runPipeline(config);
				const t1 = performance.now();
				if (i >= warmup) times.push(t1 - t0);
			}
			return times;
		},
		{ configs, warmup, iterations }
	);
}

async function main(): Promise<void> {
	const started = Date.now();
	const build = spawnSync(process.execPath, ['scripts/build-if-needed.mjs'], {
		cwd: ROOT,
		// with --json the last line of stdout is the report: the build's messages go to stderr
		stdio: ['ignore', cli.json ? 2 : 'inherit', 'inherit']
	});
	if (build.status !== 0) process.exit(build.status ?? 1);

	const { url, server } = await startSite();
	const engineDir = mkdtempSync(path.join(tmpdir(), 'bench-playground-'));
	let browser: Browser | undefined;
	let engineServer: Awaited<ReturnType<typeof serveFolder>>['server'] | undefined;
	try {
		await buildEnginePage(engineDir);
		const engineSite = await serveFolder(engineDir);
		engineServer = engineSite.server;
		browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_FLAGS });
		const version = browser.version();
		log(
			`bench:playground — edit → updated view on /playground, headless Chromium ${version}, ` +
				`${cli.warmup} warm-up + ${cli.iterations} timed edits per case`
		);
		const enginePage = await browser.newPage();
		await enginePage.addInitScript('globalThis.__name = (f) => f;');
		await enginePage.goto(engineSite.url);
		await enginePage.waitForSelector('body[data-ready="true"]');

		const results: CaseResult[] = [];
		for (const c of CASES) {
			const page = await openCase(browser, url, c);
			const edits = await timeEdits(page, cli.warmup, cli.iterations);
			const baseline = await timeBaseline(page, cli.warmup, cli.iterations);
			await page.close();
			const decoded = decodeState(c.query);
			if (decoded.problems.length > 0) throw new Error(decoded.problems.join('; '));
			const configs = comparisonConfigs(decoded.state).map((side) => side.config);
			const pipeline = await timePipeline(enginePage, configs, cli.warmup, cli.iterations);
			const edit = stats(edits.total);
			const base = stats(baseline);
			results.push({
				case: c.name,
				label: c.label,
				cells: edits.cells,
				edit_ms: edit,
				script_ms: stats(edits.script),
				layout_ms: stats(edits.layout),
				baseline_ms: base,
				run_pipeline_ms: stats(pipeline),
				goal_p95_ms: c.goalP95,
				ratio_p95_to_goal: c.goalP95 === null ? null : ratio(edit.p95, c.goalP95),
				meets_goal: c.goalP95 === null ? null : edit.p95 <= c.goalP95,
				ratio_to_baseline: {
					median: ratio(edit.median, base.median),
					p95: ratio(edit.p95, base.p95)
				}
			});
		}

		log('');
		for (const r of results) {
			const verdict =
				r.goal_p95_ms === null
					? '(no goal)'
					: `goal p95 ≤ ${r.goal_p95_ms} ms: ×${r.ratio_p95_to_goal} ${r.meets_goal ? 'PASS' : 'OVER GOAL'}`;
			log(`${r.case}: ${r.label}; ${r.cells.toLocaleString('en')} table cells`);
			log(`  edit → view    median ${r.edit_ms.median} ms  p95 ${r.edit_ms.p95} ms  ${verdict}`);
			log(
				`  baseline       median ${r.baseline_ms.median} ms  p95 ${r.baseline_ms.p95} ms  ` +
					`(text of all ${r.cells.toLocaleString('en')} cells + layout); playground/baseline ` +
					`×${r.ratio_to_baseline.median} median, ×${r.ratio_to_baseline.p95} p95`
			);
			log(
				`  split (median) script ${r.script_ms.median} ms (of which runPipeline alone ` +
					`${r.run_pipeline_ms.median} ms), style + layout ${r.layout_ms.median} ms`
			);
		}
		const report = {
			chromium: version,
			warmup: cli.warmup,
			iterations: cli.iterations,
			cases: results,
			bench_seconds: Math.round((Date.now() - started) / 1000)
		};
		if (cli.json) console.log(JSON.stringify(report));
	} finally {
		await browser?.close();
		engineServer?.close();
		server.kill();
		rmSync(engineDir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
