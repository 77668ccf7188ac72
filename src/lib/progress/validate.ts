/**
 * zod schemas (zod/mini: the same engine, tree-shaken to what these schemas use, so that study
 * pages that record answers stay small) for everything that enters the database from outside: answers recorded by the app,
 * settings, experiment runs, and each part of a backup file (log rows from a backup or another
 * device: validate-rows.ts, apart so that the study pages do not load it). Ids must be printable (rejected
 * otherwise: cleaning an id could make it collide with another); free text is cleaned and capped.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import {
	DEFAULT_RETENTION,
	isValidTimeZone,
	RETENTION_LIMITS,
	systemTimeZone
} from '../scheduler/index.js';
import { savedRunSummarySchema } from './run-summary.js';
import type { Settings } from './schema.js';
import { cleanText, MAX_ID_LENGTH, MAX_MISCONCEPTION_LENGTH, MAX_TEXT_LENGTH } from './text.js';

// zod/mini ships without messages ("Invalid input"); the English ones name what was expected
z.config(en());

/** Times before 2000 or after 2200 are not plausible answers; they are rejected. */
export const MIN_TIME = Date.UTC(2000, 0, 1);
export const MAX_TIME = Date.UTC(2200, 0, 1);
/** An answer taking longer than a day is recorded as a day. */
export const MAX_DURATION_MS = 86_400_000;

// eslint-disable-next-line no-control-regex
export const PRINTABLE_ID = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]+$/;

export const idSchema = z
	.string()
	.check(
		z.minLength(1),
		z.maxLength(MAX_ID_LENGTH),
		z.regex(PRINTABLE_ID, 'must not contain control or bidi characters')
	);

/** A diagnosed misconception's id (`no-scaling`): printable like the other ids, and short. */
export const misconceptionSchema = z
	.string()
	.check(
		z.minLength(1),
		z.maxLength(MAX_MISCONCEPTION_LENGTH),
		z.regex(PRINTABLE_ID, 'must not contain control or bidi characters')
	);

/** An integer from min to max. */
export const integer = (min: number, max: number) => z.int().check(z.gte(min), z.lte(max));

export const timeSchema = integer(MIN_TIME, MAX_TIME);

/** What the app passes to `recordReview`. */
export const reviewInputSchema = z.object({
	id: z.optional(idSchema),
	cardId: idSchema,
	deckId: idSchema,
	time: timeSchema,
	rating: z.literal([1, 2, 3, 4]),
	correct: z.optional(z.nullable(z.boolean())),
	rawAnswer: z.optional(z.string()),
	seed: z.optional(z.nullable(z.int())),
	durationMs: z.optional(z.number().check(z.gte(0))),
	/** The misconception the quiz engine diagnosed in this answer, if any. */
	misconception: z.optional(misconceptionSchema)
});

export type ReviewInput = z.input<typeof reviewInputSchema>;

/** The bounds of the numeric settings: `settingsSchema` checks them, the settings form shows them. */
export const SETTINGS_LIMITS = {
	dailyNewLimit: { min: 0, max: 1000 },
	dailyReviewLimit: { min: 0, max: 10_000 },
	dayStartHour: { min: 0, max: 23 }
} as const;

const wholeNumber = ({ min, max }: { min: number; max: number }) => integer(min, max);

/**
 * The settings. Unknown fields are dropped, not rejected: rows and backups written before the theme
 * moved to localStorage still hold a `theme`.
 */
export const settingsSchema = z.object({
	dailyNewLimit: wholeNumber(SETTINGS_LIMITS.dailyNewLimit),
	dailyReviewLimit: wholeNumber(SETTINGS_LIMITS.dailyReviewLimit),
	dayStartHour: wholeNumber(SETTINGS_LIMITS.dayStartHour),
	timeZone: z
		.string()
		.check(z.minLength(1), z.maxLength(100), z.refine(isValidTimeZone, 'unknown IANA time zone')),
	// settings saved before it existed (rows, backups, other devices' sync documents) lack it
	desiredRetention: z._default(
		z
			.number()
			.check(z.gte(RETENTION_LIMITS.min), z.lte(RETENTION_LIMITS.max), z.refine(isHundredth)),
		DEFAULT_RETENTION
	)
});

