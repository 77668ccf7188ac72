/**
 * A deck file to a typed `Deck`: front matter between `---` lines, then the lesson (markdown), with
 * one question per fenced ```quiz block. Every problem is reported as `file:line: what is wrong`.
 */

import { ContentError, type ContentIssue } from './errors.js';
import { splitFigures } from './figures.js';
import { findMathProblems } from './markdown.js';
import { parseQuestion } from './question.js';
import { frontMatterSchema, schemaProblems, type FrontMatter } from './schema.js';
import type { Deck, LessonPart, Question } from './types.js';
import { YamlBlock } from './yaml-block.js';

export interface DeckCheck {
	/** Present only when the file has no issues. */
	deck?: Deck;
	issues: ContentIssue[];
}

/** Parses and validates one deck; throws `ContentError` listing every issue. */
export function parseDeck(source: string, file: string): Deck {
	const { deck, issues } = checkDeck(source, file);
	if (!deck) throw new ContentError(issues);
	return deck;
}

/** Like `parseDeck`, but returns the issues instead of throwing. */
export function checkDeck(source: string, file: string): DeckCheck {
	const issues: ContentIssue[] = [];
	const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
	const split = splitFrontMatter(lines, file, issues);
	if (!split) return { issues };
	const frontMatter = parseFrontMatter(split.yaml, file, issues);
	const { parts, blocks } = scanBody(lines, split.bodyStart, file, issues);
	const questions = parseBlocks(blocks, frontMatter?.id ?? '', file, issues);
	checkLessonMath(parts, file, issues);
	checkFigures(parts, file, issues);
	if (frontMatter) checkFileName(frontMatter, file, issues);
	if (!frontMatter || issues.length > 0) return { issues };
	const { id, title, order, summary, section } = frontMatter;
	const lesson = { parts: withQuestionIds(parts, questions) };
	return { deck: { id, title, order, summary, section, file, lesson, questions }, issues };
}

/** Fills the question parts' ids; only called when every block gave a question, in file order. */
function withQuestionIds(parts: LessonPart[], questions: Question[]): LessonPart[] {
	let next = 0;
	return parts.map((part) =>
		part.type === 'question' ? { type: 'question', id: questions[next++].id } : part
	);
}

function splitFrontMatter(
	lines: string[],
	file: string,
	issues: ContentIssue[]
): { yaml: string; bodyStart: number } | undefined {
	if (lines[0]?.trim() !== '---') {
		issues.push({
			file,
			line: 1,
			message: 'Missing front matter: the file must start with a --- line'
		});
		return undefined;
	}
	const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
	if (end === -1) {
		issues.push({ file, line: 1, message: 'Front matter is not closed: add a --- line after it' });
		return undefined;
	}
	return { yaml: lines.slice(1, end).join('\n'), bodyStart: end + 1 };
}

function parseFrontMatter(
	yaml: string,
	file: string,
	issues: ContentIssue[]
): FrontMatter | undefined {
	const block = new YamlBlock(yaml, file, 2);
	if (block.issues.length > 0) {
		issues.push(
			...block.issues.map((issue) => ({ ...issue, message: `front matter: ${issue.message}` }))
		);
		return undefined;
	}
	const data = block.data ?? {};
	const parsed = frontMatterSchema.safeParse(data);
	if (parsed.success) return parsed.data;
	for (const problem of schemaProblems(parsed.error, data)) {
		const field = problem.path.join('.');
		if (problem.missing) {
			issues.push({ file, line: 1, message: `Missing ${field} in front matter` });
		} else if (problem.atKey) {
			issues.push({
				file,
				line: block.lineOf(problem.path, true),
				message: `unknown front matter field "${field}"`
			});
		} else {
			issues.push({
				file,
				line: block.lineOf(problem.path),
				message: `front matter ${problem.message}`
			});
		}
	}
	return undefined;
}

