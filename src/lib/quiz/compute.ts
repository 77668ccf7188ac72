/**
 * Engine-checked questions: draw this attempt's numbers from its seed, ask the engine for the
 * answer and the intermediate steps, and describe both as markdown. Nothing here is typed in a deck.
 *
 * Randomness, so that a PyTorch user can reproduce every attempt:
 * - random inputs are `torch.manual_seed(seed); torch.rand(tokens, d_in)` rounded to 2 decimals, and
 *   shown weights continue that stream (`torch.rand(d_in, d_out)` three times, rounded); the engine
 *   computes on the rounded numbers the learner sees;
 * - sizes, the query/key token, module seeds and dropout rates are drawn from a second generator
 *   (seeded with `seed` + PARAM_SALT), so they do not shift the inputs' stream.
 */

import {
	allAttentionScores,
	BOOK_INPUTS,
	BOOK_SEED,
	BOOK_TOKENS,
	attentionScores,
	causalAttentionWeights,
	contextVector,
	contextVectors,
	dot,
	dropout,
	Generator,
	initEngine,
	isEngineReady,
	linearInit,
	maskAndRenormalize,
	matmul,
	naiveNormalize,
	naiveSoftmax,
	projectQKV,
	runSpec,
	scaledAttentionWeights,
	softmax,
	softmaxRows,
	transpose,
	type Matrix,
	type NestedArray,
	type ModuleName,
	type Tensor3,
	type Vector
} from '../engine/index.js';
import {
	choiceValues,
	TARGETS,
	type ComputeSpec,
	type Dim,
	type EngineQuestion,
	type IntChoice,
	type Markdown,
	type NumberChoice,
	type SeedSpec,
	type TargetInfo,
	type TargetName,
	type TokenRef
} from '../content/index.js';
import { shapeOf, type AnswerShape, type Numeric } from './answer.js';

export { BOOK_INPUTS };

const PARAM_SALT = 0x5eed;
/** Module and dropout seeds drawn for an attempt stay short enough to type. */
const MAX_DRAWN_SEED = 999;

/** The sizes and choices of one attempt. */
export interface AttemptParams {
	tokens: number;
	d_in: number;
	d_out?: number;
	num_heads?: number;
	batch?: number;
	/** 0-based. */
	query?: number;
	key?: number;
	/** The module's (or dropout's) `torch.manual_seed`. */
	seed?: number;
	/** The `torch.manual_seed` of seeded Q/K/V weights. */
	weights_seed?: number;
	dropout?: number;
	mask_value?: number;
	module?: ModuleName;
}

/** A number shown to the learner as part of the question. */
export interface Given {
	name: string;
	/** TeX for the name, e.g. `W_q`. */
	tex: string;
	value: Numeric;
	/** Row labels of a matrix (or entry labels of a vector), e.g. the tokens. */
	labels?: string[];
	/** Decimals to show: the given's exact value at that precision. */
	decimals: number;
}

/** One step of a worked solution. */
export interface Step {
	text: Markdown;
	value?: Numeric;
	labels?: string[];
}

export interface ComputedQuestion {
	id: string;
	seed: number;
	params: AttemptParams;
	/** The prompt's `{{placeholder}}` values. */
	placeholders: Record<string, string>;
	inputs: Given[];
	expected: Numeric;
	shape: AnswerShape;
	decimals: number;
	steps: Step[];
	/** Python that reproduces `expected` with PyTorch. */
	pytorch: string;
}

/**
 * The expected answer of `question` for the attempt `seed` (any safe integer), with what the
 * learner is shown and a worked solution. Starts the engine if nobody has (`initEngine()`); the rest
 * is synchronous, so the same seed always gives the same numbers. Throws when the engine's answer
 * is not finite or not of the declared shape.
 */
export async function computeExpected(
	question: EngineQuestion,
	seed: number
): Promise<ComputedQuestion> {
	if (!isEngineReady()) await initEngine();
	return computeExpectedSync(question, seed);
}

/** `computeExpected` for callers that have already awaited `initEngine()`. */
export function computeExpectedSync(question: EngineQuestion, seed: number): ComputedQuestion {
	if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
	const spec = question.compute;
	const params = drawParams(spec, seed);
	const ctx = new Context(spec, params, seed);
	const { expected, steps, python } = TARGET_COMPUTATIONS[spec.target](ctx);
	const shape = resolveShape(question.shape, params);
	checkAnswer(question, expected, shape);
	return {
		id: question.id,
		seed,
		params,
		placeholders: placeholders(spec, params),
		inputs: ctx.givens,
		expected,
		shape,
		decimals: question.decimals,
		steps,
		pytorch: [...ctx.python, ...python].join('\n')
	};
}

// ---------------------------------------------------------------------------------------------
// Drawing an attempt

function pick(gen: Generator, n: number): number {
	return gen.randomU32() % n;
}

function drawInt(gen: Generator, choice: IntChoice | undefined): number | undefined {
	if (!choice) return undefined;
	if (choice.type === 'fixed') return choice.value;
	const values = choiceValues(choice);
	return values[pick(gen, values.length)];
}

