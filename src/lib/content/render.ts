/**
 * Safe HTML from deck markdown: `markdown.ts` renders, DOMPurify sanitises with the rules of
 * `html-policy.ts` (no forms, no clobbering ids, no remote images, KaTeX's styles only). In the
 * browser DOMPurify uses the page's window; in Node (build, prerender, tests, scripts) a jsdom
 * window, loaded with `require` so that browser bundles never see jsdom.
 */

import DOMPurify, { type DOMPurify as Purifier, type WindowLike } from 'dompurify';
import { checkAttribute, PURIFY_CONFIG } from './html-policy.js';
import { inlineMarkdownToHtml, markdownToHtml } from './markdown.js';

let purifier: Purifier | undefined;

function nodeWindow(): WindowLike {
	if (typeof process === 'undefined' || !process.getBuiltinModule) {
		throw new Error('renderMarkdown needs a DOM: run it in a page or in Node');
	}
	const nodeModule = process.getBuiltinModule('node:module');
	const require = nodeModule.createRequire(import.meta.url);
	const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: unknown } };
	return new JSDOM('<!doctype html><html><body></body></html>').window as WindowLike;
}

function getPurifier(): Purifier {
	if (purifier) return purifier;
	const root = typeof window === 'undefined' ? nodeWindow() : (window as unknown as WindowLike);
	const created = DOMPurify(root);
	// DOMPurify returns its input unchanged when it has no working DOM: never let that pass silently.
	if (!created.isSupported) throw new Error('DOMPurify has no DOM to sanitise with');
	created.addHook('uponSanitizeAttribute', checkAttribute);
	purifier = created;
	return created;
}

/**
 * Sanitises HTML (KaTeX's HTML and MathML, highlight.js spans and `data-*` attributes survive; see
 * `html-policy.ts` for what does not).
 */
export function sanitizeHtml(html: string): string {
	return getPurifier().sanitize(html, PURIFY_CONFIG);
}

/** Markdown with `$...$` / `$$...$$` math and fenced code to sanitised HTML. */
export function renderMarkdown(md: string): string {
	return sanitizeHtml(markdownToHtml(md));
}

/** Inline markdown (a cloze sentence, an option) to sanitised HTML without a wrapping paragraph. */
export function renderInline(md: string): string {
	return sanitizeHtml(inlineMarkdownToHtml(md));
}
