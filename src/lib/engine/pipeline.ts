/**
 * The attention playground's forward pass: one of the book's modules (§3.3–§3.6.2) with its settings
 * changeable one at a time (mask placement, scaling, temperature, dropout), returning every step.
 * With the book's settings every number equals the module classes' `forwardWithSteps` bit for bit:
 * weights come from the classes themselves, and the ops, shapes and draws are theirs.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './backend.js';
import { checkMatrix, compute, futureMask, type FutureMask, type Read } from './compute.js';
import { batchRows, checkDim, linear, PER_SLICE_MIN_TOKENS, transposeLast } from './layers.js';
import {
	CausalAttention,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2
} from './modules.js';
import { toNested, type Matrix, type NestedArray } from './ndarray.js';
import { Generator, type LinearData } from './rng.js';
import { dropoutNoise } from './steps.js';

export const PIPELINE_MODULES = [
	'simplified',
	'SelfAttention_v1',
	'SelfAttention_v2',
	'CausalAttention',
	'MultiHeadAttentionWrapper',
	'MultiHeadAttention'
] as const;
export type PipelineModule = (typeof PIPELINE_MODULES)[number];

/**
 * Where the causal mask goes: `off`; `before` softmax as −∞ (§3.5.1, the book's way);
 * `after-renorm`: zero the future after softmax, then renormalise each row (§3.5.1's first way, the
 * same weights); `after`: zero after softmax without renormalising (a bug: rows no longer sum to 1).
 */
export const MASK_MODES = ['off', 'before', 'after-renorm', 'after'] as const;
export type MaskMode = (typeof MASK_MODES)[number];

export interface PipelineConfig {
	module: PipelineModule;
	/** T × d_in: one sequence (a batch of one for the batched modules). */
	inputs: Matrix;
	/** Per head for the wrapper (as the book); ignored by 'simplified' (d_out = d_in). */
	d_out: number;
	/** Wrapper and MultiHeadAttention; MultiHeadAttention needs d_out % num_heads === 0. */
	num_heads: number;
	qkv_bias: boolean;
	/** `torch.manual_seed(seed)` before the module is built (an own generator, never the default one). */
	seed: number;
	mask: MaskMode;
	/** Divide the scores by float32 √d_k (§3.4.1). */
	scale: boolean;
	/** Multiplies the (scaled) scores before softmax; exactly 1 multiplies nothing. */
	temperature: number;
	/** Dropout probability on the attention weights, in [0, 1). */
	dropout: number;
	mode: 'train' | 'eval';
	/** null: dropout continues the weights' generator (as the modules do); a number re-seeds it first. */
	dropoutSeed: number | null;
}

/** One head's steps, all T × d_k or T × T. */
export interface PipelineHead {
	queries: Matrix;
	keys: Matrix;
	values: Matrix;
	/** ω = q kᵀ. */
	scores: Matrix;
	/** ω with −∞ above the diagonal (mask 'before' only). */
	masked: Matrix | null;
	/** (masked ?? scores) / √d_k (if scale) × temperature (if ≠ 1). */
	scaled: Matrix;
	/** softmax(scaled, dim=−1). */
	softmax: Matrix;
	/** Mask 'after'/'after-renorm': softmax with the future zeroed (rows renormalised for after-renorm). */
	maskedAfter: Matrix | null;
	/** Dropout's 0/1 keep mask; null when dropout draws nothing (p = 0 or eval). */
	dropoutKeep: Matrix | null;
	/** What multiplies the values (after dropout). */
	weights: Matrix;
	/** weights @ values, T × d_k. */
	context: Matrix;
}

export interface PipelineResult {
	d_in: number;
	/** Key size per head. */
	d_k: number;
	/** float32 √d_k, or 1 when scaling is off. */
	scaleFactor: number;
	/** float32 1 / (1 − p), or 1 when dropout draws nothing. */
	dropoutScale: number;
	/** The module's `state_dict` names and values; {} for 'simplified'. */
	parameters: Record<string, NestedArray>;
	/** T × d_out before any head split (simplified: the inputs; wrapper: heads concatenated). */
	queries: Matrix;
	keys: Matrix;
	values: Matrix;
	/** One per head (MultiHeadAttention: after view + transpose(1, 2)). */
	heads: PipelineHead[];
	/** MultiHeadAttention: heads merged back, before out_proj; wrapper: torch.cat of the heads; else null. */
	concat: Matrix | null;
	/** The output: T × d_out (wrapper: d_out · num_heads; simplified: d_in). */
	context: Matrix;
}