function drawNumber(gen: Generator, choice: NumberChoice | undefined): number | undefined {
	if (!choice) return undefined;
	return choice.type === 'fixed' ? choice.value : choice.values[pick(gen, choice.values.length)];
}

function drawToken(gen: Generator, ref: TokenRef | undefined, tokens: number): number | undefined {
	if (!ref) return undefined;
	if (ref.type === 'random') return pick(gen, tokens);
	if (ref.type === 'position') return ref.position - 1;
	return (BOOK_TOKENS as readonly string[]).indexOf(ref.word);
}

function drawSeed(gen: Generator, seed: SeedSpec | undefined): number | undefined {
	if (!seed) return undefined;
	return seed.type === 'fixed' ? seed.value : pick(gen, MAX_DRAWN_SEED + 1);
}

/** Draw order is fixed (sizes, then tokens, then seeds), so a recorded seed replays the attempt. */
export function drawParams(spec: ComputeSpec, seed: number): AttemptParams {
	const gen = new Generator(BigInt(seed) + BigInt(PARAM_SALT));
	const inputs = spec.inputs;
	const tokens =
		inputs.source === 'book' ? BOOK_INPUTS.length : (drawInt(gen, inputs.tokens) as number);
	const d_in =
		inputs.source === 'book'
			? BOOK_INPUTS[0].length
			: inputs.source === 'one-hot'
				? tokens
				: (drawInt(gen, inputs.d_in) as number);
	const params: AttemptParams = { tokens, d_in };
	const set = <K extends keyof AttemptParams>(
		key: K,
		value: AttemptParams[K] | undefined
	): void => {
		if (value !== undefined) params[key] = value;
	};
	set('d_out', drawInt(gen, spec.d_out));
	set('num_heads', drawInt(gen, spec.num_heads));
	set('batch', drawInt(gen, spec.batch));
	set('query', drawToken(gen, spec.query, tokens));
	set('key', drawToken(gen, spec.key, tokens));
	set('seed', drawSeed(gen, spec.seed));
	if (spec.weights?.type === 'seeded') set('weights_seed', drawSeed(gen, spec.weights.seed));
	set('dropout', drawNumber(gen, spec.dropout));
	set('mask_value', spec.mask_value);
	set('module', spec.module);
	return params;
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

function round4(x: number): number {
	return Math.round(x * 10_000) / 10_000;
}

function matrixOf(x: NestedArray): Matrix {
	return x as Matrix;
}

function tokenLabels(spec: ComputeSpec, tokens: number): string[] {
	if (spec.inputs.source === 'book') return [...BOOK_TOKENS];
	return Array.from({ length: tokens }, (_, i) => `$x^{(${i + 1})}$`);
}

function tokenName(spec: ComputeSpec, index: number): string {
	const position = `$x^{(${index + 1})}$`;
	return spec.inputs.source === 'book' ? `“${BOOK_TOKENS[index]}” (${position})` : position;
}

function placeholders(spec: ComputeSpec, params: AttemptParams): Record<string, string> {
	const values: Record<string, string> = {
		tokens: String(params.tokens),
		d_in: String(params.d_in)
	};
	if (params.query !== undefined) values.query = tokenName(spec, params.query);
	if (params.key !== undefined) values.key = tokenName(spec, params.key);
	for (const key of ['d_out', 'num_heads', 'batch', 'seed', 'dropout', 'mask_value'] as const) {
		if (params[key] !== undefined) values[key] = String(params[key]);
	}
	if (params.module) values.module = `\`${params.module}\``;
	return values;
}

interface Weights {
	W_query: Matrix;
	W_key: Matrix;
	W_value: Matrix;
}

/** What one attempt's computation needs: the inputs (drawn once) and the givens shown so far. */
class Context {
	readonly givens: Given[] = [];
	readonly python: string[] = ['import torch'];
	readonly x: Matrix;
	readonly labels: string[];
	/** The stream the random inputs came from; shown weights continue it. */
	private stream: Generator | undefined;

	constructor(
		readonly spec: ComputeSpec,
		readonly params: AttemptParams,
		readonly seed: number
	) {
		this.labels = tokenLabels(spec, params.tokens);
		this.x = this.drawInputs();
		const info: TargetInfo = TARGETS[spec.target];
		if (info.showsInputs !== false) {
			this.givens.push({
				name: 'inputs',
				tex: 'x',
				value: this.x,
				labels: this.labels,
				decimals: 2
			});
		}
	}

	private drawInputs(): Matrix {
		const { tokens, d_in } = this.params;
		const source = this.spec.inputs.source;
		if (source === 'book') {
			this.python.push(`inputs = torch.tensor(${pyMatrix(BOOK_INPUTS, 2)})`);
			return BOOK_INPUTS.map((row) => [...row]);
		}
		if (source === 'one-hot') {
			const x = oneHotInputs(tokens, new Generator(this.seed));
			this.python.push(`inputs = torch.tensor(${pyMatrix(x, 1)})`);
			return x;
		}
		this.stream = new Generator(this.seed);
		this.python.push(
			`torch.manual_seed(${this.seed})`,
			`inputs = torch.rand(${tokens}, ${d_in}).round(decimals=2)`
		);
		return matrixOf(this.stream.rand([tokens, d_in])).map((row) => row.map(round2));
	}

	get d_out(): number {
		return this.params.d_out ?? 2;
	}

	get query(): number {
		return this.params.query ?? 0;
	}

	get key(): number {
		return this.params.key ?? 0;
	}

	/** W_query, W_key, W_value (each d_in × d_out) as the question's `weights` says, shown as givens. */
	weights(): Weights {
		const spec = this.spec.weights ?? { type: 'shown' };
		const w = spec.type === 'shown' ? this.shownWeights() : this.seededWeights(spec.init);
		const decimals = spec.type === 'shown' ? 2 : 4;
		this.givens.push(
			{ name: 'W_query', tex: 'W_q', value: w.W_query, decimals },
			{ name: 'W_key', tex: 'W_k', value: w.W_key, decimals },
			{ name: 'W_value', tex: 'W_v', value: w.W_value, decimals }
		);
		return w;
	}

	private shownWeights(): Weights {
		const { d_in } = this.params;
		if (!this.stream) {
			this.stream = new Generator(this.seed);
			this.python.push(`torch.manual_seed(${this.seed})`);
		}
		const gen = this.stream;
		const draw = (name: string): Matrix => {
			this.python.push(`${name} = torch.rand(${d_in}, ${this.d_out}).round(decimals=2)`);
			return matrixOf(gen.rand([d_in, this.d_out])).map((row) => row.map(round2));
		};
		return { W_query: draw('W_query'), W_key: draw('W_key'), W_value: draw('W_value') };
	}

	/**
	 * The book's way of drawing weights, rounded to 4 decimals: the learner computes with what is
	 * shown, and the PyTorch snippet rounds the same way.
	 */
	private seededWeights(init: 'rand' | 'linear'): Weights {
		const { d_in } = this.params;
		const seed = this.params.weights_seed ?? BOOK_SEED;
		const gen = new Generator(seed);
		this.python.push(`torch.manual_seed(${seed})`);
		const draw = (name: string): Matrix => {
			if (init === 'rand') {
				this.python.push(`${name} = torch.rand(${d_in}, ${this.d_out}).round(decimals=4)`);
				return matrixOf(gen.rand([d_in, this.d_out])).map((row) => row.map(round4));
			}
			// nn.Linear stores its weight as d_out × d_in and computes x @ weight.T
			const linear = `torch.nn.Linear(${d_in}, ${this.d_out}, bias=False)`;
			this.python.push(`${name} = ${linear}.weight.T.detach().round(decimals=4)`);
			return transpose(linearInit(gen, d_in, this.d_out, false).weight).map((row) =>
				row.map(round4)
			);
		};
		return { W_query: draw('W_query'), W_key: draw('W_key'), W_value: draw('W_value') };
	}

	given(name: string, tex: string, value: Numeric, decimals: number, labels?: string[]): void {
		this.givens.push({ name, tex, value, decimals, ...(labels ? { labels } : {}) });
	}
}

/** One-hot rows: token i has its 1 at a distinct position (a permutation drawn from the seed). */
function oneHotInputs(tokens: number, gen: Generator): Matrix {
	const positions = Array.from({ length: tokens }, (_, i) => i);
	for (let i = tokens - 1; i > 0; i--) {
		const j = pick(gen, i + 1);
		[positions[i], positions[j]] = [positions[j], positions[i]];
	}
	return positions.map((p) => Array.from({ length: tokens }, (_, k) => (k === p ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------
// The targets

interface Result {
	expected: Numeric;
	steps: Step[];
	/** Lines after the setup (inputs, weights) that compute `expected` in PyTorch. */
	python: string[];
}

type Computation = (ctx: Context) => Result;

function simpleScores(ctx: Context): Result & { scores: Vector } {
	const { query, scores, products } = attentionScores(ctx.x, ctx.query);
	return {
		scores,
		expected: scores,
		steps: [
			{ text: `The query is the embedding of ${tokenName(ctx.spec, ctx.query)}:`, value: query },
			{
				text: 'Multiply it element by element with each input (one row per input):',
				value: products,
				labels: ctx.labels
			},
			{ text: 'Sum each row: the attention scores $\\omega$.', value: scores, labels: ctx.labels }
		],
		python: [`query = inputs[${ctx.query}]`, 'attn_scores = inputs @ query']
	};
}

function softmaxSteps(scores: Vector, labels: string[]): { weights: Vector; steps: Step[] } {
	const { exps, sum } = naiveSoftmax(scores);
	const { weights } = softmax(scores);
	return {
		weights,
		steps: [
			{ text: 'Exponentiate each score, $e^{\\omega_i}$:', value: exps, labels },
			{ text: 'Sum the exponentials:', value: sum },
			{ text: 'Divide each by the sum: the attention weights.', value: weights, labels }
		]
	};
}

function simpleWeightsRow(ctx: Context): Result & { weights: Vector } {
	const scores = simpleScores(ctx);
	const { weights, steps } = softmaxSteps(scores.scores, ctx.labels);
	return {
		weights,
		expected: weights,
		steps: [...scores.steps, ...steps],
		python: [...scores.python, 'attn_weights = torch.softmax(attn_scores, dim=0)']
	};
}

/** Q/K/V projections and the query's unscaled scores against every key. */
function trainable(ctx: Context): Weights & ReturnType<typeof projectQKV> & { steps: Step[] } {
	const weights = ctx.weights();
	const qkv = projectQKV(ctx.x, weights.W_query, weights.W_key, weights.W_value);
	const steps: Step[] = [
		{ text: 'Queries $Q = x W_q$:', value: qkv.queries, labels: ctx.labels },
		{ text: 'Keys $K = x W_k$:', value: qkv.keys, labels: ctx.labels },
		{ text: 'Values $V = x W_v$:', value: qkv.values, labels: ctx.labels }
	];
	return { ...weights, ...qkv, steps };
}

const QKV_PY = ['queries = inputs @ W_query', 'keys = inputs @ W_key', 'values = inputs @ W_value'];

function qkScoresRow(ctx: Context): { scores: Vector; values: Matrix; steps: Step[] } {
	const t = trainable(ctx);
	const q = t.queries[ctx.query];
	const scores = matmul([q], transpose(t.keys))[0];
	return {
		scores,
		values: t.values,
		steps: [
			...t.steps,
			{
				text: `The scores of ${tokenName(ctx.spec, ctx.query)}: its query dotted with every key.`,
				value: scores,
				labels: ctx.labels
			}
		]
	};
}

function scaledRow(ctx: Context): { weights: Vector; values: Matrix; steps: Step[] } {
	const { scores, values, steps } = qkScoresRow(ctx);
	const scaled = scaledAttentionWeights(scores, ctx.d_out);
	return {
		weights: scaled.weights,
		values,
		steps: [
			...steps,
			{
				text: `Divide by $\\sqrt{d_k} = \\sqrt{${ctx.d_out}}$:`,
				value: scaled.scaled,
				labels: ctx.labels
			},
			{ text: 'Softmax: the attention weights.', value: scaled.weights, labels: ctx.labels }
		]
	};
}

/** All scores `Q Kᵀ` and both causal methods' matrices. */
function causal(ctx: Context): {
	scores: Matrix;
	weights: Matrix;
	unmasked: Matrix;
	masked: Matrix;
	normalized: Matrix;
	steps: Step[];
} {
	const t = trainable(ctx);
	const scores = matmul(t.queries, transpose(t.keys));
	const method2 = causalAttentionWeights(scores, ctx.d_out);
	const unmasked = scaledAttentionWeights(scores, ctx.d_out).weights;
	const method1 = maskAndRenormalize(unmasked);
	return {
		scores,
		weights: method2.weights,
		unmasked,
		masked: method1.masked,
		normalized: method1.normalized,
		steps: [
			...t.steps.slice(0, 2),
			{ text: 'Scores $\\omega = Q K^\\top$:', value: scores, labels: ctx.labels },
			{
				text: 'Method 2: put $-\\infty$ above the diagonal, divide by $\\sqrt{d_k}$ and take the softmax of each row (future tokens get weight 0):',
				value: method2.weights,
				labels: ctx.labels
			}
		]
	};
}

const CAUSAL_PY = [
	...QKV_PY.slice(0, 2),
	'attn_scores = queries @ keys.T',
	'n = attn_scores.shape[0]',
	'mask = torch.triu(torch.ones(n, n), diagonal=1).bool()',
	'masked = attn_scores.masked_fill(mask, -torch.inf)',
	'attn_weights = torch.softmax(masked / keys.shape[-1]**0.5, dim=-1)'
];

function row(ctx: Context, matrix: Matrix, text: string): Step {
	return { text: `${text} Row of ${tokenName(ctx.spec, ctx.query)}:`, value: matrix[ctx.query] };
}

function moduleInputs(ctx: Context, batched: boolean, copies = 2): Matrix | Tensor3 {
	return batched ? Array.from({ length: copies }, () => ctx.x) : ctx.x;
}

function runModule(
	ctx: Context,
	module: ModuleName,
	batch = 2
): { output: Matrix | Tensor3; steps: Step[]; python: string[] } {
	const batched = module !== 'SelfAttention_v1' && module !== 'SelfAttention_v2';
	const seed = ctx.params.seed ?? BOOK_SEED;
	const heads = ctx.params.num_heads ?? 2;
	const { d_in, tokens } = ctx.params;
	const result = runSpec({
		module,
		d_in,
		d_out: ctx.d_out,
		inputs: moduleInputs(ctx, batched, batch),
		seed,
		context_length: tokens,
		dropout: 0,
		num_heads: heads,
		mode: 'train'
	});
	const args =
		module === 'SelfAttention_v1' || module === 'SelfAttention_v2'
			? `${d_in}, ${ctx.d_out}`
			: module === 'CausalAttention'
				? `${d_in}, ${ctx.d_out}, ${tokens}, 0.0`
				: `${d_in}, ${ctx.d_out}, ${tokens}, 0.0, num_heads=${heads}`;
	const python = [
		'# the class from the book, chapter 3',
		`torch.manual_seed(${seed})`,
		`module = ${module}(${args})`,
		batched ? `batch = torch.stack([inputs] * ${batch})` : 'batch = inputs',
		'context_vecs = module(batch)' + (batched ? '[0]' : '')
	];
	const steps: Step[] = [
		{
			text: `Run \`torch.manual_seed(${seed})\`, build \`${module}(${args})\` (its weights come from the seed) and apply it to the inputs${batched ? ` (a batch of ${batch} copies)` : ''}.`
		}
	];
	return { output: result.context_vecs, steps, python };
}

function firstItem(output: Matrix | Tensor3): Matrix {
	return (output as Tensor3)[0];
}

const TARGET_COMPUTATIONS: Record<TargetName, Computation> = {
	'dot-product': (ctx) => {
		const a = ctx.x[ctx.query];
		const b = ctx.x[ctx.key];
		const { products, value } = dot(a, b);
		return {
			expected: value,
			steps: [
				{ text: `Embedding of ${tokenName(ctx.spec, ctx.query)}:`, value: a },
				{ text: `Embedding of ${tokenName(ctx.spec, ctx.key)}:`, value: b },
				{ text: 'Element-wise products:', value: products },
				{ text: 'Their sum is the dot product.', value }
			],
			python: [`torch.dot(inputs[${ctx.query}], inputs[${ctx.key}])`]
		};
	},
	'attention-scores-row': (ctx) => simpleScores(ctx),
	'attention-scores': (ctx) => {
		const scores = allAttentionScores(ctx.x);
		return {
			expected: scores,
			steps: [
				{
					text: 'Entry $(i, j)$ is $x^{(i)} \\cdot x^{(j)}$: `inputs @ inputs.T`.',
					value: scores,
					labels: ctx.labels
				}
			],
			python: ['attn_scores = inputs @ inputs.T']
		};
	},
	'naive-weights-row': (ctx) => {
		const scores = simpleScores(ctx);
		const { sum, weights } = naiveNormalize(scores.scores);
		return {
			expected: weights,
			steps: [
				...scores.steps,
				{ text: 'Sum of the scores:', value: sum },
				{ text: 'Divide each score by the sum.', value: weights, labels: ctx.labels }
			],
			python: [...scores.python, 'attn_weights = attn_scores / attn_scores.sum()']
		};
	},
	'attention-weights-row': (ctx) => simpleWeightsRow(ctx),
	'attention-weights': (ctx) => {
		const scores = allAttentionScores(ctx.x);
		const { weights } = softmaxRows(scores);
		return {
			expected: weights,
			steps: [
				{ text: 'Scores `inputs @ inputs.T`:', value: scores, labels: ctx.labels },
				{ text: 'Softmax of each row:', value: weights, labels: ctx.labels }
			],
			python: ['attn_weights = torch.softmax(inputs @ inputs.T, dim=-1)']
		};
	},
	'context-vector': (ctx) => {
		const w = simpleWeightsRow(ctx);
		const { terms, vector } = contextVector(w.weights, ctx.x);
		return {
			expected: vector,
			steps: [
				...w.steps,
				{
					text: 'Scale each input by its weight, $\\alpha_i x^{(i)}$:',
					value: terms,
					labels: ctx.labels
				},
				{ text: 'Sum the scaled inputs: the context vector.', value: vector }
			],
			python: [...w.python, 'context_vec = attn_weights @ inputs']
		};
	},
	'context-vectors': (ctx) => {
		const { weights } = softmaxRows(allAttentionScores(ctx.x));
		const vectors = contextVectors(weights, ctx.x);
		return {
			expected: vectors,
			steps: [
				{
					text: 'Attention weights `softmax(inputs @ inputs.T, dim=-1)`:',
					value: weights,
					labels: ctx.labels
				},
				{ text: 'Context vectors `attn_weights @ inputs`:', value: vectors, labels: ctx.labels }
			],
			python: [
				'attn_weights = torch.softmax(inputs @ inputs.T, dim=-1)',
				'all_context_vecs = attn_weights @ inputs'
			]
		};
	},
	'query-vector': (ctx) => {
		const w = ctx.weights();
		const x = ctx.x[ctx.query];
		const q = matmul([x], w.W_query)[0];
		return {
			expected: q,
			steps: [
				{ text: `Embedding of ${tokenName(ctx.spec, ctx.query)}:`, value: x },
				{ text: 'Multiply by $W_q$: entry $j$ is $\\sum_i x_i (W_q)_{ij}$.', value: q }
			],
			python: [`query = inputs[${ctx.query}] @ W_query`]
		};
	},
	keys: (ctx) => {
		const t = trainable(ctx);
		return { expected: t.keys, steps: [t.steps[1]], python: ['keys = inputs @ W_key'] };
	},
	values: (ctx) => {
		const t = trainable(ctx);
		return { expected: t.values, steps: [t.steps[2]], python: ['values = inputs @ W_value'] };
	},
	'qk-score': (ctx) => {
		const t = trainable(ctx);
		const q = t.queries[ctx.query];
		const k = t.keys[ctx.key];
		const { products, value } = dot(q, k);
		return {
			expected: value,
			steps: [
				{ text: `Query vector of ${tokenName(ctx.spec, ctx.query)}, $x W_q$:`, value: q },
				{ text: `Key vector of ${tokenName(ctx.spec, ctx.key)}, $x W_k$:`, value: k },
				{ text: 'Element-wise products:', value: products },
				{ text: 'Their sum is the (unscaled) attention score.', value }
			],
			python: [
				`query = inputs[${ctx.query}] @ W_query`,
				`key = inputs[${ctx.key}] @ W_key`,
				'query.dot(key)'
			]
		};
	},
	'qk-scores-row': (ctx) => {
		const { scores, steps } = qkScoresRow(ctx);
		return {
			expected: scores,
			steps,
			python: [...QKV_PY.slice(0, 2), `attn_scores = queries[${ctx.query}] @ keys.T`]
		};
	},
	'scaled-weights-row': (ctx) => {
		const { weights, steps } = scaledRow(ctx);
		return {
			expected: weights,
			steps,
			python: [
				...QKV_PY.slice(0, 2),
				`attn_scores = queries[${ctx.query}] @ keys.T`,
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)'
			]
		};
	},
	'qkv-context-vector': (ctx) => {
		const { weights, values, steps } = scaledRow(ctx);
		const { terms, vector } = contextVector(weights, values);
		return {
			expected: vector,
			steps: [
				...steps,
				{ text: 'Scale each value vector by its weight:', value: terms, labels: ctx.labels },
				{ text: 'Sum them: the context vector.', value: vector }
			],
			python: [
				...QKV_PY,
				`attn_scores = queries[${ctx.query}] @ keys.T`,
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'context_vec = attn_weights @ values'
			]
		};
	},
	'causal-weights': (ctx) => {
		const c = causal(ctx);
		return { expected: c.weights, steps: c.steps, python: CAUSAL_PY };
	},
	'causal-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.weights[ctx.query],
			steps: [...c.steps, row(ctx, c.weights, 'The answer is one row.')],
			python: [...CAUSAL_PY, `attn_weights[${ctx.query}]`]
		};
	},
	'masked-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.masked[ctx.query],
			steps: [
				...c.steps.slice(0, 3),
				{
					text: 'Method 1: softmax of the scaled scores, no mask yet:',
					value: c.unmasked,
					labels: ctx.labels
				},
				row(ctx, c.masked, 'Multiply by `torch.tril(torch.ones(n, n))` (zero above the diagonal).')
			],
			python: [
				...CAUSAL_PY.slice(0, 4),
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'masked_simple = attn_weights * torch.tril(torch.ones(n, n))',
				`masked_simple[${ctx.query}]`
			]
		};
	},
	'renormalized-weights-row': (ctx) => {
		const c = causal(ctx);
		return {
			expected: c.normalized[ctx.query],
			steps: [
				...c.steps.slice(0, 3),
				{
					text: 'Method 1: softmax of the scaled scores, no mask yet:',
					value: c.unmasked,
					labels: ctx.labels
				},
				row(ctx, c.masked, 'Zero the future.'),
				row(ctx, c.normalized, 'Divide by the row sum. Same as method 2:')
			],
			python: [
				...CAUSAL_PY.slice(0, 4),
				'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
				'masked_simple = attn_weights * torch.tril(torch.ones(n, n))',
				'masked_simple_norm = masked_simple / masked_simple.sum(dim=-1, keepdim=True)',
				`masked_simple_norm[${ctx.query}]`
			]
		};
	},
	'finite-mask-row': (ctx) => {
		const c = causal(ctx);
		const fill = ctx.params.mask_value ?? 0;
		const maskedRow = c.scores[ctx.query].map((s, j) => (j > ctx.query ? fill : s));
		const scaled = scaledAttentionWeights(maskedRow, ctx.d_out);
		return {
			expected: scaled.weights,
			steps: [
				...c.steps.slice(0, 3),
				{
					text: `Scores of ${tokenName(ctx.spec, ctx.query)} with the future set to ${fill}:`,
					value: maskedRow,
					labels: ctx.labels
				},
				{ text: 'Divided by $\\sqrt{d_k}$:', value: scaled.scaled, labels: ctx.labels },
				{
					text: 'Softmax: the future still gets some weight, because $e^{x} > 0$ for every finite $x$.',
					value: scaled.weights,
					labels: ctx.labels
				}
			],
			python: [
				...CAUSAL_PY.slice(0, 5),
				`masked = attn_scores.masked_fill(mask, ${fill})`,
				'attn_weights = torch.softmax(masked / keys.shape[-1]**0.5, dim=-1)',
				`attn_weights[${ctx.query}]`
			]
		};
	},
	'dropout-row': (ctx) => {
		const c = causal(ctx);
		const p = ctx.params.dropout ?? 0.5;
		const seed = ctx.params.seed ?? BOOK_SEED;
		const dropped = dropout(c.weights, p, { generator: new Generator(seed), training: true });
		const keep = dropped.keep[ctx.query];
		ctx.given('keep', '\\text{keep}', keep, 0, ctx.labels);
		return {
			expected: dropped.output[ctx.query],
			steps: [
				...c.steps,
				row(ctx, c.weights, 'Before dropout.'),
				{
					text: `Dropout's keep mask for this row (drawn after \`torch.manual_seed(${seed})\`):`,
					value: keep,
					labels: ctx.labels
				},
				{
					text: `Kept weights are multiplied by $1/(1-p) = 1/(1-${p}) = ${dropped.scale.toFixed(4)}$, dropped ones become 0:`,
					value: dropped.output[ctx.query],
					labels: ctx.labels
				}
			],
			python: [
				...CAUSAL_PY,
				`torch.manual_seed(${seed})`,
				`dropout = torch.nn.Dropout(${p})`,
				`dropout(attn_weights)[${ctx.query}]  # masks match on CPU builds without MKL`
			]
		};
	},
	'dropout-kept-value': (ctx) => {
		const p = ctx.params.dropout ?? 0.5;
		const seed = ctx.params.seed ?? BOOK_SEED;
		const ones = Array.from({ length: ctx.params.tokens }, () =>
			Array<number>(ctx.params.tokens).fill(1)
		);
		const dropped = dropout(ones, p, { generator: new Generator(seed), training: true });
		const kept = dropped.output.flat().find((v) => v !== 0) ?? dropped.scale;
		return {
			expected: kept,
			steps: [
				{
					text: `\`nn.Dropout(${p})\` on a matrix of ones (after \`torch.manual_seed(${seed})\`):`,
					value: dropped.output
				},
				{
					text: `Survivors are scaled by $1/(1-p) = 1/${(1 - p).toFixed(2)}$ so the expected value stays 1.`,
					value: kept
				}
			],
			python: [
				`torch.manual_seed(${seed})`,
				`torch.nn.Dropout(${p})(torch.ones(${ctx.params.tokens}, ${ctx.params.tokens}))`
			]
		};
	},
	'self-attention-v1': (ctx) => moduleTarget(ctx, 'SelfAttention_v1'),
	'self-attention-v2': (ctx) => moduleTarget(ctx, 'SelfAttention_v2'),
	'causal-attention': (ctx) => moduleTarget(ctx, 'CausalAttention'),
	'mha-wrapper': (ctx) => moduleTarget(ctx, 'MultiHeadAttentionWrapper'),
	'multi-head-attention': (ctx) => moduleTarget(ctx, 'MultiHeadAttention'),
	'module-output-shape': (ctx) => {
		const module = ctx.params.module ?? 'MultiHeadAttention';
		const batch = ctx.params.batch ?? 2;
		const run = runModule(ctx, module, batch);
		const out = run.output as Tensor3;
		const shape = [out.length, out[0].length, out[0][0].length];
		return {
			expected: shape,
			steps: [
				...run.steps,
				{ text: 'The output has one context vector per token, for each batch item:', value: shape }
			],
			python: [...run.python.slice(0, -1), 'module(batch).shape']
		};
	}
};

