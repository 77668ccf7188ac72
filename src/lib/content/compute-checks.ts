/**
 * The `compute:` spec of an engine-checked question, checked against its target: sizes, choices,
 * token references, weights, module and variant, head splits, the shape the answer is asked in, and
 * the prompt's placeholders. Every problem is reported at its file line.
 */
import { BOOK_SEED, BOOK_TOKENS } from '../engine/index.js';
import { type RawCompute } from './schema.js';
import { BATCHED_MODULES, TARGETS, targetShape, type TargetInfo } from './targets.js';
import { isVariantName, runnableVariants, VARIANTS, type VariantInfo } from './variants.js';
import {
	type ComputeSpec,
	type Dim,
	type EngineKind,
	type IntChoice,
	type NumberChoice,
	type TokenRef
} from './types.js';
import type { Reporter } from './block-reporter.js';
import { markerNames } from './markers.js';

/** Sizes a question may draw, so that the UI and the worked solutions stay readable. */
const SIZE_LIMITS: Record<SizeField, readonly [number, number]> = {
	tokens: [2, 8],
	d_in: [1, 6],
	d_out: [1, 6],
	num_heads: [1, 4],
	batch: [1, 4]
};

/** `parameter-count` builds the module (drawing its weights): at most this many weights. */
const MAX_COUNTED_WEIGHTS = 5_000_000;

function intChoice(value: RawCompute['tokens']): IntChoice | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number') return { type: 'fixed', value };
	if (Array.isArray(value)) return { type: 'range', min: value[0], max: value[1] };
	return { type: 'one-of', values: value.one_of };
}

export function choiceValues(choice: IntChoice): number[] {
	if (choice.type === 'fixed') return [choice.value];
	if (choice.type === 'one-of') return choice.values;
	const values: number[] = [];
	for (let v = choice.min; v <= choice.max; v++) values.push(v);
	return values;
}

function numberChoice(value: RawCompute['dropout']): NumberChoice | undefined {
	if (value === undefined) return undefined;
	return typeof value === 'number'
		? { type: 'fixed', value }
		: { type: 'one-of', values: value.one_of };
}

const SIZE_FIELDS = ['tokens', 'd_in', 'd_out', 'num_heads', 'batch'] as const;
type SizeField = (typeof SIZE_FIELDS)[number];

export function checkCompute(raw: RawCompute, report: Reporter): ComputeSpec | undefined {
	const before = report.issues.length;
	const target = raw.target as keyof typeof TARGETS;
	const info = TARGETS[target];
	const params: readonly string[] = info.params;
	const inputFields =
		raw.inputs === 'random' ? ['tokens', 'd_in'] : raw.inputs === 'one-hot' ? ['tokens'] : [];
	for (const field of Object.keys(raw)) {
		if (field === 'target' || field === 'inputs' || inputFields.includes(field)) continue;
		if (params.includes(field)) continue;
		const why =
			field === 'tokens' || field === 'd_in' ? `inputs: ${raw.inputs}` : `target "${target}"`;
		report.at(['compute', field], `"compute.${field}" is not used by ${why}`, true);
	}
	for (const field of inputFields) {
		if (raw[field as SizeField] === undefined) {
			report.at(['compute'], `inputs: ${raw.inputs} needs "compute.${field}"`, true);
		}
	}
	for (const field of info.requires) {
		if (raw[field] === undefined)
			report.at(['compute'], `target "${target}" needs "compute.${field}"`, true);
	}
	const limits: TargetInfo['limits'] = 'limits' in info ? info.limits : undefined;
	const sizes = Object.fromEntries(
		SIZE_FIELDS.map((field) => [
			field,
			checkSize(field, raw[field], report, limits?.[field as 'd_out' | 'num_heads'])
		])
	) as Record<SizeField, IntChoice | undefined>;
	const spec: ComputeSpec = {
		target,
		inputs:
			raw.inputs === 'random'
				? { source: 'random', tokens: sizes.tokens!, d_in: sizes.d_in! }
				: raw.inputs === 'one-hot'
					? { source: 'one-hot', tokens: sizes.tokens! }
					: { source: 'book' }
	};
	const minTokens =
		raw.inputs === 'book'
			? BOOK_TOKENS.length
			: Math.min(...choiceValues(sizes.tokens ?? fixed(2)));
	if (raw.query !== undefined)
		spec.query = tokenRef('query', raw.query, raw.inputs, minTokens, report);
	if (raw.key !== undefined) spec.key = tokenRef('key', raw.key, raw.inputs, minTokens, report);
	if (params.includes('weights')) spec.weights = weights(raw.weights);
	if (raw.seed !== undefined)
		spec.seed = raw.seed === 'random' ? { type: 'random' } : { type: 'fixed', value: raw.seed };
	if (params.includes('d_out')) spec.d_out = sizes.d_out ?? fixed(2);
	if (params.includes('num_heads')) spec.num_heads = sizes.num_heads ?? fixed(2);
	if (params.includes('batch')) spec.batch = sizes.batch ?? fixed(2);
	if (raw.dropout !== undefined) spec.dropout = checkDropout(numberChoice(raw.dropout)!, report);
	if (raw.mask_value !== undefined) spec.mask_value = raw.mask_value;
	if (raw.module !== undefined) spec.module = checkModule(raw.module, target, report);
	if (raw.step !== undefined) spec.step = raw.step;
	if (raw.qkv_bias !== undefined) spec.qkv_bias = raw.qkv_bias;
	if (raw.variant !== undefined) spec.variant = checkVariant(raw, target, report);
	checkHeads(spec, report);
	if (target === 'parameter-count') checkCountedSize(spec, raw.num_heads !== undefined, report);
	return report.issues.length === before ? spec : undefined;
}

