import { randInt, type Rng } from '../random/rng.js';

/** Character vocabulary: the corpus's distinct characters, sorted by code point. */
export interface Vocab {
	chars: string[];
	index: Map<string, number>;
}

export function buildVocab(text: string): Vocab {
	const chars = [...new Set(text)].sort();
	return { chars, index: new Map(chars.map((c, i) => [c, i])) };
}

/** @throws Error on a character outside the vocabulary */
export function encode(vocab: Vocab, text: string): Int32Array {
	return Int32Array.from(text, (c) => {
		const id = vocab.index.get(c);
		if (id === undefined)
			throw new Error(`character ${JSON.stringify(c)} is not in the vocabulary`);
		return id;
	});
}

export function decode(vocab: Vocab, ids: ArrayLike<number>): string {
	return Array.from(ids, (id) => vocab.chars[id]).join('');
}

/**
 * One batch of windows, row-major [batch, context + 1]. Each window carries its own last target:
 * positions 0..T-1 predict characters 1..T, all inside the window, so without the mask every target
 * is visible (a window of T predicting T next characters would hide the last target and leave the
 * unmasked model a loss floor of about H/T).
 */
export function sampleBatch(
	rng: Rng,
	data: Int32Array,
	batch: number,
	context: number
): Int32Array {
	const width = context + 1;
	const starts = data.length - width + 1;
	const out = new Int32Array(batch * width);
	for (let b = 0; b < batch; b++) {
		const start = randInt(rng, starts);
		out.set(data.subarray(start, start + width), b * width);
	}
	return out;
}
