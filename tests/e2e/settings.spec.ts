import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkPage } from './fixtures';
import { readProgress } from './study-helpers';

const HISTORY = 'tests/fixtures/backups/history.json';
/** Wed Jan 21 2026, 12:00 in New York (the fixture's learner). */
const NOW = Date.UTC(2026, 0, 21, 17, 0);

test.use({ timezoneId: 'Europe/Berlin', locale: 'en-US' });

async function chooseBackup(page: Page, file: string | { name: string; text: string }) {
	const input = page.getByLabel('Backup file (.json)');
	if (typeof file === 'string') await input.setInputFiles(file);
	else {
		await input.setInputFiles({
			name: file.name,
			mimeType: 'application/json',
			buffer: Buffer.from(file.text)
		});
	}
}

async function importBackup(page: Page, file: string): Promise<void> {
	await page.goto('/settings');
	await chooseBackup(page, file);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported \d+ reviews?/)).toBeVisible();
}

/** Every table of /progress: caption and the text of each cell. */
async function progressTables(page: Page): Promise<string[][]> {
	await page.goto('/progress');
	await expect(page.locator('.stat-list')).toBeVisible();
	return page
		.locator('table')
		.evaluateAll((tables) =>
			tables.map((table) =>
				[...table.querySelectorAll('caption, th, td')].map((c) => (c.textContent ?? '').trim())
			)
		);
}

test('the daily new-card limit is saved, kept after a reload, and the review queue respects it', async ({
	page
}) => {
	await page.goto('/settings');
	const newLimit = page.getByLabel('New cards per day');
	await expect(newLimit).toHaveValue('10'); // the default
	// the time zone list preselects the browser's zone
	await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
	await expect(page.getByLabel('New day starts at')).toHaveValue('4');

	await page.goto('/review');
	await expect(page.getByText('0 answered · 10 to go')).toBeVisible();

	await page.goto('/settings');
	await newLimit.fill('2');
	await newLimit.press('Enter');
	await expect(page.getByText('Settings saved.')).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('New cards per day')).toHaveValue('2');

	await page.goto('/review');
	await expect(page.getByText('0 answered · 2 to go')).toBeVisible();
});

test('invalid settings are explained next to the field and nothing is saved', async ({ page }) => {
	await page.goto('/settings');
	const newLimit = page.getByLabel('New cards per day');
	const reviewLimit = page.getByLabel('Reviews per day');
	await newLimit.fill('5000');
	await reviewLimit.fill('2.5');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(newLimit).toHaveAttribute('aria-invalid', 'true');
	await expect(newLimit).toBeFocused();
	await expect(newLimit).toHaveAccessibleDescription(/Enter a whole number from 0 to 1000\./);
	await expect(reviewLimit).toHaveAccessibleDescription(/Enter a whole number from 0 to 10000\./);
	await expect(page.getByText('Settings saved.')).toHaveCount(0);
	await page.reload();
	await expect(page.getByLabel('New cards per day')).toHaveValue('10');

	// the time zone is a list of every zone the browser knows
	const zones = await page.getByLabel('Time zone').locator('option').count();
	expect(zones).toBeGreaterThan(300);
	await page.getByLabel('Time zone').selectOption('America/Chicago');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('Settings saved.')).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Time zone')).toHaveValue('America/Chicago');
});

test('a backup exported in one browser, imported in a fresh one, gives the same progress', async ({
	page,
	browser
}) => {
	await page.clock.setFixedTime(NOW);
	await importBackup(page, HISTORY);
	const before = await progressTables(page);
	expect(before.length).toBe(8); // the calendar, five charts, the experiment run, the cards

	await page.goto('/settings');
	await expect(page.getByText('You have not made a backup yet.')).toBeVisible();
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export everything' }).click()
	]);
	expect(download.suggestedFilename()).toBe('attentive-backup-2026-01-21.json');
	const file = test.info().outputPath('backup.json');
	await download.saveAs(file);
	await expect(page.getByText(/^Backup downloaded/)).toBeVisible();
	await expect(page.getByText(/Last backup: January 21, 2026/)).toBeVisible();
	const exported = JSON.parse(readFileSync(file, 'utf8'));
	expect(exported).toMatchObject({ format: 'attentive-backup', version: 1 });
	expect(exported.reviews).toHaveLength(16);

	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export review log as CSV' }).click()
	]);
	expect(csv.suggestedFilename()).toBe('attentive-reviews-2026-01-21.csv');
	const csvFile = test.info().outputPath('reviews.csv');
	await csv.saveAs(csvFile);
	const bytes = readFileSync(csvFile);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark
	const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
	expect(lines[0]).toBe(
		'"id","time","time_ms","card_id","deck_id","rating","rating_name","correct","raw_answer","seed","duration_ms","undoes","misconception","action","buried_until"'
	);
	expect(lines).toHaveLength(17); // header + 16 log rows

	// a fresh browser profile, in another zone: the learner's zone comes with the backup's settings
	const fresh = await browser.newContext({ timezoneId: 'Australia/Sydney', locale: 'en-US' });
	const other = await fresh.newPage();
	await other.clock.setFixedTime(NOW);
	await other.goto('/settings');
	expect((await readProgress(other)).reviews).toHaveLength(0);
	await chooseBackup(other, file);
	expect(
		await other
			.getByRole('table', { name: 'What the file holds' })
			.evaluate((t) =>
				[...t.querySelectorAll('tbody tr')].map((r) =>
					[...r.children].map((c) => (c.textContent ?? '').trim())
				)
			)
	).toEqual([
		['In the file', '16', '1'],
		['New', '16', '1'],
		['Already here', '0', '0'],
		['Invalid', '0', '0']
	]);
	await other.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(other.getByText('Imported 16 reviews')).toBeVisible();
	await expect(other.getByText('Settings taken from the backup.')).toBeVisible();
	expect(await progressTables(other)).toEqual(before);

	// importing the same file again adds nothing
	await other.goto('/settings');
	await chooseBackup(other, file);
	await expect(other.getByText(/Everything in this file is already here/)).toBeVisible();
	await expect(other.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
	expect((await readProgress(other)).reviews).toHaveLength(16);
	await fresh.close();
});

