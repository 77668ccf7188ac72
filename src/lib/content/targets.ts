/**
 * The catalogue of compute targets: what an engine-checked question may ask the engine for.
 * This file only describes targets (for validation and docs); `src/lib/quiz/targets/` computes them.
 */

/** A symbolic dimension of an answer's shape, resolved per attempt from the drawn sizes. */
export type Dim = number | 'tokens' | 'd_in' | 'd_out' | 'num_heads*d_out';

/** Optional fields of a `compute:` block besides `target` and `inputs`. */
export type ParamName =
	| 'query'
	| 'key'
	| 'weights'
	| 'seed'
	| 'd_out'
	| 'num_heads'
	| 'batch'
	| 'dropout'
	| 'mask_value'
	| 'module'
	| 'step'
	| 'variant'
	| 'qkv_bias';

export interface TargetInfo {
	/** The book's section. */
	section: string;
	/** What is computed, in words (shown in docs and worked solutions). */
	summary: string;
	/** The answer's shape in terms of the question's sizes. */
	shape: readonly Dim[];
	/** Fields the target reads; any other field in the block is an error. */
	params: readonly ParamName[];
	/** Fields among `params` that have no default. */
	requires: readonly ParamName[];
	/** False when the answer does not depend on the inputs' values, so they are not shown. */
	showsInputs?: false;
	/** Size limits other than the usual ones (e.g. GPT-sized modules whose parameters are counted). */
	limits?: Partial<Record<'d_out' | 'num_heads', readonly [number, number]>>;
}

/**
 * The intermediate tensors of `MultiHeadAttention.forward` (§3.6.2) as the book writes it, in order:
 * the line that makes each one and its rank. `mha-shape` asks for their shapes, read from the
 * engine's `forwardWithSteps` (the ranks here are checked against it by `npm run content:check`).
 */
export const MHA_STEPS = {
	keys: { line: 'keys = self.W_key(x)', rank: 3 },
	'keys-view': {
		line: 'keys = keys.view(b, num_tokens, self.num_heads, self.head_dim)',
		rank: 4
	},
	'keys-transposed': { line: 'keys = keys.transpose(1, 2)', rank: 4 },
	'attn-scores': { line: 'attn_scores = queries @ keys.transpose(2, 3)', rank: 4 },
	'attn-weights': { line: 'attn_weights = self.dropout(attn_weights)', rank: 4 },
	'context-per-head': { line: 'attn_weights @ values', rank: 4 },
	'context-transposed': {
		line: 'context_vec = (attn_weights @ values).transpose(1, 2)',
		rank: 4
	},
	'context-merged': {
		line: 'context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)',
		rank: 3
	},
	output: { line: 'context_vec = self.out_proj(context_vec)', rank: 3 }
} as const satisfies Record<string, { line: string; rank: number }>;

export type MhaStep = keyof typeof MHA_STEPS;
export const MHA_STEP_NAMES = Object.keys(MHA_STEPS) as MhaStep[];

const TRAINABLE: readonly ParamName[] = ['weights', 'd_out'];

