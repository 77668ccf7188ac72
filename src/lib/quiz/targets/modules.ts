/**
 * The book's classes (§3.4.2–§3.6.2) run on an attempt's inputs: `torch.manual_seed(seed)`, build the
 * module (its weights come from the seed), apply it with dropout 0. Batched modules get a batch of
 * copies of the inputs.
 */

import {
	BOOK_SEED,
	runSpec,
	type Matrix,
	type ModuleName,
	type Tensor3
} from '../../engine/index.js';
import type { Step } from '../attempt.js';
import { m } from '../../paraglide/messages.js';
import type { Context, Result } from '../context.js';

function moduleInputs(ctx: Context, batched: boolean, copies = 2): Matrix | Tensor3 {
	return batched ? Array.from({ length: copies }, () => ctx.x) : ctx.x;
}

/** Builds `module` after `torch.manual_seed(seed)` and applies it; v1/v2 take the inputs unbatched. */
export function runModule(
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
		m.quiz_py_book_class(),
		`torch.manual_seed(${seed})`,
		`module = ${module}(${args})`,
		batched ? `batch = torch.stack([inputs] * ${batch})` : 'batch = inputs',
		'context_vecs = module(batch)' + (batched ? '[0]' : '')
	];
	const seed_call = `\`torch.manual_seed(${seed})\``;
	const module_call = `\`${module}(${args})\``;
	const steps: Step[] = [
		{
			text: batched
				? m.quiz_step_run_module_batched({ seed_call, module_call, batch })
				: m.quiz_step_run_module({ seed_call, module_call })
		}
	];
	return { output: result.context_vecs, steps, python };
}

function firstItem(output: Matrix | Tensor3): Matrix {
	return (output as Tensor3)[0];
}

/** A module's output as the answer: the context vectors (of the first batch item when batched). */
export function moduleTarget(ctx: Context, module: ModuleName): Result {
	const run = runModule(ctx, module);
	const batched = module !== 'SelfAttention_v1' && module !== 'SelfAttention_v2';
	const output = batched ? firstItem(run.output) : (run.output as Matrix);
	return {
		expected: output,
		steps: [
			...run.steps,
			{
				text: batched ? m.quiz_step_its_output_batched() : m.quiz_step_its_output(),
				value: output,
				labels: ctx.labels
			}
		],
		python: run.python
	};
}
