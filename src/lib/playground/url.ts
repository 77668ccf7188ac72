/**
 * The playground in a link: `encodeState` writes only what differs from the book's example, so the
 * example itself is `/playground` and a lesson's link stays short (`?module=simplified`);
 * `decodeState` reads any query without throwing and falls back to the book's example when
 * anything in it is invalid. `checkState` holds the rules both the link and the page's editors obey.
 */
import { m } from '../paraglide/messages.js';
import {
	COMPARISONS,
	LIMITS,
	MASK_MODES,
	PLAYGROUND_MODULES,
	bookState,
	type PlaygroundModule,
	type PlaygroundState
} from './state.js';

/** The module the book's example runs (`bookState()`): a link names the module only when it differs. */
const DEFAULT_MODULE: PlaygroundModule = 'SelfAttention_v2';
const MODES = ['train', 'eval'] as const;
/** Longest `step` anchor a link may carry. */
const MAX_STEP_LENGTH = 64;
const STEP = new RegExp(`^[A-Za-z0-9-]{1,${MAX_STEP_LENGTH}}$`);

/** The query's parameters, in the order `encodeState` writes them. */
const STATE_PARAMS = [
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
	'cmp'
] as const;
type StateParam = (typeof STATE_PARAMS)[number];

export interface DecodedState {
	/** The link's state, or the book's example (`bookState()`) when `problems` is not empty. */
	state: PlaygroundState;
	/** The step to scroll to (an anchor name), or null. */
	step: string | null;
	/** One sentence per invalid parameter (in the page's language), naming it and what was expected. */
	problems: string[];
}

/**
 * The query string (no leading '?') of `state`, and of `step` when given: only the parameters that
 * differ from `bookState(state.module)`, plus `module` when it is not SelfAttention_v2. Any state
 * encodes; one that `checkState` rejects decodes to the book's example with its problems.
 */
export function encodeState(state: PlaygroundState, step: string | null = null): string {
	const mine = paramTexts(state);
	const book = { ...paramTexts(bookState(state.module)), module: DEFAULT_MODULE };
	const params = new URLSearchParams();
	for (const name of STATE_PARAMS) {
		const text = mine[name];
		if (text !== null && text !== book[name]) params.set(name, text);
	}
	if (step !== null) params.set('step', step);
	// ',' and ';' are legal in a query and keep `tokens` and `x` readable; URLSearchParams writes
	// them as %2C and %3B. Every '%' it writes starts one escaped byte, so this replaces only those.
	return params.toString().replaceAll('%2C', ',').replaceAll('%3B', ';');
}

/**
 * The state a link describes. Never throws: starts from `bookState(module)`, applies each known
 * parameter (unknown ones are ignored) and, if any parameter is invalid, returns the book's example
 * (SelfAttention_v2) with the problems: first one per unparsable parameter; when all parse, every
 * rule of `checkState` the state breaks. `step` is kept whenever it is valid.
 */
export function decodeState(query: string | URLSearchParams): DecodedState {
	const params = typeof query === 'string' ? new URLSearchParams(query) : query;
	const problems: string[] = [];
	for (const name of [...STATE_PARAMS, 'step']) {
		const count = params.getAll(name).length;
		if (count > 1) problems.push(m.pages_url_repeated({ name, count }));
	}

	const moduleText = params.get('module');
	let module = DEFAULT_MODULE;
	if (moduleText !== null) {
		if (isOneOf(PLAYGROUND_MODULES, moduleText)) module = moduleText;
		else problems.push(problem('module', expectedOneOf(PLAYGROUND_MODULES, moduleText)));
	}
	const state = bookState(module);

	/** Parses parameter `name` when the link has it: `parse` returns the value, or a problem. */
	function read<T>(name: string, parse: (text: string) => Parsed<T>, apply: (value: T) => void) {
		const text = params.get(name);
		if (text === null) return;
		const parsed = parse(text);
		if ('problem' in parsed) problems.push(problem(name, parsed.problem));
		else apply(parsed.value);
	}
	read('tokens', parseNames, (tokens) => (state.tokens = tokens));
	read('x', parseRows, (inputs) => (state.inputs = inputs));
	read('d_out', parseWholeNumber, (d_out) => (state.d_out = d_out));
	read('heads', parseWholeNumber, (heads) => (state.num_heads = heads));
	read('bias', parseFlag, (bias) => (state.qkv_bias = bias));
	read('seed', parseWholeNumber, (seed) => (state.seed = seed));
	read('mask', parseOneOf(MASK_MODES), (mask) => (state.mask = mask));
	read('scale', parseFlag, (scale) => (state.scale = scale));
	read('temp', parseNumber, (temperature) => (state.temperature = temperature));
	read('p', parseNumber, (dropout) => (state.dropout = dropout));
	read('mode', parseOneOf(MODES), (mode) => (state.mode = mode));
	read('dseed', parseWholeNumber, (seed) => (state.dropoutSeed = seed));
	read('cmp', parseOneOf(COMPARISONS), (compare) => (state.compare = compare));
	let step: string | null = null;
	read('step', parseStep, (anchor) => (step = anchor));

	// ranges and shapes are checked only on a fully parsed state (else they would blame the book's
	// values that a bad parameter failed to replace, e.g. 6 tokens for a valid 4-row x)
	if (problems.length === 0) problems.push(...checkState(state));
	return { state: problems.length === 0 ? state : bookState(), step, problems };
}

