import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError, parseCliArgs } from '../../../src/lib/experiment/cli-args.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			path.join(root, 'node_modules/.bin/tsx'),
			['scripts/experiment-cli.ts', ...args],
			{ cwd: root }
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('parseCliArgs', () => {
	it('maps flags to config fields', () => {
		const options = parseCliArgs([
			'--json',
			'--steps',
			'40',
			'--d-model=16',
			'--heads',
			'2',
			'--seed',
			'-5',
			'--lr',
			'0.02',
			'--context',
			'8',
			'--batch',
			'4',
			'--backend',
			'cpu',
			'--corpus',
			'a.txt'
		]);
		expect(options).toEqual({
			json: true,
			help: false,
			corpusFile: 'a.txt',
			config: {
				steps: 40,
				dModel: 16,
				heads: 2,
				seed: -5,
				lr: 0.02,
				context: 8,
				batch: 4,
				backend: 'cpu'
			}
		});
	});

	it.each([
		[['--bogus'], 'unknown option "--bogus"'],
		[['--steps'], '--steps: missing value'],
		[['--steps', 'ten'], '--steps: expected a number, got "ten"'],
		[['--backend', 'webgl'], '--backend: expected wasm or cpu, got "webgl"'],
		[['--json=yes'], '--json takes no value']
	])('rejects %j', (argv, message) => {
		expect(() => parseCliArgs(argv)).toThrow(CliError);
		expect(() => parseCliArgs(argv)).toThrow(message);
	});
});

describe('npm run -s experiment', () => {
	it.each([
		[['--steps', 'ten'], '--steps: expected a number'],
		[['--heads', '3'], 'heads: expected a divisor of dModel (32), got 3'],
		[['--lr', '0'], 'lr: expected a number > 0'],
		[['--corpus', '/nonexistent/text.txt'], '--corpus: cannot read /nonexistent/text.txt']
	])('exits 2 on %j with a message and nothing on stdout', async (args, message) => {
		const { code, stdout, stderr } = await cli(args);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toContain(message);
	});

	it('prints one JSON object as its last line with --json', async () => {
		const { code, stdout } = await cli([
			'--json',
			'--steps',
			'3',
			'--d-model',
			'8',
			'--context',
			'8',
			'--batch',
			'4',
			'--sample-length',
			'5'
		]);
		expect(code).toBe(0);
		const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
		expect(result.config).toMatchObject({
			d_model: 8,
			context: 8,
			batch: 4,
			steps: 3,
			heads: 1,
			vocab: 57
		});
		for (const arm of [result.masked, result.unmasked]) {
			expect(arm.train_loss).toHaveLength(3);
			expect(arm.honest_loss).toHaveLength(3);
			expect(arm.grad_norm).toHaveLength(3);
			expect(arm.ms_per_step).toBeGreaterThan(0);
			expect(typeof arm.sample).toBe('string');
			expect(arm.sample_divergence).toBeGreaterThanOrEqual(0);
		}
	});
});
