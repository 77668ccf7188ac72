/**
 * Attention specs (design.md, "Engine CLI"): validate a JSON value, then
 * `torch.manual_seed(seed)`, build the module, run it. Shared by the quizzes and the CLI.
 */
import {
	CausalAttention,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2
} from './modules.js';
import { describe, shapeOf, type Matrix, type NestedArray, type Tensor3 } from './ndarray.js';
import { Generator } from './rng.js';

export const MODULE_NAMES = [
	'SelfAttention_v1',
	'SelfAttention_v2',
	'CausalAttention',
	'MultiHeadAttentionWrapper',
	'MultiHeadAttention'
] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export interface AttentionSpec {
	module: ModuleName;
	d_in: number;
	d_out: number;
	/** tokens × d_in for SelfAttention_v1/_v2, batch × tokens × d_in for the others. */
	inputs: Matrix | Tensor3;
	/** Any safe integer; PyTorch keeps its low 32 bits. */
	seed: number;
	/** Required by CausalAttention, MultiHeadAttentionWrapper and MultiHeadAttention. */
	context_length?: number;
	/** In [0, 1); default 0. */
	dropout: number;
	/** Default false. */
	qkv_bias: boolean;
	/** Required by MultiHeadAttentionWrapper and MultiHeadAttention. */
	num_heads?: number;
	/** Default 'train' (a fresh PyTorch module's mode). */
	mode: 'train' | 'eval';
}

export interface SpecResult {
	context_vecs: Matrix | Tensor3;
	/**
	 * The attention weights the values are averaged with (after dropout): tokens × tokens (v1/v2),
	 * batch × tokens × tokens (CausalAttention), heads × batch × tokens × tokens (wrapper),
	 * batch × heads × tokens × tokens (MultiHeadAttention).
	 */
	attn_weights: NestedArray;
}

/** A spec that cannot be run: `field` names the offending field, `expected` what it must be. */
export class SpecError extends Error {
	constructor(
		readonly field: string,
		readonly expected: string,
		got?: string
	) {
		super(`${field}: expected ${expected}${got === undefined ? '' : `, got ${got}`}`);
		this.name = 'SpecError';
	}
}

/**
 * What a spec may ask for (engine README, "Limits"): every spec of the lessons is tiny, and a spec
 * from the CLI must not make it allocate gigabytes. `maxElements` bounds every tensor the module
 * builds (inputs, weights, projections, attention weights); the wrapper's heads count together.
 */
export const SPEC_LIMITS = {
	/** d_in and d_out. */
	maxDim: 1000,
	maxHeads: 64,
	/** Tokens per sequence. */
	maxTokens: 1000,
	maxElements: 1_000_000,
	/** JSON nesting (a spec needs 4: the object, then batch x tokens x d_in). */
	maxDepth: 32,
	/** Characters of spec JSON (a 1,000,000-element tensor takes about 20 M). */
	maxJsonChars: 32 * 1024 * 1024
} as const;

/**
 * How deeply `text` nests arrays and objects, counted without parsing (strings skipped), stopping
 * once past `limit`: recursive code run on a value 10,000 levels deep would overflow the stack.
 */
export function jsonDepth(text: string, limit = Infinity): number {
	let depth = 0;
	let max = 0;
	let inString = false;
	for (let i = 0; i < text.length && max <= limit; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
		else if (c === 0x5d || c === 0x7d) depth--;
	}
	return max;
}

/**
 * `JSON.parse` that throws a SpecError (field `spec`) instead of a SyntaxError, and refuses text
 * over `SPEC_LIMITS.maxJsonChars` characters or nested over `SPEC_LIMITS.maxDepth` levels.
 */
export function parseSpecJson(text: string): unknown {
	const { maxJsonChars, maxDepth } = SPEC_LIMITS;
	if (text.length > maxJsonChars) {
		throw new SpecError('spec', `at most ${maxJsonChars} characters of JSON`, `${text.length}`);
	}
	if (jsonDepth(text, maxDepth) > maxDepth) {
		throw new SpecError('spec', `JSON nested at most ${maxDepth} levels deep`, 'deeper JSON');
	}
	try {
		return JSON.parse(text);
	} catch (e) {
		const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
		throw new SpecError('spec', 'valid JSON', `a parse error (${why})`);
	}
}

const CAUSAL: readonly ModuleName[] = [
	'CausalAttention',
	'MultiHeadAttentionWrapper',
	'MultiHeadAttention'
];
const MULTI_HEAD: readonly ModuleName[] = ['MultiHeadAttentionWrapper', 'MultiHeadAttention'];

