/**
 * Deck markdown to the HTML of an Anki field. Anki typesets math with MathJax, so `$…$` becomes
 * `\(…\)` and `$$…$$` becomes `\[…\]` (the TeX itself is the one KaTeX reads: the decks use only
 * what both understand). Code is plain `<pre><code>`: Anki has no highlight.js styles.
 */

import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import { BLOCK_MATH, INLINE_DISPLAY_MATH, INLINE_MATH, escapeHtml } from '../content/markdown.js';

interface MathToken extends Tokens.Generic {
	type: 'math';
	raw: string;
	tex: string;
	display: boolean;
}

function mathToken(raw: string, tex: string, display: boolean): MathToken {
	return { type: 'math', raw, tex: tex.trim(), display };
}

/** MathJax delimiters; the TeX is HTML-escaped (`<` in a formula), MathJax reads the text. */
export function mathJax(tex: string, display: boolean): string {
	const body = escapeHtml(tex.trim());
	return display ? `\\[${body}\\]` : `\\(${body}\\)`;
}

/** One renderer for both (marked keeps one per extension name): `\[…\]` stands alone as a block. */
function renderMath(token: Tokens.Generic): string {
	const { tex, display } = token as MathToken;
	return mathJax(tex, display);
}

const blockMath: TokenizerAndRendererExtension = {
	name: 'math',
	level: 'block',
	start: (src) => src.match(/^\$\$/m)?.index,
	tokenizer(src) {
		const match = BLOCK_MATH.exec(src);
		return match ? mathToken(match[0], match[1], true) : undefined;
	},
	renderer: renderMath
};

const inlineMath: TokenizerAndRendererExtension = {
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
	renderer: renderMath
};

const marked = new Marked({
	async: false,
	gfm: true,
	extensions: [blockMath, inlineMath],
	renderer: {
		code: ({ text }: Tokens.Code) => `<pre><code>${escapeHtml(text)}</code></pre>\n`
	}
});

/** Block markdown (paragraphs, lists, tables, code, math) to field HTML. */
export function fieldHtml(md: string): string {
	return marked.parse(md, { async: false }).trim();
}

/** Inline markdown (an option, a cloze sentence) to field HTML without a paragraph. */
export function inlineFieldHtml(md: string): string {
	return marked.parseInline(md, { async: false }).trim();
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	'#39': "'",
	nbsp: ' '
};

/**
 * A field as Anki's sort field and duplicate check read it: tags removed, entities decoded, trimmed
 * (Anki's `strip_html_preserving_media_filenames`; these fields hold no media).
 */
export function stripHtml(html: string): string {
	return html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, '')
		.replace(/<[^>]*>/g, '')
		.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name])
		.trim();
}