const f32 = Math.fround;

type Step = 'scores' | 'masked' | 'scaled' | 'softmax' | 'maskedAfter' | 'weights' | 'context';
type StepTensors = Partial<Record<Step, Tensor>> & Record<'scores' | 'softmax' | 'context', Tensor>;
type Options = Pick<PipelineConfig, 'mask' | 'temperature'> & { scaleFactor: number };

function validate(c: PipelineConfig): [number, number] {
	if (!PIPELINE_MODULES.includes(c.module)) {
		throw new RangeError(`module: expected one of ${PIPELINE_MODULES.join(', ')}, got ${c.module}`);
	}
	if (!MASK_MODES.includes(c.mask)) {
		throw new RangeError(`mask: expected one of ${MASK_MODES.join(', ')}, got ${c.mask}`);
	}
	const [t, d_in] = checkMatrix('inputs', c.inputs);
	if (c.module !== 'simplified') checkDim('d_out', c.d_out);
	if (c.module === 'MultiHeadAttentionWrapper' || c.module === 'MultiHeadAttention') {
		checkDim('num_heads', c.num_heads);
	}
	if (c.module === 'MultiHeadAttention' && c.d_out % c.num_heads !== 0) {
		throw new RangeError(
			`d_out: MultiHeadAttention splits d_out into num_heads equal heads, so d_out must be a multiple of num_heads (${c.num_heads}), got ${c.d_out}`
		);
	}
	if (!Number.isSafeInteger(c.seed))
		throw new RangeError(`seed: expected an integer, got ${c.seed}`);
	if (c.dropoutSeed !== null && !Number.isSafeInteger(c.dropoutSeed)) {
		throw new RangeError(`dropoutSeed: expected an integer or null, got ${c.dropoutSeed}`);
	}
	if (!(Number.isFinite(c.temperature) && c.temperature > 0)) {
		throw new RangeError(`temperature: expected a positive number, got ${c.temperature}`);
	}
	if (!(c.dropout >= 0 && c.dropout < 1)) {
		throw new RangeError(`dropout: expected a probability in [0, 1), got ${c.dropout}`);
	}
	if (c.mode !== 'train' && c.mode !== 'eval') {
		throw new RangeError(`mode: expected 'train' or 'eval', got ${c.mode}`);
	}
	return [t, d_in];
}

/** The module built as `torch.manual_seed(seed); Module(...)` would build it, and how it projects. */
interface Built {
	d_k: number;
	heads: number;
	parameters: Record<string, NestedArray>;
	/** q, k, v of shape (heads, T, d_k) from the input rows (T, d_in); `top` is each as T × (heads · d_k). */
	project(tf: Tf, rows: Tensor): { top: Tensor[]; split: Tensor[] };
	/** The output from the merged head contexts (T, heads · d_k). */
	output?: (tf: Tf, merged: Tensor) => Tensor;
}

function build(c: PipelineConfig, t: number, d_in: number, gen: Generator): Built {
	const { d_out, num_heads: h, qkv_bias: bias } = c;
	const opts = { generator: gen };
	const single = (d_k: number, parameters: Built['parameters'], qkv: Built['project']): Built => ({
		d_k,
		heads: 1,
		parameters,
		project: qkv
	});
	const asHead = (tf: Tf, top: Tensor[]) => ({
		top,
		split: top.map((y) => tf.reshape(y, [1, ...y.shape]))
	});
	const linears = (tf: Tf, rows: Tensor, m: Record<`W_${'query' | 'key' | 'value'}`, LinearData>) =>
		[m.W_query, m.W_key, m.W_value].map((l) => linear(tf, rows, l));
	switch (c.module) {
		case 'simplified':
			return single(d_in, {}, (tf, rows) => asHead(tf, [rows, rows, rows]));
		case 'SelfAttention_v1': {
			const m = new SelfAttention_v1(d_in, d_out, opts);
			return single(d_out, m.parameters(), (tf, rows) => {
				const ws = [m.W_query, m.W_key, m.W_value].map((w) => tf.tensor2d(w, [d_in, d_out]));
				return asHead(
					tf,
					ws.map((w) => tf.matMul(rows, w))
				);
			});
		}
		case 'SelfAttention_v2':
		case 'CausalAttention': {
			const m =
				c.module === 'SelfAttention_v2'
					? new SelfAttention_v2(d_in, d_out, bias, opts)
					: new CausalAttention(d_in, d_out, t, c.dropout, bias, opts);
			return single(d_out, m.parameters(), (tf, rows) => asHead(tf, linears(tf, rows, m)));
		}
		case 'MultiHeadAttentionWrapper': {
			const m = new MultiHeadAttentionWrapper(d_in, d_out, t, c.dropout, h, bias, opts);
			return {
				d_k: d_out,
				heads: h,
				parameters: m.parameters(),
				project(tf, rows) {
					const perHead = m.heads.map((head) => linears(tf, rows, head));
					const split = [0, 1, 2].map((i) => tf.stack(perHead.map((p) => p[i])));
					return { top: split.map((s) => merge(tf, s)), split };
				}
			};
		}
		case 'MultiHeadAttention': {
			const m = new MultiHeadAttention(d_in, d_out, t, c.dropout, h, bias, opts);
			const hd = m.head_dim;
			return {
				d_k: hd,
				heads: h,
				parameters: m.parameters(),
				project(tf, rows) {
					const top = linears(tf, rows, m);
					// keys.view(b, T, h, d_h).transpose(1, 2), §3.6.2
					const split = top.map((y) => tf.transpose(tf.reshape(y, [t, h, hd]), [1, 0, 2]));
					return { top, split };
				},
				output: (tf, merged) => linear(tf, merged, m.out_proj)
			};
		}
	}
}

