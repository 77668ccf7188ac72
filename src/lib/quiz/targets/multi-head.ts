/**
 * §3.6 "Extending single-head attention to multi-head attention": `MultiHeadAttentionWrapper`
 * (§3.6.1) stacks `CausalAttention` heads and concatenates their outputs (num_heads × d_out
 * features); `MultiHeadAttention` (§3.6.2) splits d_out into heads of d_out / num_heads, concatenates
 * them and mixes them with `out_proj`.
 */

import {
	BOOK_SEED,
	CausalAttention,
	Generator,
	MultiHeadAttention,
	MultiHeadAttentionWrapper,
	SelfAttention_v1,
	SelfAttention_v2,
	shapeOfRect,
	type ModuleName,
	type MultiHeadAttentionSteps,
	type NestedArray,
	type Tensor3
} from '../../engine/index.js';
import { MHA_STEPS, MHA_STEP_NAMES, type MhaStep, type TargetName } from '../../content/index.js';
import type { Computation, Context, Result } from '../context.js';
import { m } from '../../paraglide/messages.js';
import { intlLocale } from '../locale.js';
import {
	compareTable,
	runMhaVariant,
	wiredMultiHeadAttention,
	type MhaVariant
} from '../variants.js';
import { moduleTarget, runModule } from './modules.js';

/** Where each step of `MultiHeadAttention.forward` is in the engine's `forwardWithSteps`. */
const STEP_FIELDS: Record<MhaStep, keyof MultiHeadAttentionSteps> = {
	keys: 'keys',
	'keys-view': 'keys_view',
	'keys-transposed': 'keys_heads',
	'attn-scores': 'attn_scores',
	'attn-weights': 'attn_weights',
	'context-per-head': 'context_per_head',
	'context-transposed': 'context_transposed',
	'context-merged': 'context_heads',
	output: 'context_vecs'
};

