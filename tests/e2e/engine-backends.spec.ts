/**
 * The engine in headless Chromium on cpu, wasm and webgl: the causal mask (−∞ before softmax) and
 * reference quantities from ch03-reference.json. Self-contained: it bundles its own page
 * (tests/browser/engine-entry.ts), serves it on 127.0.0.1 and drives it; the app is not needed.
 */
import { chromium, expect, test, type Browser } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_FLAGS, findChromium } from '../browser-path';
import { buildEnginePage, serveFolder } from '../browser/build';
import type { EngineApi, ProbeApi } from '../browser/engine-entry';

type Nested = number | string | Nested[];
interface Quantity {
	name: string;
	code: string;
	values: Nested;
}

const fixturePath = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../fixtures/ch03-reference.json'
);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { quantities: Quantity[] };
const ref = (name: string): Quantity => fixture.quantities.find((q) => q.name === name)!;
const numeric = (v: Nested): unknown => (Array.isArray(v) ? v.map(numeric) : Number(v));
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

/** Largest |a − b|; −∞ must meet −∞ (else Infinity); lengths must match (else Infinity). */
function maxAbsDiff(a: unknown, b: unknown): number {
	const x = flat(a);
	const y = flat(b);
	if (x.length !== y.length) return Infinity;
	return x.reduce((m, v, i) => {
		if (!Number.isFinite(y[i]) || !Number.isFinite(v)) return v === y[i] ? m : Infinity;
		return Math.max(m, Math.abs(v - y[i]));
	}, 0);
}

const inputsCode = ref('inputs').code;
const BOOK_INPUTS = JSON.parse(
	inputsCode.slice(inputsCode.indexOf('['), inputsCode.lastIndexOf(']') + 1)
) as number[][];

/** Scores from small to huge (|s| up to 1e4), where a finite mask value or a bad −∞ path would show. */
function harshScores(n: number): number[][] {
	return Array.from({ length: n }, (_, i) =>
		Array.from({ length: n }, (_, j) =>
			(i * 7 + j * 13) % 5 === 0 ? 1e4 : ((i - j) * 1234.5) % 997
		)
	);
}

/** WebGL in headless Chromium: the shared flags first, then SwiftShader explicitly. */
const WEBGL_FLAG_SETS: { label: string; args: string[] }[] = [
	{ label: 'CHROMIUM_FLAGS (with --disable-gpu)', args: CHROMIUM_FLAGS },
	{
		label: 'without --disable-gpu, --use-angle=swiftshader --enable-unsafe-swiftshader',
		args: [
			...CHROMIUM_FLAGS.filter((f) => f !== '--disable-gpu'),
			'--use-angle=swiftshader',
			'--enable-unsafe-swiftshader'
		]
	}
];

let dir = '';
let server: Server | undefined;
let baseUrl = '';
const browsers: Browser[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'engine-page-'));
	await buildEnginePage(dir);
	({ url: baseUrl, server } = await serveFolder(dir));
});

test.afterAll(async () => {
	await Promise.all(browsers.map((b) => b.close()));
	await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
	rmSync(dir, { recursive: true, force: true });
});

async function launch(args: string[]): Promise<Browser> {
	const b = await chromium.launch({ executablePath: findChromium(), args });
	browsers.push(b);
	return b;
}

