/**
 * The course's decks as Anki notes (`AnkiCourse`): every question of every language, its markdown
 * turned into field HTML with MathJax math (`html.ts`). Engine-checked questions become one fixed
 * instance each, computed by the quiz layer with `ANKI_SEED` and shown with its worked solution.
 * Runs where the engine runs: Node (the CLI, tests, the build's prerender).
 */

import {
	isEngineQuestion,
	type ChoiceOption,
	type ClozeQuestion,
	type Deck,
	type EngineQuestion,
	type MultipleChoiceQuestion,
	type Question
} from '../content/index.js';
import { initEngine, isEngineReady } from '../engine/index.js';
import { m } from '../paraglide/messages.js';
import { getLocale, overwriteGetLocale, type Locale } from '../paraglide/runtime.js';
import { computeExpectedSync, describeQuestion, describeSolution } from '../quiz/compute.js';
import { fieldHtml, inlineFieldHtml, stripHtml } from './html.js';
import { fieldChecksum, noteGuid } from './ids.js';
import { ANKI_SEED } from './seed.js';
import type { NoteKind } from './models.js';
import type { AnkiCourse, AnkiDeck } from './types.js';

export { ANKI_SEED };

/** One language of the course: its decks, sorted by `order`. */
export interface CourseLanguage {
	language: Locale;
	decks: readonly Deck[];
}

/** The top deck of each language; the lessons are its sub-decks. */
export const ROOT_DECKS: Record<Locale, string> = {
	en: 'Attentive',
	zh: 'Attentive (中文)'
};

interface DraftNote {
	key: string;
	kind: NoteKind;
	deck: number;
	fields: string[];
	tags: string[];
}

/**
 * Runs `build` with Paraglide's locale set to `locale`: the quiz layer's words (worked steps,
 * table headers) come in the deck's language. `build` is synchronous, so nothing else runs meanwhile.
 */
function inLocale<T>(locale: Locale, build: () => T): T {
	const previous = getLocale;
	overwriteGetLocale(() => locale);
	try {
		return build();
	} finally {
		overwriteGetLocale(previous);
	}
}

/** Anki's deck levels are split at `::`; a title keeps its colons as one. */
export function deckName(language: Locale, deck: Pick<Deck, 'order' | 'title'>): string {
	const title = deck.title.replace(/::+/g, ':').trim();
	return `${ROOT_DECKS[language]}::${String(deck.order).padStart(2, '0')} ${title}`;
}

/** Anki tags are separated by spaces. */
function tag(text: string): string {
	return text.trim().replace(/\s+/g, '_');
}

/** A private-use character pair around each blank's index: survives marked untouched. */
const BLANK = (index: number) => `\uE000${index}\uE001`;
const BLANK_MARK = /\uE000(\d+)\uE001/g;

/** A cloze answer cannot hold `::` (the hint separator) or `}}` (the end of the deletion). */
function clozeAnswer(answer: string): string {
	return answer.replace(/::/g, ': :').replace(/}}/g, '} }');
}

/**
 * The cloze sentence with `{{c1::answer}}`, `{{c2::…}}` where its blanks were: one Anki card per
 * blank, numbered in the order the blanks first appear; a blank used twice keeps its number.
 */
export function clozeText(question: Pick<ClozeQuestion, 'text' | 'blanks'>): string {
	const numbers = new Map(question.blanks.map((blank, i) => [blank.name, i]));
	const marked = question.text.replace(/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g, (whole, name: string) => {
		const index = numbers.get(name);
		return index === undefined ? whole : BLANK(index);
	});
	return inlineFieldHtml(marked).replace(BLANK_MARK, (_, index: string) => {
		const blank = question.blanks[Number(index)];
		const answer = clozeAnswer(escapeField(blank.answers[0] ?? ''));
		return `{{c${Number(index) + 1}::${answer}}}`;
	});
}

