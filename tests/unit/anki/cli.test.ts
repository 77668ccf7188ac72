/** `npm run -s export:anki -- FILE.apkg [--content DIR]`, run as a learner runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import initSqlJs from 'sql.js';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const out = mkdtempSync(path.join(tmpdir(), 'attentive-anki-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function exportAnki(...args: string[]) {
	return spawnSync(
		path.join(root, 'node_modules/.bin/tsx'),
		[path.join(root, 'scripts/export-anki.ts'), ...args],
		{ cwd: root, encoding: 'utf8' }
	);
}

describe('export:anki', () => {
	it('writes a folder of decks as an .apkg and prints its counts', async () => {
		const file = path.join(out, 'fixture.apkg');
		const run = exportAnki(file, '--content', 'tests/fixtures/anki');
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		const bytes = readFileSync(file);
		expect(run.stdout.trim()).toBe(`${file}: 2 decks, 4 notes, 6 cards, ${bytes.length} bytes`);
		const SQL = await initSqlJs();
		const db = new SQL.Database(unzipSync(new Uint8Array(bytes))['collection.anki2']);
		expect(db.exec('SELECT count(*) FROM notes')[0].values[0][0]).toBe(4);
		db.close();
	}, 120_000);

	it('exits 2 with a usage line when FILE is missing', () => {
		const run = exportAnki();
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('usage: npm run -s export:anki -- FILE.apkg');
	}, 60_000);

	it('exits 1 when DIR holds no folder of decks', () => {
		const run = exportAnki(path.join(out, 'none.apkg'), '--content', 'tests/fixtures/progress');
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('no folder of decks');
	}, 60_000);
});
