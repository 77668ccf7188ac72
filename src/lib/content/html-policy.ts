/**
 * What deck HTML may hold once sanitised (`render.ts` applies it with DOMPurify). Decks are written
 * in this repository, but what they render shares the page with the learner's progress, so their
 * HTML gets no more power than lessons need: text, math, code, tables, links and local images.
 *
 * - No forms or controls (a deck cannot ask for anything or submit anywhere), no `<style>`, no media
 *   elements, no `<map>`.
 * - No `id` or `name` (they would clobber `document.x` / `form.x` and the page's own ids; lessons
 *   link to no id of their own: marked writes headings without ids) and no attribute that points
 *   at an id (`aria-labelledby`, `for`, `headers`, ...): deck HTML cannot label or control the page.
 * - Images only from this site (a relative or same-origin address) or `data:image/...`: a deck
 *   cannot make the learner's browser fetch from elsewhere. No `srcset`, `background`, `<feImage>`.
 * - `style` only inside KaTeX's output (`.katex`), only the properties KaTeX writes, with plain
 *   lengths no larger than `MAX_STYLE_LENGTH` (no `url(...)`, no `position: fixed`, no overlay).
 * - `tabindex` only 0 or -1 (a deck cannot reorder the page's keyboard focus).
 * Inline event handlers and `javascript:` links are removed by DOMPurify itself.
 */
import type { Config } from 'dompurify';

export const FORBIDDEN_TAGS = [
	'form',
	'input',
	'button',
	'select',
	'option',
	'optgroup',
	'textarea',
	'datalist',
	'output',
	'fieldset',
	'legend',
	'label',
	'meter',
	'progress',
	'style',
	'audio',
	'video',
	'source',
	'track',
	'picture',
	'map',
	'area',
	'feimage'
];

/** `id`/`name` (DOM clobbering) and every attribute that refers to an element by its id. */
export const FORBIDDEN_ATTRIBUTES = [
	'id',
	'name',
	'form',
	'formaction',
	'for',
	'headers',
	'list',
	'usemap',
	'srcset',
	'background',
	'ping',
	'aria-activedescendant',
	'aria-controls',
	'aria-describedby',
	'aria-details',
	'aria-errormessage',
	'aria-flowto',
	'aria-labelledby',
	'aria-owns'
];

/** KaTeX puts the TeX source in `<semantics><annotation encoding="application/x-tex">`. */
export const PURIFY_CONFIG: Config = {
	ADD_TAGS: ['semantics', 'annotation'],
	ADD_ATTR: ['encoding'],
	FORBID_TAGS: FORBIDDEN_TAGS,
	FORBID_ATTR: FORBIDDEN_ATTRIBUTES,
	SANITIZE_DOM: true
};

/** The style properties KaTeX writes (measured on every deck, plus its boxes and colours). */
const KATEX_STYLE_PROPERTIES = new Set([
	'height',
	'width',
	'min-width',
	'vertical-align',
	'top',
	'margin-left',
	'margin-right',
	'padding-left',
	'padding-right',
	'border-top-width',
	'border-bottom-width',
	'border-left-width',
	'border-right-width',
	'position',
	'color'
]);

/** KaTeX's lengths are a few em; this bounds what a hand-written `.katex` span can cover. */
export const MAX_STYLE_LENGTH = 50;

const LENGTH = /^(-?\d*\.?\d+)(em|ex|pt|px|%)?$/;
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i;

function allowedDeclaration(declaration: string): boolean {
	const colon = declaration.indexOf(':');
	if (colon < 0) return false;
	const property = declaration.slice(0, colon).trim().toLowerCase();
	const value = declaration.slice(colon + 1).trim();
	if (!KATEX_STYLE_PROPERTIES.has(property)) return false;
	if (property === 'position') return value === 'relative';
	if (property === 'color') return COLOR.test(value);
	const length = LENGTH.exec(value);
	return length !== null && Math.abs(Number(length[1])) <= MAX_STYLE_LENGTH;
}

/** A `style` value KaTeX could have written: known properties with plain values only. */
export function allowedKatexStyle(style: string): boolean {
	return style
		.split(';')
		.filter((d) => d.trim() !== '')
		.every(allowedDeclaration);
}

const BASE = 'https://attentive.invalid/';

/** An image address on this site (relative or same-origin) or a `data:image/` one. */
export function allowedImageSource(src: string): boolean {
	let url: URL;
	try {
		// the URL parser drops tabs and line breaks and resolves `//host` and `\\host` as a browser does
		url = new URL(src, BASE);
	} catch {
		return false;
	}
	if (url.protocol === 'data:') return /^image\//i.test(url.pathname);
	return url.origin === new URL(BASE).origin;
}

/** DOMPurify's `uponSanitizeAttribute` hook: the rules above that its config cannot express. */
export function checkAttribute(
	element: Element,
	event: { attrName: string; attrValue: string; keepAttr: boolean }
): void {
	const name = event.attrName;
	const value = event.attrValue;
	let keep = true;
	if (name === 'style') keep = element.closest('.katex') !== null && allowedKatexStyle(value);
	else if (name === 'tabindex') keep = value.trim() === '0' || value.trim() === '-1';
	else if (name === 'src' || name === 'href' || name === 'xlink:href') {
		// links may go anywhere (the learner follows them); what loads by itself must be local
		const tag = element.nodeName.toLowerCase();
		if (tag !== 'a') keep = allowedImageSource(value);
	}
	if (!keep) event.keepAttr = false;
}
