/**
 * npm run bench:experiment [-- --steps N]
 * Milliseconds per training step (both arms, honest loss included) of the default peek experiment:
 * in Node on wasm and cpu, in headless Chromium (the real Web Worker entry, bundled with esbuild), and
 * in PyTorch on one thread when `python3 -c "import torch"` works (skipped with a message otherwise).
 * Each row is also divided by the baselines measured in the same run: tfjs wasm in Node, the step as
 * it was before issue #18 (autodiff, one Adam per weight, the honest loss as a second forward pass: the
 * reference of tests/unit/experiment/arm.test.ts) in Node wasm, and PyTorch when it ran. It also
 * measures this machine's peak for the step's dominant kernel (a wasm matMul of the step's sizes,
 * GFLOP/s) and prints the step's share of it. The last line is JSON with the ratios. Timings vary from
 * run to run and machine to machine; compare rows of one run only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../tests/browser-path.js';
import { DEFAULT_CONFIG, type BackendName } from '../src/lib/experiment/config.js';
import { DEFAULT_CORPUS } from '../src/lib/experiment/corpus.js';
import { runExperiment } from '../src/lib/experiment/run.js';
// types only: tfjs itself loads after the Node resolver is installed
import type { tf as TF } from '../src/lib/experiment/tf.js';
import { buildVocab, encode, sampleBatch } from '../src/lib/experiment/data.js';
import { mulberry32 } from '../src/lib/random/rng.js';
import { installTfjsNodeResolver } from '../src/lib/experiment/node-resolve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM_DIR = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

interface Measurement {
	name: string;
	msPerStep?: number;
	totalS?: number;
	note: string;
}

function parseSteps(argv: string[]): number {
	const fail = (message: string): never => {
		process.stderr.write(`bench-experiment: ${message}\n`);
		process.exit(2);
	};
	let raw: string | undefined;
	try {
		raw = parseArgs({ args: argv, options: { steps: { type: 'string' } } }).values.steps;
	} catch (error) {
		fail((error as Error).message);
	}
	if (raw === undefined) return DEFAULT_CONFIG.steps;
	const steps = Number(raw);
	if (!Number.isInteger(steps) || steps < 1) fail('--steps expects a positive integer');
	return steps;
}

async function nodeRun(backend: BackendName, steps: number): Promise<Measurement> {
	installTfjsNodeResolver(); // before runExperiment loads tfjs and its gradients
	const outcome = await runExperiment({ backend, steps });
	if (outcome.status !== 'done') throw new Error('stopped');
	const { result } = outcome;
	return {
		name: `Node, tfjs ${result.config.backend}`,
		msPerStep: result.ms_per_step,
		totalS: result.total_ms / 1000,
		note: `${steps} steps; unmasked loss ${result.unmasked.end.train_loss.toExponential(1)}, masked ${result.masked.end.train_loss.toFixed(2)}`
	};
}

/** tfjs on wasm in Node, and the default experiment's data, shape and initial weights. */
async function defaultModel() {
	installTfjsNodeResolver(); // before anything loads tfjs and its gradients
	const { setupBackend, tf } = await import('../src/lib/experiment/tf.js');
	const model = await import('../src/lib/experiment/model.js');
	await setupBackend('wasm');
	const c = DEFAULT_CONFIG;
	const vocab = buildVocab(DEFAULT_CORPUS);
	const data = encode(vocab, DEFAULT_CORPUS);
	const shape = {
		vocab: vocab.chars.length,
		dModel: c.dModel,
		heads: c.heads,
		positions: c.context + 1
	};
	const init = model.initialWeights(shape, mulberry32(c.seed));
	return { tf, model, c, data, shape, init };
}

/**
 * The training step as it was before issue #18, for the same-run baseline: per arm, autodiff of
 * windowLoss over nine weight variables, their global norm and one Adam each; the unmasked arm's
 * honest loss as a second forward pass; four reads per step.
 */
