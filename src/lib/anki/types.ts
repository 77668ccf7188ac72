/**
 * The course as Anki notes, ready to be written into a collection: plain JSON, so it can be built at
 * build time (prerendered for /settings) and written in the browser without the engine or marked.
 */
import type { NoteKind } from './models.js';

export interface AnkiDeck {
	/** Anki's full name, `::` between levels, e.g. `Attentive::02 Attention scores`. */
	name: string;
	/** HTML shown on the deck's overview screen. */
	description: string;
}

export interface AnkiNote {
	/** Stable across exports: importing again updates the note. */
	guid: string;
	kind: NoteKind;
	/** Index into `AnkiCourse.decks`. */
	deck: number;
	/** HTML, in the order of the note type's fields. */
	fields: string[];
	/** No spaces inside a tag. */
	tags: string[];
	/** The first field without HTML: Anki's sort field. */
	sortField: string;
	/** Anki's duplicate check of the first field (`ids.ts`). */
	csum: number;
}

export interface AnkiCourse {
	decks: AnkiDeck[];
	notes: AnkiNote[];
}
