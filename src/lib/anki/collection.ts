/**
 * An Anki collection (`collection.anki2`, the classic schema 11 that every Anki since 2.1 imports)
 * written with sql.js. The caller hands in sql.js started its own way (Node: from node_modules;
 * the browser: its `.wasm` from the app's own assets), so this file loads nothing itself.
 *
 * Tables and columns as Anki's schema 11 (and genanki's `apkg_schema.py`) define them; everything is
 * new (cards: type 0, queue 0, due = the note's position), nothing reviewed (revlog and graves
 * empty). Ids are milliseconds from `now`, as Anki's own are.
 */

import type { Database, SqlJsStatic } from 'sql.js';
import { modelJson, NOTE_KINDS, NOTE_TYPES } from './models.js';
import type { AnkiCourse, AnkiNote } from './types.js';

export const SCHEMA_11 = `
CREATE TABLE col (
    id integer primary key, crt integer not null, mod integer not null, scm integer not null,
    ver integer not null, dty integer not null, usn integer not null, ls integer not null,
    conf text not null, models text not null, decks text not null, dconf text not null,
    tags text not null
);
CREATE TABLE notes (
    id integer primary key, guid text not null, mid integer not null, mod integer not null,
    usn integer not null, tags text not null, flds text not null, sfld integer not null,
    csum integer not null, flags integer not null, data text not null
);
CREATE TABLE cards (
    id integer primary key, nid integer not null, did integer not null, ord integer not null,
    mod integer not null, usn integer not null, type integer not null, queue integer not null,
    due integer not null, ivl integer not null, factor integer not null, reps integer not null,
    lapses integer not null, left integer not null, odue integer not null, odid integer not null,
    flags integer not null, data text not null
);
CREATE TABLE revlog (
    id integer primary key, cid integer not null, usn integer not null, ease integer not null,
    ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
    type integer not null
);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
`;

/** Anki's field separator inside `notes.flds`. */
export const FIELD_SEPARATOR = '\x1f';

/** Anki's own "Default" deck and options group, which every collection has. */
const DEFAULT_ID = 1;

export interface CollectionCounts {
	decks: number;
	notes: number;
	cards: number;
}

/**
 * The card ordinals a note makes: one card for a standard note; for a cloze note one per distinct
 * `{{cN::…}}` number (ord = N − 1), as Anki generates them.
 */
export function cardOrdinals(note: Pick<AnkiNote, 'kind' | 'fields'>): number[] {
	if (NOTE_TYPES[note.kind].type !== 1) return [0];
	const numbers = [...note.fields[0].matchAll(/\{\{c(\d+)::/g)].map((match) => Number(match[1]));
	const ords = [...new Set(numbers.filter((n) => n > 0).map((n) => n - 1))].sort((a, b) => a - b);
	return ords.length > 0 ? ords : [0];
}

function deckJson(id: number, name: string, desc: string, mod: number) {
	return {
		id,
		name,
		desc,
		mod,
		usn: -1,
		collapsed: false,
		browserCollapsed: false,
		conf: DEFAULT_ID,
		dyn: 0,
		extendNew: 0,
		extendRev: 0,
		newToday: [0, 0],
		revToday: [0, 0],
		lrnToday: [0, 0],
		timeToday: [0, 0]
	};
}

const DEFAULT_OPTIONS = {
	id: DEFAULT_ID,
	name: 'Default',
	mod: 0,
	usn: 0,
	maxTaken: 60,
	autoplay: true,
	timer: 0,
	replayq: true,
	dyn: false,
	new: {
		bury: false,
		delays: [1, 10],
		initialFactor: 2500,
		ints: [1, 4, 0],
		order: 1,
		perDay: 20,
		separate: true
	},
	lapse: { delays: [10], leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
	rev: { bury: false, ease4: 1.3, fuzz: 0.05, ivlFct: 1, maxIvl: 36500, minSpace: 1, perDay: 200 }
};

function collectionRow(course: AnkiCourse, deckIds: number[], now: number) {
	const seconds = Math.floor(now / 1000);
	const decks: Record<string, unknown> = {
		[DEFAULT_ID]: deckJson(DEFAULT_ID, 'Default', '', seconds)
	};
	course.decks.forEach((deck, i) => {
		decks[deckIds[i]] = deckJson(deckIds[i], deck.name, deck.description, seconds);
	});
	const firstDeck = deckIds[0] ?? DEFAULT_ID;
	const models = Object.fromEntries(
		NOTE_KINDS.map((kind) => [NOTE_TYPES[kind].id, modelJson(kind, firstDeck, seconds)])
	);
	const conf = {
		activeDecks: [DEFAULT_ID],
		curDeck: DEFAULT_ID,
		newSpread: 0,
		collapseTime: 1200,
		timeLim: 0,
		estTimes: true,
		dueCounts: true,
		curModel: NOTE_TYPES.basic.id,
		nextPos: course.notes.length + 1,
		sortType: 'noteFld',
		sortBackwards: false,
		addToCur: true
	};
	return [
		DEFAULT_ID,
		Math.floor(seconds / 86400) * 86400,
		now,
		now,
		11,
		0,
		0,
		0,
		JSON.stringify(conf),
		JSON.stringify(models),
		JSON.stringify(decks),
		JSON.stringify({ [DEFAULT_ID]: DEFAULT_OPTIONS }),
		'{}'
	];
}

function insertNotes(db: Database, course: AnkiCourse, deckIds: number[], now: number): number {
	const seconds = Math.floor(now / 1000);
	const note = db.prepare('INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)');
	const card = db.prepare('INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
	let cards = 0;
	try {
		course.notes.forEach((n, i) => {
			const noteId = now + i;
			const mid = NOTE_TYPES[n.kind].id;
			const tags = n.tags.length > 0 ? ` ${n.tags.join(' ')} ` : '';
			const flds = n.fields.join(FIELD_SEPARATOR);
			note.run([noteId, n.guid, mid, seconds, -1, tags, flds, n.sortField, n.csum, 0, '']);
			for (const ord of cardOrdinals(n)) {
				// prettier-ignore
				card.run([
					now + cards, noteId, deckIds[n.deck], ord, seconds, -1,
					0, 0, i + 1, // type new, queue new, due: the note's position
					0, 0, 0, 0, 0, 0, 0, 0, '' // ivl, factor, reps, lapses, left, odue, odid, flags, data
				]);
				cards++;
			}
		});
	} finally {
		note.free();
		card.free();
	}
	return cards;
}

/** The collection's SQLite file, and what it holds (decks without Anki's Default). */
export function writeCollection(
	SQL: SqlJsStatic,
	course: AnkiCourse,
	now: number = Date.now()
): { bytes: Uint8Array; counts: CollectionCounts } {
	const db = new SQL.Database();
	try {
		db.exec(SCHEMA_11);
		const deckIds = course.decks.map((_, i) => now + i);
		db.exec('BEGIN');
		db.run(
			'INSERT INTO col VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
			collectionRow(course, deckIds, now)
		);
		const cards = insertNotes(db, course, deckIds, now);
		db.exec('COMMIT');
		return {
			bytes: db.export(),
			counts: { decks: course.decks.length, notes: course.notes.length, cards }
		};
	} finally {
		db.close();
	}
}
