/**
 * Text stored by this layer is plain text (the UI renders it as text, never as HTML). It is also
 * cleaned so that an imported file cannot smuggle in control characters, bidirectional overrides
 * (used to make text display differently from what it is) or unpaired surrogates, and capped.
 * `cleanText` is idempotent, so cleaned data round-trips through export/import unchanged.
 */

export const MAX_ID_LENGTH = 200;
/** A diagnosed misconception's id (`no-scaling`, `mask-with-zero`, ...). */
export const MAX_MISCONCEPTION_LENGTH = 64;
export const MAX_ANSWER_LENGTH = 4000;
export const MAX_TEXT_LENGTH = 1000;

// C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Anything the slow path might change (a superset, so the common clean string is returned at once).
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;

/** Removes unsafe characters, normalises CR/CRLF to LF, and cuts to `maxLength` code units. */
export function cleanText(value: string, maxLength: number): string {
	if (value.length <= maxLength && !SUSPECT.test(value)) return value;
	let text = value.replace(/\r\n?/g, '\n').replace(UNSAFE, '').replace(LONE_SURROGATE, '\ufffd');
	if (text.length > maxLength) {
		text = text.slice(0, maxLength);
		// do not leave half a surrogate pair at the cut
		if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1);
	}
	return text;
}
