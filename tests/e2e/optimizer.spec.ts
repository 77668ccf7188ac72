import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './fixtures';
import { syntheticHistory } from '../fixtures/scheduler/synthetic-history';

test.use({ timezoneId: 'UTC', locale: 'en-US' });

/** A version-1 backup holding `rows` (answers of a synthetic learner; time zone UTC, day at 4). */
function backupOf(rows: ReturnType<typeof syntheticHistory>): string {
	const reviews = rows.map((row) => ({
		...row,
		deckId: 'synthetic',
		correct: null,
		rawAnswer: '',
		seed: null,
		durationMs: 5000
	}));
	return [
		`{"format":"attentive-backup","version":1,"exportedAt":"2025-09-01T00:00:00.000Z",`,
		`"counts":{"reviews":${reviews.length},"cards":0,"experimentRuns":0},`,
		`"settings":{"dailyNewLimit":10,"dailyReviewLimit":100,"dayStartHour":4,"timeZone":"UTC"},`,
		`"meta":{},`,
		`"reviews":[`,
		reviews.map((r) => JSON.stringify(r)).join(',\n'),
		`],"cards":[],"experimentRuns":[]}`
	].join('\n');
}

async function importBackup(page: Page, text: string): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('Backup file (.json)').setInputFiles({
		name: 'synthetic.json',
		mimeType: 'application/json',
		buffer: Buffer.from(text)
	});
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported \d+ reviews?/)).toBeVisible();
}

test('below 400 answers the FSRS parameters section says how many more are needed and offers no fit', async ({
	page
}) => {
	await page.goto('/settings');
	const section = page.getByRole('region', { name: 'FSRS parameters' });
	await expect(section).toContainText('Fitting needs at least 400: 400 more.');
	await expect(section.getByRole('button', { name: 'Fit to my history' })).toBeDisabled();
	await expect(section).toContainText('No fitted parameters yet: the defaults are in use.');
});

test('FSRS parameters: fit to a history of 400+ answers in a worker, compare with the defaults, accept, see the version, revert', async ({
	page
}) => {
	test.setTimeout(300_000); // the fit, and axe on the settings page (slow on a busy machine)
	const rows = syntheticHistory({ cards: 120, reviewsPerCard: 6 });
	const last = Math.max(...rows.map((r) => r.time));
	await page.clock.setFixedTime(last + 86_400_000);
	await importBackup(page, backupOf(rows));
	await page.reload();

	const section = page.getByRole('region', { name: 'FSRS parameters' });
	await expect(section).toContainText(/Your history: \d+ answers\./);
	const answers = Number((await section.textContent())!.match(/Your history: (\d+) answers/)![1]);
	expect(answers).toBe(rows.length);

	const workers: string[] = [];
	page.on('worker', (worker) => workers.push(worker.url()));
	await section.getByRole('button', { name: 'Fit to my history' }).click();
	await expect(section.getByRole('button', { name: 'Cancel' })).toBeVisible();
	const table = section.getByRole('table', { name: /How well each set predicts/ });
	await expect(table).toBeVisible({ timeout: 60_000 });
	expect(workers.some((url) => url.includes('fsrs-fit.worker'))).toBe(true);
	const cells = async (name: string) =>
		(
			await table
				.getByRole('row', { name: new RegExp(name) })
				.getByRole('cell')
				.allTextContents()
		).map(Number);
	const [lossDefault, rmseDefault] = await cells('Defaults');
	const [lossFitted, rmseFitted] = await cells('Fitted to you');
	for (const x of [lossDefault, rmseDefault, lossFitted, rmseFitted]) {
		expect(x).toBeGreaterThan(0);
		expect(x).toBeLessThan(1);
	}
	expect(lossFitted).toBeLessThanOrEqual(lossDefault);
	await expect(section).toContainText(`Fitted on ${rows.length} answers in`);

	await section.getByRole('button', { name: 'Use the fitted parameters' }).click();
	await expect(section.getByRole('status')).toContainText('Version 1 is in use');
	const versions = section.getByRole('table', { name: 'Versions' });
	const version1 = versions.getByRole('row', { name: /Version 1/ });
	await expect(version1).toContainText('In use');
	await expect(version1).toContainText(String(rows.length));
	await expect(version1).toContainText(lossFitted.toFixed(4));
	const weights = await page.evaluate(
		() =>
			new Promise<unknown>((resolve, reject) => {
				const open = indexedDB.open('attentive');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const get = open.result.transaction('meta').objectStore('meta').get('fsrsParameters');
					get.onsuccess = () => (open.result.close(), resolve(get.result?.value));
				};
			})
	);
	expect(weights).toMatchObject({ active: 1, versions: [{ version: 1, reviews: rows.length }] });
	// the comparison stays shown beside the version it became
	await expect(table).toBeVisible();
	await expect(section.getByRole('button', { name: 'Use the fitted parameters' })).toHaveCount(0);
	await checkPage(page, 'settings-optimizer');

	await versions.getByRole('button', { name: 'Revert to defaults' }).click();
	await expect(section.getByRole('status')).toContainText('The defaults are in use again.');
	await expect(versions.getByRole('row', { name: /Defaults/ })).toContainText('In use');
	await expect(version1.getByRole('button', { name: 'Use version 1' })).toBeVisible();

	await page.reload();
	await expect(
		page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: /Defaults/ })
	).toContainText('In use');
});

test('Cancel stops the fit at once and changes nothing', async ({ page }) => {
	const rows = syntheticHistory({ cards: 300, reviewsPerCard: 6 });
	await page.clock.setFixedTime(Math.max(...rows.map((r) => r.time)) + 86_400_000);
	await importBackup(page, backupOf(rows));
	await page.reload();
	const section = page.getByRole('region', { name: 'FSRS parameters' });
	await section.getByRole('button', { name: 'Fit to my history' }).click();
	await section.getByRole('button', { name: 'Cancel' }).click();
	await expect(section.getByRole('status')).toContainText('Fitting stopped. Nothing was changed.');
	await expect(section.getByRole('button', { name: 'Fit to my history' })).toBeEnabled();
	await expect(section.getByRole('table', { name: /How well each set predicts/ })).toHaveCount(0);
	await expect(section).toContainText('No fitted parameters yet');
});