/** (heads, T, d) → (T, heads · d): `context_vec.transpose(1, 2).contiguous().view(b, T, d_out)`. */
function merge(tf: Tf, x: Tensor): Tensor {
	const [h, t, d] = x.shape;
	return tf.reshape(tf.transpose(x, [1, 0, 2]), [t, h * d]);
}

/**
 * Attention on (…, T, d_k) queries/keys/values, §3.4.1–§3.5.2:
 * α = dropout(after(softmax(τ · before(q kᵀ) / √d_k))), context = α v, where `before` is the −∞
 * mask (mask 'before'), `after` zeroes the future (and renormalises rows for 'after-renorm'),
 * √d_k and τ apply only when on. Only steps that change something get a tensor of their own.
 */
function attend(
	tf: Tf,
	q: Tensor,
	k: Tensor,
	v: Tensor,
	noise: Tensor | null,
	mask: FutureMask | null,
	o: Options
): StepTensors {
	const out: Partial<Record<Step, Tensor>> = {};
	const scores = tf.matMul(q, transposeLast(tf, k));
	let x = scores;
	if (o.mask === 'before') x = out.masked = tf.where(mask!.cond, mask!.fill, x);
	if (o.scaleFactor !== 1) x = out.scaled = tf.div(x, tf.scalar(o.scaleFactor));
	if (o.temperature !== 1) x = out.scaled = tf.mul(x, tf.scalar(o.temperature));
	const softmax = tf.softmax(x);
	let w = softmax;
	if (o.mask === 'after' || o.mask === 'after-renorm') {
		w = tf.where(mask!.cond, tf.zerosLike(w), w);
		if (o.mask === 'after-renorm') w = tf.div(w, tf.sum(w, -1, true));
		out.maskedAfter = w;
	}
	if (noise) w = out.weights = tf.mul(w, noise);
	return { ...out, scores, softmax, context: tf.matMul(w, v) };
}

/**
 * Every head at once, or head by head as 2-D matMuls where the modules do so (the wrapper's heads
 * are separate modules; MultiHeadAttention from PER_SLICE_MIN_TOKENS tokens on): the same kernels
 * as the modules, hence the same bits. Each returned step has shape (heads, T, …).
 */
function attendHeads(
	tf: Tf,
	[q, k, v]: Tensor[],
	noise: Float32Array | null,
	o: Options,
	perSlice: boolean
): StepTensors {
	const [s, t] = q.shape;
	const needsMask = o.mask !== 'off';
	if (!perSlice) {
		const mask = needsMask ? futureMask(tf, [s, t, t]) : null;
		return attend(tf, q, k, v, noise && tf.tensor(noise, [s, t, t]), mask, o);
	}
	const mask = needsMask ? futureMask(tf, [t, t]) : null;
	const [qs, ks, vs] = [q, k, v].map((x) => tf.unstack(x));
	const parts = qs.map((qi, i) => {
		const n = noise && tf.tensor2d(noise.subarray(i * t * t, (i + 1) * t * t), [t, t]);
		return attend(tf, qi, ks[i], vs[i], n, mask, o);
	});
	const out: Partial<Record<Step, Tensor>> = {};
	for (const key of Object.keys(parts[0]) as Step[]) out[key] = tf.stack(parts.map((p) => p[key]!));
	return out as StepTensors;
}

