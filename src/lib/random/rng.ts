/** A seeded source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for batch sampling, initial weights and text sampling.
 * Not PyTorch's generator (that lives in src/lib/engine); this experiment only needs determinism.
 * @see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * An independent 32-bit seed for one stream (init, batches, sampling) derived from the run's seed,
 * so that changing how many numbers one stream draws never shifts another.
 * Mixes with splitmix32: z = (seed + stream * 0x9e3779b9); z ^= z >>> 16; z *= 0x85ebca6b; ...
 */
export function deriveSeed(seed: number, stream: number): number {
	let z = (Math.trunc(seed) + Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
	return (z ^ (z >>> 16)) >>> 0;
}

/** Integer uniformly drawn from [0, n). */
export function randInt(rng: Rng, n: number): number {
	return Math.floor(rng() * n);
}

/**
 * Standard normal sample by Box-Muller: z = sqrt(-2 ln u1) * cos(2 pi u2), u1 in (0, 1].
 */
export function randNormal(rng: Rng): number {
	const u1 = 1 - rng();
	const u2 = rng();
	return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
