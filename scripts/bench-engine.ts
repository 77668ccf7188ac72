/**
 * `npm run bench:engine`: median time of one MultiHeadAttention forward pass, on the book's inputs
 * and on a 256-token case, with the wasm and cpu backends, in Node and in headless Chromium, next
 * to a plain Float32Array implementation of the same math.
 * Goals: book-sized forward < 1 ms median; 256 tokens no slower than the plain implementation.
 * Options: --no-browser (Node only), --json (print only the JSON line, not the table).
 * The last line of output is always one JSON object: per case its engine ms, plain ms and
 * engine/plain ratio (both measured in this run: absolute times differ about 2x between machines,
 * the ratio much less), keyed `environment / backend / case`, and whether each goal was met.
 */
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_FLAGS, findChromium } from '../tests/browser-path.js';
import { BENCH_CASES, runBench, type BenchResult } from '../tests/browser/bench-core.js';
import { buildEnginePage, serveFolder } from '../tests/browser/build.js';
import type { BenchApi } from '../tests/browser/engine-entry.js';

const BACKENDS = ['wasm', 'cpu'] as const;

interface Row extends BenchResult {
	env: string;
}

async function inNode(): Promise<Row[]> {
	const rows: Row[] = [];
	for (const backend of BACKENDS) {
		for (const r of await runBench(backend)) rows.push({ env: `node ${process.version}`, ...r });
	}
	return rows;
}

async function inChromium(): Promise<Row[]> {
	const dir = mkdtempSync(path.join(tmpdir(), 'engine-bench-'));
	const { url, server } = await serveFolder(dir).then(async (s) => {
		await buildEnginePage(dir);
		return s;
	});
	const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_FLAGS });
	try {
		const rows: Row[] = [];
		const version = browser.version();
		for (const backend of BACKENDS) {
			const page = await browser.newPage();
			await page.goto(url);
			await page.waitForSelector('body[data-ready="true"]');
			const results = await page.evaluate(
				(b) => (window as unknown as { bench: BenchApi }).bench.runBench(b),
				backend
			);
			await page.close();
			for (const r of results) rows.push({ env: `chromium ${version}`, ...r });
		}
		return rows;
	} finally {
		await browser.close();
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

function verdict(r: Row): string {
	if (r.case === BENCH_CASES[0].name)
		return r.engineMedianMs < 1 ? 'ok (< 1 ms)' : 'MISSED (>= 1 ms)';
	return r.ratio <= 1 ? 'ok (<= plain)' : 'MISSED (slower than plain)';
}

function table(rows: Row[]): string {
	const head = ['environment', 'backend', 'case', 'engine ms', 'plain ms', 'engine/plain', 'goal'];
	const body = rows.map((r) => [
		r.env,
		r.backend,
		r.case,
		r.engineMedianMs.toFixed(3),
		r.plainMedianMs.toFixed(3),
		r.ratio.toFixed(2),
		verdict(r)
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The last line: the ratios (and the times they come from), one JSON object. */
function summary(rows: Row[]): string {
	const key = (r: Row) => `${r.env.split(' ')[0]} / ${r.backend} / ${r.case}`;
	const round = (x: number, digits: number) => Number(x.toFixed(digits));
	return JSON.stringify({
		bench: 'engine',
		baseline:
			'plain Float32Array implementation of the same forward pass (src/lib/engine/plain.ts), same run',
		ratios: Object.fromEntries(rows.map((r) => [key(r), round(r.ratio, 3)])),
		meets_goal: Object.fromEntries(rows.map((r) => [key(r), !verdict(r).startsWith('MISSED')])),
		cases: rows.map((r) => ({
			env: r.env,
			backend: r.backend,
			case: r.case,
			engine_ms: round(r.engineMedianMs, 4),
			plain_ms: round(r.plainMedianMs, 4),
			ratio: round(r.ratio, 3),
			goal: r.case === BENCH_CASES[0].name ? 'engine < 1 ms' : 'engine/plain <= 1',
			meets_goal: !verdict(r).startsWith('MISSED'),
			max_abs_diff: r.maxAbsDiff
		}))
	});
}

function parseCli(argv: string[]): { browser: boolean; json: boolean } {
	try {
		const { values } = parseArgs({
			args: argv,
			options: { 'no-browser': { type: 'boolean' }, json: { type: 'boolean' } }
		});
		return { browser: !values['no-browser'], json: values.json ?? false };
	} catch (error) {
		console.error(`bench-engine: ${(error as Error).message}`);
		process.exit(2);
	}
}

async function main(): Promise<void> {
	const args = parseCli(process.argv.slice(2));
	const rows = await inNode();
	if (args.browser) rows.push(...(await inChromium()));
	if (args.json) {
		console.log(summary(rows));
		return;
	}
	console.log(
		'MultiHeadAttention forward, median of timed runs after warm-up (arrays in, arrays out).'
	);
	console.log('plain = the same math on Float32Arrays without tfjs (src/lib/engine/plain.ts).');
	console.log(
		'Both are timed in this run; timings vary between runs (more so on a shared machine).\n'
	);
	console.log(table(rows));
	const maxDiff = Math.max(...rows.map((r) => r.maxAbsDiff));
	console.log(`\nlargest |engine - plain| over all outputs: ${maxDiff.toExponential(2)}`);
	console.log(summary(rows));
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
});
