/**
 * Writes the whole course, every language, as one Anki deck package.
 *
 *   npm run -s export:anki -- FILE.apkg [--content DIR]
 *
 * DIR (default `content`) holds one folder of decks per language (`en`, `zh`; a language without
 * a folder is left out, a DIR without any is an error). Engine-checked
 * questions are exported as one fixed instance each (seed `ANKI_SEED`). Prints one line with the
 * counts and the file's size; a bad command line exits 2, a bad deck 1.
 */

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import initSqlJs from 'sql.js';
import { buildApkg, courseNotes, type CourseLanguage } from '../src/lib/anki/index.js';
import { formatIssue, ContentError } from '../src/lib/content/index.js';
import { loadDecks } from '../src/lib/content/load.js';
import { locales } from '../src/lib/paraglide/runtime.js';

function parseCli(argv: string[]): { file: string; content: string } {
	try {
		const { values, positionals } = parseArgs({
			args: argv,
			options: { content: { type: 'string', default: 'content' } },
			allowPositionals: true
		});
		if (positionals.length !== 1)
			throw new Error(`expected one FILE.apkg, got ${positionals.length}`);
		return { file: positionals[0], content: values.content };
	} catch (error) {
		console.error(`export:anki: ${(error as Error).message}`);
		console.error('usage: npm run -s export:anki -- FILE.apkg [--content DIR]');
		process.exit(2);
	}
}

async function main(): Promise<number> {
	const { file, content } = parseCli(process.argv.slice(2));
	const courses: CourseLanguage[] = [];
	try {
		for (const language of locales) {
			const dir = join(content, language);
			if (existsSync(dir)) courses.push({ language, decks: (await loadDecks(dir)).decks });
		}
		if (courses.length === 0)
			throw new Error(`${content}: no folder of decks (${locales.join(', ')})`);
	} catch (error) {
		if (error instanceof ContentError) error.issues.forEach((i) => console.error(formatIssue(i)));
		else console.error(`export:anki: ${(error as Error).message}`);
		return 1;
	}
	const course = await courseNotes(courses);
	const { bytes, counts } = buildApkg(await initSqlJs(), course);
	await writeFile(file, bytes);
	console.log(
		`${file}: ${counts.decks} decks, ${counts.notes} notes, ${counts.cards} cards, ${bytes.length} bytes`
	);
	return 0;
}

process.exitCode = await main();
