/**
 * npm run bench:experiment [-- --steps N]
 * Milliseconds per training step (both arms, honest loss included) of the default peek experiment:
 * in Node on wasm and cpu, in headless Chromium (the real Web Worker entry, bundled with esbuild), and
 * in PyTorch on one thread when `python3 -c "import torch"` works (skipped with a message otherwise).
 * Each row is also divided by the baselines measured in the same run: tfjs wasm in Node, and PyTorch
 * when it ran. Timings vary from run to run and machine to machine; compare rows of one run only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../tests/browser-path.js';
import { DEFAULT_CONFIG, type BackendName } from '../src/lib/experiment/config.js';
import { DEFAULT_CORPUS } from '../src/lib/experiment/corpus.js';
import { runExperiment } from '../src/lib/experiment/run.js';
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
torch.set_num_threads(1)
torch.manual_seed(123)
a = json.loads(sys.argv[1])
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

async function torchRun(steps: number): Promise<Measurement | string> {
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
			corpus: path.join(dir, 'corpus.txt')
		};
		const run = spawnSync(python, [path.join(dir, 'peek.py'), JSON.stringify(args)], {
			encoding: 'utf8'
		});
		if (run.status !== 0) return `PyTorch: failed: ${run.stderr.trim().split('\n').at(-1)}`;
		const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
		return {
			name: `PyTorch ${out.torch}, 1 thread`,
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
	const torch = rows.find((r) => r.name.startsWith('PyTorch'))?.msPerStep;
	const ratio = (ms: number | undefined, base: number | undefined) =>
		ms && base ? `${(ms / base).toFixed(2)}x` : '-';
	const head = ['environment', 'ms/step', 'total s', '/ Node wasm', '/ PyTorch', 'note'];
	const body = rows.map((r) => [
		r.name,
		r.msPerStep?.toFixed(1) ?? '-',
		r.totalS?.toFixed(1) ?? '-',
		ratio(r.msPerStep, wasm),
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
		"/ Node wasm, / PyTorch: this row's ms/step divided by that baseline's, both measured in this run",
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
	await attempt('Node cpu', () => nodeRun('cpu', Math.min(steps, 20)));
	await attempt('Chromium', () => chromiumRun(steps));
	await attempt('PyTorch', () => torchRun(steps));
	console.log('');
	console.log(table(rows));
	for (const note of notes) console.log(note);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
