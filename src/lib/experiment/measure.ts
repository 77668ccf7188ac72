/**
 * The sample-quality measure: how far a text's character-pair statistics are from the corpus's, as a
 * Jensen-Shannon divergence in bits (0 = the same distribution, 1 = nothing in common).
 * Chosen over a likelihood: likelihoods reward degenerate repetition ("IIIIII" scores well under a
 * character trigram model of a text with Roman numerals), and repetition is exactly how the unmasked
 * model fails. A passage of real text of the same length is the yardstick (see passageDivergence).
 */

/**
 * Relative frequencies of the n-grams (runs of n characters) of text. Characters are code points,
 * as the model's vocabulary counts them (a UTF-16 unit would split an emoji in two).
 */
export function ngramDistribution(text: string, n = 2): Map<string, number> {
	const chars = Array.from(text);
	const counts = new Map<string, number>();
	const total = chars.length - n + 1;
	for (let i = 0; i < total; i++) {
		const gram = chars.slice(i, i + n).join('');
		counts.set(gram, (counts.get(gram) ?? 0) + 1);
	}
	for (const [gram, count] of counts) counts.set(gram, count / total);
	return counts;
}

/**
 * JSD(P, Q) = 1/2 KL(P || M) + 1/2 KL(Q || M), M = (P + Q) / 2, with log base 2 so it lies in [0, 1].
 * @see https://en.wikipedia.org/wiki/Jensen%E2%80%93Shannon_divergence
 */
export function jensenShannon(p: Map<string, number>, q: Map<string, number>): number {
	let sum = 0;
	const half = (a: number, m: number) => (a > 0 ? 0.5 * a * Math.log2(a / m) : 0);
	for (const key of new Set([...p.keys(), ...q.keys()])) {
		const a = p.get(key) ?? 0;
		const b = q.get(key) ?? 0;
		const m = (a + b) / 2;
		sum += half(a, m) + half(b, m);
	}
	return Math.max(0, Math.min(1, sum));
}

/** Character-bigram JSD between a text and the corpus. */
export function sampleDivergence(corpus: string, text: string): number {
	if (Array.from(text).length < 2) return 1;
	return jensenShannon(ngramDistribution(text), ngramDistribution(corpus));
}

/**
 * The yardstick: mean sampleDivergence of `count` evenly spaced real passages of the corpus, each
 * `length` characters long (a short text is far from the corpus's statistics by chance alone).
 */
export function passageDivergence(corpus: string, length: number, count = 8): number {
	const chars = Array.from(corpus);
	const span = Math.max(2, Math.min(length, chars.length));
	const last = chars.length - span;
	let sum = 0;
	for (let i = 0; i < count; i++) {
		const start = Math.round((last * i) / Math.max(1, count - 1));
		sum += sampleDivergence(corpus, chars.slice(start, start + span).join(''));
	}
	return sum / count;
}
