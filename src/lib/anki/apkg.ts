/**
 * An Anki deck package (`.apkg`): a zip of the collection (`collection.anki2`) and the `media` map
 * (`{}`: the course's fields hold no media files). fflate zips it in memory, in Node and browsers.
 */

import { strToU8, zipSync } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import { writeCollection, type CollectionCounts } from './collection.js';
import type { AnkiCourse } from './types.js';

export type { CollectionCounts } from './collection.js';

/** The `.apkg` file of `course`, and its deck, note and card counts. */
export function buildApkg(
	SQL: SqlJsStatic,
	course: AnkiCourse,
	now: number = Date.now()
): { bytes: Uint8Array; counts: CollectionCounts } {
	const { bytes, counts } = writeCollection(SQL, course, now);
	const zip = zipSync({ 'collection.anki2': bytes, media: strToU8('{}') }, { level: 6 });
	return { bytes: zip, counts };
}
