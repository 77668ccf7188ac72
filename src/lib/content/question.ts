/** One ```quiz block to a typed `Question`, with every problem reported at its file line. */

import type { ContentIssue } from './errors.js';
import { findMathProblems } from './markdown.js';
import { clozeSchema, engineSchema, flashcardSchema, multipleChoiceSchema } from './schema.js';
import { isTargetName, TARGET_NAMES } from './targets.js';
import {
	isEngineKind,
	QUESTION_KINDS,
	type ClozeQuestion,
	type EngineKind,
	type EngineQuestion,
	type FlashcardQuestion,
	type MultipleChoiceQuestion,
	type Question,
	type QuestionBase
} from './types.js';
import type { YamlBlock, YamlPath } from './yaml-block.js';
import { Reporter } from './block-reporter.js';
import { CLOZE_MARKER_SPLIT, markerNames } from './markers.js';
import { checkCompute, checkPlaceholders, checkShape } from './compute-checks.js';
/** Fields an engine-checked block must never have: its answer is computed, not stored. */
const ANSWER_FIELDS = ['answer', 'answers', 'expected', 'solution', 'result', 'value', 'values'];

export interface BlockContext {
	block: YamlBlock;
	/** Line of the ```quiz fence. */
	line: number;
	deck: string;
	issues: ContentIssue[];
}

/** The question of a block, or `undefined` when it has problems (they are added to `issues`). */
export function parseQuestion({ block, line, deck, issues }: BlockContext): Question | undefined {
	const report = new Reporter(block, line, issues);
	const data = block.data;
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		report.atLine(line, 'a quiz block must be a YAML mapping of fields (id, kind, prompt, ...)');
		return undefined;
	}
	const raw = data as Record<string, unknown>;
	if (typeof raw.id === 'string') report.ctx = `question "${raw.id}"`;
	const kind = raw.kind;
	if (kind === undefined) {
		report.atLine(line, 'missing "kind"');
		return undefined;
	}
	if (typeof kind !== 'string' || !(QUESTION_KINDS as readonly string[]).includes(kind)) {
		report.at(
			['kind'],
			`unknown kind "${String(kind)}" (expected one of ${QUESTION_KINDS.join(', ')})`
		);
		return undefined;
	}
	const before = issues.length;
	const base = { deck, file: block.file, line };
	const question = isEngineKind(kind)
		? parseEngine(raw, kind, base, report)
		: kind === 'flashcard'
			? parseFlashcard(raw, base, report)
			: kind === 'multiple-choice'
				? parseMultipleChoice(raw, base, report)
				: parseCloze(raw, base, report);
	if (question) checkMath(question, report);
	return question && issues.length === before ? question : undefined;
}

type Base = Pick<QuestionBase, 'deck' | 'file' | 'line'>;

function parseFlashcard(
	raw: Record<string, unknown>,
	base: Base,
	report: Reporter
): FlashcardQuestion | undefined {
	const parsed = flashcardSchema.safeParse(raw);
	if (!parsed.success) return void report.schema(parsed.error, raw);
	const { id, explanation, tags, front, back } = parsed.data;
	return { ...base, id, kind: 'flashcard', prompt: front, back, explanation, tags: tags ?? [] };
}

function parseMultipleChoice(
	raw: Record<string, unknown>,
	base: Base,
	report: Reporter
): MultipleChoiceQuestion | undefined {
	const parsed = multipleChoiceSchema.safeParse(raw);
	if (!parsed.success) return void report.schema(parsed.error, raw);
	const { id, prompt, explanation, tags, options, multiple } = parsed.data;
	const correct = options.filter((option) => option.correct).length;
	if (correct === 0) report.at(['options'], 'no option is marked `correct: true`', true);
	if (multiple === false && correct > 1) {
		report.at(['multiple'], `${correct} options are correct, so "multiple" cannot be false`, true);
	}
	return {
		...base,
		id,
		kind: 'multiple-choice',
		prompt,
		explanation,
		tags: tags ?? [],
		options,
		multiple: multiple ?? correct > 1
	};
}

