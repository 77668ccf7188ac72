/**
 * Deck markdown to the HTML of an Anki field. Anki typesets math with MathJax, so `$…$` becomes
 * `\(…\)` and `$$…$$` becomes `\[…\]` (the TeX itself is the one KaTeX reads: the decks use only
 * what both understand). Code is plain `<pre><code>`: Anki has no highlight.js styles.
 */

import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../content/markdown.js';
import { mathExtensions } from '../content/math-syntax.js';

/** MathJax delimiters; the TeX is HTML-escaped (`<` in a formula), MathJax reads the text. */
export function mathJax(tex: string, display: boolean): string {
	const body = escapeHtml(tex.trim());
	return display ? `\\[${body}\\]` : `\\(${body}\\)`;
}

const marked = new Marked({
	async: false,
	gfm: true,
	extensions: mathExtensions(({ tex, display }) => mathJax(tex, display)),
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
