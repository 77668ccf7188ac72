import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { screenshotBothWidths } from './fixtures';

/** The lessons of one language: `content/<lang>/NN-slug.md`. */
function lessonCount(language: string): number {
	return readdirSync(`content/${language}`).filter((f) => /^\d\d-.+\.md$/.test(f)).length;
}

/**
 * Presses the button and takes the file: downloaded at once while the browser still credits the
 * click, else (a slow machine: Chromium credits it for 5 s) through the "Save" link the page offers.
 */
async function exportApkg(page: Page, button: Locator, saveLink: Locator): Promise<Download> {
	const download = page.waitForEvent('download', { timeout: 50_000 });
	await button.click();
	void saveLink
		.waitFor({ timeout: 50_000 })
		.then(() => saveLink.click())
		.catch(() => undefined);
	return download;
}

test('Export to Anki downloads the whole course as an .apkg whose collection opens, loading sql.js only when pressed', async ({
	page
}) => {
	// the policy must allow sql.js's wasm ('wasm-unsafe-eval') and fetching its file from this origin
	const policy: string[] = [];
	page.on('console', (message) => {
		if (/Content[- ]Security[- ]Policy/i.test(message.text())) policy.push(message.text());
	});
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) =>
			console.error(`Content Security Policy: ${event.violatedDirective} ${event.blockedURI}`)
		);
	});
	const sqlRequests: string[] = [];
	page.on('request', (request) => {
		if (/sql-wasm|anki-course\.json/.test(request.url())) sqlRequests.push(request.url());
	});
	await page.goto('/settings');
	const section = page.locator('section', {
		has: page.getByRole('heading', { name: 'Export to Anki', exact: true })
	});
	const button = section.getByRole('button', { name: 'Export to Anki (.apkg)' });
	await expect(button).toBeVisible();
	expect(sqlRequests, 'nothing of the export loads before the button is pressed').toEqual([]);

	const download = await exportApkg(
		page,
		button,
		section.getByRole('link', { name: 'Save attentive.apkg' })
	);
	expect(download.suggestedFilename()).toBe('attentive.apkg');
	const status = section.getByRole('status');
	await expect(status).toHaveText(/^Saved attentive\.apkg: \d+ decks, \d+ notes, \d+ cards\.$/);
	expect(sqlRequests.some((url) => url.endsWith('.wasm'))).toBe(true);
	expect(sqlRequests.every((url) => new URL(url).origin === new URL(page.url()).origin)).toBe(true);

	// the file, opened in Node as Anki would: a zip holding the schema 11 collection
	const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
	expect(Object.keys(files).sort()).toEqual(['collection.anki2', 'media']);
	const SQL = await initSqlJs();
	const db = new SQL.Database(files['collection.anki2']);
	const [col] = db.exec('SELECT ver, decks FROM col')[0].values;
	expect(col[0]).toBe(11);
	const names = Object.values(JSON.parse(String(col[1])) as Record<string, { name: string }>)
		.map((d) => d.name)
		.filter((n) => n !== 'Default');
	// a top deck per language and a deck per lesson under it
	expect(names).toHaveLength(2 + lessonCount('en') + lessonCount('zh'));
	expect(names).toContain('Attentive (中文)');
	const notes = Number(db.exec('SELECT count(*) FROM notes')[0].values[0][0]);
	const cards = Number(db.exec('SELECT count(*) FROM cards')[0].values[0][0]);
	await expect(status).toHaveText(
		`Saved attentive.apkg: ${names.length} decks, ${notes} notes, ${cards} cards.`
	);
	db.close();
	expect(policy, 'CSP violations during the export').toEqual([]);

	await expect(button).toBeEnabled();
	await button.focus();
	await expect(button).toBeFocused();
	await screenshotBothWidths(page, 'settings-anki');
	await page.setViewportSize({ width: 1280, height: 900 });
	const results = await new AxeBuilder({ page })
		.include('section:has(#anki-heading)')
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
		.analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('the Chinese settings page offers the same export in Chinese', async ({ page }) => {
	await page.goto('/zh/settings');
	const button = page.getByRole('button', { name: '导出到 Anki（.apkg）' });
	const download = await exportApkg(
		page,
		button,
		page.getByRole('link', { name: '保存 attentive.apkg' })
	);
	expect(download.suggestedFilename()).toBe('attentive.apkg');
	await expect(page.getByText(/^已保存 attentive\.apkg：\d+ 个牌组/)).toBeVisible();
});