function moduleTarget(ctx: Context, module: ModuleName): Result {
	const run = runModule(ctx, module);
	const batched = module !== 'SelfAttention_v1' && module !== 'SelfAttention_v2';
	const output = batched ? firstItem(run.output) : (run.output as Matrix);
	return {
		expected: output,
		steps: [
			...run.steps,
			{
				text: 'Its output' + (batched ? ' for the first batch item:' : ':'),
				value: output,
				labels: ctx.labels
			}
		],
		python: run.python
	};
}

// ---------------------------------------------------------------------------------------------
// Checks

function resolveDim(dim: Dim, params: AttemptParams): number {
	if (typeof dim === 'number') return dim;
	if (dim === 'num_heads*d_out') return (params.num_heads ?? 2) * (params.d_out ?? 2);
	if (dim === 'tokens' || dim === 'd_in') return params[dim];
	return params.d_out ?? 2;
}

/** The declared shape with this attempt's sizes. */
export function resolveShape(shape: readonly Dim[], params: AttemptParams): AnswerShape {
	return shape.map((dim) => resolveDim(dim, params)) as AnswerShape;
}

function isRagged(value: Numeric): boolean {
	if (typeof value === 'number' || !Array.isArray(value[0])) return false;
	const rows = value as number[][];
	return rows.some((row) => row.length !== rows[0].length);
}

