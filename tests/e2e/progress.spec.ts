/**
 * /progress against a hand-computed history (tests/fixtures/backups/history.json), imported through
 * the settings page's import UI.
 *
 * The learner lives in New York (EST = UTC-5 all of January 2026) and the day starts at 04:00; both
 * come from the backup's settings. The browser itself runs in Tokyo, so any number computed in the
 * browser's zone instead of the learner's would come out different. "Now" is Wed Jan 21, 12:00 EST.
 *
 * The log (local New York time -> learner day; c1, c2 = deck "Why attention?", c3, c4 = deck
 * "Attention scores"; "ret" = counts for true retention: the card's previous answer was on an
 * earlier learner day):
 *
 *   r01 Mon Jan 5 10:00  -> Jan 5   c1 Good   20 s  first answer
 *   r02 Mon Jan 5 10:01  -> Jan 5   c2 Good   30 s  first answer
 *   r03 Mon Jan 5 10:02  -> Jan 5   c3 Again  60 s  first answer, wrong
 *   r04 Tue Jan 6 22:30  -> Jan 6   c1 Good   15 s  ret, recalled   (UTC: Jan 7 03:30)
 *   r05 Tue Jan 6 22:31  -> Jan 6   c3 Good   45 s  ret, recalled, right
 *   r06 Wed Jan 7 02:00  -> Jan 6   c2 Again  30 s  ret, forgotten  (before 04:00: day before)
 *   r07 Wed Jan 7 10:00  -> Jan 7   c2 Good   20 s  ret (previous: Jan 6), recalled
 *   r08 Thu Jan 8 23:59  -> Jan 8   c4 Easy   40 s  first answer, right  (UTC: Jan 9)
 *       Fri Jan 9 - Sun Jan 11: no reviews (the streak breaks)
 *   r09 Mon Jan 12 09:00 -> Jan 12  c1 Hard   25 s  ret, recalled
 *   r10 Mon Jan 12 09:01 -> Jan 12  c4 Again  50 s  ret, forgotten, wrong
 *   r11 Mon Jan 12 09:05 -> Jan 12  c4 Good   35 s  same day: not ret; right
 *   r12 Sun Jan 18 23:30 -> Jan 18  c2 Good   30 s  ret, recalled   (UTC: Jan 19 04:30)
 *   r13 Tue Jan 20 01:00 -> Jan 19  c3 Good   40 s  ret, recalled, right (before 04:00)
 *   r14 Tue Jan 20 12:00 -> Jan 20  c1 Again  20 s  ret, forgotten
 *   r15 Tue Jan 20 12:01 -> Jan 20  c1 Good   10 s  undone by r16: counts nowhere
 *   r16 Tue Jan 20 12:02            undo of r15
 *
 * Reviews per learner day: Jan 5: 3 (20+30+60 = 110 s), Jan 6: 3 (15+45+30 = 90 s), Jan 7: 1 (20 s),
 * Jan 8: 1 (40 s), Jan 12: 3 (25+50+35 = 110 s), Jan 18: 1 (30 s), Jan 19: 1 (40 s), Jan 20: 1 (20 s).
 * Total 14 answers (r15 undone), 460 s = 7 min 40 s, 4 cards.
 * Streaks: days 5-6-7-8 are the longest run (4); today (Jan 21) has no answer yet, so the current
 * streak is the run ending yesterday: Jan 18-19-20 = 3. (In UTC days it would be Jan 19-20 = 2.)
 * True retention, weeks from Monday: Jan 5: r04 r05 r06 r07 = 4, recalled 3 -> 75%;
 * Jan 12: r09 r10 r12 = 3 (Sunday Jan 18 is still that week), recalled 2 -> 67%;
 * Jan 19: r13 r14 = 2, recalled 1 -> 50%.
 * Accuracy (correct, or rating > 1 for self-rated cards) per deck and week:
 * "Why attention?": Jan 5: r01 r02 r04 r06 r07 = 5, right 4 (r06 Again) -> 80%; Jan 12: r09 r12 = 2,
 * 2 -> 100%; Jan 19: r14 = 1, 0 -> 0%. "Attention scores": Jan 5: r03 r05 r08 = 3, right 2 -> 67%;
 * Jan 12: r10 r11 = 2, 1 -> 50%; Jan 19: r13 = 1, 1 -> 100%.
 * Time per week: Jan 5: 8 reviews, 110+90+20+40 = 260 s = 4 min 20 s; Jan 12: r09-r12 = 4 reviews,
 * 25+50+35+30 = 140 s = 2 min 20 s; Jan 19: r13 r14 = 2 reviews, 40+20 = 60 s = 1 min.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { computeStats } from '../../src/lib/progress/stats';
import { syntheticReviews } from '../fixtures/progress/synthetic';
import { checkPage } from './fixtures';
import { readProgress } from './study-helpers';

const HISTORY = 'tests/fixtures/backups/history.json';
const HOSTILE = 'tests/fixtures/backups/hostile.json';
/** Wed Jan 21 2026, 12:00 in New York. */
const NOW = Date.UTC(2026, 0, 21, 17, 0);

