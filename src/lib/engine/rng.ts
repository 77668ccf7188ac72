/**
 * PyTorch's CPU random numbers, bit for bit: `torch.manual_seed` → MT19937 → `torch.rand`,
 * `Tensor.uniform_`, `nn.Linear`'s default init and `nn.Dropout`'s non-MKL Bernoulli path.
 * No tfjs here: everything is plain arithmetic on 32-bit words.
 *
 * @see /work/shared/reference/torch-rng.md (algorithm and source-file citations)
 * @see aten/src/ATen/core/MT19937RNGEngine.h, aten/src/ATen/core/TransformationHelper.h
 */
import {
	sizeOf,
	toNested,
	toMatrix,
	toVector,
	type Matrix,
	type NestedArray,
	type Vector
} from './ndarray.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_24 = 2 ** -24;
const TWO_POW_MINUS_53 = 2 ** -53;

/** `default_rng_seed_val` in PyTorch's `CPUGeneratorImpl.h`: the seed of a generator nobody seeded. */
export const DEFAULT_SEED = 67280421310721n;

/** Standard MT19937 (`std::mt19937`), seeded with `init_genrand`. */
export class MT19937 {
	private readonly state = new Uint32Array(N);
	private index = N;

	constructor(seed32 = 5489) {
		this.seed(seed32);
	}