/**
 * The UI renders the text between blanks piece by piece, so no code span or formula may run across
 * a blank: every piece needs an even number of backticks and of unescaped dollars.
 */
function splitsSpan(text: string): boolean {
	return text.split(CLOZE_MARKER_SPLIT).some((piece) => {
		const ticks = (piece.match(/`/g) ?? []).length;
		const dollars = (piece.match(/(?<!\\)\$/g) ?? []).length;
		return ticks % 2 === 1 || dollars % 2 === 1;
	});
}

function parseCloze(
	raw: Record<string, unknown>,
	base: Base,
	report: Reporter
): ClozeQuestion | undefined {
	const parsed = clozeSchema.safeParse(raw);
	if (!parsed.success) return void report.schema(parsed.error, raw);
	const { id, prompt, explanation, tags, text, blanks, case_sensitive } = parsed.data;
	const names = markerNames(text);
	if (names.length === 0) report.at(['text'], 'has no blanks: mark each one as {{name}}');
	for (const name of names) {
		if (!blanks[name]) report.at(['text'], `blank {{${name}}} has no accepted answers in "blanks"`);
	}
	for (const name of Object.keys(blanks)) {
		if (!names.includes(name))
			report.at(['blanks', name], `blank "${name}" is not used in "text"`, true);
	}
	if (splitsSpan(text)) {
		report.at(
			['text'],
			'a blank sits inside a `code span` or $formula$: close it before the blank and reopen it after'
		);
	}
	return {
		...base,
		id,
		kind: 'cloze',
		prompt,
		explanation,
		tags: tags ?? [],
		text,
		blanks: names.map((name) => ({ name, answers: blanks[name] ?? [] })),
		caseSensitive: case_sensitive
	};
}

function parseEngine(
	raw: Record<string, unknown>,
	kind: EngineKind,
	base: Base,
	report: Reporter
): EngineQuestion | undefined {
	const stored = ANSWER_FIELDS.filter((field) => field in raw);
	for (const field of stored) {
		report.at(
			[field],
			`an engine-checked question must not store its answer ("${field}"): the engine computes it`,
			true
		);
	}
	if (stored.length > 0) return undefined;
	const target = (raw.compute as Record<string, unknown> | undefined)?.target;
	if (typeof target === 'string' && !isTargetName(target)) {
		report.at(
			['compute', 'target'],
			`unknown compute target "${target}" (known targets: ${TARGET_NAMES.join(', ')})`
		);
		return undefined;
	}
	const parsed = engineSchema.safeParse(raw);
	if (!parsed.success) return void report.schema(parsed.error, raw);
	const { id, prompt, explanation, tags, compute, decimals } = parsed.data;
	const spec = checkCompute(compute, report);
	if (!spec) return undefined;
	const shape = checkShape(kind, spec, parsed.data.shape, report);
	checkPlaceholders(prompt, spec, report);
	return {
		...base,
		id,
		kind,
		prompt,
		explanation,
		tags: tags ?? [],
		compute: spec,
		shape,
		decimals
	};
}

/** Markdown fields of a question with their YAML paths, for math checks. */
function markdownFields(question: Question): [YamlPath, string][] {
	const fields: [YamlPath, string][] = [
		[[question.kind === 'flashcard' ? 'front' : 'prompt'], question.prompt],
		[['explanation'], question.explanation]
	];
	if (question.kind === 'flashcard') fields.push([['back'], question.back]);
	if (question.kind === 'cloze') fields.push([['text'], question.text]);
	if (question.kind === 'multiple-choice') {
		question.options.forEach((option, i) => {
			fields.push(
				[['options', i, 'text'], option.text],
				[['options', i, 'explanation'], option.explanation]
			);
		});
	}
	return fields;
}

function checkMath(question: Question, report: Reporter): void {
	for (const [path, md] of markdownFields(question)) {
		for (const problem of findMathProblems(md)) {
			report.at(path, `cannot typeset $${problem.tex}$: ${problem.message}`);
		}
	}
}