/**
 * What is wrong with `state`, one sentence per problem (in the page's language), named by its URL parameter (empty
 * when the playground can compute it). The page shows these instead of computing, e.g. while the
 * learner's heads do not divide d_out.
 */
export function checkState(state: PlaygroundState): string[] {
	const problems: string[] = [];
	const { tokens, inputs } = state;

	if (tokens.length < LIMITS.minTokens || tokens.length > LIMITS.maxTokens) {
		problems.push(
			problem(
				'tokens',
				m.pages_url_token_count({
					min: LIMITS.minTokens,
					max: LIMITS.maxTokens,
					count: tokens.length
				})
			)
		);
	}
	const badName = tokens.map(nameProblem).findIndex((problem) => problem !== null);
	if (badName >= 0) {
		const why = nameProblem(tokens[badName]) ?? '';
		problems.push(problem('tokens', m.pages_url_token_name({ n: badName + 1, problem: why })));
	}

	const d_in = inputs[0]?.length ?? 0;
	const ragged = inputs.findIndex((row) => row.length !== d_in);
	if (inputs.length !== tokens.length) {
		problems.push(
			problem('x', m.pages_url_rows_tokens({ rows: inputs.length, tokens: tokens.length }))
		);
	} else if (ragged >= 0) {
		problems.push(
			problem('x', m.pages_url_ragged({ row: ragged + 1, count: inputs[ragged].length, d_in }))
		);
	} else if (inputs.length > 0 && (d_in < 1 || d_in > LIMITS.maxDim)) {
		problems.push(problem('x', m.pages_url_d_in({ d_in, max: LIMITS.maxDim })));
	}
	const badRow = inputs.findIndex((row) => row.some((value) => !isAllowedEntry(value)));
	if (badRow >= 0) {
		const badEntry = inputs[badRow].findIndex((value) => !isAllowedEntry(value));
		problems.push(
			problem(
				'x',
				m.pages_url_entry_range({
					row: badRow + 1,
					entry: badEntry + 1,
					value: inputs[badRow][badEntry],
					max: LIMITS.maxAbs
				})
			)
		);
	}

	if (!isOneOf(PLAYGROUND_MODULES, state.module)) {
		problems.push(problem('module', expectedOneOf(PLAYGROUND_MODULES, state.module)));
	}
	const dOutValid = isWholeNumberIn(state.d_out, 1, LIMITS.maxDim);
	const headsValid = isWholeNumberIn(state.num_heads, 1, LIMITS.maxHeads);
	if (!dOutValid) {
		problems.push(problem('d_out', wholeInRange(1, LIMITS.maxDim, state.d_out)));
	}
	if (!headsValid) {
		problems.push(problem('heads', wholeInRange(1, LIMITS.maxHeads, state.num_heads)));
	}
	if (
		state.module === 'MultiHeadAttention' &&
		dOutValid &&
		headsValid &&
		state.d_out % state.num_heads !== 0
	) {
		problems.push(
			problem('heads', m.pages_url_heads_divide({ heads: state.num_heads, d_out: state.d_out }))
		);
	}
	if (!isWholeNumberIn(state.seed, 0, LIMITS.maxSeed)) {
		problems.push(problem('seed', wholeInRange(0, LIMITS.maxSeed, state.seed)));
	}
	if (state.dropoutSeed !== null && !isWholeNumberIn(state.dropoutSeed, 0, LIMITS.maxSeed)) {
		problems.push(problem('dseed', wholeInRange(0, LIMITS.maxSeed, state.dropoutSeed)));
	}
	if (!isOneOf(MASK_MODES, state.mask))
		problems.push(problem('mask', expectedOneOf(MASK_MODES, state.mask)));
	if (!(state.temperature >= LIMITS.minTemperature && state.temperature <= LIMITS.maxTemperature)) {
		problems.push(
			problem(
				'temp',
				m.pages_url_number_range({
					min: LIMITS.minTemperature,
					max: LIMITS.maxTemperature,
					value: state.temperature
				})
			)
		);
	}
	if (!(state.dropout >= 0 && state.dropout < 1)) {
		problems.push(problem('p', m.pages_url_dropout_range({ value: state.dropout })));
	}
	if (!isOneOf(MODES, state.mode)) problems.push(problem('mode', expectedOneOf(MODES, state.mode)));
	if (!isOneOf(COMPARISONS, state.compare)) {
		problems.push(problem('cmp', expectedOneOf(COMPARISONS, state.compare)));
	}
	return problems;
}

