/** The playground's link: exact round-trips, the book's example as '', and a safe fallback. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	COMPARISONS,
	LIMITS,
	MASK_MODES,
	PLAYGROUND_MODULES,
	bookState,
	checkState,
	decodeState,
	encodeState,
	type PlaygroundState
} from '../../../src/lib/playground/index.js';

const RUNS = { numRuns: 300 };

/** Token names with the characters the format must escape, and any Unicode besides. */
const tokenName = fc.oneof(
	fc.string({
		unit: fc.constantFrom(',', '\\', ' ', ';', '&', '=', '+', '%', '#', '?', 'é', '语', '🙂', 'a'),
		minLength: 1,
		maxLength: LIMITS.maxTokenLength
	}),
	fc.string({ unit: 'binary', minLength: 1, maxLength: LIMITS.maxTokenLength })
);

/** Any finite entry within ±100, −0 included. */
const entry = fc.double({ min: -LIMITS.maxAbs, max: LIMITS.maxAbs, noNaN: true });
const seed = fc.integer({ min: 0, max: LIMITS.maxSeed });

/** d_out and heads; for MultiHeadAttention heads divide d_out. */
const sizes = (module: string) =>
	module === 'MultiHeadAttention'
		? fc
				.integer({ min: 1, max: LIMITS.maxHeads })
				.chain((heads) =>
					fc
						.integer({ min: 1, max: Math.floor(LIMITS.maxDim / heads) })
						.map((perHead) => ({ d_out: heads * perHead, num_heads: heads }))
				)
		: fc.record({
				d_out: fc.integer({ min: 1, max: LIMITS.maxDim }),
				num_heads: fc.integer({ min: 1, max: LIMITS.maxHeads })
			});

const validState: fc.Arbitrary<PlaygroundState> = fc
	.record({
		tokens: fc.array(tokenName, { minLength: LIMITS.minTokens, maxLength: LIMITS.maxTokens }),
		d_in: fc.integer({ min: 1, max: 8 }),
		module: fc.constantFrom(...PLAYGROUND_MODULES)
	})
	.chain(({ tokens, d_in, module }) =>
		fc.record({
			tokens: fc.constant(tokens),
			inputs: fc.array(fc.array(entry, { minLength: d_in, maxLength: d_in }), {
				minLength: tokens.length,
				maxLength: tokens.length
			}),
			module: fc.constant(module),
			sizes: sizes(module),
			qkv_bias: fc.boolean(),
			seed,
			mask: fc.constantFrom(...MASK_MODES),
			scale: fc.boolean(),
			temperature: fc.double({
				min: LIMITS.minTemperature,
				max: LIMITS.maxTemperature,
				noNaN: true
			}),
			dropout: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
			mode: fc.constantFrom('train' as const, 'eval' as const),
			dropoutSeed: fc.option(seed, { nil: null }),
			compare: fc.constantFrom(...COMPARISONS)
		})
	)
	.map(({ sizes, ...rest }) => ({ ...rest, ...sizes }));

/** Half the time the book's example of a random module with a few changes, so omissions are tested too. */
const nearBookState: fc.Arbitrary<PlaygroundState> = fc
	.tuple(fc.constantFrom(...PLAYGROUND_MODULES), validState, fc.uniqueArray(fc.nat(12)))
	.map(([module, other, changed]) => {
		const state = bookState(module);
		const fields = Object.keys(other) as (keyof PlaygroundState)[];
		for (const index of changed) {
			const field = fields[index % fields.length];
			if (['tokens', 'inputs', 'd_out', 'num_heads', 'module'].includes(field)) continue;
			Object.assign(state, { [field]: other[field] });
		}
		return state;
	});

const step = fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/), { nil: null });

/** What decodeState returns when a link is invalid. */
function expectBookFallback(query: string | URLSearchParams, param: string) {
	const { state, problems } = decodeState(query);
	expect(state).toEqual(bookState());
	expect(problems.length).toBeGreaterThan(0);
	expect(problems.some((problem) => problem.startsWith(`${param}: `))).toBe(true);
	return problems;
}

