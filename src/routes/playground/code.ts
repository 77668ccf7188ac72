/**
 * The book's PyTorch lines behind each playground step (Listings 3.1–3.5, §3.3–§3.6), for the module
 * and settings shown. A line the settings change from the book's is marked `changed`.
 */
import { m } from '$lib/paraglide/messages';
import type { PlaygroundState } from '$lib/playground';

export interface CodeLine {
	text: string;
	/** Not the book's line: the playground's settings changed it (e.g. no scaling, mask after softmax). */
	changed?: boolean;
}

export type StepCode = Record<
	'inputs' | 'qkv' | 'split' | 'scores' | 'mask' | 'scaled' | 'softmax' | 'dropout' | 'context',
	CodeLine[]
> &
	Record<'concat' | 'outProj', CodeLine[]>;

const line = (text: string, changed = false): CodeLine => (changed ? { text, changed } : { text });

/** The lines of `state.module`'s forward that produce each step. */
export function code(state: PlaygroundState): StepCode {
	const module = state.module;
	const simplified = module === 'simplified';
	const v1 = module === 'SelfAttention_v1';
	const mha = module === 'MultiHeadAttention';
	const batched = !simplified && !v1 && module !== 'SelfAttention_v2';
	const bookMask = batched;
	const bookDropout = batched;
	const scoresDims = mha ? 'transpose(2, 3)' : batched ? 'transpose(1, 2)' : 'T';

	const project = (name: 'query' | 'key' | 'value', plural: string): CodeLine =>
		line(v1 ? `${plural} = x @ self.W_${name}` : `${plural} = self.W_${name}(x)`);

	const bookScale = !simplified; // §3.3's simplified attention does not scale
	const arg = state.scale ? 'attn_scores / keys.shape[-1]**0.5' : 'attn_scores';
	const temp = state.temperature === 1 ? '' : ` * ${state.temperature}`;
	const softmax = line(
		`attn_weights = torch.softmax(${arg}${temp}, dim=-1)`,
		state.scale !== bookScale || temp !== ''
	);

	const maskBool = mha
		? 'mask_bool = self.mask.bool()[:num_tokens, :num_tokens]'
		: 'self.mask.bool()[:num_tokens, :num_tokens]';
	const mask: CodeLine[] =
		state.mask === 'before'
			? mha
				? [
						line(maskBool, !bookMask),
						line('attn_scores.masked_fill_(mask_bool, -torch.inf)', !bookMask)
					]
				: [line(`attn_scores.masked_fill_(${maskBool}, -torch.inf)`, !bookMask)]
			: state.mask === 'off'
				? []
				: [
						line('mask_simple = torch.tril(torch.ones(num_tokens, num_tokens))', true),
						line('attn_weights = attn_weights * mask_simple', true),
						...(state.mask === 'after-renorm'
							? [line('attn_weights = attn_weights / attn_weights.sum(dim=-1, keepdim=True)', true)]
							: [])
					];

	const dropoutOn = state.dropout > 0;
	const split = mha
		? [
				line('keys = keys.view(b, num_tokens, self.num_heads, self.head_dim)'),
				line('values = values.view(b, num_tokens, self.num_heads, self.head_dim)'),
				line('queries = queries.view(b, num_tokens, self.num_heads, self.head_dim)'),
				line('keys = keys.transpose(1, 2)'),
				line('queries = queries.transpose(1, 2)'),
				line('values = values.transpose(1, 2)')
			]
		: [];

	return {
		inputs: simplified
			? [line(`inputs = torch.tensor([...])  ${m.pages_code_rows()}`)]
			: batched
				? [line('batch = inputs.unsqueeze(0)  # b = 1'), line('b, num_tokens, d_in = x.shape')]
				: [line(`inputs = torch.tensor([...])  ${m.pages_code_x_rows()}`)],
		qkv: simplified
			? []
			: [project('key', 'keys'), project('query', 'queries'), project('value', 'values')],
		split,
		scores: [
			line(
				simplified
					? 'attn_scores = inputs @ inputs.T'
					: `attn_scores = queries @ keys.${scoresDims}`
			)
		],
		mask,
		scaled: [softmax],
		softmax: [softmax],
		dropout: [
			line(`self.dropout = nn.Dropout(${state.dropout})`, !bookDropout && dropoutOn),
			line('attn_weights = self.dropout(attn_weights)', !bookDropout && dropoutOn),
			...(state.mode === 'eval' ? [line(`model.eval()  ${m.pages_code_dropout_off()}`)] : [])
		],
		context: [
			line(
				simplified
					? 'all_context_vecs = attn_weights @ inputs'
					: mha
						? 'context_vec = (attn_weights @ values).transpose(1, 2)'
						: 'context_vec = attn_weights @ values'
			)
		],
		concat: mha
			? [line('context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)')]
			: [line('return torch.cat([head(x) for head in self.heads], dim=-1)')],
		outProj: [line('context_vec = self.out_proj(context_vec)')]
	};
}
