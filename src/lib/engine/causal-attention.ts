/**
 * The book's causal attention (§3.5.3, Listing 3.3) and the multi-head wrapper that stacks it
 * (§3.6.1, Listing 3.4).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import {
	AttentionModule,
	causalCore,
	checkBatch,
	checkDropout,
	linearParams,
	nested,
	type CoreTensors,
	type StepKey,
	type ModuleOptions
} from './attention-core.js';
import { compute, type Read } from './compute.js';
import { toNested, type NestedArray, type Tensor3 } from './ndarray.js';
import { linearInitData, type LinearData } from './rng.js';
import { batchRows, checkDim, linear } from './layers.js';
import { dropoutNoise } from './steps.js';

/** What `forwardWithSteps` returns for CausalAttention (batch × tokens × …). */
export interface CausalAttentionSteps {
	queries: Tensor3;
	keys: Tensor3;
	values: Tensor3;
	attn_scores: Tensor3;
	/** attn_scores with −∞ above the diagonal. */
	masked: Tensor3;
	/** softmax(masked / √d_k), before dropout. */
	attn_weights_pre_dropout: Tensor3;
	/** Dropout's 0/1 keep mask, or null when dropout drew nothing (p = 0 or eval mode). */
	dropout_keep: Tensor3 | null;
	/** The weights the values are averaged with (after dropout). */
	attn_weights: Tensor3;
	context_vecs: Tensor3;
}

/** What `forwardWithSteps` returns for MultiHeadAttentionWrapper: each head's steps, then the concatenation. */
export interface WrapperSteps {
	heads: CausalAttentionSteps[];
	context_vecs: Tensor3;
}

/**
 * Listing 3.3, §3.5.3: SelfAttention_v2 plus the causal −∞ mask and dropout on the attention
 * weights (`nn.Dropout(dropout)`, active in training mode), for batch × tokens × d_in inputs.
 */
export class CausalAttention extends AttentionModule {
	readonly W_query: LinearData;
	readonly W_key: LinearData;
	readonly W_value: LinearData;

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		readonly context_length: number,
		readonly dropout: number,
		readonly qkv_bias = false,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('d_in', d_in);
		checkDim('d_out', d_out);
		checkDim('context_length', context_length);
		checkDropout(dropout);
		this.W_query = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_key = linearInitData(this.generator, d_in, d_out, qkv_bias);
		this.W_value = linearInitData(this.generator, d_in, d_out, qkv_bias);
	}

	parameters(): Record<string, NestedArray> {
		return {
			...linearParams('W_query', this.W_query),
			...linearParams('W_key', this.W_key),
			...linearParams('W_value', this.W_value)
		};
	}

	forward(x: Tensor3): Tensor3 {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		const noise = this.drawDropout(b, t);
		const r = compute((tf) => ({
			context: this.build(tf, batchRows(tf, x, b, t, this.d_in), b, t, noise, false).context
		}));
		return nested<Tensor3>(r.context);
	}

	forwardWithSteps(x: Tensor3): CausalAttentionSteps {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		const noise = this.drawDropout(b, t);
		const r = compute((tf) => this.build(tf, batchRows(tf, x, b, t, this.d_in), b, t, noise));
		return causalSteps(r, noise);
	}

	/** Dropout noise for the (b, T, T) attention weights; draws happen now, in forward order. */
	drawDropout(b: number, t: number): { noise: Float32Array; keep: Float32Array } | null {
		return dropoutNoise(this.generator, b * t * t, this.dropout, this.training);
	}

	/** The forward graph on x already flattened to (b·T, d_in) rows. Engine-internal. */
	build(
		tf: Tf,
		rows: Tensor,
		b: number,
		t: number,
		drop: { noise: Float32Array } | null,
		steps = true
	): Record<StepKey, Tensor> {
		const keys = tf.reshape(linear(tf, rows, this.W_key), [b, t, this.d_out]);
		const queries = tf.reshape(linear(tf, rows, this.W_query), [b, t, this.d_out]);
		const values = tf.reshape(linear(tf, rows, this.W_value), [b, t, this.d_out]);
		const core = causalCore(tf, queries, keys, values, drop?.noise ?? null, steps);
		return { queries, keys, values, ...(core as CoreTensors) };
	}
}