describe('encodeState / decodeState round-trip', () => {
	it('decodes every valid state to itself, exactly, with no problems', () => {
		fc.assert(
			fc.property(fc.oneof(validState, nearBookState), step, (state, anchor) => {
				expect(checkState(state)).toEqual([]);
				const query = encodeState(state, anchor);
				const decoded = decodeState(query);
				expect(decoded.problems).toEqual([]);
				expect(decoded.state).toStrictEqual(state);
				expect(decoded.step).toBe(anchor);
				// and through a URL, as the page reads it
				const url = new URL(`https://example.org/playground?${query}`);
				expect(decodeState(url.searchParams).state).toStrictEqual(state);
			}),
			RUNS
		);
	});

	it('keeps −0 exact (written as -0)', () => {
		const state = { ...bookState(), temperature: 1, dropout: -0 };
		state.inputs[0][0] = -0;
		expect(encodeState(state)).toBe(
			'x=-0,0.15,0.89;0.55,0.87,0.66;0.57,0.85,0.64;0.22,0.58,0.33;0.77,0.25,0.1;0.05,0.8,0.55&p=-0'
		);
		expect(Object.is(decodeState(encodeState(state)).state.inputs[0][0], -0)).toBe(true);
		expect(Object.is(decodeState(encodeState(state)).state.dropout, -0)).toBe(true);
	});
});

describe('encodeState', () => {
	it("writes the book's example as the empty string", () => {
		expect(encodeState(bookState())).toBe('');
		expect(decodeState('')).toEqual({ state: bookState(), step: null, problems: [] });
	});

	it("writes only the module for each module's book example", () => {
		for (const module of PLAYGROUND_MODULES) {
			const expected = module === 'SelfAttention_v2' ? '' : `module=${module}`;
			expect(encodeState(bookState(module))).toBe(expected);
			expect(decodeState(expected).state).toEqual(bookState(module));
		}
	});

	it('writes only what differs, readably (the README example)', () => {
		const state: PlaygroundState = {
			...bookState('MultiHeadAttention'),
			tokens: ['I', 'saw', 'it'],
			inputs: [
				[0.1, 0.2],
				[0.3, -1],
				[2, 0]
			],
			d_out: 4
		};
		const query =
			'module=MultiHeadAttention&tokens=I,saw,it&x=0.1,0.2;0.3,-1;2,0&d_out=4&step=weights';
		expect(encodeState(state, 'weights')).toBe(query);
		expect(decodeState(query)).toEqual({ state, step: 'weights', problems: [] });
	});

	it('escapes commas and backslashes in token names', () => {
		const state = { ...bookState(), tokens: ['a,b', 'c\\', '\\,', 'd e', 'é', '🙂'] };
		const query = encodeState(state);
		expect(new URLSearchParams(query).get('tokens')).toBe('a\\,b,c\\\\,\\\\\\,,d e,é,🙂');
		expect(decodeState(query).state.tokens).toEqual(state.tokens);
	});

	it('writes every setting under its own name', () => {
		const state: PlaygroundState = {
			...bookState(),
			qkv_bias: true,
			seed: 7,
			mask: 'after',
			scale: false,
			temperature: 2.5,
			dropout: 0.5,
			mode: 'eval',
			dropoutSeed: 0,
			compare: 'dropout',
			d_out: 3,
			num_heads: 3
		};
		expect(encodeState(state)).toBe(
			'd_out=3&heads=3&bias=1&seed=7&mask=after&scale=0&temp=2.5&p=0.5&mode=eval&dseed=0&cmp=dropout'
		);
	});
});