async function referenceRun(steps: number): Promise<Measurement> {
	const { tf, model, c, data, shape, init } = await defaultModel();
	const { globalNorm } = await import('../src/lib/experiment/arm.js');
	const arms = [true, false].map((causal) => ({
		causal,
		params: model.createParams(shape, init),
		optimizer: tf.train.adam(c.lr, 0.9, 0.999, 1e-8)
	}));
	const mask = model.causalMask(c.context + 1);
	const rng = mulberry32(c.seed + 1);
	const step = () => {
		const windows = tf.tensor2d(
			sampleBatch(rng, data, c.batch, c.context),
			[c.batch, c.context + 1],
			'int32'
		);
		for (const arm of arms) {
			if (!arm.causal) {
				const honest = tf.tidy(() => model.windowLoss(arm.params, windows, mask, c.heads));
				honest.dataSync();
				honest.dispose();
			}
			const [loss, norm] = tf.tidy(() => {
				const { value, grads } = tf.variableGrads(
					() => model.windowLoss(arm.params, windows, arm.causal ? mask : null, c.heads),
					model.PARAM_NAMES.map((name) => arm.params[name] as TF.Variable)
				);
				const gradNorm = globalNorm(Object.values(grads));
				arm.optimizer.applyGradients(
					Object.entries(grads).map(([name, tensor]) => ({ name, tensor }))
				);
				return [value, gradNorm];
			});
			loss.dataSync();
			norm.dataSync();
			tf.dispose([loss, norm]);
		}
		windows.dispose();
	};
	try {
		for (let i = 0; i < 3; i++) step();
		const started = performance.now();
		for (let i = 0; i < steps; i++) step();
		const ms = (performance.now() - started) / steps;
		return {
			name: 'Node, tfjs wasm, step before #18',
			msPerStep: ms,
			note: `${steps} training steps only (no sampling)`
		};
	} finally {
		for (const arm of arms) {
			model.disposeParams(arm.params);
			arm.optimizer.dispose();
		}
		mask.dispose();
	}
}

/**
 * The default step (each arm apart: arm.ts, step.ts) against both arms as one batched computation
 * (pair.ts), training steps only, in interleaved rounds of the same process so that load on the
 * machine hits both alike; the best round of each, in wall time and in this process's CPU time
 * (which a busy machine disturbs less), and the kernels one step issues.
 */
async function armsRun(steps: number): Promise<Measurement[]> {
	const { tf, model, c, data, shape, init } = await defaultModel();
	const { Arm } = await import('../src/lib/experiment/arm.js');
	const { ArmPair } = await import('../src/lib/experiment/pair.js');
	const apart = {
		masked: new Arm(true, shape, init, c.lr),
		unmasked: new Arm(false, shape, init, c.lr)
	};
	const pair = new ArmPair(shape, init, c.lr);
	const mask = model.causalMask(c.context + 1);
	const rng = mulberry32(c.seed + 1);
	const kinds = {
		apart: () => {
			const windows = tf.tensor2d(
				sampleBatch(rng, data, c.batch, c.context),
				[c.batch, c.context + 1],
				'int32'
			);
			apart.masked.trainStep(windows, mask);
			apart.unmasked.trainStep(windows, mask);
			windows.dispose();
		},
		batched: () => pair.trainStep(sampleBatch(rng, data, c.batch, c.context), c.batch)
	};
	const best = {
		apart: { wall: Infinity, cpu: Infinity },
		batched: { wall: Infinity, cpu: Infinity }
	};
	try {
		for (const step of Object.values(kinds)) for (let i = 0; i < 5; i++) step();
		const rounds = 10;
		const perRound = Math.max(1, Math.round(steps / rounds));
		for (let round = 0; round < rounds; round++)
			for (const [name, step] of Object.entries(kinds) as [keyof typeof kinds, () => void][]) {
				const cpu = process.cpuUsage();
				const started = performance.now();
				for (let i = 0; i < perRound; i++) step();
				const wall = (performance.now() - started) / perRound;
				const used = process.cpuUsage(cpu);
				best[name].wall = Math.min(best[name].wall, wall);
				best[name].cpu = Math.min(best[name].cpu, (used.user + used.system) / 1000 / perRound);
			}
		const kernels = async (step: () => void) =>
			(await tf.profile(() => void step())).kernels.length;
		const counts = { apart: await kernels(kinds.apart), batched: await kernels(kinds.batched) };
		const label = { apart: 'arms apart (default)', batched: 'arms batched (pair.ts)' };
		return (['apart', 'batched'] as const).map((name) => ({
			name: `Node, tfjs wasm, ${label[name]}`,
			msPerStep: best[name].wall,
			note: `training steps only, best of ${rounds} interleaved rounds of ${perRound}; CPU ${best[name].cpu.toFixed(1)} ms/step; ${counts[name]} kernels/step`
		}));
	} finally {
		apart.masked.dispose();
		apart.unmasked.dispose();
		pair.dispose();
		mask.dispose();
	}
}

