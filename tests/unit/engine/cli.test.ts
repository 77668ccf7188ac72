/** The engine CLI, spawned with tsx as `npm run -s engine` runs it. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_SPECS, GOOD_SPEC } from './bad-specs.js';
import { expectClose, loadReference, numeric, repoRoot } from './helpers.js';

const TSX = path.join(repoRoot, 'node_modules/.bin/tsx');
const CLI = path.join(repoRoot, 'scripts/engine-cli.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'engine-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function run(command: string, args: string[], stdin?: string): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(stdin ?? '');
	});
}

const cli = (args: string[], stdin?: string): Promise<Run> => run(TSX, [CLI, ...args], stdin);

function specFile(name: string, text: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, text);
	return file;
}

/** The book's batch (two copies of the inputs) as design.md's MultiHeadAttention spec. */
function bookSpec(): typeof GOOD_SPEC {
	const { byName } = loadReference();
	const code = byName.get('inputs')!.code;
	const inputs = JSON.parse(code.slice(code.indexOf('['), code.lastIndexOf(']') + 1)) as number[][];
	return { ...GOOD_SPEC, inputs: [inputs, inputs] };
}

/** Runs `jobs` with at most `limit` at a time (2 shared cores). */
async function pool<T>(jobs: (() => Promise<T>)[], limit = 3): Promise<T[]> {
	const results: T[] = new Array(jobs.length);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < jobs.length) {
			const i = next++;
			results[i] = await jobs[i]();
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return results;
}

// Spawning is slow on a busy 2-core machine: allow more than the default 30 s per test.
describe('engine CLI', { timeout: 90_000 }, () => {
	it('prints the book MultiHeadAttention context vectors for a spec file (as PyTorch does)', async () => {
		const r = await cli([specFile('book.json', JSON.stringify(bookSpec()))]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout) as { context_vecs: unknown; attn_weights: unknown };
		const { byName } = loadReference();
		expectClose(out.context_vecs, numeric(byName.get('mha.context_vecs')!.values), 1e-6);
		expect(r.stdout.trim().split('\n')).toHaveLength(1);
	});

	it('reads the spec from stdin with -, on the cpu backend too, with the same numbers', async () => {
		const spec = JSON.stringify({ ...bookSpec(), seed: -5, dropout: 0.5, qkv_bias: true });
		const [wasm, cpu] = await Promise.all([cli(['-'], spec), cli(['--backend', 'cpu', '-'], spec)]);
		expect([wasm.code, cpu.code]).toEqual([0, 0]);
		const a = JSON.parse(wasm.stdout) as { context_vecs: unknown };
		const b = JSON.parse(cpu.stdout) as { context_vecs: unknown };
		expectClose(a.context_vecs, b.context_vecs, 1e-6);
	});

	it('is wired as `npm run -s engine`', async () => {
		const r = await run('npm', ['run', '-s', 'engine', '--', '-'], JSON.stringify(bookSpec()));
		expect(r.code).toBe(0);
		expect(Object.keys(JSON.parse(r.stdout) as object)).toContain('context_vecs');
	});

	it('rejects every kind of bad spec: exit 2, one stderr line naming the field, empty stdout', async () => {
		const kinds = BAD_SPECS.filter((b) => b.cli);
		expect(kinds.length).toBeGreaterThanOrEqual(12);
		const results = await pool(kinds.map((bad) => () => cli(['-'], bad.text)));
		kinds.forEach((bad, i) => {
			const r = results[i];
			expect(r.code, bad.name).toBe(2);
			expect(r.stdout, bad.name).toBe('');
			const lines = r.stderr.split('\n').filter((l) => l.length > 0);
			expect(lines, bad.name).toHaveLength(1);
			expect(lines[0].startsWith(`${bad.field}: expected`), `${bad.name}: ${lines[0]}`).toBe(true);
		});
	});

	it('rejects an unreadable spec file and a missing argument the same way', async () => {
		const [missing, directory, none] = await pool([
			() => cli([path.join(dir, 'does-not-exist.json')]),
			() => cli([dir]),
			() => cli([])
		]);
		for (const r of [missing, directory, none]) {
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			expect(r.stderr.trim().split('\n')).toHaveLength(1);
			expect(r.stderr.startsWith('spec file: expected')).toBe(true);
		}
	});
});
