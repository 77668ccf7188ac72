/**
 * Anki export: the course as Anki notes (`courseNotes`, where the engine runs) and the `.apkg`
 * written from them (`buildApkg`, with sql.js handed in). The browser imports `./apkg.js` alone.
 */
export { buildApkg } from './apkg.js';
export { cardOrdinals, FIELD_SEPARATOR, SCHEMA_11, writeCollection } from './collection.js';
export type { CollectionCounts } from './collection.js';
export { fieldHtml, inlineFieldHtml, mathJax, stripHtml } from './html.js';
export { fieldChecksum, noteGuid } from './ids.js';
export { NOTE_KINDS, NOTE_TYPES, type NoteKind } from './models.js';
export {
	ANKI_SEED,
	clozeText,
	courseNotes,
	deckName,
	ROOT_DECKS,
	type CourseLanguage
} from './notes.js';
export type { AnkiCourse, AnkiDeck, AnkiNote } from './types.js';