function escapeField(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function letter(index: number): string {
	return String.fromCharCode(65 + index);
}

function optionList(options: readonly ChoiceOption[], item: (o: ChoiceOption) => string): string {
	return `<ol type="A">${options.map((o) => `<li>${item(o)}</li>`).join('')}</ol>`;
}

function choiceFields(question: MultipleChoiceQuestion): string[] {
	const how = question.multiple ? m.anki_choose_all() : m.anki_choose_one();
	const right = question.options.flatMap((o, i) =>
		o.correct ? [`${letter(i)}. ${inlineFieldHtml(o.text)}`] : []
	);
	const verdicts = optionList(question.options, (o) => {
		const verdict = o.correct ? m.anki_correct() : m.anki_wrong();
		const why = o.explanation ? ` ${inlineFieldHtml(o.explanation)}` : '';
		return `${inlineFieldHtml(o.text)}<br><b>${verdict}.</b>${why}`;
	});
	return [
		`${fieldHtml(question.prompt)}\n<p><i>${how}</i></p>`,
		optionList(question.options, (o) => inlineFieldHtml(o.text)),
		`${m.anki_answer()} ${right.join('; ')}`,
		[fieldHtml(question.explanation), verdicts].filter(Boolean).join('\n')
	];
}

function engineFields(question: EngineQuestion): string[] {
	const computed = computeExpectedSync(question, ANKI_SEED);
	return [
		`${fieldHtml(describeQuestion(question, computed))}\n<p class="seed">${m.anki_fixed_instance({ seed: ANKI_SEED })}</p>`,
		fieldHtml(describeSolution(question, computed))
	];
}

function noteOf(question: Question): { kind: NoteKind; fields: string[] } {
	if (isEngineQuestion(question)) return { kind: 'basic', fields: engineFields(question) };
	switch (question.kind) {
		case 'flashcard':
			return {
				kind: 'basic',
				fields: [
					fieldHtml(question.prompt),
					[fieldHtml(question.back), fieldHtml(question.explanation)].filter(Boolean).join('\n')
				]
			};
		case 'multiple-choice':
			return { kind: 'choice', fields: choiceFields(question) };
		case 'cloze':
			return {
				kind: 'cloze',
				fields: [
					[fieldHtml(question.prompt), `<p>${clozeText(question)}</p>`].filter(Boolean).join('\n'),
					fieldHtml(question.explanation)
				]
			};
	}
}

function tagsOf(language: Locale, deck: Deck, question: Question): string[] {
	const tags = [
		'attentive',
		`attentive::${deck.id}`,
		`lang::${language}`,
		`kind::${question.kind}`,
		...question.tags
	];
	if (isEngineQuestion(question)) tags.push('engine-checked', `seed::${ANKI_SEED}`);
	return [...new Set(tags.map(tag))];
}

function draftLanguage(course: CourseLanguage, decks: AnkiDeck[]): DraftNote[] {
	decks.push({ name: ROOT_DECKS[course.language], description: '' });
	const drafts: DraftNote[] = [];
	for (const deck of course.decks) {
		const index = decks.length;
		decks.push({ name: deckName(course.language, deck), description: fieldHtml(deck.summary) });
		for (const question of deck.questions) {
			drafts.push({
				key: `attentive:${course.language}:${question.id}`,
				deck: index,
				tags: tagsOf(course.language, deck, question),
				...noteOf(question)
			});
		}
	}
	return drafts;
}

/**
 * Every question of `courses` as an Anki note, one deck per lesson under a top deck per language
 * (`Attentive::01 …`, `Attentive (中文)::01 …`). Starts the engine if nobody has.
 */
export async function courseNotes(courses: readonly CourseLanguage[]): Promise<AnkiCourse> {
	if (!isEngineReady()) await initEngine();
	const decks: AnkiDeck[] = [];
	const drafts = courses.flatMap((course) =>
		inLocale(course.language, () => draftLanguage(course, decks))
	);
	const notes = await Promise.all(
		drafts.map(async ({ key, ...note }) => {
			const sortField = stripHtml(note.fields[0]);
			return {
				guid: await noteGuid(key),
				...note,
				sortField,
				csum: await fieldChecksum(sortField)
			};
		})
	);
	return { decks, notes };
}
