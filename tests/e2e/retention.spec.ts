import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, screenshotBothWidths } from './fixtures';
import { readProgress } from './study-helpers';

const HISTORY = 'tests/fixtures/backups/history.json';
/** Wed Jan 21 2026, 12:00 in New York (the fixture's learner). */
const NOW = Date.UTC(2026, 0, 21, 17, 0);

test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

async function importHistory(page: Page): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('Backup file (.json)').setInputFiles(HISTORY);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported \d+ reviews?/)).toBeVisible();
}

/** The 30- and 365-day totals shown for one retention. */
async function totals(page: Page, percent: number): Promise<string[]> {
	const list = page
		.getByRole('list', { name: `Forecast at ${percent} %` })
		.or(page.locator(`dl[aria-label="Forecast at ${percent} %"]`));
	await expect(list).toBeVisible();
	return list.locator('dd').allTextContents();
}

/** "1,234 reviews (41 a day)" → 1234. */
const reviewCount = (text: string) => Number(/^\d+/.exec(text.replace(/,/g, ''))?.[0]);

test('changing desired retention moves the forecast and, once saved, the due dates', async ({
	page
}) => {
	test.setTimeout(120_000);
	await page.clock.setFixedTime(NOW);
	await importHistory(page);
	await page.reload();

	const slider = page.getByRole('slider', { name: 'Desired retention' });
	await expect(slider).toHaveValue('90');
	const at90 = await totals(page, 90);
	expect(reviewCount(at90[0])).toBeGreaterThan(0);

	// keyboard: ten steps down to 80 %
	await slider.focus();
	for (let i = 0; i < 10; i++) await slider.press('ArrowDown');
	await expect(slider).toHaveValue('80');
	await expect(page.locator('output')).toHaveText('80 %');
	const at80 = await totals(page, 80);
	// both forecasts are shown side by side; 80 % asks for fewer reviews over a year
	expect(await totals(page, 90)).toEqual(at90);
	expect(reviewCount(at80[1])).toBeLessThan(reviewCount(at90[1]));
	await expect(page.getByRole('heading', { name: 'Workload forecast' })).toBeVisible();

	// the chart's numbers are in a table too, per week over a year
	await page.getByRole('radio', { name: 'Next year, per week' }).check();
	await page.getByText('Show the numbers').last().click();
	await expect(page.getByRole('table', { name: /Forecast reviews per week/ })).toBeVisible();

	await expectAccessible(page);
	await screenshotBothWidths(page, 'settings-retention');

	const before = await readProgress(page);
	await page.getByRole('button', { name: 'Save retention and reschedule' }).click();
	await expect(page.getByText(/^Retention 80 % saved: \d+ cards rescheduled\./)).toBeVisible();
	const after = await readProgress(page);
	const dueOf = (cards: typeof before.cards) =>
		new Map(cards.map((card) => [card.cardId as string, card.due as number]));
	const was = dueOf(before.cards);
	const moved = after.cards.filter((card) => (card.due as number) > (was.get(card.cardId) ?? 0));
	expect(after.cards.length).toBe(before.cards.length);
	expect(moved.length).toBeGreaterThan(0);
	// no card came due sooner at a lower retention
	for (const card of after.cards)
		expect(card.due as number).toBeGreaterThanOrEqual(was.get(card.cardId) as number);

	// kept after a reload, and in force
	await page.reload();
	await expect(page.getByRole('slider', { name: 'Desired retention' })).toHaveValue('80');
	await expect(page.getByText('Now in force: 80 %.')).toBeVisible();
});