export function causalSteps(
	r: Record<
		'queries' | 'keys' | 'values' | 'scores' | 'masked' | 'pre' | 'weights' | 'context',
		Read
	>,
	drop: { keep: Float32Array } | null
): CausalAttentionSteps {
	return {
		queries: nested(r.queries),
		keys: nested(r.keys),
		values: nested(r.values),
		attn_scores: nested(r.scores),
		masked: nested(r.masked),
		attn_weights_pre_dropout: nested(r.pre),
		dropout_keep: drop ? (toNested(drop.keep, r.weights.shape) as Tensor3) : null,
		attn_weights: nested(r.weights),
		context_vecs: nested(r.context)
	};
}

/**
 * Listing 3.4, §3.6.1: `num_heads` CausalAttention heads built in order (each drawing W_query,
 * W_key, W_value), run in order, outputs concatenated along the last axis (d_out · num_heads).
 */
export class MultiHeadAttentionWrapper extends AttentionModule {
	readonly heads: CausalAttention[];

	constructor(
		readonly d_in: number,
		readonly d_out: number,
		readonly context_length: number,
		readonly dropout: number,
		readonly num_heads: number,
		readonly qkv_bias = false,
		options: ModuleOptions = {}
	) {
		super(options);
		checkDim('num_heads', num_heads);
		this.heads = Array.from(
			{ length: num_heads },
			() =>
				new CausalAttention(d_in, d_out, context_length, dropout, qkv_bias, {
					generator: this.generator
				})
		);
	}

	override train(mode = true): this {
		this.training = mode;
		for (const h of this.heads ?? []) h.train(mode);
		return this;
	}

	parameters(): Record<string, NestedArray> {
		const out: Record<string, NestedArray> = {};
		this.heads.forEach((h, i) => {
			for (const [k, v] of Object.entries(h.parameters())) out[`heads.${i}.${k}`] = v;
		});
		return out;
	}

	forward(x: Tensor3): Tensor3 {
		return this.run(x, false).context_vecs;
	}

	forwardWithSteps(x: Tensor3): WrapperSteps {
		return this.run(x, true) as WrapperSteps;
	}

	private run(
		x: Tensor3,
		steps: boolean
	): { heads?: CausalAttentionSteps[]; context_vecs: Tensor3 } {
		const [b, t] = checkBatch(x, this.d_in, this.context_length);
		// Head by head, as torch.cat([head(x) for head in self.heads]) runs them.
		const drops = this.heads.map((h) => h.drawDropout(b, t));
		const r = compute((tf) => {
			const rows = batchRows(tf, x, b, t, this.d_in);
			const out: Record<string, Tensor> = {};
			const contexts = this.heads.map((h, i) => {
				const g = h.build(tf, rows, b, t, drops[i], steps);
				if (steps) for (const [k, v] of Object.entries(g)) out[`${i}.${k}`] = v;
				return g.context;
			});
			out.context_vecs = tf.concat(contexts, -1);
			return out;
		});
		const context_vecs = nested<Tensor3>(r.context_vecs);
		if (!steps) return { context_vecs };
		const heads = this.heads.map((_, i) => {
			const pick = (k: string): Read => r[`${i}.${k}`];
			return causalSteps(
				{
					queries: pick('queries'),
					keys: pick('keys'),
					values: pick('values'),
					scores: pick('scores'),
					masked: pick('masked'),
					pre: pick('pre'),
					weights: pick('weights'),
					context: pick('context')
				},
				drops[i]
			);
		});
		return { heads, context_vecs };
	}
}
