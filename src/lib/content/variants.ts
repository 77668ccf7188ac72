/**
 * The catalogue of buggy variants of the chapter's code: the bugs a reader of chapter 3 makes, each
 * named once. This file only describes them (for validation, docs and the `spot-the-bug` deck); the
 * quiz layer (`src/lib/quiz/variants.ts`) runs the ones that change numbers with the engine, next to
 * the book's code. A later issue grows this into a catalogue of misconceptions.
 */

import type { ParamName } from './targets.js';

/** What running the buggy code does. */
export type VariantEffect =
	/** Runs and prints different numbers: the engine runs it (`target`). */
	| 'numbers'
	/** Raises an error in PyTorch. */
	| 'error'
	/** Prints the same numbers on one CPU, but breaks training, saving or moving the model. */
	| 'silent';

export interface VariantInfo {
	/** The book's section the bug belongs to. */
	section: string;
	/** A short name of the bug. */
	title: string;
	/** The buggy line(s), as a reader writes them. */
	bug: string;
	/** The book's line(s). */
	fix: string;
	effect: VariantEffect;
	/** For `numbers`: the target that runs the variant. */
	target?: 'buggy-weights' | 'buggy-mha';
	/** Compute fields this variant reads besides its target's own (they are then required). */
	reads?: readonly ParamName[];
}

export const VARIANTS = {
	'softmax-dim0': {
		section: '3.3.2',
		title: 'softmax over dim=0',
		bug: 'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=0)',
		fix: 'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'no-scaling': {
		section: '3.4.1',
		title: 'no scaling by √d_k',
		bug: 'attn_weights = torch.softmax(attn_scores, dim=-1)',
		fix: 'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'masked-fill-dropped': {
		section: '3.5.3',
		title: '`masked_fill` without `_`: the masked copy is dropped',
		bug: 'attn_scores.masked_fill(mask, -torch.inf)',
		fix: 'attn_scores.masked_fill_(mask, -torch.inf)',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'mask-with-zero': {
		section: '3.5.1',
		title: 'the future masked with 0 before the softmax',
		bug: 'attn_scores.masked_fill_(mask, 0)',
		fix: 'attn_scores.masked_fill_(mask, -torch.inf)',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'zero-after-softmax': {
		section: '3.5.1',
		title: 'the future zeroed after the softmax, not renormalised',
		bug: 'attn_weights = attn_weights * torch.tril(torch.ones(n, n))',
		fix: 'attn_weights = attn_weights * torch.tril(torch.ones(n, n))\nattn_weights = attn_weights / attn_weights.sum(dim=-1, keepdim=True)',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'triu-diagonal-0': {
		section: '3.5.1',
		title: '`torch.triu(..., diagonal=0)` masks the diagonal too',
		bug: 'mask = torch.triu(torch.ones(n, n), diagonal=0).bool()',
		fix: 'mask = torch.triu(torch.ones(n, n), diagonal=1).bool()',
		effect: 'numbers',
		target: 'buggy-weights'
	},
	'dropout-not-rescaled': {
		section: '3.5.2',
		title: 'dropout by hand without the 1/(1-p) rescale',
		bug: 'attn_weights = attn_weights * keep',
		fix: 'attn_weights = attn_weights * keep / (1 - p)  # what nn.Dropout(p) does',
		effect: 'numbers',
		target: 'buggy-weights',
		reads: ['dropout', 'seed']
	},
	'view-without-transpose': {
		section: '3.6.2',
		title: '`view(b, h, T, d_h)` without the transpose',
		bug: 'keys = keys.view(b, self.num_heads, num_tokens, self.head_dim)',
		fix: 'keys = keys.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)',
		effect: 'numbers',
		target: 'buggy-mha'
	},
	'scale-by-d-out': {
		section: '3.6.2',
		title: 'scaling by √d_out instead of √head_dim',
		bug: 'attn_weights = torch.softmax(attn_scores / self.d_out**0.5, dim=-1)',
		fix: 'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)',
		effect: 'numbers',
		target: 'buggy-mha'
	},
	'transpose-3d': {
		section: '3.5.3',
		title: '`.T` on a 3-D tensor',
		bug: 'attn_scores = queries @ keys.T',
		fix: 'attn_scores = queries @ keys.transpose(1, 2)',
		effect: 'error'
	},
	'view-non-contiguous': {
		section: '3.6.2',
		title: '`.view` on a non-contiguous tensor',
		bug: 'context_vec = context_vec.view(b, num_tokens, self.d_out)',
		fix: 'context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)',
		effect: 'error'
	},
	'mask-not-sliced': {
		section: '3.5.3',
		title: 'the mask not cut to the sequence length',
		bug: 'attn_scores.masked_fill_(self.mask.bool(), -torch.inf)',
		fix: 'attn_scores.masked_fill_(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)',
		effect: 'error'
	},
	'python-list-heads': {
		section: '3.6.1',
		title: 'a Python list of heads instead of `nn.ModuleList`',
		bug: 'self.heads = [CausalAttention(d_in, d_out, context_length, dropout, qkv_bias) for _ in range(num_heads)]',
		fix: 'self.heads = nn.ModuleList([CausalAttention(d_in, d_out, context_length, dropout, qkv_bias) for _ in range(num_heads)])',
		effect: 'silent'
	},
	'mask-not-buffer': {
		section: '3.5.3',
		title: 'the mask a plain attribute, not a buffer',
		bug: 'self.mask = torch.triu(torch.ones(context_length, context_length), diagonal=1)',
		fix: "self.register_buffer('mask', torch.triu(torch.ones(context_length, context_length), diagonal=1))",
		effect: 'silent'
	}
} as const satisfies Record<string, VariantInfo>;

export type VariantName = keyof typeof VARIANTS;

export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];

export function isVariantName(name: string): name is VariantName {
	return Object.hasOwn(VARIANTS, name);
}

/** Variants the engine runs (they change numbers), optionally those of one target. */
export function runnableVariants(target?: 'buggy-weights' | 'buggy-mha'): VariantName[] {
	return VARIANT_NAMES.filter((name) => {
		const info: VariantInfo = VARIANTS[name];
		return info.effect === 'numbers' && (!target || info.target === target);
	});
}