const DECK_A = 'Why attention?';
const DECK_D = 'Attention scores - the dot product as similarity';

test.use({ timezoneId: 'Asia/Tokyo', locale: 'en-US' });

/** Imports a backup file through the settings page and waits for the result. */
async function importBackup(page: Page, file: string): Promise<void> {
	await page.goto('/settings');
	await page.getByLabel('Backup file (.json)').setInputFiles(file);
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported \d+ reviews?/)).toBeVisible();
}

/** The text of a table's body: one array of cell texts per row. */
async function tableRows(page: Page, caption: string | RegExp): Promise<string[][]> {
	const table = page
		.locator('table')
		.filter({ has: page.locator('caption', { hasText: caption }) });
	await expect(table).toHaveCount(1);
	return table
		.locator('tbody tr')
		.evaluateAll((rows) =>
			rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim()))
		);
}

async function stat(page: Page, label: string): Promise<string> {
	const item = page
		.locator('.stat-list div')
		.filter({ has: page.getByText(label, { exact: true }) });
	return ((await item.locator('dd').textContent()) ?? '').trim();
}

/** The totals of the hand-computed history (see the table above). */
async function expectHandComputedTotals(page: Page): Promise<void> {
	expect(await stat(page, 'Current streak')).toBe('3 days');
	expect(await stat(page, 'Longest streak')).toBe('4 days');
	expect(await stat(page, 'Reviews')).toBe('14');
	expect(await stat(page, 'Cards studied')).toBe('4');
	expect(await stat(page, 'Time studied')).toBe('7 min 40 s');
}