test('a corrupt or foreign file is rejected with a clear message and writes nothing', async ({
	page
}) => {
	const good = readFileSync(HISTORY, 'utf8');
	const cases = [
		{
			name: 'truncated.json',
			text: good.slice(0, Math.floor(good.length / 2)),
			message: /the file ends too early: it is truncated or not a backup/
		},
		{
			name: 'anki.json',
			text: '{"format":"anki-export","version":1,"cards":[]}',
			message: /this is not an Attentive backup \(format "anki-export"\)/
		},
		{
			name: 'future.json',
			text: good.replace('"version":1', '"version":7'),
			message: /made by a newer version of Attentive/
		},
		{
			name: 'edited.json',
			text: good.replace('"reviews":16', '"reviews":15'),
			message: /incomplete or was edited/
		},
		{ name: 'notes.json', text: 'these are my notes', message: /the file must start with \{/ }
	];
	await page.goto('/settings');
	for (const { name, text, message } of cases) {
		await chooseBackup(page, { name, text });
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('This file cannot be imported:');
		await expect(alert).toContainText(message);
		await expect(alert).toContainText('Nothing was changed.');
		await expect(page.getByRole('button', { name: 'Import', exact: true })).toHaveCount(0);
	}
	const stored = await readProgress(page);
	expect(stored.reviews).toHaveLength(0);
	expect(stored.cards).toHaveLength(0);
	await checkPage(page, 'settings-import-rejected');
});

test('settings page: axe and screenshots, with an import preview', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto('/settings');
	await expect(page.getByLabel('New cards per day')).toHaveValue('10');
	await expect(page.getByText(/Nothing to back up yet/)).toBeVisible();
	await checkPage(page, 'settings');
	await chooseBackup(page, 'tests/fixtures/backups/hostile.json');
	await expect(page.getByRole('heading', { name: 'Ready to import hostile.json' })).toBeVisible();
	await checkPage(page, 'settings-import-preview');
	await page.emulateMedia({ colorScheme: 'dark' });
	await checkPage(page, 'settings-dark');
});

test('the review log exports in the FSRS optimizer’s revlog format, with the time zone and day start to enter there', async ({
	page
}) => {
	await page.clock.setFixedTime(NOW);
	await importBackup(page, HISTORY);
	await page.goto('/settings');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export review log for FSRS tools' }).click()
	]);
	expect(download.suggestedFilename()).toBe('attentive-fsrs-revlog-2026-01-21.csv');
	const file = test.info().outputPath('revlog.csv');
	await download.saveAs(file);
	const lines = readFileSync(file, 'utf8').trim().split('\n');
	expect(lines[0]).toBe('card_id,review_time,review_rating,review_state,review_duration');
	// the fixture's answers that count: undo rows and the answers they void are left out
	const fixture = JSON.parse(readFileSync(HISTORY, 'utf8')) as {
		reviews: { id: string; time: number; undoes: string | null }[];
	};
	const voided = new Set(fixture.reviews.flatMap((row) => (row.undoes ? [row.undoes] : [])));
	const counting = fixture.reviews.filter((row) => !row.undoes && !voided.has(row.id));
	expect(lines).toHaveLength(counting.length + 1);
	const times = lines.slice(1).map((line) => Number(line.split(',')[1]));
	expect(times.toSorted((a, b) => a - b)).toEqual(
		counting.map((row) => row.time).toSorted((a, b) => a - b)
	);
	for (const line of lines.slice(1)) expect(line).toMatch(/^\d+,\d+,[1-4],[0-3],\d+$/);
	await expect(
		page.getByText("Review log downloaded in the FSRS optimizer's format.")
	).toBeVisible();
	// the settings in force (the page's time zone field holds the same one)
	const zone = await page.getByLabel('Time zone').inputValue();
	await expect(page.getByTestId('fsrs-settings')).toHaveText(
		`In the FSRS optimizer, enter the time zone ${zone} and a day that starts at 4:00, as in your settings.`
	);
});
