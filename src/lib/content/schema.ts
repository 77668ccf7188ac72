/**
 * zod schemas for the YAML of decks: front matter and the body of each ```quiz block. Checks that
 * need more than one field (cloze markers, targets, shapes) live in `question.ts`.
 */

import { z } from 'zod';
import { MODULE_NAMES } from '../engine/index.js';
import { MHA_STEP_NAMES } from './targets.js';

const text = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });
const wholeNumber = z.int({ error: 'must be a whole number' });

/** Ids are kebab-case so they read well in URLs and progress exports. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const id = text.regex(ID_PATTERN, { error: 'must be kebab-case: a-z, 0-9 and single dashes' });

export const frontMatterSchema = z.strictObject({
	id,
	title: text,
	order: wholeNumber.min(0, { error: 'must be 0 or more' }),
	summary: text,
	section: z
		.union([z.string(), z.number()], { error: 'must be text such as "3.3.1"' })
		.transform(String)
		.pipe(text)
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

const tags = z.array(text, { error: 'must be a list of words' }).optional();

const common = { id, kind: z.string(), explanation: text, tags };

export const flashcardSchema = z.strictObject({ ...common, front: text, back: text });

const option = z.strictObject({
	text,
	correct: z.boolean({ error: 'must be true or false' }).default(false),
	explanation: text
});

export const multipleChoiceSchema = z.strictObject({
	...common,
	prompt: text,
	options: z.array(option, { error: 'must be a list of options' }).min(2, {
		error: 'needs at least 2 options'
	}),
	multiple: z.boolean({ error: 'must be true or false' }).optional()
});

const clozeAnswer = z
	.union([z.string(), z.number()], { error: 'must be text' })
	.transform(String)
	.pipe(text);

export const clozeSchema = z.strictObject({
	...common,
	prompt: text,
	text,
	blanks: z.record(
		z.string(),
		z.union([clozeAnswer.transform((answer) => [answer]), z.array(clozeAnswer).min(1)], {
			error: 'must be an accepted answer or a list of them'
		}),
		{ error: 'must map each blank name to its accepted answers' }
	),
	case_sensitive: z.boolean({ error: 'must be true or false' }).default(false)
});

const intChoice = z.union(
	[
		wholeNumber,
		z.tuple([wholeNumber, wholeNumber]),
		z.strictObject({ one_of: z.array(wholeNumber).min(1) })
	],
	{ error: 'must be a whole number, a range [min, max] or { one_of: [...] }' }
);

const seed = z.union([wholeNumber, z.literal('random')], {
	error: 'must be a whole number or "random"'
});

export const computeSchema = z.strictObject({
	target: z.string({ error: 'must be the name of a compute target' }),
	inputs: z
		.enum(['book', 'random', 'one-hot'], { error: 'must be book, random or one-hot' })
		.default('book'),
	tokens: intChoice.optional(),
	d_in: intChoice.optional(),
	query: z
		.union([z.string(), wholeNumber], { error: 'must be a word, a position or "random"' })
		.optional(),
	key: z
		.union([z.string(), wholeNumber], { error: 'must be a word, a position or "random"' })
		.optional(),
	weights: z
		.union(
			[z.enum(['book', 'random']), z.strictObject({ init: z.enum(['rand', 'linear']), seed })],
			{ error: 'must be book, random or { init: rand | linear, seed: ... }' }
		)
		.optional(),
	seed: seed.optional(),
	d_out: intChoice.optional(),
	num_heads: intChoice.optional(),
	batch: intChoice.optional(),
	dropout: z
		.union([z.number(), z.strictObject({ one_of: z.array(z.number()).min(1) })], {
			error: 'must be a number or { one_of: [...] }'
		})
		.optional(),
	mask_value: z.number({ error: 'must be a number' }).optional(),
	module: z.enum(MODULE_NAMES, { error: `must be one of ${MODULE_NAMES.join(', ')}` }).optional(),
	step: z.enum(MHA_STEP_NAMES, { error: `must be one of ${MHA_STEP_NAMES.join(', ')}` }).optional(),
	variant: z.string({ error: 'must be the name of a buggy variant' }).optional(),
	qkv_bias: z.boolean({ error: 'must be true or false' }).optional()
});
export type RawCompute = z.infer<typeof computeSchema>;

export const engineSchema = z.strictObject({
	...common,
	prompt: text,
	compute: computeSchema,
	shape: z
		.array(z.union([wholeNumber, z.string()]), { error: 'must be a list of sizes' })
		.optional(),
	decimals: wholeNumber
		.min(0, { error: 'must be between 0 and 6' })
		.max(6, { error: 'must be between 0 and 6' })
});

/** A zod issue as the deck's author should read it, without file and line. */
export interface SchemaProblem {
	path: (string | number)[];
	/** Set for unknown fields: the message points at the key, not its value. */
	atKey: boolean;
	missing: boolean;
	message: string;
}

export function pathText(path: readonly (string | number)[]): string {
	return path.reduce<string>(
		(text, part) =>
			typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part,
		''
	);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
	let value = data;
	for (const part of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<PropertyKey, unknown>)[part];
	}
	return value;
}

/** Readable problems from a failed parse; `data` is what was parsed (to tell missing from wrong). */
export function schemaProblems(error: z.ZodError, data: unknown): SchemaProblem[] {
	return error.issues.flatMap((issue): SchemaProblem[] => {
		const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({
				path: [...path, key],
				atKey: true,
				missing: false,
				message: `unknown field "${pathText([...path, key])}"`
			}));
		}
		if (valueAt(data, path) === undefined) {
			return [{ path, atKey: true, missing: true, message: `missing "${pathText(path)}"` }];
		}
		return [
			{ path, atKey: false, missing: false, message: `"${pathText(path)}" ${issue.message}` }
		];
	});
}
