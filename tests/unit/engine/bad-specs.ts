/** Every kind of bad spec design.md lists, as raw JSON text, with the field the error must name. */
export interface BadSpec {
	name: string;
	text: string;
	field: string;
	/** One case per kind of error is also run through the spawned CLI (spawning costs ~0.4 s). */
	cli?: true;
}

export const GOOD_SPEC = {
	module: 'MultiHeadAttention',
	d_in: 3,
	d_out: 2,
	num_heads: 2,
	context_length: 6,
	dropout: 0.0,
	qkv_bias: false,
	seed: 123,
	mode: 'train',
	inputs: [
		[
			[0.43, 0.15, 0.89],
			[0.55, 0.87, 0.66]
		]
	]
};

const withField = (patch: Record<string, unknown>): string =>
	JSON.stringify({ ...GOOD_SPEC, ...patch });
const without = (field: string): string => {
	const copy: Record<string, unknown> = { ...GOOD_SPEC };
	delete copy[field];
	return JSON.stringify(copy);
};

export const BAD_SPECS: BadSpec[] = [
	{
		name: 'unknown module',
		text: withField({ module: 'Transformer' }),
		field: 'module',
		cli: true
	},
	{ name: 'missing module', text: without('module'), field: 'module' },
	{ name: 'missing d_in', text: without('d_in'), field: 'd_in' },
	{ name: 'missing d_out', text: without('d_out'), field: 'd_out' },
	{ name: 'missing inputs', text: without('inputs'), field: 'inputs' },
	{ name: 'missing seed', text: without('seed'), field: 'seed', cli: true },
	{ name: 'missing context_length', text: without('context_length'), field: 'context_length' },
	{ name: 'missing num_heads', text: without('num_heads'), field: 'num_heads', cli: true },
	{
		name: 'ragged inputs',
		text: withField({
			inputs: [
				[
					[0.1, 0.2, 0.3],
					[0.4, 0.5]
				]
			]
		}),
		field: 'inputs',
		cli: true
	},
	{
		name: 'non-finite input (1e999 parses to Infinity)',
		text: withField({ inputs: [[[0.1, 0.2, 0.3]]] }).replace('0.2', '1e999'),
		field: 'inputs',
		cli: true
	},
	{ name: 'null input', text: withField({ inputs: [[[0.1, null, 0.3]]] }), field: 'inputs' },
	{ name: 'string input', text: withField({ inputs: [[['0.1', 0.2, 0.3]]] }), field: 'inputs' },
	{ name: 'empty inputs', text: withField({ inputs: [] }), field: 'inputs' },
	{
		name: 'wrong rank for MultiHeadAttention (2-D)',
		text: withField({ inputs: [[0.1, 0.2, 0.3]] }),
		field: 'inputs'
	},
	{
		name: 'wrong rank for SelfAttention_v1 (3-D)',
		text: withField({ module: 'SelfAttention_v1' }),
		field: 'inputs',
		cli: true
	},
	{ name: 'last dimension is not d_in', text: withField({ d_in: 4 }), field: 'inputs', cli: true },
	{
		name: 'tokens > context_length',
		text: withField({ context_length: 1 }),
		field: 'inputs',
		cli: true
	},
	{ name: 'dropout = 1', text: withField({ dropout: 1 }), field: 'dropout', cli: true },
	{ name: 'dropout < 0', text: withField({ dropout: -0.1 }), field: 'dropout' },
	{ name: 'dropout as a string', text: withField({ dropout: '0.1' }), field: 'dropout' },
	{
		name: 'd_out not divisible by num_heads',
		text: withField({ d_out: 3 }),
		field: 'd_out',
		cli: true
	},
	{ name: 'non-integer d_in', text: withField({ d_in: 2.5 }), field: 'd_in' },
	{ name: 'num_heads = 0', text: withField({ num_heads: 0 }), field: 'num_heads' },
	{ name: 'non-integer seed', text: withField({ seed: 1.5 }), field: 'seed', cli: true },
	{ name: 'unsafe seed (2^53)', text: withField({ seed: 2 ** 53 }), field: 'seed', cli: true },
	{ name: 'seed as a string', text: withField({ seed: '123' }), field: 'seed' },
	{ name: 'unknown mode', text: withField({ mode: 'training' }), field: 'mode', cli: true },
	{ name: 'qkv_bias not a boolean', text: withField({ qkv_bias: 'yes' }), field: 'qkv_bias' },
	{ name: 'invalid JSON', text: '{"module": "MultiHeadAttention",', field: 'spec', cli: true },
	{ name: 'not an object', text: '[1, 2, 3]', field: 'spec' }
];
