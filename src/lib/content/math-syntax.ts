/**
 * The math syntax of the decks for marked: `$…$` inline, `$$…$$` inline display, and a `$$` block.
 * One tokenizer for every output: the lessons render the formulas with KaTeX (markdown.ts), the
 * Anki export with MathJax delimiters (anki/html.ts).
 */

import type { TokenizerAndRendererExtension, Tokens } from 'marked';

export interface MathToken extends Tokens.Generic {
	type: 'math';
	raw: string;
	tex: string;
	display: boolean;
}

/** `$$` on a line of its own, the formula, `$$` on a line of its own. */
export const BLOCK_MATH = /^\$\$[ \t]*\n([\s\S]+?)\n[ \t]*\$\$[ \t]*(?:\n+|$)/;
export const INLINE_DISPLAY_MATH = /^\$\$(?!\$)([\s\S]+?)\$\$/;
/**
 * `$x$`: no space just inside the dollars and no digit right after the closing one, so prices such
 * as "$5 and $10" stay text (pandoc's rule).
 */
export const INLINE_MATH = /^\$(?![\s$])((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$(?!\d)/;

function mathToken(raw: string, tex: string, display: boolean): MathToken {
	return { type: 'math', raw, tex: tex.trim(), display };
}

/**
 * The block and inline math extensions, both rendered by `render` (marked keeps one renderer per
 * extension name, so both carry the same one).
 */
export function mathExtensions(
	render: (token: MathToken) => string
): TokenizerAndRendererExtension[] {
	const renderer = (token: Tokens.Generic) => render(token as MathToken);
	return [
		{
			name: 'math',
			level: 'block',
			start: (src) => src.match(/^\$\$/m)?.index,
			tokenizer(src) {
				const match = BLOCK_MATH.exec(src);
				return match ? mathToken(match[0], match[1], true) : undefined;
			},
			renderer
		},
		{
			name: 'math',
			level: 'inline',
			start(src) {
				const index = src.indexOf('$');
				return index === -1 ? undefined : index;
			},
			tokenizer(src) {
				const display = INLINE_DISPLAY_MATH.exec(src);
				if (display) return mathToken(display[0], display[1], true);
				const inline = INLINE_MATH.exec(src);
				return inline ? mathToken(inline[0], inline[1], false) : undefined;
			},
			renderer
		}
	];
}
