import { replaceMarkers, type Question } from '$lib/content';

/**
 * A question as one short line of its markdown (math stays as `$…$`), for the list of cards. No
 * `{{name}}` marker shows: a cloze is listed by its sentence with blanks, and an engine question's
 * placeholders (drawn anew at each attempt) read as ‹name›.
 */
export function listPrompt(question: Question): string {
	const text =
		question.kind === 'cloze'
			? replaceMarkers(question.text, () => '___')
			: replaceMarkers(question.prompt, (name) => `‹${name}›`);
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