/** Each parameter's text for `state` (null: not written); equal texts mean equal values. */
function paramTexts(state: PlaygroundState): Record<StateParam, string | null> {
	return {
		module: state.module,
		tokens: state.tokens.map(escapeName).join(','),
		x: state.inputs.map((row) => row.map(numberText).join(',')).join(';'),
		d_out: String(state.d_out),
		heads: String(state.num_heads),
		bias: state.qkv_bias ? '1' : '0',
		seed: String(state.seed),
		mask: state.mask,
		scale: state.scale ? '1' : '0',
		temp: numberText(state.temperature),
		p: numberText(state.dropout),
		mode: state.mode,
		dseed: state.dropoutSeed === null ? null : String(state.dropoutSeed),
		cmp: state.compare
	};
}

/** `String(n)` round-trips every double but writes −0 as "0"; "-0" keeps a typed −0 exactly. */
function numberText(value: number): string {
	return Object.is(value, -0) ? '-0' : String(value);
}

/** In `tokens`, ',' separates names and '\' escapes the next character. */
function escapeName(name: string): string {
	return name.replace(/[\\,]/g, '\\$&');
}

type Parsed<T> = { value: T } | { problem: string };

function parseNames(text: string): Parsed<string[]> {
	const names: string[] = [];
	let current = '';
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '\\') {
			if (i + 1 === text.length) {
				return {
					problem: m.pages_url_lone_backslash({
						lone: `'\\'`,
						comma: `'\\,'`,
						backslash: `'\\\\'`
					})
				};
			}
			current += text[++i];
		} else if (char === ',') {
			names.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	names.push(current);
	return { value: names };
}

function parseRows(text: string): Parsed<number[][]> {
	const rows = text.split(';').map((row) => row.split(','));
	const inputs: number[][] = [];
	for (const [r, row] of rows.entries()) {
		const values: number[] = [];
		for (const [c, entry] of row.entries()) {
			const parsed = parseNumber(entry);
			if ('problem' in parsed) {
				return {
					problem: m.pages_url_row_entry({ row: r + 1, entry: c + 1, text: quote(entry) })
				};
			}
			values.push(parsed.value);
		}
		inputs.push(values);
	}
	return { value: inputs };
}

/** Decimal numbers as people and `String(n)` write them (no hex, no "Infinity", no blanks). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(text: string): Parsed<number> {
	return NUMBER.test(text)
		? { value: Number(text) }
		: { problem: m.pages_url_number({ text: quote(text) }) };
}

function parseWholeNumber(text: string): Parsed<number> {
	return /^\d+$/.test(text)
		? { value: Number(text) }
		: { problem: m.pages_url_whole({ text: quote(text) }) };
}

function parseFlag(text: string): Parsed<boolean> {
	return text === '0' || text === '1'
		? { value: text === '1' }
		: { problem: m.pages_url_flag({ text: quote(text) }) };
}

function parseOneOf<T extends string>(options: readonly T[]): (text: string) => Parsed<T> {
	return (text) =>
		isOneOf(options, text) ? { value: text } : { problem: expectedOneOf(options, text) };
}

function parseStep(text: string): Parsed<string> {
	return STEP.test(text)
		? { value: text }
		: { problem: m.pages_url_step({ max: MAX_STEP_LENGTH, text: quote(text) }) };
}

/** Why a token name is invalid (completing "token 3 …"), or null. */
function nameProblem(name: string): string | null {
	// characters as a reader counts them: an emoji is one (name.length would count two)
	const length = [...name].length;
	if (length === 0) return m.pages_url_name_empty({ max: LIMITS.maxTokenLength });
	if (length > LIMITS.maxTokenLength) {
		return m.pages_url_name_long({ length, max: LIMITS.maxTokenLength });
	}
	// a lone surrogate cannot be written in a URL (it would come back as U+FFFD)
	if (/\p{Surrogate}/u.test(name)) return m.pages_url_name_surrogate();
	return null;
}

function isAllowedEntry(value: number): boolean {
	return Number.isFinite(value) && Math.abs(value) <= LIMITS.maxAbs;
}

function isWholeNumberIn(value: number, min: number, max: number): boolean {
	return Number.isInteger(value) && value >= min && value <= max;
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
	return (options as readonly string[]).includes(value);
}

function expectedOneOf(options: readonly string[], value: string): string {
	return m.pages_url_one_of({ options: options.join(', '), text: quote(value) });
}

/** "name: what is wrong", the parameter first. */
function problem(name: string, text: string): string {
	return m.pages_url_problem({ name, problem: text });
}

function wholeInRange(min: number, max: number, value: number | null): string {
	return m.pages_url_whole_range({ min, max, value: String(value) });
}

/** `text` quoted for a message, cut short so a huge parameter cannot make a huge message. */
function quote(text: string): string {
	const shown = [...text];
	return JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40).join('')}…` : text);
}