/** Row-major (heads, rows, cols) data as one matrix per head. */
function perHead(r: Read | undefined, heads: number): Matrix[] | null {
	if (!r) return null;
	const [, rows, cols] = r.shape;
	return Array.from(
		{ length: heads },
		(_, i) =>
			toNested(r.data.subarray(i * rows * cols, (i + 1) * rows * cols), [rows, cols]) as Matrix
	);
}

/** Columns [from, from + n) of every row. */
function columns(m: Matrix, from: number, n: number): Matrix {
	return m.map((row) => row.slice(from, from + n));
}

/**
 * The configured forward pass with every intermediate step, in one `compute` (one `tf.tidy` and one
 * read-back). Weights and dropout draws come from `new Generator(seed)` exactly as
 * `torch.manual_seed(seed)`, the module's constructor and its forward would draw them.
 */
export function runPipeline(config: PipelineConfig): PipelineResult {
	const [t, d_in] = validate(config);
	const gen = new Generator(config.seed);
	const m = build(config, t, d_in, gen);
	const { d_k, heads: h } = m;
	if (config.dropoutSeed !== null) gen.manualSeed(config.dropoutSeed);
	// One (heads, T, T) draw: CausalAttention's (1, T, T), the wrapper's head by head, MHA's (1, h, T, T).
	const drop = dropoutNoise(gen, h * t * t, config.dropout, config.mode === 'train');
	const scaleFactor = config.scale ? f32(Math.sqrt(d_k)) : 1;
	const o: Options = { mask: config.mask, temperature: config.temperature, scaleFactor };
	const perSlice =
		config.module === 'MultiHeadAttentionWrapper' || (h > 1 && t >= PER_SLICE_MIN_TOKENS);
	const simplified = config.module === 'simplified';
	const merges =
		config.module === 'MultiHeadAttentionWrapper' || config.module === 'MultiHeadAttention';

	const r = compute((tf) => {
		const { top, split } = m.project(tf, batchRows(tf, [config.inputs], 1, t, d_in));
		const steps = attendHeads(tf, split, drop?.noise ?? null, o, perSlice);
		const out: Record<string, Tensor> = { ...steps, queries: top[0] };
		if (!simplified) [out.keys, out.values] = [top[1], top[2]];
		if (merges) out.merged = merge(tf, steps.context);
		if (m.output) out.output = m.output(tf, out.merged);
		return out;
	});

	const matrix = (x: Read): Matrix => toNested(x.data, x.shape) as Matrix;
	const [queries, keys, values] = [r.queries, r.keys ?? r.queries, r.values ?? r.queries].map(
		matrix
	);
	const split = (key: Step): Matrix[] | null => perHead(r[key], h);
	// A step that changed nothing has no tensor of its own: it shows the step before it.
	const first = (...keys: Step[]): Matrix[] => split(keys.find((k) => r[k])!)!;
	const masked = split('masked');
	const maskedAfter = split('maskedAfter');
	const [scores, scaled, softmax, weights, context] = [
		first('scores'),
		first('scaled', 'masked', 'scores'),
		first('softmax'),
		first('weights', 'maskedAfter', 'softmax'),
		first('context')
	];
	const keep = drop && perHead({ data: drop.keep, shape: [h, t, t] }, h);
	const headSteps = scores.map((_, i): PipelineHead => ({
		queries: columns(queries, i * d_k, d_k),
		keys: columns(keys, i * d_k, d_k),
		values: columns(values, i * d_k, d_k),
		scores: scores[i],
		masked: masked?.[i] ?? null,
		scaled: scaled[i],
		softmax: softmax[i],
		maskedAfter: maskedAfter?.[i] ?? null,
		dropoutKeep: keep?.[i] ?? null,
		weights: weights[i],
		context: context[i]
	}));
	const concat = r.merged ? matrix(r.merged) : null;
	return {
		d_in,
		d_k,
		scaleFactor,
		dropoutScale: drop?.scale ?? 1,
		parameters: m.parameters,
		queries,
		keys,
		values,
		heads: headSteps,
		concat,
		context: r.output ? matrix(r.output) : r.merged ? matrix(r.merged) : first('context')[0]
	};
}