describe('decodeState: an invalid link shows the book example and says why', () => {
	const cases: [name: string, query: string, param: string, message?: string][] = [
		['a bad number in x', 'x=1,abc;2,3;4,5;6,7;8,9;1,2', 'x'],
		['Infinity in x', 'x=Infinity', 'x'],
		['NaN in x', 'x=NaN', 'x'],
		['a hex number in x', 'x=0x10', 'x'],
		['an empty entry in x', 'x=1,,2', 'x'],
		['an entry that overflows to Infinity', 'tokens=a&x=1e400', 'x'],
		[
			'|x| > 100',
			'tokens=a&x=100.5',
			'x',
			'x: row 1, entry 1 is 100.5; expected a number from -100 to 100'
		],
		[
			'ragged x',
			'tokens=a,b&x=1,2;3',
			'x',
			'x: row 2 has 1 numbers but row 1 has 2; expected every row to have d_in numbers'
		],
		[
			'x rows not matching the tokens',
			'x=1;2',
			'x',
			'x: 2 rows for 6 tokens; expected one row of numbers per token'
		],
		[
			'tokens not matching x',
			'tokens=a,b',
			'x',
			'x: 6 rows for 2 tokens; expected one row of numbers per token'
		],
		[
			'd_in over 64',
			`tokens=a&x=${Array(65).fill(1).join(',')}`,
			'x',
			'x: 65 numbers per row; expected 1–64 (d_in)'
		],
		[
			'too many tokens',
			`tokens=${Array(17).fill('t').join(',')}&x=${Array(17).fill(1).join(';')}`,
			'tokens',
			'tokens: expected 1–16 tokens, got 17'
		],
		[
			'an empty token name',
			'tokens=a,,b&x=1;2;3',
			'tokens',
			'tokens: token 2 is empty; expected 1–24 characters'
		],
		['an empty tokens parameter', 'tokens=&x=1', 'tokens'],
		[
			'a too-long token name',
			`tokens=${'w'.repeat(25)}&x=1`,
			'tokens',
			'tokens: token 1 has 25 characters; expected at most 24'
		],
		['a lone backslash ending tokens', 'tokens=a\\&x=1', 'tokens'],
		[
			'an unknown module',
			'module=Transformer',
			'module',
			'module: expected one of simplified, SelfAttention_v1, SelfAttention_v2, CausalAttention, MultiHeadAttentionWrapper, MultiHeadAttention, got "Transformer"'
		],
		[
			'heads not dividing d_out',
			'module=MultiHeadAttention&d_out=4&heads=3',
			'heads',
			'heads: 3 does not divide d_out 4 (MultiHeadAttention splits d_out into equal heads)'
		],
		['d_out 0', 'd_out=0', 'd_out', 'd_out: expected a whole number 1–64, got 0'],
		['d_out 65', 'd_out=65', 'd_out'],
		['a fractional d_out', 'd_out=2.5', 'd_out', 'd_out: expected a whole number, got "2.5"'],
		['heads 17', 'heads=17', 'heads', 'heads: expected a whole number 1–16, got 17'],
		['a negative seed', 'seed=-1', 'seed'],
		[
			'a seed of 2^32',
			'seed=4294967296',
			'seed',
			'seed: expected a whole number 0–4294967295, got 4294967296'
		],
		['a seed in exponent form', 'seed=1e3', 'seed'],
		['a bad dropout seed', 'dseed=x', 'dseed'],
		['p = 1', 'p=1', 'p', 'p: expected a number from 0 up to (not including) 1, got 1'],
		['a negative p', 'p=-0.1', 'p'],
		[
			'a temperature below 0.1',
			'temp=0.05',
			'temp',
			'temp: expected a number from 0.1 to 20, got 0.05'
		],
		['a temperature above 20', 'temp=21', 'temp'],
		['an unknown mask', 'mask=sideways', 'mask'],
		['an unknown mode', 'mode=test', 'mode'],
		['an unknown comparison', 'cmp=everything', 'cmp'],
		['bias=yes', 'bias=yes', 'bias', 'bias: expected 0 or 1, got "yes"'],
		['scale=2', 'scale=2', 'scale'],
		['a step with a space', 'step=a%20b', 'step'],
		[
			'a parameter given twice',
			'heads=2&heads=1',
			'heads',
			'heads: given 2 times; expected at most once'
		]
	];

	for (const [name, query, param, message] of cases) {
		it(name, () => {
			const problems = expectBookFallback(query, param);
			if (message) expect(problems).toContain(message);
		});
	}

	it('reports every unparsable parameter, and only those', () => {
		const { problems } = decodeState('module=MultiHeadAttention&d_out=abc&temp=0&mode=test');
		// temp=0 parses; ranges are checked once every parameter has (see the next test)
		expect(problems.map((problem) => problem.split(':')[0])).toEqual(['d_out', 'mode']);
	});

	it('reports every rule a parsed link breaks', () => {
		const { problems } = decodeState('module=MultiHeadAttention&d_out=4&heads=3&temp=0&p=1');
		expect(problems.map((problem) => problem.split(':')[0])).toEqual(['heads', 'temp', 'p']);
	});

	it('falls back to SelfAttention_v2 even when the module was valid', () => {
		expect(decodeState('module=simplified&p=2').state).toEqual(bookState());
	});

	it('keeps a valid step when the state falls back', () => {
		expect(decodeState('heads=0&step=weights').step).toBe('weights');
	});

	it('ignores unknown parameters', () => {
		expect(decodeState('utm_source=lesson&module=simplified')).toEqual({
			state: bookState('simplified'),
			step: null,
			problems: []
		});
	});

	it('cuts a huge value short in its message', () => {
		const [problem] = decodeState(`mode=${'z'.repeat(10_000)}`).problems;
		expect(problem.length).toBeLessThan(120);
	});
});

