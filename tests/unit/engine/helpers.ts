import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturePath = path.join(repoRoot, 'tests/fixtures/ch03-reference.json');
/** Where the reference lives beside the checkout (CI has shared/ next to the clone). */
export const sharedReferencePath = path.resolve(
	repoRoot,
	'../shared/reference/ch03-reference.json'
);

export type RefValue = number | string | RefValue[];
export interface Quantity {
	name: string;
	section: string;
	code: string;
	shape: number[];
	dtype: string;
	values: RefValue;
	float32_bits_hex?: RefValue;
}

export function loadReference(): { quantities: Quantity[]; byName: Map<string, Quantity> } {
	const json = JSON.parse(readFileSync(fixturePath, 'utf8')) as { quantities: Quantity[] };
	return { quantities: json.quantities, byName: new Map(json.quantities.map((q) => [q.name, q])) };
}

/** Reference values as numbers ('-Infinity' strings become -Infinity). */
export function numeric(v: RefValue): unknown {
	if (typeof v === 'string') return Number(v);
	if (typeof v === 'number') return v;
	return v.map(numeric);
}

export function shapeOfNested(x: unknown): number[] {
	return Array.isArray(x) ? [x.length, ...shapeOfNested(x[0])] : [];
}

export function flat(x: unknown): number[] {
	return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

export function float32Hex(v: number): string {
	const bits = new Uint32Array(new Float32Array([v]).buffer)[0];
	return '0x' + bits.toString(16).padStart(8, '0');
}

/** Same shape, and every element within `tol` (infinities must match exactly). */
export function expectClose(got: unknown, expected: unknown, tol = 1e-6, label = ''): void {
	expect(shapeOfNested(got), `${label} shape`).toEqual(shapeOfNested(expected));
	const g = flat(got);
	const e = flat(expected);
	expect(g.length).toBe(e.length);
	for (let i = 0; i < e.length; i++) {
		if (!Number.isFinite(e[i])) {
			expect(g[i], `${label}[${i}]`).toBe(e[i]);
		} else {
			expect(typeof g[i], `${label}[${i}] type`).toBe('number');
			expect(
				Math.abs(g[i] - e[i]),
				`${label}[${i}]: got ${g[i]}, expected ${e[i]}`
			).toBeLessThanOrEqual(tol);
		}
	}
}

/** Same shape and the very same float32 bit patterns. */
export function expectBits(
	got: unknown,
	expectedHex: RefValue | undefined,
	expected: unknown,
	label = ''
): void {
	expect(shapeOfNested(got), `${label} shape`).toEqual(shapeOfNested(expected));
	const g = flat(got);
	if (expectedHex !== undefined) {
		expect(g.map(float32Hex), label).toEqual(flat(expectedHex));
	} else {
		expect(g.map(float32Hex), label).toEqual(flat(expected).map(float32Hex));
	}
}
