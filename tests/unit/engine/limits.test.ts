/**
 * The engine's spec limits (SPEC_LIMITS, engine README "Limits"): oversized or deeply nested specs
 * are refused with exit code 2 and one line, before anything is built.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	jsonDepth,
	parseSpecJson,
	SPEC_LIMITS,
	SpecError,
	validateSpec
} from '../../../src/lib/engine/index.js';
import { GOOD_SPEC } from './bad-specs.js';
import { repoRoot } from './helpers.js';

const TSX = path.join(repoRoot, 'node_modules/.bin/tsx');
const CLI = path.join(repoRoot, 'scripts/engine-cli.ts');

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function cli(stdin: string): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(TSX, [CLI, '-'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		// the CLI may exit before reading everything: a closed pipe is not an error here
		child.stdin.on('error', () => {});
		child.stdin.end(stdin);
	});
}

const fill = (dims: number[]): unknown =>
	dims.length === 0 ? 0.5 : Array.from({ length: dims[0] }, () => fill(dims.slice(1)));

/** MultiHeadAttention, 64 heads over 2 x 1000 tokens: its attention weights hold 128 M numbers. */
const HUGE_ATTENTION = {
	...GOOD_SPEC,
	d_in: 1,
	d_out: 64,
	num_heads: 64,
	context_length: 1000,
	inputs: fill([2, 1000, 1])
};

function specError(f: () => unknown): SpecError {
	try {
		f();
	} catch (e) {
		if (e instanceof SpecError) return e;
		throw e;
	}
	throw new Error('no SpecError');
}

describe('spec limits', () => {
	it('a spec with d_in or d_out over the bound is refused before anything is built', () => {
		expect(specError(() => validateSpec({ ...GOOD_SPEC, d_in: 100_000 })).message).toBe(
			'd_in: expected at most 1000 features (engine limit), got 100000'
		);
		expect(specError(() => validateSpec({ ...GOOD_SPEC, d_out: 2_000_000 })).field).toBe('d_out');
		expect(specError(() => validateSpec({ ...GOOD_SPEC, num_heads: 1000 })).field).toBe(
			'num_heads'
		);
	});

	it('a spec whose attention weights would exceed 1,000,000 elements is refused', () => {
		expect(specError(() => validateSpec(HUGE_ATTENTION)).message).toBe(
			'spec: expected tensors of at most 1000000 elements (engine limit), got attn_weights of 2 x 64 x 1000 x 1000 = 128000000 elements'
		);
	});

	it("a wrapper whose heads' weights together exceed the bound is refused", () => {
		const spec = {
			...GOOD_SPEC,
			module: 'MultiHeadAttentionWrapper',
			d_in: 500,
			d_out: 500,
			num_heads: 8,
			inputs: fill([1, 1, 500])
		};
		expect(specError(() => validateSpec(spec)).message).toMatch(
			/got weights of 8 x 500 x 500 = 2000000 elements$/
		);
	});

	it('a spec over 1000 tokens is refused', () => {
		const spec = { ...GOOD_SPEC, module: 'SelfAttention_v1', inputs: fill([1001, 3]) };
		expect(specError(() => validateSpec(spec)).message).toBe(
			'inputs: expected at most 1000 tokens (engine limit), got 1001'
		);
	});

	it('accepts a spec right at the bounds', () => {
		const spec = { ...GOOD_SPEC, module: 'SelfAttention_v2', d_in: 1000, d_out: 1000 };
		expect(() => validateSpec({ ...spec, inputs: fill([1, 1000]) })).not.toThrow();
		expect(SPEC_LIMITS.maxElements).toBe(1_000_000);
	});

	it('deeply nested JSON is refused without parsing it', () => {
		expect(jsonDepth('{"a": [[1, "[[[["], {"b": "\\"["}]}')).toBe(3);
		const deep = '['.repeat(10_000) + ']'.repeat(10_000);
		expect(jsonDepth(deep, 32)).toBe(33); // stops counting past the limit
		expect(specError(() => parseSpecJson(deep)).message).toBe(
			'spec: expected JSON nested at most 32 levels deep, got deeper JSON'
		);
	});
});

// Spawning is slow on a busy 2-core machine.
describe('engine CLI limits', { timeout: 90_000 }, () => {
	it('a spec with 10,000 levels of [ exits 2 with a message, not a stack overflow', async () => {
		const deep = '['.repeat(10_000) + ']'.repeat(10_000);
		const inInputs = JSON.stringify({ ...GOOD_SPEC, inputs: 0 }).replace(
			'"inputs":0',
			`"inputs":${deep}`
		);
		for (const text of [deep, inInputs]) {
			const r = await cli(text);
			expect(r.code).toBe(2);
			expect(r.stdout).toBe('');
			expect(r.stderr).toBe('spec: expected JSON nested at most 32 levels deep, got deeper JSON\n');
		}
	});

	it('a spec whose tensors would take gigabytes exits 2 with a message, not an out-of-memory crash', async () => {
		const r = await cli(JSON.stringify(HUGE_ATTENTION));
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/^spec: expected tensors of at most 1000000 elements .*\n$/);
		const wide = await cli(JSON.stringify({ ...GOOD_SPEC, d_in: 1_000_000_000 }));
		expect([wide.code, wide.stderr]).toEqual([
			2,
			'd_in: expected at most 1000 features (engine limit), got 1000000000\n'
		]);
	});

	it('a spec over 32 MiB of JSON exits 2 without reading all of it', async () => {
		const text = JSON.stringify({ ...GOOD_SPEC, padding: 'x'.repeat(SPEC_LIMITS.maxJsonChars) });
		const r = await cli(text);
		expect(r.code).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr).toBe(
			`spec: expected at most ${SPEC_LIMITS.maxJsonChars} bytes of JSON, got more (engine limit)\n`
		);
	});
});
