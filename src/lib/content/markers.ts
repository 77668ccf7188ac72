/**
 * `{{name}}` markers: a cloze's blanks and an engine question's placeholders (`{{tokens}}`), one
 * syntax for both.
 */
export const CLOZE_MARKER = /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;
export const CLOZE_MARKER_SPLIT = /\{\{\s*[A-Za-z0-9_-]+\s*\}\}/;

/** Names of the `{{name}}` markers of a text, in order of first appearance. */
export function markerNames(text: string): string[] {
	return [...new Set([...text.matchAll(CLOZE_MARKER)].map((match) => match[1]))];
}

/** `text` with each `{{name}}` marker replaced by `by(name)`. */
export function replaceMarkers(text: string, by: (name: string) => string): string {
	return text.replace(CLOZE_MARKER, (_marker, name: string) => by(name));
}