test('the numbers match a hand-computed history, in the learner’s time zone and day', async ({
	page
}) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.clock.setFixedTime(NOW);
	await importBackup(page, HISTORY);
	expect((await readProgress(page)).reviews).toHaveLength(16);

	await page.goto('/progress');
	await expect(page.getByRole('heading', { name: 'Progress', level: 1 })).toBeVisible();
	await expect(page.getByText('Days run from 4:00 to 4:00 in America/New_York')).toBeVisible();

	await expectHandComputedTotals(page);

	await expect(
		page.getByRole('img', { name: /^Reviews per day over the last 365 days/ })
	).toHaveAttribute(
		'aria-label',
		'Reviews per day over the last 365 days: 14 reviews on 8 days, at most 3 in one day.'
	);
	expect(await tableRows(page, 'Days with reviews')).toEqual([
		['Mon, Jan 5, 2026', '3', '1 min 50 s'],
		['Tue, Jan 6, 2026', '3', '1 min 30 s'],
		['Wed, Jan 7, 2026', '1', '20 s'],
		['Thu, Jan 8, 2026', '1', '40 s'],
		['Mon, Jan 12, 2026', '3', '1 min 50 s'],
		['Sun, Jan 18, 2026', '1', '30 s'],
		['Mon, Jan 19, 2026', '1', '40 s'],
		['Tue, Jan 20, 2026', '1', '20 s']
	]);
	expect(await tableRows(page, 'True retention per week')).toEqual([
		['Jan 5, 2026', '4', '3', '75%'],
		['Jan 12, 2026', '3', '2', '67%'],
		['Jan 19, 2026', '2', '1', '50%']
	]);
	expect(await tableRows(page, 'Accuracy per deck and week')).toEqual([
		[DECK_A, 'Jan 5, 2026', '5', '4', '80%'],
		[DECK_A, 'Jan 12, 2026', '2', '2', '100%'],
		[DECK_A, 'Jan 19, 2026', '1', '0', '0%'],
		[DECK_D, 'Jan 5, 2026', '3', '2', '67%'],
		[DECK_D, 'Jan 12, 2026', '2', '1', '50%'],
		[DECK_D, 'Jan 19, 2026', '1', '1', '100%']
	]);
	expect(await tableRows(page, 'Time studied per week')).toEqual([
		['Jan 5, 2026', '8', '4 min 20 s'],
		['Jan 12, 2026', '4', '2 min 20 s'],
		['Jan 19, 2026', '2', '1 min']
	]);

	// mastery comes from FSRS state (not hand-computed): two studied cards per deck, chances in 0-100%
	const mastery = await tableRows(page, 'Mastery per deck');
	expect(mastery.map((row) => row.slice(0, 2))).toEqual([
		[DECK_A, '2'],
		[DECK_D, '2']
	]);
	for (const row of mastery) expect(row[3]).toMatch(/^(\d|[1-9]\d|100)%$/);

	// the forecast: 30 days from today; the four cards are due within it or later, never twice
	const forecast = await tableRows(page, 'Cards due on each of the next 30 days');
	expect(forecast).toHaveLength(30);
	expect(forecast[0][0]).toBe('Wed, Jan 21, 2026');
	expect(forecast[29][0]).toBe('Thu, Feb 19, 2026');
	expect(forecast.reduce((sum, row) => sum + Number(row[1]), 0)).toBeLessThanOrEqual(4);

	const run = page.locator('.runs li');
	await expect(run).toHaveCount(1);
	await expect(run.locator('time')).toHaveText('Jan 14, 2026, 7:30 PM'); // in New York, not Tokyo
	expect(await tableRows(page, 'Results of the run of Jan 14, 2026, 7:30 PM')).toEqual([
		['Training loss', '2.160', '0.4113'],
		['Honest loss', '2.173', '3.982'],
		['Gradient norm', '0.8421', '0.3307'],
		['Sample divergence', '0.2143', '0.6518'],
		['Attention on the next token', '0', '0.9312']
	]);
	await expect(run.locator('dl').first()).toHaveText(
		/Divergence of real text \(reference\)\s*0\.1877\s*Training time\s*41\.2 s\s*Wall time\s*43\.0 s/
	);

	// every chart is drawn (Chart.js loaded lazily) and has its numbers one click away
	await expect(page.locator('.chart-box canvas')).toHaveCount(5);
	await expect
		.poll(() =>
			page.locator('.chart-box canvas').evaluateAll((all) => all.every((c) => c.clientHeight > 100))
		)
		.toBe(true);
	const summaries = page.getByText('Show the numbers');
	await expect(summaries).toHaveCount(6);

	// by keyboard: a chart's "Show the numbers" opens with Enter
	const retention = page.locator('section', { hasText: 'True retention' }).last();
	await retention.locator('summary').focus();
	await page.keyboard.press('Enter');
	await expect(retention.locator('table')).toBeVisible();
	await page.keyboard.press('Enter');
	await expect(retention.locator('table')).toBeHidden();

	// the charts follow a theme switch (colours re-read from the CSS variables) without errors
	const drawing = () =>
		page
			.locator('.chart-box canvas')
			.first()
			.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
	const lightDrawing = await drawing();
	await page.getByRole('button', { name: /^Theme:/ }).click(); // system -> light
	await page.getByRole('button', { name: /^Theme:/ }).click(); // light -> dark
	await expect.poll(drawing).not.toBe(lightDrawing);
	expect(errors).toEqual([]);
	await page.getByRole('button', { name: /^Theme:/ }).click(); // back to following the system

	await checkPage(page, 'progress');
	await page.emulateMedia({ colorScheme: 'dark' });
	await checkPage(page, 'progress-dark');
	expect(errors).toEqual([]);
});