/** Runs the checks in a fresh page; returns what the page computed. */
async function checkInPage(browser: Browser, backend: 'cpu' | 'wasm' | 'webgl') {
	const page = await browser.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await page.goto(baseUrl);
	await page.waitForSelector('body[data-ready="true"]');
	const result = await page.evaluate(
		async ({ backend, bookInputs, causalScores, harsh }) => {
			const { engine: e, probe } = window as unknown as { engine: EngineApi; probe: ProbeApi };
			const used = await e.initEngine(backend);
			const before = e.engineMemory().numTensors;
			const causal = e.causalAttentionWeights(causalScores, 2);
			const harshMasked = e.causalAttentionWeights(harsh, 1);
			const harshMethod1 = e.maskAndRenormalize(e.scaledAttentionWeights(harsh, 1).weights);
			e.manualSeed(123);
			const mha = new e.MultiHeadAttention(3, 2, 6, 0.0, 2).forward([bookInputs, bookInputs]);
			const spec = e.runSpec({
				module: 'CausalAttention',
				d_in: 3,
				d_out: 2,
				context_length: 6,
				seed: 123,
				inputs: [bookInputs, bookInputs]
			});
			// 2 x 20 tokens, 3 heads, dropout: the per-(batch, head) path, against the plain implementation.
			const g = new e.Generator(7);
			const long = g.rand([2, 20, 4]) as number[][][];
			const m = new e.MultiHeadAttention(4, 6, 20, 0.3, 3, true, { generator: new e.Generator(5) });
			const twin = new e.Generator(5);
			new e.MultiHeadAttention(4, 6, 20, 0.3, 3, true, { generator: twin });
			const longSteps = m.forwardWithSteps(long);
			const keep = longSteps.dropout_keep!.flat(3);
			const noise = Float32Array.from(keep, (k) => k * Math.fround(1 / Math.fround(0.7)));
			const plain = Array.from(
				e.plainMultiHeadAttention(m, Float32Array.from(long.flat(2)), 2, 20, noise)
			);
			const leaked = e.engineMemory().numTensors - before;
			return {
				used,
				tfBackend: await probe.tfBackend(),
				causal,
				harsh: harshMasked,
				harshMethod1: harshMethod1.normalized,
				mha,
				causalContext: spec.context_vecs,
				longContext: longSteps.context_vecs,
				longWeights: longSteps.attn_weights_pre_dropout,
				plain,
				leaked,
				renderer: probe.webglRenderer()
			};
		},
		{
			backend,
			bookInputs: BOOK_INPUTS,
			causalScores: numeric(ref('causal.attn_scores').values) as number[][],
			harsh: harshScores(9)
		}
	);
	await page.close();
	expect(errors).toEqual([]);
	return result;
}

type PageResult = Awaited<ReturnType<typeof checkInPage>>;

function expectMaskingAndReference(r: PageResult): void {
	// −∞ exactly above the diagonal, and the book's causal weights.
	r.causal.masked.forEach((row, i) =>
		row.forEach((v, j) =>
			j > i ? expect(v).toBe(-Infinity) : expect(Number.isFinite(v)).toBe(true)
		)
	);
	expect(maxAbsDiff(r.causal.masked, numeric(ref('causal.masked').values))).toBeLessThanOrEqual(
		1e-6
	);
	expect(
		maxAbsDiff(r.causal.weights, numeric(ref('causal.attn_weights').values))
	).toBeLessThanOrEqual(1e-6);
	// Huge scores: nothing above the diagonal, no NaN, rows sum to 1, both methods agree.
	r.harsh.weights.forEach((row, i) => {
		row.forEach((v, j) => (j > i ? expect(v).toBe(0) : expect(Number.isNaN(v)).toBe(false)));
		expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
	});
	expect(maxAbsDiff(r.harsh.weights, r.harshMethod1)).toBeLessThanOrEqual(1e-6);
	// Whole modules against PyTorch.
	expect(maxAbsDiff(r.mha, numeric(ref('mha.context_vecs').values))).toBeLessThanOrEqual(1e-6);
	expect(
		maxAbsDiff(r.causalContext, numeric(ref('causal_attention.context_vecs').values))
	).toBeLessThanOrEqual(1e-6);
	// Long inputs: causal on every (batch, head) slice, and the same numbers as plain Float32Arrays.
	for (const w of r.longWeights.flat(1))
		w.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)));
	expect(maxAbsDiff(r.longContext, r.plain)).toBeLessThanOrEqual(1e-5);
	expect(r.leaked).toBe(0);
}

for (const backend of ['cpu', 'wasm'] as const) {
	test(`masking and reference quantities on ${backend}`, async () => {
		const r = await checkInPage(await launch(CHROMIUM_FLAGS), backend);
		expect(r.used).toBe(backend);
		expect(r.tfBackend).toBe(backend);
		expectMaskingAndReference(r);
	});
}

test('masking and reference quantities on webgl (SwiftShader in headless Chromium)', async () => {
	let r: PageResult | undefined;
	for (const flags of WEBGL_FLAG_SETS) {
		const attempt = await checkInPage(await launch(flags.args), 'webgl');
		test.info().annotations.push({
			type: 'webgl',
			description: `${flags.label}: backend ${attempt.used}${attempt.renderer ? `, renderer ${attempt.renderer}` : ''}`
		});
		// Whatever backend it landed on, the numbers must be right.
		expectMaskingAndReference(attempt);
		if (attempt.used === 'webgl') {
			r = attempt;
			break;
		}
	}
	expect(r?.used, 'WebGL was unavailable with every flag set').toBe('webgl');
	expect(r?.tfBackend).toBe('webgl');
});
