/**
 * The Anki export: the `.apkg` is unzipped and its `collection.anki2` opened with sql.js, as Anki
 * would, and read back: decks, note types, notes, cards, the checksum, cloze numbering, MathJax,
 * and an engine-checked card's fixed instance against the engine's own answer.
 */
import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	ANKI_SEED,
	buildApkg,
	cardOrdinals,
	clozeText,
	courseNotes,
	FIELD_SEPARATOR,
	mathJax,
	fieldHtml,
	NOTE_TYPES,
	noteGuid,
	ROOT_DECKS,
	type AnkiCourse,
	type CourseLanguage
} from '../../../src/lib/anki/index.js';
import { isEngineQuestion, type ClozeQuestion } from '../../../src/lib/content/index.js';
import { loadDecks } from '../../../src/lib/content/load.js';
import { computeExpectedSync, formatNumber } from '../../../src/lib/quiz/compute.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0);

let SQL: SqlJsStatic;

interface NoteRow {
	id: number;
	guid: string;
	mid: number;
	tags: string;
	fields: string[];
	sfld: string | number;
	csum: number;
}

function rows<T>(db: Database, sql: string): T[] {
	const [result] = db.exec(sql);
	if (!result) return [];
	return result.values.map(
		(values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])) as T
	);
}

/** The `.apkg` as Anki reads it: its two entries, and the collection opened. */
function openApkg(bytes: Uint8Array): { db: Database; entries: string[]; media: string } {
	const files = unzipSync(bytes);
	const db = new SQL.Database(files['collection.anki2']);
	return { db, entries: Object.keys(files).sort(), media: strFromU8(files.media) };
}

function notesOf(db: Database): NoteRow[] {
	return rows<Omit<NoteRow, 'fields'> & { flds: string }>(
		db,
		'SELECT id, guid, mid, tags, flds, sfld, csum FROM notes ORDER BY id'
	).map(({ flds, ...note }) => ({ ...note, fields: flds.split(FIELD_SEPARATOR) }));
}

function colJson(db: Database, column: 'models' | 'decks' | 'dconf' | 'conf') {
	return JSON.parse(rows<Record<string, string>>(db, `SELECT ${column} FROM col`)[0][column]);
}

/** Anki's csum: the first 8 hex digits of sha1 of the stripped first field, as an integer. */
function ankiCsum(stripped: string): number {
	return parseInt(createHash('sha1').update(stripped, 'utf8').digest('hex').slice(0, 8), 16);
}

beforeAll(async () => {
	SQL = await initSqlJs();
});