	/** init_genrand: state[j] = 1812433253 · (state[j−1] ⊕ (state[j−1] ≫ 30)) + j  (mod 2^32). */
	seed(seed32: number): void {
		const s = this.state;
		s[0] = seed32 >>> 0;
		for (let j = 1; j < N; j++) {
			const prev = s[j - 1];
			s[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
		}
		// PyTorch: left = 1, next = 0, so the first draw regenerates all 624 words.
		this.index = N;
	}

	/** One tempered 32-bit output. */
	nextU32(): number {
		if (this.index >= N) this.twist();
		let y = this.state[this.index++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y >>> 0;
	}

	private twist(): void {
		const s = this.state;
		const mix = (a: number, b: number, far: number): number => {
			const y = (a & UPPER_MASK) | (b & LOWER_MASK);
			return (far ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
		};
		let k = 0;
		for (; k < N - M; k++) s[k] = mix(s[k], s[k + 1], s[k + M]);
		for (; k < N - 1; k++) s[k] = mix(s[k], s[k + 1], s[k + M - N]);
		s[N - 1] = mix(s[N - 1], s[0], s[M - 1]);
		this.index = 0;
	}
}

/**
 * The low 32 bits PyTorch keeps of a seed: Python ints in [−2^63, 2^64) are read as uint64
 * (two's complement for negatives, `unpack_uint64` in torch/csrc/Generator.cpp), then
 * `mt19937(seed & 0xFFFFFFFF)`.
 */
export function seedLow32(seed: number | bigint): number {
	let big: bigint;
	if (typeof seed === 'bigint') {
		big = seed;
	} else {
		if (!Number.isSafeInteger(seed)) {
			throw new RangeError(`seed must be a safe integer (or a bigint), got ${seed}`);
		}
		big = BigInt(seed);
	}
	if (big < -(2n ** 63n) || big >= 2n ** 64n) {
		throw new RangeError(`seed must lie in [-2^63, 2^64) as in PyTorch, got ${big}`);
	}
	return Number(BigInt.asUintN(32, big));
}

/**
 * float32 `x * range + from` with ONE rounding, as PyTorch's AVX2 kernels compute it (fused
 * multiply-add). `x` and `range` are float32, so `x * range` is exact in a double; the sum is
 * rounded once to a double and once more to float32, and the second rounding can only be wrong
 * when the double lands exactly halfway between two float32 values. There the exact error of the
 * double addition (TwoSum) says which way the exact value lies.
 */
export function fma32(x: number, range: number, from: number): number {
	const p = x * range;
	const s = p + from;
	const bv = s - p;
	const err = p - (s - bv) + (from - bv);
	const r = Math.fround(s);
	if (err === 0 || r === s) return r;
	const other = s + (s - r);
	if (Math.fround(other) !== other) return r;
	return err > 0 === other > r ? other : r;
}

/**
 * `torch.nn.init.kaiming_uniform_(w, a=√5)` bound, computed in doubles exactly as
 * torch/nn/init.py does: gain = √(2 / (1 + a²)), std = gain / √fan_in, bound = √3 · std.
 * (It equals 1/√fan_in up to double rounding.)
 */
export function kaimingUniformBound(fanIn: number): number {
	const negativeSlope = Math.sqrt(5);
	const gain = Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
	const std = gain / Math.sqrt(fanIn);
	return Math.sqrt(3.0) * std;
}

/** `nn.Linear` bias bound, `1 / math.sqrt(fan_in)` (0 when fan_in is 0), torch/nn/modules/linear.py. */
export function linearBiasBound(fanIn: number): number {
	return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/** A PyTorch CPU generator (`torch.Generator()`): an MT19937 stream plus PyTorch's transforms. */
export class Generator {
	private readonly engine = new MT19937();
	private seedValue: bigint = DEFAULT_SEED;

	constructor(seed: number | bigint = DEFAULT_SEED) {
		this.manualSeed(seed);
	}

	/** `generator.manual_seed(seed)`: restart the stream from `mt19937(seed & 0xFFFFFFFF)`. */
	manualSeed(seed: number | bigint): this {
		this.engine.seed(seedLow32(seed));
		this.seedValue = BigInt(seed);
		return this;
	}

	/** `torch.initial_seed()`: the full seed last given to `manualSeed`. */
	initialSeed(): bigint {
		return this.seedValue;
	}

	/** `CPUGeneratorImpl::random()`: one 32-bit output. */
	randomU32(): number {
		return this.engine.nextU32();
	}

	/** `CPUGeneratorImpl::random64()`: two outputs, the first one the high word. */
	random64(): bigint {
		const hi = this.engine.nextU32();
		const lo = this.engine.nextU32();
		return (BigInt(hi) << 32n) | BigInt(lo);
	}

	/** float32 uniform in [0, 1): (u32 & 0xFFFFFF) · 2^−24, the LOW 24 bits of one output. */
	nextFloat32(): number {
		return (this.engine.nextU32() & 0xffffff) * TWO_POW_MINUS_24;
	}

	/** double uniform in [0, 1) from one 64-bit draw: (r64 & (2^53 − 1)) · 2^−53. */
	nextDouble53(): number {
		const hi = this.engine.nextU32();
		const lo = this.engine.nextU32();
		return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_MINUS_53;
	}

	/** `torch.rand(*shape)` as row-major float32 data. */
	randData(size: number): Float32Array {
		const out = new Float32Array(size);
		for (let i = 0; i < size; i++) out[i] = this.nextFloat32();
		return out;
	}

	/** `torch.rand(*shape)` (§3.4.1 uses it for W_query, W_key, W_value). */
	rand(shape: readonly number[]): NestedArray {
		return toNested(this.randData(sizeOf(shape)), shape);
	}

	/**
	 * `torch.empty(shape).uniform_(a, b)` as row-major float32 data:
	 * from = float32(a), to = float32(b), each element fma32(x, to − from, from).
	 */
	uniformData(size: number, a: number, b: number): Float32Array {
		const from = Math.fround(a);
		const to = Math.fround(b);
		const range = Math.fround(to - from);
		const out = new Float32Array(size);
		for (let i = 0; i < size; i++) out[i] = fma32(this.nextFloat32(), range, from);
		return out;
	}

	/** `torch.empty(shape).uniform_(a, b)`. */
	uniform_(shape: readonly number[], a: number, b: number): NestedArray {
		return toNested(this.uniformData(sizeOf(shape), a, b), shape);
	}

	/**
	 * `torch.empty(shape).bernoulli_(p)` on a CPU build without MKL: per element one 64-bit draw,
	 * keep (1) iff (r64 & (2^53 − 1)) · 2^−53 < p. Returns 0/1 per element, row-major.
	 */
	bernoulliData(size: number, p: number): Uint8Array {
		const out = new Uint8Array(size);
		for (let i = 0; i < size; i++) out[i] = this.nextDouble53() < p ? 1 : 0;
		return out;
	}

	/** `torch.empty(shape).bernoulli_(p)` (non-MKL CPU path). */
	bernoulli_(shape: readonly number[], p: number): NestedArray {
		return toNested(this.bernoulliData(sizeOf(shape), p), shape);
	}
}

let defaultGen: Generator | null = null;

/** PyTorch's `torch.default_generator`. */
export function defaultGenerator(): Generator {
	defaultGen ??= new Generator();
	return defaultGen;
}

/** `torch.manual_seed(seed)`: seeds the default generator and returns it. */
export function manualSeed(seed: number | bigint): Generator {
	return defaultGenerator().manualSeed(seed);
}

/** Raw parameters of `nn.Linear(in, out, bias)`: weight (out × in, row-major), then bias. */
export interface LinearData {
	in_features: number;
	out_features: number;
	weight: Float32Array;
	bias: Float32Array | null;
}

/**
 * `nn.Linear(in_features, out_features, bias)` default init: the weight (out × in, row-major) with
 * `kaiming_uniform_(a=√5)`, i.e. uniform_(−bound, bound), then the bias with
 * uniform_(−1/√fan_in, 1/√fan_in). One u32 per element. (§3.4.2)
 */
export function linearInitData(
	gen: Generator,
	inFeatures: number,
	outFeatures: number,
	bias = true
): LinearData {
	const wb = kaimingUniformBound(inFeatures);
	const weight = gen.uniformData(outFeatures * inFeatures, -wb, wb);
	const bb = linearBiasBound(inFeatures);
	const b = bias ? gen.uniformData(outFeatures, -bb, bb) : null;
	return { in_features: inFeatures, out_features: outFeatures, weight, bias: b };
}

/** `nn.Linear(in_features, out_features, bias)`'s initial weight (out × in) and bias, as arrays. */
export function linearInit(
	gen: Generator,
	inFeatures: number,
	outFeatures: number,
	bias = true
): { weight: Matrix; bias: Vector | null } {
	const d = linearInitData(gen, inFeatures, outFeatures, bias);
	return {
		weight: toMatrix(d.weight, outFeatures, inFeatures),
		bias: d.bias ? toVector(d.bias) : null
	};
}
