/** PyTorch's CPU generator: MT19937, seeding, uniform_ (FMA rounding), Linear init, Bernoulli. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	Generator,
	MT19937,
	defaultGenerator,
	fma32,
	kaimingUniformBound,
	linearBiasBound,
	linearInitData,
	manualSeed,
	seedLow32
} from '../../../src/lib/engine/index.js';

/** A bare MT19937 stream for the same 32-bit seed: the oracle the transforms are checked against. */
function stream(seed32: number): () => number {
	const mt = new MT19937(seed32);
	return () => mt.nextU32();
}

describe('MT19937', () => {
	it("gives the C++ standard's check value: the 10000th output of seed 5489 is 4123659995", () => {
		const next = stream(5489);
		let last = 0;
		for (let i = 0; i < 10000; i++) last = next();
		expect(last).toBe(4123659995);
	});

	it('starts 2991312382, 3062119789, 1228959102 after seed 123 (torch-rng.md)', () => {
		const g = new Generator(123);
		expect([g.randomU32(), g.randomU32(), g.randomU32()]).toEqual([
			2991312382, 3062119789, 1228959102
		]);
	});

	it('keeps going across several 624-word regenerations without repeating', () => {
		const next = stream(123);
		const seen = new Set<number>();
		for (let i = 0; i < 5000; i++) seen.add(next());
		expect(seen.size).toBeGreaterThan(4990);
	});
});

describe('seeding like torch.manual_seed', () => {
	const firstDraws = (seed: number | bigint): number[] => {
		const g = new Generator(seed);
		return [g.randomU32(), g.randomU32(), g.randomU32()];
	};

	it('uses the low 32 bits: 2^32 + 123 gives the stream of 123', () => {
		expect(firstDraws(2 ** 32 + 123)).toEqual(firstDraws(123));
		expect(firstDraws(2n ** 40n + 123n)).toEqual(firstDraws(123));
	});

	it("reads negative seeds as two's complement: -5 gives the stream of 2^32 - 5", () => {
		expect(firstDraws(-5)).toEqual(firstDraws(2 ** 32 - 5));
		expect(firstDraws(-5n)).toEqual(firstDraws(2n ** 64n - 5n));
		expect(seedLow32(-1)).toBe(0xffffffff);
	});

	it('accepts any safe integer and bigints in [-2^63, 2^64); rejects the rest', () => {
		expect(() => new Generator(Number.MAX_SAFE_INTEGER)).not.toThrow();
		expect(() => new Generator(Number.MIN_SAFE_INTEGER)).not.toThrow();
		expect(() => new Generator(2 ** 53)).toThrow(RangeError);
		expect(() => new Generator(1.5)).toThrow(RangeError);
		expect(() => new Generator(Number.NaN)).toThrow(RangeError);
		expect(() => new Generator(2n ** 64n)).toThrow(RangeError);
		expect(() => new Generator(-(2n ** 63n) - 1n)).toThrow(RangeError);
	});

	it('manualSeed re-seeds the default generator and returns it', () => {
		const g = manualSeed(7);
		expect(g).toBe(defaultGenerator());
		const a = g.randomU32();
		manualSeed(7);
		expect(defaultGenerator().randomU32()).toBe(a);
		expect(g.initialSeed()).toBe(7n);
	});

	it('safe-integer seeds agree with the same value as a bigint', () => {
		fc.assert(
			fc.property(fc.maxSafeInteger(), (s) => {
				expect(firstDraws(s)).toEqual(firstDraws(BigInt(s)));
				expect(seedLow32(s)).toBe(Number(BigInt.asUintN(32, BigInt(s))));
			}),
			{ numRuns: 50 }
		);
	});
});

describe('torch.rand', () => {
	it('is (u32 & 0xFFFFFF) * 2^-24 of one output per element, row-major', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
				const next = stream(seed);
				const got = new Generator(seed).randData(7);
				for (let i = 0; i < 7; i++) expect(got[i]).toBe((next() & 0xffffff) / 2 ** 24);
			}),
			{ numRuns: 30 }
		);
	});
});

/** A double as an exact dyadic rational m · 2^e (m a signed bigint). */
function dyadic(v: number): { m: bigint; e: number } {
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, v);
	const hi = view.getUint32(0);
	const lo = view.getUint32(4);
	const sign = hi >>> 31 ? -1n : 1n;
	const exp = (hi >>> 20) & 0x7ff;
	let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
	if (exp !== 0) mant |= 1n << 52n;
	return { m: sign * mant, e: (exp === 0 ? 1 : exp) - 1075 };
}

/** Exact x * y + z, rounded once to float32 (ties to even); normal range only. */
function exactFma32(x: number, y: number, z: number): number {
	const a = dyadic(x);
	const b = dyadic(y);
	const c = dyadic(z);
	const pe = a.e + b.e;
	const e = Math.min(pe, c.e);
	const m = ((a.m * b.m) << BigInt(pe - e)) + (c.m << BigInt(c.e - e));
	if (m === 0n) return 0;
	const neg = m < 0n;
	let mag = neg ? -m : m;
	let exp = e;
	const shift = mag.toString(2).length - 24;
	if (shift > 0) {
		const rem = mag & ((1n << BigInt(shift)) - 1n);
		const half = 1n << BigInt(shift - 1);
		mag >>= BigInt(shift);
		if (rem > half || (rem === half && (mag & 1n) === 1n)) mag += 1n;
		exp += shift;
	}
	const value = Number(mag) * 2 ** exp;
	return neg ? -value : value;
}