describe('round trip of the fixture deck', () => {
	let course: AnkiCourse;
	let fixture: CourseLanguage;
	let db: Database;
	let apkg: ReturnType<typeof openApkg>;

	beforeAll(async () => {
		fixture = { language: 'en', decks: (await loadDecks('tests/fixtures/anki/en')).decks };
		course = await courseNotes([fixture]);
		apkg = openApkg(buildApkg(SQL, course, NOW).bytes);
		db = apkg.db;
	}, 60_000);

	it('is a zip of collection.anki2 and an empty media map', () => {
		expect(apkg.entries).toEqual(['collection.anki2', 'media']);
		expect(JSON.parse(apkg.media)).toEqual({});
	});

	it('has the five tables of schema 11 and a version 11 collection', () => {
		const tables = rows<{ name: string }>(
			db,
			"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
		).map((t) => t.name);
		expect(tables).toEqual(['cards', 'col', 'graves', 'notes', 'revlog']);
		const columns = (table: string) =>
			rows<{ name: string }>(db, `PRAGMA table_info(${table})`).map((c) => c.name);
		expect(columns('notes')).toEqual([
			'id', 'guid', 'mid', 'mod', 'usn', 'tags', 'flds', 'sfld', 'csum', 'flags', 'data'
		]); // prettier-ignore
		expect(columns('cards')).toEqual([
			'id', 'nid', 'did', 'ord', 'mod', 'usn', 'type', 'queue', 'due', 'ivl', 'factor', 'reps',
			'lapses', 'left', 'odue', 'odid', 'flags', 'data'
		]); // prettier-ignore
		const col = rows<{ ver: number; mod: number }>(db, 'SELECT ver, mod FROM col');
		expect(col).toEqual([{ ver: 11, mod: NOW }]);
		expect(rows(db, 'SELECT * FROM revlog')).toEqual([]);
		expect(rows(db, 'SELECT * FROM graves')).toEqual([]);
	});

	it('reads back every question of the fixture as a note, with its fields', () => {
		const notes = notesOf(db);
		const [card, choice, cloze, engine] = notes;
		expect(notes).toHaveLength(4);
		expect(card.mid).toBe(NOTE_TYPES.basic.id);
		expect(card.fields[0]).toBe(
			'<p>What divides the scores before the softmax? \\(\\sqrt{d_k}\\) or \\(d_k\\)?</p>'
		);
		expect(card.fields[1]).toContain('\\[\\frac{\\omega}{\\sqrt{d_k}}\\]');
		expect(card.fields[1]).toContain('It keeps the softmax away from its flat regions.');

		expect(choice.mid).toBe(NOTE_TYPES.choice.id);
		expect(choice.fields).toHaveLength(4);
		expect(choice.fields[1]).toBe(
			'<ol type="A"><li>[0.2, 0.3, 0.5]</li><li>[0.5, 0.5, 0.5]</li><li>[1.0, 0.0, 0.0]</li></ol>'
		);
		expect(choice.fields[2]).toBe('Answer: A. [0.2, 0.3, 0.5]; C. [1.0, 0.0, 0.0]');
		expect(choice.fields[0]).toContain('Choose every correct option.');
		expect(choice.fields[3]).toContain('They add up to 1.5.');

		expect(cloze.mid).toBe(NOTE_TYPES.cloze.id);
		expect(cloze.fields[0]).toBe(
			'<p>Fill in the blanks.</p>\n<p>The scores are {{c1::normalised}} with <code>torch.</code>' +
				'{{c2::softmax}}<code>(dim=-1)</code>, and the {{c1::normalised}} weights add up to {{c3::1}}.</p>'
		);
		expect(cloze.fields[1]).toBe('<p>\\(\\sum_j \\alpha_{ij} = 1\\) for every query \\(i\\).</p>');

		expect(engine.mid).toBe(NOTE_TYPES.basic.id);
		expect(engine.fields[0]).toContain(`seed ${ANKI_SEED}`);
		expect(engine.tags.trim().split(' ')).toEqual(
			expect.arrayContaining([
				'attentive',
				'attentive::anki-fixture',
				'lang::en',
				'kind::number',
				'engine-checked',
				`seed::${ANKI_SEED}`
			])
		);
	});

	it('makes one card per note, and one per distinct cloze number', () => {
		const cards = rows<{ nid: number; ord: number; type: number; queue: number }>(
			db,
			'SELECT nid, ord, type, queue FROM cards ORDER BY nid, ord'
		);
		const clozeNote = notesOf(db)[2];
		expect(cards.filter((c) => c.nid === clozeNote.id).map((c) => c.ord)).toEqual([0, 1, 2]);
		expect(cards).toHaveLength(3 + 3);
		expect(cards.every((c) => c.type === 0 && c.queue === 0)).toBe(true);
	});

	it('puts the deck under its language, with the deck and the Default deck in col.decks', () => {
		const decks = Object.values(colJson(db, 'decks')) as { id: number; name: string }[];
		expect(decks.map((d) => d.name).sort()).toEqual([
			'Attentive',
			'Attentive::01 Anki fixture - one question of each kind',
			'Default'
		]);
		const lesson = decks.find((d) => d.name.startsWith('Attentive::'))!;
		const dids = rows<{ did: number }>(db, 'SELECT DISTINCT did FROM cards');
		expect(dids).toEqual([{ did: lesson.id }]);
		expect(Object.keys(colJson(db, 'dconf'))).toEqual(['1']);
	});

	it('writes decks and note types with every key Anki’s schema 11 reader requires', () => {
		// the keys without a serde default in Anki's rslib (decks/schema11.rs, notetype/schema11.rs)
		const decks = Object.values(colJson(db, 'decks')) as Record<string, unknown>[];
		for (const deck of decks) {
			for (const key of [
				'id',
				'name',
				'usn',
				'collapsed',
				'dyn',
				'conf',
				'lrnToday',
				'revToday',
				'newToday',
				'timeToday'
			]) {
				expect(deck, `${String(deck.name)}: ${key}`).toHaveProperty(key);
			}
			expect(deck.dyn).toBe(0);
			expect(String(deck.conf)).toBe('1');
		}
		const models = Object.values(colJson(db, 'models')) as Record<string, unknown>[];
		expect(models).toHaveLength(3);
		for (const model of models) {
			for (const key of [
				'id',
				'name',
				'type',
				'mod',
				'usn',
				'sortf',
				'did',
				'tmpls',
				'flds',
				'css'
			]) {
				expect(model, `${String(model.name)}: ${key}`).toHaveProperty(key);
			}
			for (const field of model.flds as Record<string, unknown>[]) {
				for (const key of ['name', 'ord', 'sticky', 'rtl', 'font', 'size'])
					expect(field).toHaveProperty(key);
			}
			for (const template of model.tmpls as Record<string, unknown>[]) {
				for (const key of ['name', 'ord', 'qfmt', 'afmt']) expect(template).toHaveProperty(key);
			}
		}
		// a cloze note type has one template, and it reads the Text field with cloze:
		const cloze = models.find((model) => model.type === 1)!;
		expect((cloze.tmpls as { qfmt: string }[]).map((t) => t.qfmt)).toEqual(['{{cloze:Text}}']);
	});

	it('the round trip keeps a note a note: re-exporting gives the same guids', async () => {
		const again = await courseNotes([fixture]);
		expect(again.notes.map((n) => n.guid)).toEqual(course.notes.map((n) => n.guid));
		expect(new Set(course.notes.map((n) => n.guid)).size).toBe(4);
	});
});