describe('decodeState never throws', () => {
	/** Whatever a link holds, the result is a state the playground can compute. */
	function expectUsable(query: string | URLSearchParams) {
		const { state, problems } = decodeState(query);
		expect(checkState(state)).toEqual([]);
		if (problems.length > 0) expect(state).toEqual(bookState());
	}

	it('on any query string', () => {
		const queryChar = fc.constantFrom('&', '=', ',', ';', '%', '+', '\\', 'x', 'p', '1', '.', '-');
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ unit: 'binary' }),
					fc.string({ unit: fc.oneof(queryChar, fc.string({ unit: 'binary', maxLength: 1 })) })
				),
				(query) => expectUsable(query)
			),
			RUNS
		);
	});

	it('on any value of each parameter', () => {
		const names = [
			'module',
			'tokens',
			'x',
			'd_out',
			'heads',
			'bias',
			'seed',
			'mask',
			'scale',
			'temp',
			'p',
			'mode',
			'dseed',
			'cmp',
			'step'
		];
		fc.assert(
			fc.property(
				fc.constantFrom(...names),
				fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.double().map(String)),
				(name, value) => expectUsable(new URLSearchParams([[name, value]]))
			),
			RUNS
		);
	});
});

describe('checkState', () => {
	it("accepts each module's book example", () => {
		for (const module of PLAYGROUND_MODULES) expect(checkState(bookState(module))).toEqual([]);
	});

	it('names the parameter of each problem of a hand-built state', () => {
		const state: PlaygroundState = {
			...bookState('MultiHeadAttention'),
			tokens: [],
			d_out: 6,
			num_heads: 4,
			temperature: Number.NaN,
			dropoutSeed: -1
		};
		expect(checkState(state).map((problem) => problem.split(':')[0])).toEqual([
			'tokens',
			'x',
			'heads',
			'dseed',
			'temp'
		]);
	});

	it('rejects a name holding a lone surrogate (a URL cannot carry it)', () => {
		expect(
			checkState({ ...bookState(), tokens: ['a\ud800', ...bookState().tokens.slice(1)] })
		).toEqual(['tokens: token 1 is not valid Unicode (it holds a lone surrogate)']);
	});
});