test('the numbers follow the “new day starts at” setting', async ({ page }) => {
	await page.clock.setFixedTime(NOW);
	await importBackup(page, HISTORY);
	await page.goto('/settings');
	await page.getByLabel('New day starts at').selectOption({ label: '12:00 AM' });
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByText('Settings saved.')).toBeVisible();

	// With midnight: r06 (Jan 7 02:00) moves to Jan 7 and r13 (Jan 20 01:00) to Jan 20, so Jan 19
	// is empty: active days 5 6 7 8 12 18 20 -> current streak 1 (Jan 20), longest still 4.
	// Retention week of Jan 5 loses r07 (c2's previous answer r06 is now the same day): 3, 2 -> 67%.
	await page.goto('/progress');
	expect(await stat(page, 'Current streak')).toBe('1 day');
	expect(await stat(page, 'Longest streak')).toBe('4 days');
	expect(await tableRows(page, 'Days with reviews')).toEqual([
		['Mon, Jan 5, 2026', '3', '1 min 50 s'],
		['Tue, Jan 6, 2026', '2', '1 min'],
		['Wed, Jan 7, 2026', '2', '50 s'],
		['Thu, Jan 8, 2026', '1', '40 s'],
		['Mon, Jan 12, 2026', '3', '1 min 50 s'],
		['Sun, Jan 18, 2026', '1', '30 s'],
		['Tue, Jan 20, 2026', '2', '1 min']
	]);
	expect((await tableRows(page, 'True retention per week'))[0]).toEqual([
		'Jan 5, 2026',
		'3',
		'2',
		'67%'
	]);
});