/** A deck file named `NN-slug.md` must have `id: slug`, so URLs and files agree. */
function checkFileName(frontMatter: FrontMatter, file: string, issues: ContentIssue[]): void {
	const slug = /(?:^|\/)\d+-([^/]+)\.md$/.exec(file)?.[1];
	if (slug && slug !== frontMatter.id) {
		issues.push({
			file,
			line: 1,
			message: `deck id "${frontMatter.id}" does not match the file name (expected "${slug}")`
		});
	}
}

interface QuizBlock {
	/** Line of the opening ```quiz fence. */
	line: number;
	yaml: string;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;

/** Splits the body into markdown parts and ```quiz blocks; other fences are lesson text. */
function scanBody(
	lines: string[],
	start: number,
	file: string,
	issues: ContentIssue[]
): { parts: LessonPart[]; blocks: QuizBlock[] } {
	const parts: LessonPart[] = [];
	const blocks: QuizBlock[] = [];
	let text: string[] = [];
	let textStart = start;
	const flush = (): void => {
		const first = text.findIndex((line) => line.trim() !== '');
		if (first !== -1) {
			const markdown = text.slice(first).join('\n').trimEnd();
			parts.push({ type: 'markdown', markdown, line: textStart + first + 1 });
		}
		text = [];
	};
	for (let i = start; i < lines.length; i++) {
		const open = FENCE_OPEN.exec(lines[i]);
		if (!open) {
			text.push(lines[i]);
			continue;
		}
		const close = findFenceEnd(lines, i, open[2]);
		const isQuiz = open[3] === 'quiz' && open[1] === '';
		if (!isQuiz) {
			text.push(...lines.slice(i, close + 1));
			i = close;
			continue;
		}
		if (close === lines.length) {
			issues.push({ file, line: i + 1, message: '```quiz block is not closed' });
			break;
		}
		flush();
		blocks.push({ line: i + 1, yaml: lines.slice(i + 1, close).join('\n') });
		parts.push({ type: 'question', id: '' });
		textStart = close + 1;
		i = close;
	}
	flush();
	return { parts, blocks };
}

/** Index of the line closing the fence opened at `open`, or `lines.length` when it never closes. */
function findFenceEnd(lines: string[], open: number, fence: string): number {
	const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
	for (let i = open + 1; i < lines.length; i++) if (closing.test(lines[i])) return i;
	return lines.length;
}

function parseBlocks(
	blocks: QuizBlock[],
	deck: string,
	file: string,
	issues: ContentIssue[]
): Question[] {
	const questions: Question[] = [];
	const firstSeen = new Map<string, number>();
	for (const { line, yaml } of blocks) {
		const block = new YamlBlock(yaml, file, line + 1);
		if (block.issues.length > 0) {
			issues.push(
				...block.issues.map((issue) => ({ ...issue, message: `quiz block: ${issue.message}` }))
			);
			continue;
		}
		const question = parseQuestion({ block, line, deck, issues });
		if (!question) continue;
		const first = firstSeen.get(question.id);
		if (first !== undefined) {
			issues.push({
				file,
				line,
				message: `duplicate question id "${question.id}" (first seen at ${file}:${first})`
			});
			continue;
		}
		firstSeen.set(question.id, line);
		questions.push(question);
	}
	return questions;
}

/** ```figure blocks name a picture the app computes; a malformed one is a `file:line` error. */
function checkFigures(parts: LessonPart[], file: string, issues: ContentIssue[]): void {
	for (const part of parts) {
		if (part.type !== 'markdown') continue;
		try {
			splitFigures(part.markdown, file, part.line);
		} catch (error) {
			if (error instanceof ContentError) issues.push(...error.issues);
			else throw error;
		}
	}
}

function checkLessonMath(parts: LessonPart[], file: string, issues: ContentIssue[]): void {
	for (const part of parts) {
		if (part.type !== 'markdown') continue;
		for (const problem of findMathProblems(part.markdown)) {
			const line = part.line + part.markdown.slice(0, problem.index).split('\n').length - 1;
			issues.push({ file, line, message: `cannot typeset $${problem.tex}$: ${problem.message}` });
		}
	}
}