/** Multiply-adds of one step (both arms, honest loss), times 2: the model's arithmetic, not tfjs's. */
function stepFlops(): number {
	const c = DEFAULT_CONFIG;
	const v = buildVocab(DEFAULT_CORPUS).chars.length;
	const n = c.context + 1;
	const rows = n * c.batch;
	const predicting = c.context * c.batch;
	const d = c.dModel;
	// forward of one arm: embedding (one-hot product), Q K V, scores and context, output projection, logits
	const attention = 2 * c.batch * n * n * d;
	const forward = rows * v * d + 3 * rows * d * d + attention + rows * d * d + predicting * d * v;
	// backward: two products per forward product; the honest pass repeats attention onwards
	const honest = attention + rows * d * d + predicting * d * v;
	return 2 * (2 * 3 * forward + honest);
}

/** GFLOP/s of a tight loop of the step's largest product shape, [rows, d] x [d, 3d], on the wasm backend. */
async function peakMatMul(): Promise<{ gflops: number; shape: string }> {
	installTfjsNodeResolver();
	const { setupBackend, tf } = await import('../src/lib/experiment/tf.js');
	await setupBackend('wasm');
	const c = DEFAULT_CONFIG;
	const [m, k, n] = [(c.context + 1) * c.batch, c.dModel, 3 * c.dModel];
	const a = tf.randomNormal([m, k]) as TF.Tensor2D;
	const b = tf.randomNormal([k, n]) as TF.Tensor2D;
	let best = 0;
	try {
		for (let round = 0; round < 20; round++) {
			const started = performance.now();
			for (let i = 0; i < 50; i++) tf.matMul(a, b).dispose();
			const s = (performance.now() - started) / 1000;
			best = Math.max(best, (2 * m * k * n * 50) / s / 1e9);
		}
	} finally {
		tf.dispose([a, b]);
	}
	return { gflops: best, shape: `[${m}, ${k}] x [${k}, ${n}]` };
}

/** Resolves `...wasm?url` imports (Vite's syntax) to the paths the throwaway server serves them at. */
const wasmUrlPlugin: Plugin = {
	name: 'wasm-url',
	setup(b) {
		b.onResolve({ filter: /\.wasm\?url$/ }, (args) => ({
			path: path.basename(args.path.replace(/\?url$/, '')),
			namespace: 'wasm-url'
		}));
		b.onLoad({ filter: /.*/, namespace: 'wasm-url' }, (args) => ({
			contents: `export default ${JSON.stringify(`/wasm/${args.path}`)};`,
			loader: 'js'
		}));
	}
};

