/**
 * Markdown to (unsanitised) HTML: marked with KaTeX math and highlight.js code, all synchronous and
 * DOM-free, so it runs in Node at build time and in the browser. `render.ts` sanitises the result.
 */

import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import katex from 'katex';
import { Marked, type Tokens } from 'marked';
import { mathExtensions, type MathToken } from './math-syntax.js';

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('javascript', javascript);
hljs.registerLanguage('json', json);
hljs.registerLanguage('plaintext', plaintext);
hljs.registerLanguage('python', python);
hljs.registerLanguage('typescript', typescript);

/**
 * Bounds on one formula, so that a deck cannot make the build (or a learner's browser, which
 * renders worked solutions) typeset something huge: the TeX source length, KaTeX's macro
 * expansions (`\def` can expand exponentially; KaTeX's default allows 1000) and any size a formula
 * asks for (`\rule{1000em}{1000em}` is drawn at `maxSize` em). The longest formula of the decks is
 * about 200 characters and needs a handful of expansions.
 */
export const MAX_TEX_CHARS = 2000;
export const KATEX_LIMITS = { maxSize: 20, maxExpand: 200, trust: false } as const;

function tooLong(tex: string): string | null {
	return tex.length > MAX_TEX_CHARS
		? `the formula is ${tex.length} characters long; at most ${MAX_TEX_CHARS} are allowed`
		: null;
}

function renderMath(token: MathToken): string {
	const problem = tooLong(token.tex);
	if (problem) {
		// the build rejects such a deck (findMathProblems); text rendered later shows the problem
		return `<span class="katex-error" title="${escapeHtml(problem)}">${escapeHtml(token.raw.slice(0, 80))}…</span>`;
	}
	const html = katex.renderToString(token.tex, {
		...KATEX_LIMITS,
		displayMode: token.display,
		throwOnError: false,
		output: 'htmlAndMathml'
	});
	return token.display && token.raw.startsWith('$$\n') ? `${html}\n` : html;
}

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `tabindex="0"`: a code block that scrolls sideways must be reachable by keyboard. */
function renderCode({ text, lang }: Tokens.Code): string {
	const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
	if (language && hljs.getLanguage(language)) {
		const { value } = hljs.highlight(text, { language, ignoreIllegals: true });
		return `<pre tabindex="0"><code class="hljs language-${language}">${value}</code></pre>\n`;
	}
	return `<pre tabindex="0"><code class="hljs">${escapeHtml(text)}</code></pre>\n`;
}

const marked = new Marked({
	async: false,
	gfm: true,
	extensions: mathExtensions(renderMath),
	renderer: { code: renderCode }
});

/** Markdown (with math and code) to HTML. Not sanitised: use `renderMarkdown` for display. */
export function markdownToHtml(md: string): string {
	// tables and display math scroll sideways on a phone: make them reachable by keyboard too
	return marked
		.parse(md, { async: false })
		.replace(/<table>/g, '<table tabindex="0">')
		.replace(/<span class="katex-display">/g, '<span class="katex-display" tabindex="0">');
}

/** Inline markdown (no paragraphs) to HTML. Not sanitised: use `renderInline` for display. */
export function inlineMarkdownToHtml(md: string): string {
	return marked.parseInline(md, { async: false });
}

export interface MathProblem {
	/** Offset of the formula's source in the markdown (for line numbers). */
	index: number;
	tex: string;
	message: string;
}

/**
 * Formulas KaTeX cannot typeset within `KATEX_LIMITS`, or longer than `MAX_TEX_CHARS` (their `tex`
 * cut to 40 characters), found without rendering anything else.
 */
export function findMathProblems(md: string): MathProblem[] {
	const problems: MathProblem[] = [];
	marked.walkTokens(marked.lexer(md), (token) => {
		if (token.type !== 'math') return;
		const { tex, display, raw } = token as MathToken;
		const index = Math.max(0, md.indexOf(raw));
		const long = tooLong(tex);
		if (long) {
			problems.push({ index, tex: `${tex.slice(0, 40)}…`, message: long });
			return;
		}
		try {
			katex.renderToString(tex, { ...KATEX_LIMITS, displayMode: display, throwOnError: true });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			problems.push({ index, tex, message });
		}
	});
	return problems;
}
