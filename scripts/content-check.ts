/**
 * Validates the decks and computes every engine-checked question for a few seeds.
 *
 *   npm run -s content:check [-- DIR] [-- --json]
 *
 * DIR (default `content`) and each of its sub-folders holding `.md` decks is one course (one
 * language, named by the folder: en, zh). Every other language must be the English course's twin
 * (same ids, kinds, engine specs and figures, deck by deck). Prints a summary; with --json the last
 * line is the English course's counts plus every language's and the errors:
 * {"decks": n, "questions": n, "engineChecked": n, "spotTheBug": n, "figures": n,
 *  "languages": {"en": {...}, "zh": {...}}, "errors": [...]}.
 * Exits with 1 when there is any error.
 */

import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
	checkParallel,
	formatIssue,
	missingTwins,
	isEngineQuestion,
	type ContentIssue,
	type Deck
} from '../src/lib/content/index.js';
import { lessonFigures } from '../src/lib/content/figures.js';
import { checkDeckDir } from '../src/lib/content/load.js';
import { initEngine } from '../src/lib/engine/index.js';
import { computeExpectedSync } from '../src/lib/quiz/compute.js';

/** Seeds every engine-checked question is computed with; negative and large ones included. */
const SEEDS = [0, 1, 2, 3, 123, 2024, -7, 2 ** 32 + 5];

async function courseDirs(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });
	const hasDecks = entries.some(
		(e) => e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md'
	);
	const subdirs = entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
	const nested = await Promise.all(subdirs.map(courseDirs));
	return [...(hasDecks ? [dir] : []), ...nested.flat()];
}

function computeIssues(decks: Deck[]): ContentIssue[] {
	const issues: ContentIssue[] = [];
	for (const question of decks.flatMap((deck) => deck.questions)) {
		if (!isEngineQuestion(question)) continue;
		for (const seed of SEEDS) {
			try {
				computeExpectedSync(question, seed);
			} catch (error) {
				const why = error instanceof Error ? error.message : String(error);
				issues.push({
					file: question.file,
					line: question.line,
					message: `question "${question.id}" with seed ${seed}: ${why}`
				});
				break;
			}
		}
	}
	return issues;
}

interface Counts {
	decks: number;
	questions: number;
	engineChecked: number;
	spotTheBug: number;
	figures: number;
}

function counts(decks: Deck[]): Counts {
	const questions = decks.flatMap((deck) => deck.questions);
	return {
		decks: decks.length,
		questions: questions.length,
		engineChecked: questions.filter((q) => isEngineQuestion(q)).length,
		spotTheBug: questions.filter((q) => q.tags?.includes('spot-the-bug')).length,
		figures: decks.reduce(
			(sum, deck) => sum + lessonFigures(deck.lesson.parts, deck.file).length,
			0
		)
	};
}

/** DIR and --json; a bad command line is one line on stderr and exit code 2. */
function parseCli(argv: string[]): { dir: string; json: boolean } {
	try {
		const { values, positionals } = parseArgs({
			args: argv,
			options: { json: { type: 'boolean', default: false } },
			allowPositionals: true
		});
		if (positionals.length > 1)
			throw new Error(`expected at most one DIR, got ${positionals.length}`);
		return { dir: positionals[0] ?? 'content', json: values.json };
	} catch (error) {
		console.error(`content:check: ${(error as Error).message}`);
		process.exit(2);
	}
}

async function main(): Promise<number> {
	const { dir, json } = parseCli(process.argv.slice(2));
	const dirs = await courseDirs(dir).catch(() => null);
	if (!dirs || dirs.length === 0) {
		const message = dirs ? `${dir}: no decks found` : `${dir}: cannot read this folder`;
		console.error(message);
		if (json)
			console.log(JSON.stringify({ decks: 0, questions: 0, engineChecked: 0, errors: [message] }));
		return 1;
	}
	await initEngine();
	const issues: ContentIssue[] = [];
	const languages: Record<string, Counts> = {};
	const courses: { language: string; decks: Deck[] }[] = [];
	for (const course of dirs) {
		const checked = await checkDeckDir(course);
		issues.push(...checked.issues, ...computeIssues(checked.decks));
		courses.push({ language: basename(course), decks: checked.decks });
	}
	// every other language is the English course's twin (same ids, kinds, specs, figures)
	const english = courses.find((c) => c.language === 'en');
	for (const { language, decks } of courses) {
		if (!english || language === 'en') continue;
		issues.push(...checkParallel(english.decks, decks));
		for (const deck of missingTwins(english.decks, decks)) {
			issues.push({ file: deck.file, line: 1, message: `no ${language} translation of this deck` });
		}
	}
	for (const { language, decks } of courses) {
		languages[language] = counts(decks);
		for (const deck of decks) {
			const engine = deck.questions.filter((q) => isEngineQuestion(q)).length;
			console.log(
				`${deck.file}: ${deck.questions.length} questions (${engine} engine-checked) - ${deck.title}`
			);
		}
	}
	const errors = issues.map(formatIssue);
	for (const error of errors) console.error(error);
	for (const [language, c] of Object.entries(languages)) {
		console.log(
			`${language}: ${c.decks} decks, ${c.questions} questions, ${c.engineChecked} engine-checked ` +
				`(each computed for ${SEEDS.length} seeds), ${c.spotTheBug} spot-the-bug, ${c.figures} figures`
		);
	}
	console.log(`${errors.length} error${errors.length === 1 ? '' : 's'}`);
	// the totals are the course's (English, or the one language checked)
	const main = languages.en ?? Object.values(languages)[0];
	if (json) console.log(JSON.stringify({ ...main, languages, errors }));
	return errors.length > 0 ? 1 : 0;
}

process.exitCode = await main();
