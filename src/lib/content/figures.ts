/**
 * Figures in a lesson: a fenced ```figure block whose YAML body names a picture the app computes with
 * the engine (never drawn by hand), e.g.
 *
 *     ```figure
 *     kind: context-vector
 *     query: journey
 *     caption: The context vector of "journey" is a weighted sum of all six inputs.
 *     ```
 *
 * Every kind and its fields are documented in `content/README.md` ("Figures").
 */
import { parse } from 'yaml';
import { ContentError, type ContentIssue } from './errors.js';
import { BOOK_TOKENS } from '../engine/index.js';
import { runnableVariants, type VariantName } from './variants.js';

/** The factors the `softmax-scale` slider multiplies the scores by. */
export const SOFTMAX_SCALES = [0.25, 0.5, 1, 2, 4, 8, 16, 32] as const;

export type FigureSpec =
	| {
			kind: 'attention-weights';
			mask: 'none' | 'causal';
			/** `inputs`: `softmax(inputs @ inputs.T)` (§3.3); `self-attention-v2`: the §3.5.1 example. */
			from: 'inputs' | 'self-attention-v2';
			caption: string;
	  }
	| { kind: 'context-vector'; query: string; caption: string }
	| { kind: 'dot-product'; query: string; key: string; caption: string }
	| { kind: 'projection'; query: string; caption: string }
	| {
			kind: 'softmax-scale';
			/** Scores given in the block, or null for the book's scores of `query`. */
			scores: number[] | null;
			query: string;
			/** The slider's starting factor, one of `SOFTMAX_SCALES`. */
			scale: number;
			caption: string;
	  }
	| { kind: 'shift'; caption: string }
	| {
			kind: 'dropout-mask';
			p: number;
			seed: number;
			input: 'ones' | 'causal-weights';
			caption: string;
	  }
	| { kind: 'head-split'; d_out: number; num_heads: number; caption: string }
	| { kind: 'bug-compare'; variant: VariantName; caption: string };

export type FigureKind = FigureSpec['kind'];

export type MarkdownPiece =
	{ type: 'markdown'; markdown: string } | { type: 'figure'; figure: FigureSpec };

/** The fields of each kind (besides `kind` and `caption`). */
export const FIGURE_FIELDS: Record<FigureKind, readonly string[]> = {
	'attention-weights': ['mask', 'from'],
	'context-vector': ['query'],
	'dot-product': ['query', 'key'],
	projection: ['query'],
	'softmax-scale': ['scores', 'query', 'scale'],
	shift: [],
	'dropout-mask': ['p', 'seed', 'input'],
	'head-split': ['d_out', 'num_heads'],
	'bug-compare': ['variant']
};

export const FIGURE_KINDS = Object.keys(FIGURE_FIELDS) as FigureKind[];