function fixed(value: number): IntChoice {
	return { type: 'fixed', value };
}

function checkSize(
	field: SizeField,
	value: RawCompute[SizeField],
	report: Reporter,
	limits?: readonly [number, number]
): IntChoice | undefined {
	const choice = intChoice(value);
	if (!choice) return undefined;
	const [low, high] = limits ?? SIZE_LIMITS[field];
	const values = choiceValues(choice);
	if (values.length === 0 || values.some((v) => v < low || v > high)) {
		report.at(
			['compute', field],
			`"compute.${field}" must stay within ${low}..${high} (a range is [min, max])`
		);
	}
	return choice;
}

function tokenRef(
	field: 'query' | 'key',
	value: string | number,
	inputs: RawCompute['inputs'],
	minTokens: number,
	report: Reporter
): TokenRef {
	if (value === 'random') return { type: 'random' };
	if (typeof value === 'number') {
		if (value < 1 || value > minTokens) {
			report.at(
				['compute', field],
				`"compute.${field}" position ${value} is outside 1..${minTokens}`
			);
		}
		return { type: 'position', position: value };
	}
	const index = BOOK_TOKENS.findIndex((word) => word.toLowerCase() === value.toLowerCase());
	if (inputs !== 'book' || index === -1) {
		report.at(
			['compute', field],
			`"compute.${field}" must be "random", a 1-based position or one of the book's words (${BOOK_TOKENS.join(', ')}) with inputs: book`
		);
	}
	return { type: 'word', word: BOOK_TOKENS[Math.max(0, index)] };
}

function weights(raw: RawCompute['weights']): ComputeSpec['weights'] {
	if (raw === 'random') return { type: 'shown' };
	if (raw === undefined || raw === 'book') {
		return { type: 'seeded', init: 'rand', seed: { type: 'fixed', value: BOOK_SEED } };
	}
	const seed =
		raw.seed === 'random'
			? { type: 'random' as const }
			: { type: 'fixed' as const, value: raw.seed };
	return { type: 'seeded', init: raw.init, seed };
}

function checkDropout(choice: NumberChoice, report: Reporter): NumberChoice {
	const values = choice.type === 'fixed' ? [choice.value] : choice.values;
	if (values.some((p) => !(p >= 0 && p < 1))) {
		report.at(['compute', 'dropout'], '"compute.dropout" must be a rate p with 0 <= p < 1');
	}
	return choice;
}

function checkModule(
	module: NonNullable<RawCompute['module']>,
	target: string,
	report: Reporter
): ComputeSpec['module'] {
	// every module has parameters to count; only the batched ones have a 3-D output shape
	if (target === 'parameter-count') return module;
	if (!(BATCHED_MODULES as readonly string[]).includes(module)) {
		report.at(
			['compute', 'module'],
			`"compute.module" must be one of ${BATCHED_MODULES.join(', ')}`
		);
	}
	return module;
}

/**
 * The variant must exist and be run by this target; the fields it reads (dropout and seed for
 * `dropout-not-rescaled`) are required, and the target's other optional ones are not used.
 */