/** Retention is chosen in steps of 0.01 (the slider's): 0.905 is not a setting. */
function isHundredth(value: number): boolean {
	return Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
}

export function defaultSettings(): Settings {
	return {
		dailyNewLimit: 10,
		dailyReviewLimit: 100,
		dayStartHour: 4,
		timeZone: systemTimeZone(),
		desiredRetention: DEFAULT_RETENTION
	};
}

/**
 * Settings from any stored or imported value: each valid field kept, each other one defaulted, and
 * fields that are not settings (such as an old `theme`) left out.
 */
export function normalizeSettings(raw: unknown): Settings {
	const result = defaultSettings();
	if (!raw || typeof raw !== 'object') return result;
	const source = raw as Record<string, unknown>;
	for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
		const parsed = settingsSchema.shape[key].safeParse(source[key]);
		if (parsed.success) (result as unknown as Record<string, unknown>)[key] = parsed.data;
	}
	return result;
}

const MAX_JSON_DEPTH = 8;
const MAX_JSON_KEYS = 1000;
const MAX_JSON_ITEMS = 100_000;

/**
 * A copy of a JSON value with every string cleaned and capped, numbers finite, depth and sizes
 * limited, and `__proto__` keys dropped. Throws on anything else.
 */
export function cleanJson(value: unknown, depth = 0): unknown {
	if (value === null || typeof value === 'boolean') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error('non-finite number');
		return value;
	}
	if (typeof value === 'string') return cleanText(value, MAX_TEXT_LENGTH);
	if (depth >= MAX_JSON_DEPTH) throw new Error('nested too deeply');
	if (Array.isArray(value)) {
		if (value.length > MAX_JSON_ITEMS) throw new Error('array too long');
		return value.map((item) => cleanJson(item, depth + 1));
	}
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length > MAX_JSON_KEYS) throw new Error('too many keys');
		return Object.fromEntries(
			entries
				.filter(([key]) => key !== '__proto__')
				.map(([key, item]) => [cleanText(key, MAX_ID_LENGTH), cleanJson(item, depth + 1)])
		);
	}
	throw new Error(`unsupported value of type ${typeof value}`);
}

const jsonObjectSchema = z.pipe(
	z.record(z.string(), z.unknown()),
	z.transform((value, ctx) => {
		try {
			return cleanJson(value) as Record<string, unknown>;
		} catch (error) {
			ctx.issues.push({ code: 'custom', message: (error as Error).message, input: value });
			return z.NEVER;
		}
	})
);

export const experimentRunSchema = z.object({
	id: idSchema,
	time: timeSchema,
	config: jsonObjectSchema,
	summary: z.pipe(jsonObjectSchema, savedRunSummarySchema)
});

/** A `cards` cache row in a backup: checked, then ignored (caches are rebuilt by replay). */
export const cardRowSchema = z.object({
	cardId: idSchema,
	deckId: z.string().check(z.maxLength(MAX_ID_LENGTH)),
	due: z.number(),
	stability: z.number(),
	difficulty: z.number(),
	elapsedDays: z.number(),
	scheduledDays: z.number(),
	learningSteps: z.number(),
	reps: z.number(),
	lapses: z.number(),
	state: integer(0, 3),
	lastReview: z.nullable(z.number()),
	firstReview: z.number(),
	answers: z.number(),
	logHead: z.optional(z.string().check(z.maxLength(MAX_ID_LENGTH)))
});

/** "field: message" for the first few problems of a failed parse (`prefix` goes before fields). */
export function describeIssues(
	error: { issues: readonly { path: PropertyKey[]; message: string }[] },
	limit = 3,
	prefix = ''
): string {
	return error.issues
		.slice(0, limit)
		.map((issue) => {
			const path = issue.path.map(String).join('.');
			return `${prefix}${prefix && path ? '.' : ''}${path || (prefix ? '' : '(value)')}: ${issue.message}`;
		})
		.join('; ');
}