function positiveInt(
	spec: Record<string, unknown>,
	field: string,
	required: boolean
): number | undefined {
	const v = spec[field];
	if (v === undefined) {
		if (required) throw new SpecError(field, 'a positive integer', 'nothing (missing field)');
		return undefined;
	}
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
		throw new SpecError(field, 'a positive integer', describe(v));
	}
	return v;
}

function atMost(field: string, value: number | undefined, max: number, what: string): void {
	if (value !== undefined && value > max) {
		throw new SpecError(field, `at most ${max} ${what} (engine limit)`, String(value));
	}
}

/**
 * The largest tensor the module would build, refused over `SPEC_LIMITS.maxElements` before any is
 * built. `shape` is the inputs' (tokens x d_in, or batch x tokens x d_in).
 */
function checkTensorSizes(
	name: ModuleName,
	d_in: number,
	d_out: number,
	num_heads: number | undefined,
	shape: number[]
): void {
	const [batch, tokens] = shape.length === 3 ? shape : [1, shape[0]];
	const heads = num_heads ?? 1;
	// the wrapper's heads each have their own d_out-wide weights; their outputs are concatenated
	const perHead = name === 'MultiHeadAttentionWrapper' ? heads : 1;
	const sizes: [string, number[]][] = [
		['inputs', [batch, tokens, d_in]],
		['weights', [perHead, d_in, d_out]],
		['context_vecs', [batch, tokens, perHead, d_out]],
		['attn_weights', [batch, MULTI_HEAD.includes(name) ? heads : 1, tokens, tokens]]
	];
	if (name === 'MultiHeadAttention') sizes.push(['out_proj', [d_out, d_out]]);
	for (const [tensor, dims] of sizes) {
		const elements = dims.reduce((a, b) => a * b, 1);
		if (elements > SPEC_LIMITS.maxElements) {
			throw new SpecError(
				'spec',
				`tensors of at most ${SPEC_LIMITS.maxElements} elements (engine limit)`,
				`${tensor} of ${dims.join(' x ')} = ${elements} elements`
			);
		}
	}
}

function checkInputs(v: unknown, rank: 2 | 3, d_in: number): number[] {
	const what = rank === 2 ? 'a tokens x d_in array (2-D)' : 'a batch x tokens x d_in array (3-D)';
	if (v === undefined) throw new SpecError('inputs', what, 'nothing (missing field)');
	if (!Array.isArray(v)) throw new SpecError('inputs', what, describe(v));
	const s = shapeOf(v);
	if ('error' in s) {
		const { kind, message } = s.error;
		const got = message.slice(message.indexOf(', got ') + ', got '.length);
		if (kind === 'type') throw new SpecError('inputs', `${what} of finite numbers`, got);
		if (kind === 'empty') throw new SpecError('inputs', `${what} with no empty lists`, got);
		throw new SpecError('inputs', `${what} with rows of equal length`, got);
	}
	if (s.shape.length !== rank) throw new SpecError('inputs', what, `a ${s.shape.length}-D array`);
	const finite = (x: NestedArray): boolean =>
		typeof x === 'number' ? Number.isFinite(Math.fround(x)) : x.every(finite);
	if (!finite(v as NestedArray))
		throw new SpecError('inputs', 'finite float32 numbers', 'a non-finite value');
	const last = s.shape[rank - 1];
	if (last !== d_in) throw new SpecError('inputs', `last dimension ${d_in} (d_in)`, String(last));
	return s.shape;
}