/** A shape as Python prints a tuple: `(768,)`, `(2, 6, 4)`. */
function tuple(shape: number[]): string {
	return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** §3.6.2: the shape of one intermediate tensor, read from the engine's run of the module. */
function mhaShape(ctx: Context): Result {
	const step = ctx.spec.step ?? 'output';
	const batch = ctx.params.batch ?? 2;
	const heads = ctx.params.num_heads ?? 2;
	const { d_in, tokens } = ctx.params;
	const mha = new MultiHeadAttention(d_in, ctx.d_out, tokens, 0, heads, false, {
		generator: new Generator(BOOK_SEED)
	});
	const run = mha.forwardWithSteps(Array.from({ length: batch }, () => ctx.x));
	const upTo = MHA_STEP_NAMES.slice(0, MHA_STEP_NAMES.indexOf(step) + 1);
	const rows = upTo.map((name) => {
		const shape = shapeOfRect(run[STEP_FIELDS[name]] as NestedArray);
		return `| \`${MHA_STEPS[name].line}\` | ${tuple(shape)} |`;
	});
	const expected = shapeOfRect(run[STEP_FIELDS[step]] as NestedArray);
	const sizes = `b = ${batch}, num_tokens = ${tokens}, d_in = ${d_in}, d_out = ${ctx.d_out}, num_heads = ${heads}, head_dim = ${mha.head_dim}`;
	return {
		expected,
		steps: [
			{ text: m.quiz_step_sizes({ sizes }) },
			{
				text: `${m.quiz_step_forward_lines()}\n\n| ${m.quiz_table_line()} | ${m.quiz_table_shape()} |\n| --- | --- |\n${rows.join('\n')}`
			}
		],
		python: [
			`torch.manual_seed(${BOOK_SEED})`,
			`mha = MultiHeadAttention(${d_in}, ${ctx.d_out}, ${tokens}, 0.0, num_heads=${heads})`,
			`x = torch.stack([inputs] * ${batch})  # (${batch}, ${tokens}, ${d_in})`,
			m.quiz_py_in_forward_after({ line: `\`${MHA_STEPS[step].line}\`` }),
			'print(tuple(<that tensor>.shape))'
		]
	};
}

/** The book's modules with d_in = d_out, built to count their parameters. */
function buildModule(
	module: ModuleName,
	d: number,
	heads: number,
	bias: boolean
): { parameters(): Record<string, NestedArray> } {
	const options = { generator: new Generator(BOOK_SEED) };
	switch (module) {
		case 'SelfAttention_v1':
			return new SelfAttention_v1(d, d, options);
		case 'SelfAttention_v2':
			return new SelfAttention_v2(d, d, bias, options);
		case 'CausalAttention':
			return new CausalAttention(d, d, 1, 0, bias, options);
		case 'MultiHeadAttentionWrapper':
			return new MultiHeadAttentionWrapper(d, d, 1, 0, heads, bias, options);
		default:
			return new MultiHeadAttention(d, d, 1, 0, heads, bias, options);
	}
}

function moduleCall(module: ModuleName, d: number, heads: number, bias: boolean): string {
	const b = bias ? 'True' : 'False';
	if (module === 'SelfAttention_v1') return `SelfAttention_v1(${d}, ${d})`;
	if (module === 'SelfAttention_v2') return `SelfAttention_v2(${d}, ${d}, qkv_bias=${b})`;
	if (module === 'CausalAttention')
		return `CausalAttention(${d}, ${d}, context_length, 0.0, qkv_bias=${b})`;
	return `${module}(${d}, ${d}, context_length, 0.0, num_heads=${heads}, qkv_bias=${b})`;
}

/** §3.6: the number of trainable parameters, counted from the module's `state_dict` names. */
function parameterCount(ctx: Context): Result {
	const module = ctx.params.module ?? 'MultiHeadAttention';
	const d = ctx.d_out;
	const heads = ctx.params.num_heads ?? 2;
	const bias = ctx.spec.qkv_bias ?? false;
	const parameters = Object.entries(buildModule(module, d, heads, bias).parameters());
	const rows = parameters.map(([name, value]) => {
		const shape = shapeOfRect(value);
		const count = shape.reduce((n, s) => n * s, 1);
		return { name, shape, count };
	});
	const total = rows.reduce((n, r) => n + r.count, 0);
	const table = rows.map(
		(r) => `| \`${r.name}\` | ${tuple(r.shape)} | ${r.count.toLocaleString(intlLocale())} |`
	);
	return {
		expected: total,
		steps: [
			{
				text: `${m.quiz_step_parameters_of({ call: `\`${moduleCall(module, d, heads, bias)}\``, named: '`named_parameters()`' })}\n\n| ${m.quiz_table_name()} | ${m.quiz_table_shape()} | ${m.quiz_table_numbers()} |\n| --- | --- | ---: |\n${table.join('\n')}`
			},
			{
				text: m.quiz_step_in_all_parameters({ total: total.toLocaleString(intlLocale()) }),
				value: total
			}
		],
		python: [
			`context_length = 1024  ${m.quiz_py_any_context_length()}`,
			`module = ${moduleCall(module, d, heads, bias)}`,
			'sum(p.numel() for p in module.parameters())'
		]
	};
}

/** Spot the bug (§3.6.2): a buggy `MultiHeadAttention.forward`'s output, the book's beside it. */
function buggyMha(ctx: Context): Result {
	const name = ctx.spec.variant as MhaVariant;
	const seed = ctx.params.seed ?? BOOK_SEED;
	const heads = ctx.params.num_heads ?? 2;
	const run = runMhaVariant(name, { x: ctx.x, seed, d_out: ctx.d_out, num_heads: heads });
	const last = ctx.x.length - 1;
	const columns = Array.from({ length: ctx.d_out }, (_, j) => String(j + 1));
	return {
		expected: run.buggy[last],
		steps: [
			{
				text: m.quiz_step_build_mha({
					call: `\`MultiHeadAttention(${ctx.params.d_in}, ${ctx.d_out}, ${ctx.x.length}, 0.0, num_heads=${heads})\``,
					seed_call: `\`torch.manual_seed(${seed})\``,
					head_dim: ctx.d_out / heads
				}),
				value: run.correct,
				labels: ctx.labels
			},
			{
				text: m.quiz_step_buggy_forward_gives(),
				value: run.buggy,
				labels: ctx.labels
			},
			{
				text: `${m.quiz_step_side_by_side_last()}\n\n${compareTable(
					run.correct[last],
					run.buggy[last],
					{
						labels: columns,
						decimals: 4,
						corner: m.quiz_table_feature()
					}
				)}`
			},
			{ text: run.why }
		],
		python: [
			...run.buggyPython.slice(0, -1),
			`mha(inputs.unsqueeze(0))[0, -1]  ${m.quiz_py_last_token()}`
		]
	};
}

