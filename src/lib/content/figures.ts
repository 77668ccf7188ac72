/**
 * Figures in a lesson: a fenced ```figure block whose YAML body names a picture the app computes with
 * the engine (never drawn by hand), e.g.
 *
 *     ```figure
 *     kind: context-vector
 *     query: journey
 *     caption: The context vector of "journey" is a weighted sum of all six inputs.
 *     ```
 */
import { parse } from 'yaml';
import { ContentError, type ContentIssue } from './errors.js';
import { BOOK_TOKENS } from '../engine/index.js';

export type FigureSpec =
	| { kind: 'attention-weights'; mask: 'none' | 'causal'; caption: string }
	| { kind: 'context-vector'; query: string; caption: string };

export type MarkdownPiece =
	{ type: 'markdown'; markdown: string } | { type: 'figure'; figure: FigureSpec };

const FENCE = /^```figure[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

function figureFrom(body: unknown, problem: (message: string) => never): FigureSpec {
	if (typeof body !== 'object' || body === null) problem('a figure needs "kind:" and "caption:"');
	const raw = body as Record<string, unknown>;
	const caption = raw.caption;
	if (typeof caption !== 'string' || !caption.trim()) problem('figure: missing caption');
	const allowed: Record<string, string[]> = {
		'attention-weights': ['kind', 'mask', 'caption'],
		'context-vector': ['kind', 'query', 'caption']
	};
	const kind = String(raw.kind);
	if (!(kind in allowed)) {
		problem(`figure: unknown kind "${kind}" (expected ${Object.keys(allowed).join(' or ')})`);
	}
	const extra = Object.keys(raw).filter((key) => !allowed[kind].includes(key));
	if (extra.length) problem(`figure: unknown field "${extra[0]}"`);
	if (kind === 'attention-weights') {
		const mask = raw.mask ?? 'none';
		if (mask !== 'none' && mask !== 'causal') problem('figure: mask must be "none" or "causal"');
		return { kind, mask, caption };
	}
	const query = String(raw.query ?? 'journey');
	if (!(BOOK_TOKENS as readonly string[]).includes(query)) {
		problem(`figure: query must be one of ${BOOK_TOKENS.join(', ')}`);
	}
	return { kind: 'context-vector', query, caption };
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