/** Checks a spec against design.md's rules; returns it with defaults filled in. Throws SpecError. */
export function validateSpec(value: unknown): AttentionSpec {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new SpecError('spec', 'a JSON object', describe(value));
	}
	const spec = value as Record<string, unknown>;
	const module = spec.module;
	if (module === undefined)
		throw new SpecError('module', `one of ${MODULE_NAMES.join(', ')}`, 'nothing (missing field)');
	if (typeof module !== 'string' || !(MODULE_NAMES as readonly string[]).includes(module)) {
		throw new SpecError('module', `one of ${MODULE_NAMES.join(', ')}`, describe(module));
	}
	const name = module as ModuleName;
	const d_in = positiveInt(spec, 'd_in', true) as number;
	const d_out = positiveInt(spec, 'd_out', true) as number;
	const context_length = positiveInt(spec, 'context_length', CAUSAL.includes(name));
	const num_heads = positiveInt(spec, 'num_heads', MULTI_HEAD.includes(name));
	atMost('d_in', d_in, SPEC_LIMITS.maxDim, 'features');
	atMost('d_out', d_out, SPEC_LIMITS.maxDim, 'features');
	atMost('num_heads', num_heads, SPEC_LIMITS.maxHeads, 'heads');

	const seed = spec.seed;
	if (seed === undefined) throw new SpecError('seed', 'a safe integer', 'nothing (missing field)');
	if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
		throw new SpecError('seed', 'a safe integer (|seed| <= 2^53 - 1)', describe(seed));
	}

	const dropout = spec.dropout ?? 0;
	if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
		throw new SpecError('dropout', 'a number in [0, 1)', describe(dropout));
	}
	const qkv_bias = spec.qkv_bias ?? false;
	if (typeof qkv_bias !== 'boolean')
		throw new SpecError('qkv_bias', 'true or false', describe(qkv_bias));
	const mode = spec.mode ?? 'train';
	if (mode !== 'train' && mode !== 'eval')
		throw new SpecError('mode', '"train" or "eval"', describe(mode));

	if (name === 'MultiHeadAttention' && d_out % (num_heads as number) !== 0) {
		throw new SpecError('d_out', `a multiple of num_heads (${num_heads})`, String(d_out));
	}
	const rank = CAUSAL.includes(name) ? 3 : 2;
	const shape = checkInputs(spec.inputs, rank, d_in);
	const tokens = shape[rank - 2];
	atMost('inputs', tokens, SPEC_LIMITS.maxTokens, 'tokens');
	checkTensorSizes(name, d_in, d_out, num_heads, shape);
	if (context_length !== undefined && CAUSAL.includes(name) && tokens > context_length) {
		throw new SpecError(
			'inputs',
			`at most context_length (${context_length}) tokens`,
			`${tokens} tokens`
		);
	}
	return {
		module: name,
		d_in,
		d_out,
		inputs: spec.inputs as Matrix | Tensor3,
		seed,
		context_length,
		dropout,
		qkv_bias,
		num_heads,
		mode
	};
}

/**
 * Validate, then do what PyTorch would: `torch.manual_seed(seed)`, build the module, set the mode,
 * run it once. Uses its own generator, so the default generator is left alone.
 * Synchronous after `initEngine()`. Throws SpecError for a bad spec.
 */
export function runSpec(value: unknown): SpecResult {
	const spec = validateSpec(value);
	const generator = new Generator(spec.seed);
	const opts = { generator };
	const training = spec.mode === 'train';
	const cl = spec.context_length as number;
	const heads = spec.num_heads as number;
	switch (spec.module) {
		case 'SelfAttention_v1': {
			const m = new SelfAttention_v1(spec.d_in, spec.d_out, opts).train(training);
			const s = m.forwardWithSteps(spec.inputs as Matrix);
			return { context_vecs: s.context_vecs, attn_weights: s.attn_weights };
		}
		case 'SelfAttention_v2': {
			const m = new SelfAttention_v2(spec.d_in, spec.d_out, spec.qkv_bias, opts).train(training);
			const s = m.forwardWithSteps(spec.inputs as Matrix);
			return { context_vecs: s.context_vecs, attn_weights: s.attn_weights };
		}
		case 'CausalAttention': {
			const m = new CausalAttention(
				spec.d_in,
				spec.d_out,
				cl,
				spec.dropout,
				spec.qkv_bias,
				opts
			).train(training);
			const s = m.forwardWithSteps(spec.inputs as Tensor3);
			return { context_vecs: s.context_vecs, attn_weights: s.attn_weights };
		}
		case 'MultiHeadAttentionWrapper': {
			const m = new MultiHeadAttentionWrapper(
				spec.d_in,
				spec.d_out,
				cl,
				spec.dropout,
				heads,
				spec.qkv_bias,
				opts
			).train(training);
			const s = m.forwardWithSteps(spec.inputs as Tensor3);
			return { context_vecs: s.context_vecs, attn_weights: s.heads.map((h) => h.attn_weights) };
		}
		case 'MultiHeadAttention': {
			const m = new MultiHeadAttention(
				spec.d_in,
				spec.d_out,
				cl,
				spec.dropout,
				heads,
				spec.qkv_bias,
				opts
			).train(training);
			const s = m.forwardWithSteps(spec.inputs as Tensor3);
			return { context_vecs: s.context_vecs, attn_weights: s.attn_weights };
		}
	}
}