describe('the whole course', () => {
	let courses: CourseLanguage[];
	let db: Database;
	let counts: { decks: number; notes: number; cards: number };
	/** English question id to its note's guid. */
	const guids = new Map<string, string>();

	beforeAll(async () => {
		courses = [
			{ language: 'en', decks: (await loadDecks('content/en')).decks },
			{ language: 'zh', decks: (await loadDecks('content/zh')).decks }
		];
		const built = buildApkg(SQL, await courseNotes(courses), NOW);
		counts = built.counts;
		db = openApkg(built.bytes).db;
		for (const question of courses[0].decks.flatMap((d) => d.questions)) {
			guids.set(question.id, await noteGuid(`attentive:en:${question.id}`));
		}
	}, 180_000);

	it('has every lesson of both languages as a deck under Attentive and Attentive (中文)', () => {
		const names = (Object.values(colJson(db, 'decks')) as { name: string }[]).map((d) => d.name);
		const expected = courses.flatMap(({ language, decks }) => [
			ROOT_DECKS[language],
			...decks.map((d) => `${ROOT_DECKS[language]}::${String(d.order).padStart(2, '0')} ${d.title}`)
		]);
		expect(names.filter((n) => n !== 'Default').sort()).toEqual(expected.sort());
		expect(names).toContain('Attentive::02 Attention scores - the dot product as similarity');
		expect(names.some((n) => n.startsWith('Attentive (中文)::02 '))).toBe(true);
		expect(counts.decks).toBe(expected.length);
	});

	it('has one note per question and the cards their note types make', () => {
		const questions = courses.flatMap((c) => c.decks.flatMap((d) => d.questions));
		const notes = notesOf(db);
		expect(notes).toHaveLength(questions.length);
		expect(counts.notes).toBe(questions.length);
		const clozeCards = questions
			.filter((q): q is ClozeQuestion => q.kind === 'cloze')
			.reduce((sum, q) => sum + q.blanks.length, 0);
		const clozes = questions.filter((q) => q.kind === 'cloze').length;
		const cardCount = rows<{ n: number }>(db, 'SELECT count(*) AS n FROM cards')[0].n;
		expect(cardCount).toBe(questions.length - clozes + clozeCards);
		expect(counts.cards).toBe(cardCount);
		// every note's cards are exactly the ordinals its fields make
		const ords = rows<{ nid: number; ords: string }>(
			db,
			'SELECT nid, group_concat(ord) AS ords FROM (SELECT nid, ord FROM cards ORDER BY ord) GROUP BY nid'
		);
		const byId = new Map(notes.map((n) => [n.id, n]));
		for (const { nid, ords: list } of ords) {
			const note = byId.get(nid)!;
			const kind = note.mid === NOTE_TYPES.cloze.id ? 'cloze' : 'basic';
			expect(list.split(',').map(Number)).toEqual(cardOrdinals({ kind, fields: note.fields }));
		}
	});

	it('defines the three note types with their fields, Cloze as a cloze type', () => {
		const models = colJson(db, 'models') as Record<
			string,
			{ name: string; type: number; flds: { name: string; ord: number }[]; tmpls: unknown[] }
		>;
		const byName = Object.fromEntries(Object.values(models).map((m) => [m.name, m]));
		expect(byName['Attentive Basic'].flds.map((f) => f.name)).toEqual(['Front', 'Back']);
		expect(byName['Attentive Multiple choice'].flds.map((f) => f.name)).toEqual([
			'Question',
			'Options',
			'Answer',
			'Explanation'
		]);
		expect(byName['Attentive Cloze'].flds.map((f) => f.name)).toEqual(['Text', 'Back Extra']);
		expect(byName['Attentive Cloze'].type).toBe(1);
		expect(byName['Attentive Basic'].type).toBe(0);
		for (const kind of ['basic', 'choice', 'cloze'] as const) {
			expect(models[String(NOTE_TYPES[kind].id)].name).toBe(NOTE_TYPES[kind].name);
		}
	});

	it('stores Anki’s checksum of each stripped first field', () => {
		for (const note of notesOf(db)) {
			expect(note.csum).toBe(ankiCsum(String(note.sfld)));
			expect(String(note.sfld)).not.toMatch(/<[a-z]/i);
		}
	});

	it('numbers the blanks of a cloze c1, c2, … in the order they first appear', () => {
		const question = courses[0].decks
			.flatMap((d) => d.questions)
			.find((q): q is ClozeQuestion => q.id === 'dot-hand-worked')!;
		expect(clozeText(question)).toBe(
			'0.43 · 0.55 = {{c1::0.2365}}, 0.15 · 0.87 = {{c2::0.1305}}, 0.89 · 0.66 = {{c3::0.5874}}, and their sum is {{c4::0.9544}}.'
		);
		const cards = rows<{ ord: number }>(
			db,
			"SELECT ord FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.flds LIKE '%{{c4::0.9544}}%' AND notes.tags LIKE '% lang::en %' ORDER BY ord"
		);
		expect(cards.map((c) => c.ord)).toEqual([0, 1, 2, 3]);
	});

	it('writes KaTeX $…$ and $$…$$ as MathJax \\(…\\) and \\[…\\], escaped for HTML', () => {
		expect(mathJax('a < b', false)).toBe('\\(a &lt; b\\)');
		expect(fieldHtml('Score $\\omega_{21}$ and\n\n$$\nx^2\n$$')).toBe(
			'<p>Score \\(\\omega_{21}\\) and</p>\n\\[x^2\\]'
		);
		const flds = notesOf(db).flatMap((n) => n.fields);
		expect(flds.some((f) => f.includes('\\(x^{(2)}\\)'))).toBe(true);
		// no KaTeX delimiter is left: a field never holds a `$` formula
		const stray = flds.filter((f) =>
			/\$[^$\s][^$]*\$/.test(f.replace(/<pre>[\s\S]*?<\/pre>/g, ''))
		);
		expect(stray).toEqual([]);
	});

	it('exports an engine-checked question as its seed-1 instance, with the engine’s answer', async () => {
		const engine = courses[0].decks.flatMap((d) => d.questions).filter(isEngineQuestion);
		const question = engine.find((q) => q.kind === 'number')!;
		const computed = computeExpectedSync(question, ANKI_SEED);
		const answer = formatNumber(computed.expected as number, computed.decimals);
		const notes = notesOf(db);
		const note = notes.find((n) => n.guid === guids.get(question.id));
		expect(note, question.id).toBeDefined();
		expect(note!.fields[0]).toContain(`seed ${ANKI_SEED}`);
		// the answer, under the worked solution's "Answer" heading, is the engine's for seed 1
		const shown = /Answer<\/strong>[^<]*<\/p>\s*<p>\\\((.*?)\\\)<\/p>/.exec(note!.fields[1]);
		expect(shown?.[1]).toBe(answer);
		// every engine-checked note of both languages states the seed
		const tagged = notes.filter((n) => n.tags.includes(' engine-checked '));
		expect(tagged).toHaveLength(engine.length * 2);
		const zh = tagged.filter((n) => n.tags.includes(' lang::zh '));
		expect(zh.every((n) => n.fields[0].includes(`种子 ${ANKI_SEED}`))).toBe(true);
	});
});
