import { json } from '@sveltejs/kit';
import { courseNotes } from '$lib/anki/notes';
import { course } from '$lib/server/course';

/**
 * The whole course, both languages, as Anki notes (`AnkiCourse`), computed once at build time with
 * the engine: the Export to Anki button fetches this file and only writes the `.apkg` in the
 * browser (sql.js), so no page carries the engine, marked or the decks for it.
 */
export const prerender = true;

export async function GET() {
	return json(
		await courseNotes([
			{ language: 'en', decks: course('en').decks },
			{ language: 'zh', decks: course('zh').decks }
		])
	);
}
