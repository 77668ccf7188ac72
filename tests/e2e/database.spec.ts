import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { checkPage } from './fixtures';
import { answerCorrectly, readProgress } from './study-helpers';

const HISTORY = 'tests/fixtures/backups/history.json';
/** Wed Jan 21 2026, 12:00 in New York (the fixture's learner). */
const NOW = Date.UTC(2026, 0, 21, 17, 0);
const DAY = 86_400_000;

test.use({ timezoneId: 'Europe/Berlin', locale: 'en-US' });

async function importText(page: Page, name: string, text: string): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('Backup file (.json)').setInputFiles({
		name,
		mimeType: 'application/json',
		buffer: Buffer.from(text)
	});
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported \d+ reviews?/)).toBeVisible();
}

/** Deletes stores' rows with IndexedDB itself (what a crash between transactions leaves). */
function clearStores(page: Page, stores: string[]): Promise<void> {
	return page.evaluate(
		(names) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('attentive');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(names, 'readwrite');
					for (const name of names) tx.objectStore(name).clear();
					tx.oncomplete = () => (db.close(), resolve());
					tx.onerror = () => reject(tx.error);
				};
			}),
		stores
	);
}

/** The review queue as the page shows it: "N answered · M to go" and the first card. */
async function reviewSummary(page: Page): Promise<string> {
	await page.goto('/review');
	const status = page.getByText(/\d+ answered · \d+ to go/);
	await expect(status).toBeVisible();
	const first = await page.locator('article.question').first().getAttribute('data-question-id');
	return `${await status.textContent()} / ${first}`;
}

test('Check database rebuilds lost card states and schedules from the log, says what it did, and finds nothing the second time', async ({
	page
}) => {
	await page.clock.setFixedTime(NOW);
	await importText(page, 'history.json', readFileSync(HISTORY, 'utf8'));
	const before = await reviewSummary(page);
	const stored = await readProgress(page);

	await clearStores(page, ['cards', 'schedules']);
	expect((await readProgress(page)).cards).toHaveLength(0);

	await page.goto('/settings');
	await page.getByRole('button', { name: 'Check database' }).click();
	const report = page.locator('.report[role="status"]');
	await expect(report).toContainText('Repaired:');
	await expect(report).toContainText(`card states added: ${stored.cards.length}`);
	await checkPage(page, 'settings-database-report');
	expect((await readProgress(page)).cards).toEqual(stored.cards);
	expect(await reviewSummary(page)).toBe(before);

	await page.goto('/settings');
	await page.getByRole('button', { name: 'Check database' }).click();
	await expect(report).toContainText(/nothing needed repair/);
});

test('an import that stopped before rebuilding the schedules is repaired at the next start, before the queue is read', async ({
	page
}) => {
	await page.clock.setFixedTime(NOW);
	await importText(page, 'history.json', readFileSync(HISTORY, 'utf8'));
	const before = await reviewSummary(page);
	const stored = await readProgress(page);
	// what a tab closed mid-import leaves: log rows written, caches not rebuilt, its marker
	await clearStores(page, ['cards', 'schedules']);
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('attentive');
				open.onsuccess = () => {
					const tx = open.result.transaction('meta', 'readwrite');
					const job = { token: 'interrupted', kind: 'import', startedAt: Date.now() };
					tx.objectStore('meta').put({ key: 'job:interrupted', value: job });
					tx.oncomplete = () => (open.result.close(), resolve());
					tx.onerror = () => reject(tx.error);
				};
			})
	);
	expect(await reviewSummary(page)).toBe(before);
	await expect(
		page.locator('.storage-notice').filter({ hasText: 'An import did not finish' })
	).toBeVisible();
	expect((await readProgress(page)).cards).toEqual(stored.cards);
	await checkPage(page, 'review-repaired-notice');
});

test('a question no longer in the course is listed in settings, takes no review slot, and can be discarded (the log keeps it)', async ({
	page
}) => {
	await page.clock.setFixedTime(NOW + 30 * DAY);
	const backup = JSON.parse(readFileSync(HISTORY, 'utf8'));
	const renamed = {
		...backup.reviews[0],
		id: 'fixture-renamed',
		cardId: 'idea-renamed-long-ago',
		time: backup.reviews[0].time - 1000
	};
	backup.reviews.unshift(renamed);
	backup.counts.reviews += 1;
	const text = JSON.stringify(backup);
	await importText(page, 'renamed.json', text);

	await page.goto('/review');
	await expect(page.getByText(/\d+ answered · \d+ to go/)).toBeVisible();
	const ids = await page
		.locator('article.question')
		.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-question-id')));
	expect(ids).not.toContain('idea-renamed-long-ago');

	await page.goto('/settings');
	const heading = page.getByRole('heading', { name: 'Questions no longer in the course' });
	await expect(heading).toBeVisible();
	const list = page.getByRole('list', { name: 'Questions no longer in the course' });
	await expect(list).toContainText('idea-renamed-long-ago');
	await checkPage(page, 'settings-orphans');
	await page.getByRole('button', { name: 'Discard idea-renamed-long-ago' }).click();
	await expect(page.getByText('None: every question you studied is in the course.')).toBeVisible();
	const progress = await readProgress(page);
	expect(progress.cards.map((c) => c.cardId)).not.toContain('idea-renamed-long-ago');
	const rows = progress.reviews.filter((r) => r.cardId === 'idea-renamed-long-ago');
	expect(rows.map((r) => r.undoes)).toEqual([null, 'fixture-renamed']);
});

test('an answer given while the device clock is days behind the log is not recorded silently: the learner confirms or fixes the clock', async ({
	page
}) => {
	await page.clock.setFixedTime(NOW);
	await importText(page, 'history.json', readFileSync(HISTORY, 'utf8'));
	const count = (await readProgress(page)).reviews.length;

	await page.clock.setFixedTime(NOW - 30 * DAY); // the clock went back a month
	await page.goto('/quiz/attention-idea');
	await answerCorrectly(page);
	await page.keyboard.press('3');
	const alert = page.locator('.clock-problem');
	await expect(alert).toContainText(/you already answered on January/);
	expect((await readProgress(page)).reviews).toHaveLength(count);
	await checkPage(page, 'quiz-clock-problem');

	await page.getByRole('button', { name: 'I will fix the clock' }).click();
	await expect(alert).toHaveCount(0);
	await page.keyboard.press('3');
	await page.getByRole('button', { name: 'The clock is right: record it' }).click();
	await expect(alert).toHaveCount(0);
	await expect(page.getByText(/^1 answered/)).toBeVisible();
	expect((await readProgress(page)).reviews).toHaveLength(count + 1);
});