/**
 * `MultiHeadAttention` as a learner with `mha-scale-by-d-out` or `mha-no-out-proj` computes it: the
 * module's own weights (same seed), wired from the engine's steps.
 */
function misreadMha(ctx: Context): Result {
	const seed = ctx.params.seed ?? BOOK_SEED;
	const heads = ctx.params.num_heads ?? 2;
	const { d_in, tokens } = ctx.params;
	const mha = new MultiHeadAttention(d_in, ctx.d_out, tokens, 0, heads, false, {
		generator: new Generator(seed)
	});
	const noOutProj = ctx.is('mha-no-out-proj');
	const d_k = noOutProj ? mha.head_dim : ctx.d_out;
	const output = wiredMultiHeadAttention(mha, ctx.x, 'book', d_k, !noOutProj);
	return {
		expected: output,
		steps: [
			{
				text: noOutProj
					? m.quiz_step_heads_no_out_proj()
					: m.quiz_step_heads_scaled_d_out({
							sqrt_dout: '$\\sqrt{d_{out}}$',
							sqrt_hd: '$\\sqrt{\\text{head\\_dim}}$'
						}),
				value: output,
				labels: ctx.labels
			}
		],
		python: []
	};
}

export const MULTI_HEAD_TARGETS = {
	/** §3.6.1: `MultiHeadAttentionWrapper`, the heads' `CausalAttention` outputs concatenated. */
	'mha-wrapper': (ctx) => moduleTarget(ctx, 'MultiHeadAttentionWrapper'),
	/** §3.6.2: `MultiHeadAttention`: d_out split into heads, concatenated, then `out_proj`. */
	'multi-head-attention': (ctx) =>
		ctx.is('mha-scale-by-d-out') || ctx.is('mha-no-out-proj')
			? misreadMha(ctx)
			: moduleTarget(ctx, 'MultiHeadAttention'),
	/** §3.6.2: the shape of one of `MultiHeadAttention.forward`'s intermediate tensors (`step`). */
	'mha-shape': mhaShape,
	/** §3.6.2, spot the bug: a buggy `MultiHeadAttention.forward` (`variant`). */
	'buggy-mha': buggyMha,
	/** §3.6: a module's trainable parameters, counted (d_in = d_out). */
	'parameter-count': parameterCount,
	/** §3.6: a batched module's output shape, (batch, tokens, features), read from running it. */
	'module-output-shape': (ctx) => {
		const module = ctx.params.module ?? 'MultiHeadAttention';
		const batch = ctx.params.batch ?? 2;
		const run = runModule(ctx, module, batch);
		const out = run.output as Tensor3;
		const shape = [out.length, out[0].length, out[0][0].length];
		return {
			expected: shape,
			steps: [...run.steps, { text: m.quiz_step_output_per_token(), value: shape }],
			python: [...run.python.slice(0, -1), 'module(batch).shape']
		};
	}
} satisfies Partial<Record<TargetName, Computation>>;
