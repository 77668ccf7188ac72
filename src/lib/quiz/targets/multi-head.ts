/**
 * §3.6 "Extending single-head attention to multi-head attention": `MultiHeadAttentionWrapper`
 * (§3.6.1) stacks `CausalAttention` heads and concatenates their outputs (num_heads × d_out
 * features); `MultiHeadAttention` (§3.6.2) splits d_out into heads of d_out / num_heads, concatenates
 * them and mixes them with `out_proj`.
 */

import type { Tensor3 } from '../../engine/index.js';
import type { TargetName } from '../../content/index.js';
import type { Computation } from '../context.js';
import { moduleTarget, runModule } from './modules.js';

export const MULTI_HEAD_TARGETS = {
	/** §3.6.1: `MultiHeadAttentionWrapper`, the heads' `CausalAttention` outputs concatenated. */
	'mha-wrapper': (ctx) => moduleTarget(ctx, 'MultiHeadAttentionWrapper'),
	/** §3.6.2: `MultiHeadAttention`: d_out split into heads, concatenated, then `out_proj`. */
	'multi-head-attention': (ctx) => moduleTarget(ctx, 'MultiHeadAttention'),
	/** §3.6: a batched module's output shape, (batch, tokens, features), read from running it. */
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
} satisfies Partial<Record<TargetName, Computation>>;