export const TARGETS = {
	'dot-product': {
		section: '3.3.1',
		summary: 'the dot product of the query embedding with the key embedding',
		shape: [],
		params: ['query', 'key'],
		requires: ['query', 'key']
	},
	'attention-scores-row': {
		section: '3.3.1',
		summary: 'the attention scores of the query: its dot product with every input',
		shape: ['tokens'],
		params: ['query'],
		requires: ['query']
	},
	'attention-scores': {
		section: '3.3.2',
		summary: 'all attention scores, `inputs @ inputs.T`',
		shape: ['tokens', 'tokens'],
		params: [],
		requires: []
	},
	'naive-weights-row': {
		section: '3.3.1',
		summary: "the query's attention scores divided by their sum",
		shape: ['tokens'],
		params: ['query'],
		requires: ['query']
	},
	'attention-weights-row': {
		section: '3.3.1',
		summary: "the softmax of the query's attention scores",
		shape: ['tokens'],
		params: ['query'],
		requires: ['query']
	},
	'attention-weights': {
		section: '3.3.2',
		summary: 'all attention weights, `torch.softmax(inputs @ inputs.T, dim=-1)`',
		shape: ['tokens', 'tokens'],
		params: [],
		requires: []
	},
	'context-vector': {
		section: '3.3.1',
		summary: "the query's context vector: the inputs weighted by its attention weights, summed",
		shape: ['d_in'],
		params: ['query'],
		requires: ['query']
	},
	'context-vectors': {
		section: '3.3.2',
		summary: 'all context vectors, `attn_weights @ inputs`',
		shape: ['tokens', 'd_in'],
		params: [],
		requires: []
	},
	'query-vector': {
		section: '3.4.1',
		summary: "the query's query vector, `x @ W_query`",
		shape: ['d_out'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	keys: {
		section: '3.4.1',
		summary: 'all key vectors, `inputs @ W_key`',
		shape: ['tokens', 'd_out'],
		params: TRAINABLE,
		requires: []
	},
	values: {
		section: '3.4.1',
		summary: 'all value vectors, `inputs @ W_value`',
		shape: ['tokens', 'd_out'],
		params: TRAINABLE,
		requires: []
	},
	'qk-score': {
		section: '3.4.1',
		summary: "the unscaled attention score of the query's query vector with the key's key vector",
		shape: [],
		params: ['query', 'key', ...TRAINABLE],
		requires: ['query', 'key']
	},
	'qk-scores-row': {
		section: '3.4.1',
		summary: "the query's unscaled attention scores, `query @ keys.T`",
		shape: ['tokens'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'scaled-weights-row': {
		section: '3.4.1',
		summary: "the query's attention weights, `softmax(scores / sqrt(d_k))`",
		shape: ['tokens'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'qkv-context-vector': {
		section: '3.4.1',
		summary: "the query's context vector, `attn_weights @ values`",
		shape: ['d_out'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'causal-weights': {
		section: '3.5.1',
		summary:
			'all causal attention weights: scores masked with -inf above the diagonal, scaled, softmax',
		shape: ['tokens', 'tokens'],
		params: TRAINABLE,
		requires: []
	},
	'causal-weights-row': {
		section: '3.5.1',
		summary: "the query's causal attention weights",
		shape: ['tokens'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'masked-weights-row': {
		section: '3.5.1',
		summary: "the query's attention weights with the future zeroed, before renormalising",
		shape: ['tokens'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'renormalized-weights-row': {
		section: '3.5.1',
		summary: "the query's attention weights with the future zeroed, then renormalised to sum to 1",
		shape: ['tokens'],
		params: ['query', ...TRAINABLE],
		requires: ['query']
	},
	'finite-mask-row': {
		section: '3.5.1',
		summary: "the query's attention weights when the future is masked with a finite `mask_value`",
		shape: ['tokens'],
		params: ['query', 'mask_value', ...TRAINABLE],
		requires: ['query', 'mask_value']
	},
	'dropout-row': {
		section: '3.5.2',
		summary: "the query's causal attention weights after `nn.Dropout(p)` in training mode",
		shape: ['tokens'],
		params: ['query', 'dropout', 'seed', ...TRAINABLE],
		requires: ['query', 'dropout', 'seed']
	},
	'dropout-eval-row': {
		section: '3.5.2',
		summary:
			"the query's causal attention weights after `nn.Dropout(p)` in evaluation mode (`model.eval()`)",
		shape: ['tokens'],
		params: ['query', 'dropout', 'seed', ...TRAINABLE],
		requires: ['query', 'dropout', 'seed']
	},
	'dropout-kept-value': {
		section: '3.5.2',
		summary:
			'the value a kept element of `torch.ones` takes after `nn.Dropout(p)` in training mode',
		shape: [],
		params: ['dropout', 'seed'],
		requires: ['dropout', 'seed'],
		showsInputs: false
	},
	'self-attention-v1': {
		section: '3.4.2',
		summary: "`SelfAttention_v1(d_in, d_out)`'s output after `torch.manual_seed(seed)`",
		shape: ['tokens', 'd_out'],
		params: ['seed', 'd_out'],
		requires: ['seed']
	},
	'self-attention-v2': {
		section: '3.4.2',
		summary: "`SelfAttention_v2(d_in, d_out)`'s output after `torch.manual_seed(seed)`",
		shape: ['tokens', 'd_out'],
		params: ['seed', 'd_out'],
		requires: ['seed']
	},
	'buggy-weights': {
		section: '3.5',
		summary:
			"the query's row of the attention weights as a buggy listing computes them (`variant`)",
		shape: ['tokens'],
		params: ['variant', 'query', 'dropout', 'seed', ...TRAINABLE],
		requires: ['variant', 'query']
	},
	'causal-attention': {
		section: '3.5.3',
		summary: "`CausalAttention(d_in, d_out, tokens, 0.0)`'s output for the first batch item",
		shape: ['tokens', 'd_out'],
		params: ['seed', 'd_out'],
		requires: ['seed']
	},
	'mha-wrapper': {
		section: '3.6.1',
		summary: "`MultiHeadAttentionWrapper`'s output for the first batch item (heads concatenated)",
		shape: ['tokens', 'num_heads*d_out'],
		params: ['seed', 'd_out', 'num_heads'],
		requires: ['seed']
	},
	'multi-head-attention': {
		section: '3.6.2',
		summary: "`MultiHeadAttention`'s output for the first batch item",
		shape: ['tokens', 'd_out'],
		params: ['seed', 'd_out', 'num_heads'],
		requires: ['seed']
	},
	'mha-shape': {
		section: '3.6.2',
		summary:
			'the shape of one intermediate tensor of `MultiHeadAttention.forward`, read from running it',
		shape: [4],
		params: ['step', 'batch', 'd_out', 'num_heads'],
		requires: ['step'],
		showsInputs: false
	},
	'buggy-mha': {
		section: '3.6.2',
		summary:
			"the last token's output of a buggy `MultiHeadAttention` (`variant`), first batch item",
		shape: ['d_out'],
		params: ['variant', 'seed', 'd_out', 'num_heads'],
		requires: ['variant', 'seed']
	},
	'parameter-count': {
		section: '3.6',
		summary: 'the number of trainable parameters of a module (d_in = d_out), read from building it',
		shape: [],
		params: ['module', 'd_out', 'num_heads', 'qkv_bias'],
		requires: ['module'],
		showsInputs: false,
		limits: { d_out: [1, 1024], num_heads: [1, 16] }
	},
	'module-output-shape': {
		section: '3.6',
		summary: "the shape of a batched module's output, read from running it",
		shape: [3],
		params: ['module', 'batch', 'd_out', 'num_heads', 'seed'],
		requires: ['module'],
		showsInputs: false
	}
} as const satisfies Record<string, TargetInfo>;

export type TargetName = keyof typeof TARGETS;

export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export function isTargetName(name: string): name is TargetName {
	return Object.hasOwn(TARGETS, name);
}

/** The answer's shape of a compute spec: the target's, or for `mha-shape` one size per axis of the step. */
export function targetShape(spec: { target: TargetName; step?: MhaStep }): readonly Dim[] {
	if (spec.target === 'mha-shape' && spec.step) return [MHA_STEPS[spec.step].rank];
	return TARGETS[spec.target].shape;
}

/** `module-output-shape` runs the batched modules only (their output has 3 dimensions). */
export const BATCHED_MODULES = [
	'CausalAttention',
	'MultiHeadAttentionWrapper',
	'MultiHeadAttention'
] as const;