function checkVariant(
	raw: RawCompute,
	target: string,
	report: Reporter
): ComputeSpec['variant'] | undefined {
	const name = raw.variant ?? '';
	const runnable = runnableVariants(target as 'buggy-weights' | 'buggy-mha');
	if (!isVariantName(name) || !runnable.includes(name)) {
		report.at(
			['compute', 'variant'],
			`"compute.variant" must be one of ${runnable.join(', ')} with target "${target}"`
		);
		return undefined;
	}
	const info: VariantInfo = VARIANTS[name];
	const reads = info.reads ?? [];
	for (const field of ['dropout', 'seed'] as const) {
		if (target !== 'buggy-weights') break;
		if (reads.includes(field) && raw[field] === undefined) {
			report.at(['compute'], `variant "${name}" needs "compute.${field}"`, true);
		}
		if (!reads.includes(field) && raw[field] !== undefined) {
			report.at(['compute', field], `"compute.${field}" is not used by variant "${name}"`, true);
		}
	}
	return name;
}

/** Counting parameters builds the module: keep it small enough to draw in a moment. */
function checkCountedSize(spec: ComputeSpec, setsHeads: boolean, report: Reporter): void {
	const module = spec.module ?? 'MultiHeadAttention';
	const d = Math.max(...choiceValues(spec.d_out ?? fixed(2)));
	const h = Math.max(...choiceValues(spec.num_heads ?? fixed(2)));
	const weights =
		module === 'MultiHeadAttention'
			? 4 * d * d
			: module === 'MultiHeadAttentionWrapper'
				? 3 * h * d * d
				: 3 * d * d;
	if (weights > MAX_COUNTED_WEIGHTS) {
		report.at(
			['compute'],
			`${module} with d_out = ${d}${module === 'MultiHeadAttentionWrapper' ? ` and ${h} heads` : ''} has ${weights} weights; at most ${MAX_COUNTED_WEIGHTS} can be counted`,
			true
		);
	}
	const heads = module === 'MultiHeadAttention' || module === 'MultiHeadAttentionWrapper';
	if (!heads && setsHeads) {
		report.at(['compute', 'num_heads'], `"compute.num_heads" is not used by ${module}`, true);
	}
}

/** Targets whose module splits d_out into heads. */
const SPLITS_HEADS = ['multi-head-attention', 'mha-shape', 'buggy-mha'];

/** `MultiHeadAttention` splits d_out into num_heads heads: every pair the question can draw must divide. */
function checkHeads(spec: ComputeSpec, report: Reporter): void {
	const splits = SPLITS_HEADS.includes(spec.target) || spec.module === 'MultiHeadAttention';
	if (!splits || !spec.d_out || !spec.num_heads) return;
	for (const d_out of choiceValues(spec.d_out)) {
		for (const heads of choiceValues(spec.num_heads)) {
			if (d_out % heads !== 0) {
				report.at(['compute'], `d_out = ${d_out} is not divisible by num_heads = ${heads}`, true);
				return;
			}
		}
	}
}

function normalizeDim(dim: string | number): string {
	return String(dim).replace(/\s+/g, '');
}

export function checkShape(
	kind: EngineKind,
	spec: ComputeSpec,
	declared: (string | number)[] | undefined,
	report: Reporter
): Dim[] {
	const computed = targetShape(spec) as readonly Dim[];
	const rank = { number: 0, vector: 1, matrix: 2 }[kind];
	const shown = `[${computed.join(', ')}]`;
	if (computed.length !== rank) {
		report.at(
			['kind'],
			`kind ${kind} does not fit target "${spec.target}", which computes shape ${shown}`
		);
		return [...computed];
	}
	if (declared === undefined) {
		if (rank > 0)
			report.atLine(
				report.openingLine,
				`missing "shape" (target "${spec.target}" computes ${shown})`
			);
		return [...computed];
	}
	const same =
		declared.length === computed.length &&
		declared.every((dim, i) => normalizeDim(dim) === normalizeDim(computed[i]));
	if (!same) {
		report.at(
			['shape'],
			`shape [${declared.join(', ')}] does not match target "${spec.target}", which computes ${shown}`
		);
	}
	return [...computed];
}

/** Fields that choose what is computed; the prompt says them in words, so they are no placeholders. */
const NOT_PLACEHOLDERS: readonly string[] = ['weights', 'step', 'variant', 'qkv_bias'];

/** Placeholders an engine-checked prompt may use; compute.ts fills them in per attempt. */
export function placeholderNames(spec: ComputeSpec): string[] {
	const fromParams = TARGETS[spec.target].params.filter(
		(param) => !NOT_PLACEHOLDERS.includes(param)
	);
	return ['tokens', 'd_in', ...fromParams];
}

export function checkPlaceholders(prompt: string, spec: ComputeSpec, report: Reporter): void {
	const allowed = placeholderNames(spec);
	for (const name of markerNames(prompt)) {
		if (!allowed.includes(name)) {
			report.at(
				['prompt'],
				`unknown placeholder {{${name}}} (this question can use ${allowed.map((n) => `{{${n}}}`).join(', ')})`
			);
		}
	}
}
