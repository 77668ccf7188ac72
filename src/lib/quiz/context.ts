/**
 * What one attempt's computation starts from: the inputs (the book's, one-hot, or
 * `torch.rand(tokens, d_in)` rounded to 2 decimals), the Q/K/V weights a target asks for, every number
 * shown to the learner, and the PyTorch lines that set them up. A target (`./targets/`) reads a
 * `Context` and returns a `Result`.
 */

import {
	BOOK_INPUTS,
	BOOK_SEED,
	Generator,
	linearInit,
	transpose,
	type Matrix,
	type NestedArray
} from '../engine/index.js';
import { TARGETS, type ComputeSpec, type TargetInfo } from '../content/index.js';
import { m } from '../paraglide/messages.js';
import type { Numeric } from './answer.js';
import { oneHotInputs, tokenLabels, type AttemptParams, type Given, type Step } from './attempt.js';
import { pyMatrix } from './format.js';
import type { MisconceptionId, Twist } from './catalogue.js';

/** What a target computes for one attempt. */
export interface Result {
	expected: Numeric;
	steps: Step[];
	/** Lines after the setup (inputs, weights) that compute `expected` in PyTorch. */
	python: string[];
}

export type Computation = (ctx: Context) => Result;

export interface Weights {
	W_query: Matrix;
	W_key: Matrix;
	W_value: Matrix;
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

/**
 * Which numbers a computation uses. `shown`: exactly the numbers the learner sees (seeded weights
 * rounded to 4 decimals), so the worked solution can be redone by hand. `full`: the unrounded
 * numbers PyTorch draws, so the answer is the one the book prints.
 */
export type Precision = 'shown' | 'full';

/** Thrown by a twisted `Context` when its misconception cannot happen on this attempt's sizes. */
export class NotApplicable extends Error {}

function round2Deep<T extends Numeric>(value: T): T {
	if (typeof value === 'number') return round2(value) as T;
	return (value as (number | number[])[]).map((v) =>
		typeof v === 'number' ? round2(v) : v.map(round2)
	) as T;
}

/** What one attempt's computation needs: the inputs (drawn once) and the givens shown so far. */
export class Context {
	readonly givens: Given[] = [];
	readonly python: string[] = ['import torch'];
	readonly x: Matrix;
	readonly labels: string[];
	/**
	 * True once a number was rounded for display (seeded weights): the answer computed from what is
	 * shown may then differ from the answer at full precision (`precision: 'full'`).
	 */
	rounded = false;
	/** The stream the random inputs came from; shown weights continue it. */
	private stream: Generator | undefined;

	/**
	 * `twist`: compute the answer as a learner with that misconception would (see
	 * `./misconceptions.ts`); the targets ask `is(...)`, `dk`, `early` and `query` where it matters.
	 */
	constructor(
		readonly spec: ComputeSpec,
		readonly params: AttemptParams,
		readonly seed: number,
		readonly precision: Precision = 'shown',
		readonly twist: Twist | null = null
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

	/** The query token's index; with `wrong-query-row`, its neighbour's. */
	get query(): number {
		const query = this.params.query ?? 0;
		if (this.twist?.id !== 'wrong-query-row') return query;
		const shifted = query + (this.twist.shift ?? 1);
		if (shifted < 0 || shifted >= this.x.length) throw new NotApplicable();
		return shifted;
	}

	/** True when this context computes as a learner with misconception `id` would. */
	is(id: MisconceptionId): boolean {
		return this.twist?.id === id;
	}

	/**
	 * What `scaledAttentionWeights(scores, d)` should be given so that it divides by the learner's
	 * divisor: $\sqrt{d_k}$ (right), 1 (`no-scaling`), or $d_k = \sqrt{d_k^2}$ (`scale-by-dk`).
	 */
	dk(d_k: number): number {
		if (this.is('no-scaling')) return 1;
		if (this.is('scale-by-dk')) return d_k * d_k;
		return d_k;
	}

	/** An intermediate value as the learner carries it on: rounded to 2 decimals with `rounded-early`. */
	early<T extends Numeric>(value: T): T {
		return this.is('rounded-early') ? round2Deep(value) : value;
	}

	/** `context-from-inputs`: the inputs used where the values belong (only when they have its shape). */
	valuesOr(values: Matrix): Matrix {
		if (!this.is('context-from-inputs')) return values;
		if (this.x[0].length !== values[0].length) throw new NotApplicable();
		return this.x;
	}

	get key(): number {
		return this.params.key ?? 0;
	}

	/** W_query, W_key, W_value (each d_in × d_out) as the question's `weights` says, shown as givens. */
	weights(): Weights {
		const spec = this.spec.weights ?? { type: 'shown' };
		const w = spec.type === 'shown' ? this.shownWeights() : this.seededWeights(spec.init);
		if (this.is('weights-transposed')) return this.transposedWeights(w);
		const decimals = spec.type === 'shown' ? 2 : 4;
		this.givens.push(
			{ name: 'W_query', tex: 'W_q', value: w.W_query, decimals },
			{ name: 'W_key', tex: 'W_k', value: w.W_key, decimals },
			{ name: 'W_value', tex: 'W_v', value: w.W_value, decimals }
		);
		return w;
	}

	/** `weights-transposed`: $x W^\top$ instead of $x W$, which only multiplies when d_in = d_out. */
	private transposedWeights(w: Weights): Weights {
		if (this.params.d_in !== this.d_out) throw new NotApplicable();
		return {
			W_query: transpose(w.W_query),
			W_key: transpose(w.W_key),
			W_value: transpose(w.W_value)
		};
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
	 * The book's way of drawing weights. They are shown to 4 decimals; with `precision: 'shown'` they
	 * are also used rounded (the learner computes with what is shown, and the PyTorch snippet rounds
	 * the same way), with `'full'` they are used as drawn (the book's numbers).
	 */
	private seededWeights(init: 'rand' | 'linear'): Weights {
		const { d_in } = this.params;
		const seed = this.params.weights_seed ?? BOOK_SEED;
		const gen = new Generator(seed);
		const round = this.precision === 'shown';
		const roundPy = round ? '.round(decimals=4)' : '';
		const use = (m: Matrix): Matrix => (round ? m.map((row) => row.map(round4)) : m);
		this.rounded ||= round;
		if (round) {
			this.python.push(m.quiz_py_rounded_as_shown());
		}
		this.python.push(`torch.manual_seed(${seed})`);
		const draw = (name: string): Matrix => {
			if (init === 'rand') {
				this.python.push(`${name} = torch.rand(${d_in}, ${this.d_out})${roundPy}`);
				return use(matrixOf(gen.rand([d_in, this.d_out])));
			}
			// nn.Linear stores its weight as d_out × d_in and computes x @ weight.T
			const linear = `torch.nn.Linear(${d_in}, ${this.d_out}, bias=False)`;
			this.python.push(`${name} = ${linear}.weight.T.detach()${roundPy}`);
			return use(transpose(linearInit(gen, d_in, this.d_out, false).weight));
		};
		return { W_query: draw('W_query'), W_key: draw('W_key'), W_value: draw('W_value') };
	}

	given(name: string, tex: string, value: Numeric, decimals: number, labels?: string[]): void {
		this.givens.push({ name, tex, value, decimals, ...(labels ? { labels } : {}) });
	}
}