const FENCE = /^```figure[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

type Problem = (message: string) => never;

function word(raw: Record<string, unknown>, field: string, fallback: string, problem: Problem) {
	const value = String(raw[field] ?? fallback);
	if (!(BOOK_TOKENS as readonly string[]).includes(value)) {
		problem(`figure: ${field} must be one of ${BOOK_TOKENS.join(', ')}`);
	}
	return value;
}

function oneOf<T extends string>(
	raw: Record<string, unknown>,
	field: string,
	values: readonly T[],
	problem: Problem
): T {
	const value = raw[field] ?? values[0];
	if (!values.includes(value as T)) {
		problem(`figure: ${field} must be ${values.map((v) => `"${v}"`).join(' or ')}`);
	}
	return value as T;
}

function whole(
	raw: Record<string, unknown>,
	field: string,
	fallback: number,
	[low, high]: [number, number],
	problem: Problem
): number {
	const value = raw[field] ?? fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
		problem(`figure: ${field} must be a whole number from ${low} to ${high}`);
	}
	return value as number;
}

function scoresOf(raw: Record<string, unknown>, problem: Problem): number[] | null {
	if (raw.scores === undefined) return null;
	const scores = raw.scores;
	if (
		!Array.isArray(scores) ||
		scores.length < 2 ||
		scores.length > 8 ||
		!scores.every((s) => typeof s === 'number' && Number.isFinite(s))
	) {
		problem('figure: scores must be a list of 2 to 8 numbers');
	}
	if (raw.query !== undefined) problem('figure: give either scores or query, not both');
	return scores as number[];
}

function figureFrom(body: unknown, problem: Problem): FigureSpec {
	if (typeof body !== 'object' || body === null) problem('a figure needs "kind:" and "caption:"');
	const raw = body as Record<string, unknown>;
	const caption = raw.caption;
	if (typeof caption !== 'string' || !caption.trim()) problem('figure: missing caption');
	const kind = String(raw.kind) as FigureKind;
	if (!Object.hasOwn(FIGURE_FIELDS, kind)) {
		problem(`figure: unknown kind "${kind}" (expected one of ${FIGURE_KINDS.join(', ')})`);
	}
	const allowed = ['kind', 'caption', ...FIGURE_FIELDS[kind]];
	const extra = Object.keys(raw).filter((key) => !allowed.includes(key));
	if (extra.length) problem(`figure: unknown field "${extra[0]}"`);
	switch (kind) {
		case 'attention-weights':
			return {
				kind,
				mask: oneOf(raw, 'mask', ['none', 'causal'] as const, problem),
				from: oneOf(raw, 'from', ['inputs', 'self-attention-v2'] as const, problem),
				caption
			};
		case 'context-vector':
		case 'projection':
			return { kind, query: word(raw, 'query', 'journey', problem), caption };
		case 'dot-product':
			return {
				kind,
				query: word(raw, 'query', 'journey', problem),
				key: word(raw, 'key', 'starts', problem),
				caption
			};
		case 'softmax-scale': {
			const scores = scoresOf(raw, problem);
			const scale = raw.scale ?? 1;
			if (!(SOFTMAX_SCALES as readonly unknown[]).includes(scale)) {
				problem(`figure: scale must be one of ${SOFTMAX_SCALES.join(', ')}`);
			}
			return {
				kind,
				scores,
				query: word(raw, 'query', 'journey', problem),
				scale: scale as number,
				caption
			};
		}
		case 'shift':
			return { kind, caption };
		case 'dropout-mask': {
			const p = raw.p ?? 0.5;
			if (typeof p !== 'number' || !(p > 0 && p < 1)) {
				problem('figure: p must be a rate with 0 < p < 1');
			}
			return {
				kind,
				p: p as number,
				seed: whole(raw, 'seed', 123, [0, 2 ** 32 - 1], problem),
				input: oneOf(raw, 'input', ['ones', 'causal-weights'] as const, problem),
				caption
			};
		}
		case 'head-split': {
			const d_out = whole(raw, 'd_out', 4, [2, 8], problem);
			const num_heads = whole(raw, 'num_heads', 2, [1, 4], problem);
			if (d_out % num_heads !== 0) {
				problem(`figure: d_out = ${d_out} is not divisible by num_heads = ${num_heads}`);
			}
			return { kind, d_out, num_heads, caption };
		}
		default: {
			const runnable = runnableVariants();
			const variant = String(raw.variant);
			if (!(runnable as string[]).includes(variant)) {
				problem(`figure: variant must be one of ${runnable.join(', ')}`);
			}
			return { kind: 'bug-compare', variant: variant as VariantName, caption };
		}
	}
}

/**
 * Splits lesson markdown (starting at `line` of `file`) around its figure blocks.
 * @throws ContentError `file:line: ...` for a malformed figure block.
 */
export function splitFigures(markdown: string, file: string, line: number): MarkdownPiece[] {
	const pieces: MarkdownPiece[] = [];
	let last = 0;
	for (const match of markdown.matchAll(FENCE)) {
		const at = line + markdown.slice(0, match.index).split('\n').length - 1;
		const problem = (message: string): never => {
			throw new ContentError([{ file, line: at, message } satisfies ContentIssue]);
		};
		let body: unknown;
		try {
			body = parse(match[1]);
		} catch (error) {
			problem(
				`figure: invalid YAML (${error instanceof Error ? error.message.split('\n')[0] : error})`
			);
		}
		const before = markdown.slice(last, match.index);
		if (before.trim()) pieces.push({ type: 'markdown', markdown: before });
		pieces.push({ type: 'figure', figure: figureFrom(body, problem) });
		last = match.index + match[0].length;
	}
	const rest = markdown.slice(last);
	if (rest.trim()) pieces.push({ type: 'markdown', markdown: rest });
	return pieces;
}

/** The figures of a lesson's markdown parts, in order (for counting; malformed ones throw). */
export function lessonFigures(
	parts: readonly { type: string; markdown?: string; line?: number }[],
	file: string
): FigureSpec[] {
	return parts.flatMap((part) =>
		part.type === 'markdown' && part.markdown !== undefined
			? splitFigures(part.markdown, file, part.line ?? 1).flatMap((piece) =>
					piece.type === 'figure' ? [piece.figure] : []
				)
			: []
	);
}