async function bundleWorker(): Promise<string> {
	const out = await build({
		entryPoints: [path.join(root, 'src/lib/experiment/peek.worker.ts')],
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2020',
		write: false,
		logLevel: 'error',
		plugins: [wasmUrlPlugin]
	});
	return out.outputFiles[0].text;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>peek bench</title><p>peek bench</p>';

function serve(workerJs: string): Promise<Server> {
	const server = createServer((req, res) => {
		const url = req.url ?? '/';
		if (url === '/') {
			res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
		} else if (url === '/peek.worker.js') {
			res.writeHead(200, { 'content-type': 'text/javascript' }).end(workerJs);
		} else if (/^\/wasm\/[\w.-]+\.wasm$/.test(url)) {
			res
				.writeHead(200, { 'content-type': 'application/wasm' })
				.end(readFileSync(path.join(WASM_DIR, url.slice(6))));
		} else {
			res.writeHead(404).end();
		}
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface BrowserOutcome {
	wallMs: number;
	progress: number;
	backend: string;
	msPerStep: number;
	error?: string;
}

async function chromiumRun(steps: number): Promise<Measurement> {
	const server = await serve(await bundleWorker());
	const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_FLAGS });
	try {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
		const outcome: BrowserOutcome = await page.evaluate(
			(steps) =>
				new Promise<BrowserOutcome>((resolve) => {
					const worker = new Worker('/peek.worker.js', { type: 'module' });
					const started = performance.now();
					let progress = 0;
					worker.onmessage = (event) => {
						const message = event.data;
						if (message.type === 'progress') progress++;
						else if (message.type === 'done') {
							const { config, ms_per_step } = message.result;
							resolve({
								wallMs: performance.now() - started,
								progress,
								backend: config.backend,
								msPerStep: ms_per_step
							});
						} else
							resolve({
								wallMs: 0,
								progress,
								backend: '',
								msPerStep: 0,
								error: JSON.stringify(message)
							});
					};
					worker.postMessage({ type: 'start', config: { steps } });
				}),
			steps
		);
		if (outcome.error) throw new Error(`worker said ${outcome.error}`);
		return {
			name: `Chromium worker, tfjs ${outcome.backend}`,
			msPerStep: outcome.msPerStep,
			totalS: outcome.wallMs / 1000,
			note: `${steps} steps, ${outcome.progress} progress messages; total = start message to done, incl. wasm start-up and sampling`
		};
	} finally {
		await browser.close();
		server.close();
	}
}

/** The same model in PyTorch: see model.ts for the tfjs side. */
const TORCH_SCRIPT = String.raw`
import json, math, sys, time
import torch
a = json.loads(sys.argv[1])
torch.set_num_threads(a["threads"])
torch.manual_seed(123)
D, T, B, H, steps, lr = a["d_model"], a["context"], a["batch"], a["heads"], a["steps"], a["lr"]
text = open(a["corpus"], encoding="utf-8").read()
chars = sorted(set(text)); V = len(chars); index = {c: i for i, c in enumerate(chars)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
L = T + 1
class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = torch.nn.Embedding(V, D); self.pos = torch.nn.Embedding(L, D)
        self.wq = torch.nn.Linear(D, D, bias=False); self.wk = torch.nn.Linear(D, D, bias=False)
        self.wv = torch.nn.Linear(D, D, bias=False); self.wo = torch.nn.Linear(D, D); self.out = torch.nn.Linear(D, V)
    def forward(self, x, causal):
        b, n = x.shape; dh = D // H
        h = self.tok(x) + self.pos.weight[:n]
        q, k, v = (w(h).view(b, n, H, dh).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        s = q @ k.transpose(-2, -1) / math.sqrt(dh)
        if causal:
            s = s.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
        c = (torch.softmax(s, -1) @ v).transpose(1, 2).reshape(b, n, D)
        return self.out(h + self.wo(c))
def loss_of(m, w, causal):
    return torch.nn.functional.cross_entropy(m(w, causal)[:, :-1].reshape(-1, V), w[:, 1:].reshape(-1))
masked = Model(); unmasked = Model(); unmasked.load_state_dict(masked.state_dict())
arms = [(masked, torch.optim.Adam(masked.parameters(), lr=lr), True), (unmasked, torch.optim.Adam(unmasked.parameters(), lr=lr), False)]
end = {}
started = time.perf_counter()
for step in range(steps):
    starts = torch.randint(0, len(data) - L + 1, (B,))
    w = torch.stack([data[s:s + L] for s in starts])
    for m, opt, causal in arms:
        if not causal:
            with torch.no_grad():
                honest = loss_of(m, w, True).item()
        loss = loss_of(m, w, causal)
        opt.zero_grad(); loss.backward()
        norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in m.parameters()))
        opt.step()
        end["masked" if causal else "unmasked"] = loss.item()
print(json.dumps({"ms_per_step": (time.perf_counter() - started) * 1000 / steps, "torch": torch.__version__, "end": end}))
`;

function findTorchPython(): string | undefined {
	for (const python of ['python3', '/usr/bin/python3']) {
		const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
		if (probe.status === 0) return python;
	}
	return undefined;
}

/** PyTorch on `threads` threads (1, or every logical core). */
async function torchRun(steps: number, threads: number): Promise<Measurement | string> {
	const python = findTorchPython();
	if (!python)
		return 'PyTorch: skipped, `python3 -c "import torch"` fails (Debian: apt-get install -y python3-torch)';
	const dir = mkdtempSync(path.join(tmpdir(), 'peek-torch-'));
	try {
		writeFileSync(path.join(dir, 'corpus.txt'), DEFAULT_CORPUS);
		writeFileSync(path.join(dir, 'peek.py'), TORCH_SCRIPT);
		const c = DEFAULT_CONFIG;
		const args = {
			d_model: c.dModel,
			context: c.context,
			batch: c.batch,
			heads: c.heads,
			steps,
			lr: c.lr,
			threads,
			corpus: path.join(dir, 'corpus.txt')
		};
		const run = spawnSync(python, [path.join(dir, 'peek.py'), JSON.stringify(args)], {
			encoding: 'utf8'
		});
		if (run.status !== 0) return `PyTorch: failed: ${run.stderr.trim().split('\n').at(-1)}`;
		const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
		return {
			name: `PyTorch ${out.torch}, ${threads === 1 ? '1 thread' : `${threads} threads`}`,
			msPerStep: out.ms_per_step,
			note: `${steps} steps; unmasked loss ${out.end.unmasked.toExponential(1)}, masked ${out.end.masked.toFixed(2)}`
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * One row per environment, each with its ms per step divided by the baselines measured in this same
 * run: tfjs wasm in Node (always) and PyTorch on one thread (when it ran).
 */
function table(rows: Measurement[]): string {
	const wasm = rows.find((r) => r.name === 'Node, tfjs wasm')?.msPerStep;
	const before = rows.find((r) => r.name.endsWith('before #18'))?.msPerStep;
	const torch = rows.find(
		(r) => r.name.startsWith('PyTorch') && r.name.endsWith('1 thread')
	)?.msPerStep;
	const ratio = (ms: number | undefined, base: number | undefined) =>
		ms && base ? `${(ms / base).toFixed(2)}x` : '-';
	const head = [
		'environment',
		'ms/step',
		'total s',
		'/ Node wasm',
		'/ before #18',
		'/ PyTorch',
		'note'
	];
	const body = rows.map((r) => [
		r.name,
		r.msPerStep?.toFixed(1) ?? '-',
		r.totalS?.toFixed(1) ?? '-',
		ratio(r.msPerStep, wasm),
		ratio(r.msPerStep, before),
		ratio(r.msPerStep, torch),
		r.note
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => c.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	return [
		line(head),
		line(widths.map((w) => '-'.repeat(w))),
		...body.map(line),
		'',
		"/ Node wasm, / before #18, / PyTorch: this row's ms/step divided by that baseline's, both measured in this run",
		'(below 1: faster than the baseline; "-": the baseline did not run).'
	].join('\n');
}

async function main() {
	const steps = parseSteps(process.argv.slice(2));
	const c = DEFAULT_CONFIG;
	console.log(
		`peek experiment benchmark: d_model ${c.dModel}, heads ${c.heads}, context ${c.context}, batch ${c.batch}; one step = both arms + the honest loss`
	);
	const rows: Measurement[] = [];
	const notes: string[] = [];
	const attempt = async (label: string, run: () => Promise<Measurement | string>) => {
		try {
			const measured = await run();
			if (typeof measured === 'string') notes.push(measured);
			else rows.push(measured);
		} catch (error) {
			notes.push(`${label}: failed: ${(error as Error).message}`);
		}
	};
	await attempt('Node wasm', () => nodeRun('wasm', steps));
	await attempt('Node wasm, before #18', () => referenceRun(Math.min(steps, 100)));
	await attempt('Node cpu', () => nodeRun('cpu', Math.min(steps, 20)));
	await attempt('Chromium', () => chromiumRun(steps));
	await attempt('PyTorch', () => torchRun(steps, 1));
	if (cpus().length > 1)
		await attempt('PyTorch, all threads', () => torchRun(steps, cpus().length));
	try {
		rows.push(...(await armsRun(Math.min(steps, 100))));
	} catch (error) {
		notes.push(`arms apart / batched: failed: ${(error as Error).message}`);
	}
	let peak: { gflops: number; shape: string } | undefined;
	try {
		peak = await peakMatMul();
	} catch (error) {
		notes.push(`peak: failed: ${(error as Error).message}`);
	}
	console.log('');
	console.log(table(rows));
	for (const note of notes) console.log(note);
	const ms = (name: string) => rows.find((r) => r.name.startsWith(name))?.msPerStep;
	const wasm = rows.find((r) => r.name === 'Node, tfjs wasm')?.msPerStep;
	const flops = stepFlops();
	const stepGflops = wasm ? flops / (wasm / 1000) / 1e9 : undefined;
	if (peak && stepGflops) {
		console.log(
			`peak: wasm matMul ${peak.shape} ${peak.gflops.toFixed(1)} GFLOP/s; one step is ${(flops / 1e9).toFixed(3)} GFLOP of model arithmetic, ` +
				`${stepGflops.toFixed(2)} GFLOP/s in Node wasm = ${((100 * stepGflops) / peak.gflops).toFixed(1)}% of that peak ` +
				`(at peak a step would take ${((flops / peak.gflops / 1e9) * 1000).toFixed(2)} ms)`
		);
	}
	const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 1000) / 1000);
	const ratio = (a: number | undefined, b: number | undefined) => (a && b ? round(a / b) : null);
	const before = ms('Node, tfjs wasm, step before');
	const torch = rows.find(
		(r) => r.name.startsWith('PyTorch') && r.name.endsWith('1 thread')
	)?.msPerStep;
	const torchAll = rows.find(
		(r) => r.name.startsWith('PyTorch') && r.name.endsWith('threads')
	)?.msPerStep;
	const apartSteps = ms('Node, tfjs wasm, arms apart');
	const batchedSteps = ms('Node, tfjs wasm, arms batched');
	const chromium = rows.find((r) => r.name.startsWith('Chromium'));
	console.log(
		JSON.stringify({
			ms_per_step: Object.fromEntries(rows.map((r) => [r.name, round(r.msPerStep)])),
			node_wasm_over_before: ratio(wasm, before),
			node_wasm_over_pytorch: ratio(wasm, torch),
			node_wasm_over_pytorch_all_threads: ratio(wasm, torchAll),
			batched_over_apart: ratio(batchedSteps, apartSteps),
			batched_over_pytorch: ratio(batchedSteps, torch),
			chromium_over_before: ratio(chromium?.msPerStep, before),
			chromium_over_pytorch: ratio(chromium?.msPerStep, torch),
			chromium_over_pytorch_all_threads: ratio(chromium?.msPerStep, torchAll),
			chromium_total_s: round(chromium?.totalS),
			peak_gflops: round(peak?.gflops),
			step_gflops: round(stepGflops),
			share_of_peak: ratio(stepGflops, peak?.gflops)
		})
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