test('a new learner sees an explanation and the way to the first lesson, not empty charts', async ({
	page
}) => {
	await page.goto('/progress');
	await expect(page.getByRole('heading', { name: 'Nothing to show yet' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Start the first lesson' })).toHaveAttribute(
		'href',
		'/learn'
	);
	await expect(page.locator('canvas')).toHaveCount(0);
	await expect(page.getByText('No experiment runs saved yet.')).toBeVisible();
	await checkPage(page, 'progress-empty');
	await page.getByRole('link', { name: 'Start the first lesson' }).click();
	await expect(page).toHaveURL(/\/learn$/);
});

test('markup in imported text is shown as text and never runs', async ({ page }) => {
	await page.clock.setFixedTime(NOW);
	await page.goto('/settings');
	await page.getByLabel('Backup file (.json)').setInputFiles(HOSTILE);
	// the preview counts, and names the invalid entry with its reason
	expect(await tableRows(page, 'What the file holds')).toEqual([
		['In the file', '2', '1'],
		['New', '1', '1'],
		['Already here', '0', '0'],
		['Invalid', '1', '0']
	]);
	await expect(page.getByText(/^reviews\[1\]\.rating/)).toBeVisible();
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByText(/^Imported 1 review\b/)).toBeVisible();

	await page.goto('/progress');
	const accuracy = await tableRows(page, 'Accuracy per deck and week');
	expect(accuracy[0][0]).toBe('<script>window.__pwned=2</script>');
	const run = page.locator('.runs li');
	await expect(run.getByText('<script>window.__pwned=4</script>')).toBeVisible();
	await expect(run.getByText('<img src=x onerror="window.__pwned=1">').first()).toBeAttached();
	expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
	await expect(page.locator('main img, main script')).toHaveCount(0);
});

test('a database written by the previous version (schema v2) is upgraded in place and shows the same numbers', async ({
	page
}) => {
	const backup = JSON.parse(readFileSync(HISTORY, 'utf8')) as {
		reviews: unknown[];
		settings: Record<string, unknown>;
	};
	await page.clock.setFixedTime(NOW);
	// a page of the app's origin that does not run the app (which would open the database first)
	await page.goto('/favicon.svg');
	await page.evaluate(
		({ reviews, settings }) =>
			new Promise<void>((resolve, reject) => {
				// schema v2 as Dexie stored it (native version 20), written with the bare IndexedDB API
				const open = indexedDB.open('attentive', 20);
				open.onupgradeneeded = () => {
					const db = open.result;
					const log = db.createObjectStore('reviews', { keyPath: 'id' });
					log.createIndex('time', 'time');
					log.createIndex('[cardId+time]', ['cardId', 'time']);
					log.createIndex('undoes', 'undoes');
					const cards = db.createObjectStore('cards', { keyPath: 'cardId' });
					cards.createIndex('due', 'due');
					cards.createIndex('deckId', 'deckId');
					db.createObjectStore('settings', { keyPath: 'key' });
					db.createObjectStore('meta', { keyPath: 'key' });
					db.createObjectStore('experimentRuns', { keyPath: 'id' }).createIndex('time', 'time');
					db.createObjectStore('deckSchedules', { keyPath: 'deckId' });
				};
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction(['reviews', 'settings'], 'readwrite');
					for (const row of reviews) tx.objectStore('reviews').put(row);
					tx.objectStore('settings').put({ key: 'settings', ...settings });
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		backup
	);

	await page.goto('/progress');
	await expect(page.getByText('Days run from 4:00 to 4:00 in America/New_York')).toBeVisible();
	await expectHandComputedTotals(page);
	const stored = await readProgress(page);
	expect(stored.reviews.map((r) => r.id).sort()).toEqual(
		(backup.reviews as { id: string }[]).map((r) => r.id).sort()
	);
	expect(stored.cards).toHaveLength(4);
	const stores = await page.evaluate(
		() =>
			new Promise<string[]>((resolve) => {
				const open = indexedDB.open('attentive');
				open.onsuccess = () => {
					resolve([...open.result.objectStoreNames].sort());
					open.result.close();
				};
			})
	);
	expect(stores).not.toContain('reviews');
	expect(stores).toContain('logs');
});

test('a year of history (36,500 answers) shows the numbers the statistics compute from the same rows', async ({
	page
}) => {
	const settings = {
		dailyNewLimit: 10,
		dailyReviewLimit: 100,
		dayStartHour: 4,
		timeZone: 'America/New_York',
		theme: 'system' as const
	};
	const rows = syntheticReviews({ reviews: 36_500, cards: 400, decks: 10, end: NOW - 3_600_000 });
	const file = test.info().outputPath('year.json');
	writeFileSync(
		file,
		JSON.stringify({
			format: 'attentive-backup',
			version: 1,
			exportedAt: new Date(NOW).toISOString(),
			counts: { reviews: rows.length, cards: 0, experimentRuns: 0 },
			settings,
			meta: {},
			reviews: rows,
			cards: [],
			experimentRuns: []
		})
	);
	const expected = computeStats(rows, [], { now: NOW, ...settings });
	expect(expected.totals.answers).toBeGreaterThan(36_000); // one answer in 200 is undone

	await page.clock.setFixedTime(NOW);
	await importBackup(page, file);
	await page.goto('/progress');
	await expect(page.getByText('Days run from 4:00 to 4:00 in America/New_York')).toBeVisible();
	const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
	expect(await stat(page, 'Current streak')).toBe(days(expected.streak.current));
	expect(await stat(page, 'Longest streak')).toBe(days(expected.streak.longest));
	expect(await stat(page, 'Reviews')).toBe(String(expected.totals.answers));
	expect(await stat(page, 'Cards studied')).toBe(String(expected.totals.cardsStudied));

	const perDay = (await tableRows(page, 'Days with reviews')).map((row) => Number(row[1]));
	expect(perDay).toEqual(expected.calendar.answers.filter((n) => n > 0));
	const retention = (await tableRows(page, 'True retention per week')).map((row) => [
		Number(row[1]),
		Number(row[2])
	]);
	expect(retention).toEqual(expected.retention.map((week) => [week.reviews, week.recalled]));
	expect(retention.length).toBeGreaterThan(50);
});