function checkAnswer(question: EngineQuestion, expected: Numeric, shape: AnswerShape): void {
	const actual = isRagged(expected) ? null : shapeOf(expected);
	if (actual?.join('x') !== shape.join('x')) {
		const got = actual ? `[${actual.join(', ')}]` : 'a ragged matrix';
		throw new Error(
			`${question.id}: the engine computed ${got} but the question declares [${shape.join(', ')}]`
		);
	}
	const values = typeof expected === 'number' ? [expected] : expected.flat();
	const bad = values.find((v) => !Number.isFinite(v));
	if (bad !== undefined)
		throw new Error(`${question.id}: the engine computed a non-finite value (${bad})`);
}

// ---------------------------------------------------------------------------------------------
// Markdown for the learner

export function formatNumber(x: number, decimals: number): string {
	const text = x.toFixed(decimals);
	return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

function pyMatrix(m: Matrix, decimals: number): string {
	return `[${m.map((r) => `[${r.map((v) => formatNumber(v, decimals)).join(', ')}]`).join(', ')}]`;
}

function texMatrix(value: Numeric, decimals: number): string {
	if (typeof value === 'number') return formatNumber(value, decimals);
	const rows = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
	const body = rows.map((r) => r.map((v) => formatNumber(v, decimals)).join(' & ')).join(' \\\\ ');
	return `\\begin{bmatrix} ${body} \\end{bmatrix}`;
}

/** A markdown table with row labels, or display math when there are none. */
export function formatValue(
	value: Numeric,
	decimals: number,
	labels?: string[],
	tex?: string
): string {
	const lhs = tex ? `${tex} = ` : '';
	if (typeof value === 'number') return `$${lhs}${formatNumber(value, decimals)}$`;
	const rows = Array.isArray(value[0]) ? (value as number[][]) : null;
	if (!labels || labels.length !== (rows ?? value).length) {
		return `$$\n${lhs}${texMatrix(value, decimals)}\n$$`;
	}
	const table = rows ?? (value as number[]).map((v) => [v]);
	const width = table[0].length;
	const columns = rows ? Array.from({ length: width }, (_, j) => String(j + 1)) : ['value'];
	// a plain-text corner cell: screen readers (and axe) do not read KaTeX's MathML as header text
	const head = `| token | ${columns.join(' | ')} |`;
	const rule = `| --- |${' ---: |'.repeat(width)}`;
	const body = table.map(
		(r, i) => `| ${labels[i]} | ${r.map((v) => formatNumber(v, decimals)).join(' | ')} |`
	);
	return [head, rule, ...body].join('\n');
}

function fillPlaceholders(text: string, values: Record<string, string>): string {
	return text.replace(
		/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g,
		(whole, name: string) => values[name] ?? whole
	);
}

function describePrecision(decimals: number): string {
	if (decimals === 0) return 'as whole numbers';
	return `rounded to ${decimals === 1 ? '1 decimal' : `${decimals} decimals`}`;
}

function isWhole(value: Numeric): boolean {
	return (typeof value === 'number' ? [value] : value.flat()).every(Number.isInteger);
}

function describeShape(shape: AnswerShape): string {
	if (shape.length === 0) return 'one number';
	if (shape.length === 1) return `a vector of ${shape[0]} numbers`;
	return `a ${shape[0]} × ${shape[1]} matrix`;
}

/** The question as the learner sees it this attempt: prompt, the given numbers, what to answer. */
export function describeQuestion(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const givens = computed.inputs.map(
		(given) =>
			`**${given.name}**\n\n${formatValue(given.value, given.decimals, given.labels, given.tex)}`
	);
	return [
		fillPlaceholders(question.prompt, computed.placeholders),
		...givens,
		`Answer with ${describeShape(computed.shape)}, ${describePrecision(computed.decimals)}.`
	].join('\n\n');
}

/** The worked solution: each step with its numbers, the answer, and the PyTorch that reproduces it. */
export function describeSolution(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const digits = Math.max(4, computed.decimals);
	const steps = computed.steps.map((step, i) =>
		step.value === undefined
			? `${i + 1}. ${step.text}`
			: `${i + 1}. ${step.text}\n\n${indent(formatValue(step.value, isWhole(step.value) ? 0 : digits, step.labels))}`
	);
	return [
		...steps,
		`**Answer** (${computed.decimals} decimals):\n\n${formatValue(computed.expected, computed.decimals)}`,
		question.explanation,
		'In PyTorch:',
		'```python\n' + computed.pytorch + '\n```'
	].join('\n\n');
}

function indent(text: string): string {
	return text
		.split('\n')
		.map((line) => `   ${line}`)
		.join('\n');
}

/** What a target computes, for docs and the UI. */
export function targetSummary(target: TargetName): string {
	return TARGETS[target].summary;
}
