import { decode, encode, type Vocab } from './data.js';
import { forward, logits, type Params } from './model.js';
import type { Rng } from '../random/rng.js';
import { tf } from './tf.js';

export interface GenerateOptions {
	prompt: string;
	length: number;
	/** Longest input the model reads; older characters slide out of the window. */
	window: number;
	temperature: number;
	heads: number;
	/** Causal mask covering `window` positions. */
	mask: tf.Tensor2D;
	rng: Rng;
}

/**
 * Autoregressive sampling: the next character is drawn from softmax(logits / temperature) at the last
 * position, given only the past. Always with the causal mask: at generation time there is no future
 * to look at, for either arm.
 * @returns the prompt followed by `length` generated characters
 */
export function generate(params: Params, vocab: Vocab, options: GenerateOptions): string {
	const ids = Array.from(encode(vocab, options.prompt));
	for (let i = 0; i < options.length; i++) {
		const context = ids.slice(-options.window);
		const probs = nextCharProbs(params, context, options);
		ids.push(sampleIndex(probs, options.rng()));
	}
	return decode(vocab, ids);
}

function nextCharProbs(params: Params, context: number[], options: GenerateOptions): Float32Array {
	const probs = tf.tidy(() => {
		const tokens = tf.tensor2d(context, [1, context.length], 'int32');
		const { hidden } = forward(params, tokens, options.mask, options.heads);
		const last = tf.slice(hidden, [context.length - 1, 0], [1, hidden.shape[1]]);
		return tf.softmax(tf.div(logits(params, last), options.temperature));
	});
	const values = Float32Array.from(probs.dataSync());
	probs.dispose();
	return values;
}

/** Inverse-CDF draw: the first i with p_0 + ... + p_i > u. */
export function sampleIndex(probs: ArrayLike<number>, u: number): number {
	let total = 0;
	for (let i = 0; i < probs.length; i++) total += probs[i];
	let acc = 0;
	for (let i = 0; i < probs.length; i++) {
		acc += probs[i];
		if (u * total < acc) return i;
	}
	return probs.length - 1;
}
