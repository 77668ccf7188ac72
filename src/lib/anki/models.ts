/**
 * The course's Anki note types, one per kind of question: Basic (flashcards and the fixed instances
 * of engine-checked questions), Multiple choice, and a Cloze note type. Their ids never change, so a
 * second import of the course updates the same note types instead of adding copies. Templates hold
 * no words: every label is written into the fields, in the deck's language.
 */

export const NOTE_KINDS = ['basic', 'choice', 'cloze'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** Anki's model types: 0 standard, 1 cloze. */
const STANDARD = 0;
const CLOZE = 1;

export interface NoteType {
	id: number;
	name: string;
	type: typeof STANDARD | typeof CLOZE;
	fields: readonly string[];
	qfmt: string;
	afmt: string;
}

export const NOTE_TYPES: Record<NoteKind, NoteType> = {
	basic: {
		id: 1764547200001,
		name: 'Attentive Basic',
		type: STANDARD,
		fields: ['Front', 'Back'],
		qfmt: '{{Front}}',
		afmt: '{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}'
	},
	choice: {
		id: 1764547200002,
		name: 'Attentive Multiple choice',
		type: STANDARD,
		fields: ['Question', 'Options', 'Answer', 'Explanation'],
		qfmt: '{{Question}}\n<div class="options">{{Options}}</div>',
		afmt: '{{FrontSide}}\n\n<hr id="answer">\n\n<div class="answer">{{Answer}}</div>\n{{Explanation}}'
	},
	cloze: {
		id: 1764547200003,
		name: 'Attentive Cloze',
		type: CLOZE,
		fields: ['Text', 'Back Extra'],
		qfmt: '{{cloze:Text}}',
		afmt: '{{cloze:Text}}\n\n<hr id="answer">\n\n{{Back Extra}}'
	}
};

const CSS = `.card {
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: black;
  background-color: white;
}
.nightMode.card { color: #eee; background-color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 0.15em 0.5em; text-align: right; }
pre { white-space: pre-wrap; font-size: 0.8em; background: rgba(127, 127, 127, 0.12); padding: 0.5em; }
code { font-size: 0.9em; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode .cloze { color: #90caf9; }
.answer { font-weight: bold; }
.seed { font-size: 0.8em; color: #666; }
`;

const LATEX_PRE =
	'\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n' +
	'\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';

/** The note type as `col.models` (schema 11) stores it. `mod` in seconds. */
export function modelJson(kind: NoteKind, deckId: number, mod: number): Record<string, unknown> {
	const model = NOTE_TYPES[kind];
	return {
		id: model.id,
		name: model.name,
		type: model.type,
		mod,
		usn: -1,
		sortf: 0,
		did: deckId,
		tmpls: [
			{
				name: model.type === CLOZE ? 'Cloze' : 'Card 1',
				ord: 0,
				qfmt: model.qfmt,
				afmt: model.afmt,
				bqfmt: '',
				bafmt: '',
				did: null,
				bfont: '',
				bsize: 0
			}
		],
		flds: model.fields.map((name, ord) => ({
			name,
			ord,
			sticky: false,
			rtl: false,
			font: 'Arial',
			size: 20,
			media: []
		})),
		css: CSS,
		latexPre: LATEX_PRE,
		latexPost: '\\end{document}',
		latexsvg: false,
		// which fields a card needs (Anki ≥ 2.1.28 works it out itself; older versions read this)
		req: model.type === CLOZE ? [[0, 'all', [0]]] : [[0, 'any', [0]]],
		tags: [],
		vers: []
	};
}