describe('uniform_ with one rounding (fused multiply-add)', () => {
	// Normal float32 values in about ±[2^-30, 4] (and 0): the oracle does not model subnormals.
	const f32 = fc.oneof(
		fc.constant(0),
		fc
			.tuple(
				fc.boolean(),
				fc.integer({ min: 2 ** 23, max: 2 ** 24 - 1 }),
				fc.integer({ min: -53, max: -21 })
			)
			.map(([neg, m, e]) => (neg ? -1 : 1) * m * 2 ** e)
	);
	const sample = fc.integer({ min: 0, max: 0xffffff }).map((k) => k / 2 ** 24);

	it('fma32 equals the exactly rounded x * range + from', () => {
		fc.assert(
			fc.property(sample, f32, f32, (x, range, from) => {
				expect(Object.is(fma32(x, range, from) + 0, exactFma32(x, range, from) + 0)).toBe(true);
			}),
			{ numRuns: 3000 }
		);
	});

	it('double-then-float32 rounding and two roundings both differ from it somewhere (the test can tell)', () => {
		let doubleMismatch = 0;
		let twoRoundings = 0;
		let exactMismatch = 0;
		const g = new Generator(1);
		for (let i = 0; i < 20000; i++) {
			const x = g.nextFloat32();
			const bound = Math.fround(1 / Math.sqrt(1 + (g.randomU32() % 64)));
			const range = Math.fround(bound - -bound);
			const exact = exactFma32(x, range, -bound);
			if (fma32(x, range, -bound) !== exact) exactMismatch++;
			if (Math.fround(x * range - bound) !== exact) doubleMismatch++;
			if (Math.fround(Math.fround(x * range) - bound) !== exact) twoRoundings++;
		}
		expect(exactMismatch).toBe(0);
		expect(twoRoundings).toBeGreaterThan(1000);
		// torch-rng.md found 0 mismatches for double-FMA + fround on 20000 triples; fma32 needs no luck.
		expect(doubleMismatch).toBeLessThan(20);
	});

	it('uses float32(from), float32(to) and one u32 per element', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), f32, f32, (seed, a, b) => {
				const next = stream(seed);
				const got = new Generator(seed).uniformData(5, a, b);
				const from = Math.fround(a);
				const range = Math.fround(Math.fround(b) - from);
				for (let i = 0; i < 5; i++) {
					expect(got[i]).toBe(exactFma32((next() & 0xffffff) / 2 ** 24, range, from));
				}
			}),
			{ numRuns: 30 }
		);
	});
});

describe('nn.Linear default init', () => {
	it('bounds are computed like torch/nn/init.py (kaiming a=√5) and equal 1/√fan_in in float32', () => {
		for (const fan of [1, 2, 3, 4, 7, 64, 768]) {
			expect(Math.fround(kaimingUniformBound(fan))).toBe(Math.fround(1 / Math.sqrt(fan)));
			expect(linearBiasBound(fan)).toBe(1 / Math.sqrt(fan));
		}
		expect(linearBiasBound(0)).toBe(0);
	});

	it('draws the weight (out x in, row-major) then the bias, one u32 each, within the bounds', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: 1, max: 6 }),
				fc.boolean(),
				(seed, n, m, bias) => {
					const g = new Generator(seed);
					const l = linearInitData(g, n, m, bias);
					const oracle = new Generator(seed);
					const wb = kaimingUniformBound(n);
					expect(l.weight).toEqual(oracle.uniformData(n * m, -wb, wb));
					if (bias) {
						expect(l.bias).toEqual(oracle.uniformData(m, -linearBiasBound(n), linearBiasBound(n)));
					} else {
						expect(l.bias).toBeNull();
					}
					expect(g.randomU32()).toBe(oracle.randomU32());
					for (const w of l.weight) expect(Math.abs(w)).toBeLessThanOrEqual(Math.fround(wb));
				}
			),
			{ numRuns: 40 }
		);
	});
});

describe('bernoulli_ (non-MKL CPU path)', () => {
	it('keeps iff ((hi & 0x1FFFFF) * 2^32 + lo) * 2^-53 < p, two u32 per element, high word first', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(seed, p) => {
					const next = stream(seed);
					const got = new Generator(seed).bernoulliData(20, p);
					for (let i = 0; i < 20; i++) {
						const hi = next();
						const lo = next();
						const u = Number(((BigInt(hi) << 32n) | BigInt(lo)) & ((1n << 53n) - 1n)) / 2 ** 53;
						expect(got[i]).toBe(u < p ? 1 : 0);
					}
				}
			),
			{ numRuns: 30 }
		);
	});

	it('for p = 0.5 keeps iff bit 20 of the first word of each pair is 0', () => {
		const next = stream(99);
		const got = new Generator(99).bernoulliData(200, 0.5);
		for (let i = 0; i < 200; i++) {
			const hi = next();
			next();
			expect(got[i]).toBe((hi >>> 20) & 1 ? 0 : 1);
		}
	});

	it('random64 is the high word then the low word', () => {
		const next = stream(5);
		const r = new Generator(5).random64();
		const hi = next();
		const lo = next();
		expect(r).toBe((BigInt(hi) << 32n) | BigInt(lo));
	});
});
