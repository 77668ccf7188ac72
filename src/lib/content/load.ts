/** Node only: reads a folder of deck files (`NN-slug.md`) from disk. */

import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildIndex, checkDecks, type DeckFile } from './index.js';
import type { ContentIssue } from './errors.js';
import type { Deck, DeckIndex } from './types.js';

/** The `.md` files of `dir` (not README.md), sorted, with paths relative to the working directory. */
export async function readDeckFiles(dir: string): Promise<DeckFile[]> {
	const names = (await readdir(dir))
		.filter((name) => name.endsWith('.md') && name !== 'README.md')
		.sort();
	return Promise.all(
		names.map(async (name) => {
			const path = join(dir, name);
			return { file: relative(process.cwd(), path) || path, source: await readFile(path, 'utf8') };
		})
	);
}

/** Loads and validates every deck of `dir`; throws `ContentError` listing every issue. */
export async function loadDecks(dir: string): Promise<DeckIndex> {
	return buildIndex(await readDeckFiles(dir));
}

/** Like `loadDecks`, but returns the issues instead of throwing. */
export async function checkDeckDir(
	dir: string
): Promise<{ decks: Deck[]; issues: ContentIssue[] }> {
	return checkDecks(await readDeckFiles(dir));
}
