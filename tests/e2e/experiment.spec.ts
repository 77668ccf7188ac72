import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './fixtures';

declare global {
	interface Window {
		__longTasks: { start: number; duration: number }[];
		__frames: { start: number; end: number; scripts: string[] }[];
		__seen: { progress: number; chart: string }[];
	}
}

const URL = '/experiment/peek';
const DONE = /^Done: \d+ steps in/;

/**
 * Every main-thread task over 50 ms, from the first moment of the page, and the scripts of every
 * long animation frame (so that a failure names what ran).
 */
async function recordLongTasks(page: Page) {
	await page.addInitScript(() => {
		window.__longTasks = [];
		window.__frames = [];
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) {
				window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
			}
		}).observe({ type: 'longtask', buffered: true });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as (PerformanceEntry & {
				scripts: {
					invoker: string;
					sourceURL: string;
					sourceFunctionName: string;
					duration: number;
				}[];
			})[]) {
				window.__frames.push({
					start: entry.startTime,
					end: entry.startTime + entry.duration,
					scripts: entry.scripts.map(
						(s) =>
							`${s.invoker} ${s.sourceURL.split('/').pop()}:${s.sourceFunctionName} ${Math.round(s.duration)} ms`
					)
				});
			}
		}).observe({ type: 'long-animation-frame', buffered: true });
	});
}

/**
 * How much slower this page's main thread runs a fixed piece of work (objects, strings, a sort)
 * than on an idle CI machine (15-22 ms there; `IDLE_WORK_MS`), at least 1. These machines are
 * shared and their speed varies 2× between runs, so a time bound on the page is scaled by this
 * same-run baseline: on an idle machine it holds as written.
 */
const IDLE_WORK_MS = 20;
async function mainThreadSlowdown(page: Page): Promise<number> {
	const runs: number[] = [];
	for (let i = 0; i < 7; i++) {
		runs.push(
			await page.evaluate(() => {
				const started = performance.now();
				const rows: { x: number; s: string }[] = [];
				for (let j = 0; j < 40_000; j++) rows.push({ x: (j * 7919) % 10_007, s: String(j) });
				rows.sort((a, b) => a.x - b.x || (a.s < b.s ? -1 : 1));
				return performance.now() - started;
			})
		);
	}
	// the first two compile the code; the fastest of the other five is the machine's speed now
	return Math.max(1, Math.min(...runs.slice(2)) / IDLE_WORK_MS);
}

async function open(page: Page) {
	await page.goto(URL);
	await expect(page.getByRole('heading', { level: 1, name: 'Peek at the future' })).toBeVisible();
	// hydrated: the form reacts (the page is prerendered)
	await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
	await page.waitForLoadState('networkidle');
}

function progressText(page: Page) {
	return page.locator('.progress-text');
}

/** The page's table of where the curves ended: [with mask, without mask]. */
async function endValues(page: Page, label: string): Promise<[number, number]> {
	const table = page.getByRole('table', { name: /Median of the last 10% of steps/ });
	const cells = table.getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');
	const texts = await cells.allTextContents();
	expect(texts).toHaveLength(2);
	return [Number.parseFloat(texts[0]), Number.parseFloat(texts[1])];
}

interface StoredRun {
	time: number;
	config: Record<string, unknown>;
	summary: {
		masked: Record<string, number>;
		unmasked: Record<string, number>;
	};
}

/** Reads the saved runs straight from IndexedDB (not through the app's code). */
function storedRuns(page: Page): Promise<StoredRun[]> {
	return page.evaluate(
		() =>
			new Promise<StoredRun[]>((resolve, reject) => {
				const request = indexedDB.open('attentive');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('experimentRuns')) {
						db.close();
						resolve([]);
						return;
					}
					const all = db.transaction('experimentRuns').objectStore('experimentRuns').getAll();
					all.onsuccess = () => {
						db.close();
						resolve(all.result as StoredRun[]);
					};
					all.onerror = () => reject(all.error);
				};
			})
	);
}

test('a short run: the progress bar and curves move, both maps and samples appear, the run is saved', async ({
	page
}) => {
	test.setTimeout(120_000);
	await open(page);
	await checkPage(page, 'experiment');

	await page.getByLabel('Steps', { exact: true }).fill('60');
	// sample the progress bar and the chart's text alternative while it trains
	await page.evaluate(() => {
		window.__seen = [];
		const timer = setInterval(() => {
			const bar = document.querySelector<HTMLProgressElement>('#peek-progress');
			const chart = document.querySelector('.chart-box')?.getAttribute('aria-label') ?? '';
			if (bar) window.__seen.push({ progress: bar.value, chart });
			if (document.querySelector('.progress-text')?.textContent?.includes('Done')) {
				clearInterval(timer);
			}
		}, 30);
	});
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(progressText(page)).toHaveText(DONE, { timeout: 60_000 });

	const seen = await page.evaluate(() => window.__seen);
	const partial = seen.filter((s) => s.progress > 0 && s.progress < 60).map((s) => s.progress);
	expect(new Set(partial).size, 'distinct progress values before the end').toBeGreaterThanOrEqual(
		2
	);
	const chartSteps = new Set(
		seen.map((s) => /At step (\d+)/.exec(s.chart)?.[1]).filter((step) => step && step !== '60')
	);
	expect(chartSteps.size, 'chart redraws before the end').toBeGreaterThanOrEqual(2);
	await expect(page.locator('#peek-progress')).toHaveAttribute('value', '60');

	// the numbers behind the training-loss chart: every 6th step, last row step 60
	const training = page.getByRole('region', { name: 'Training loss' });
	await training.getByText('Numbers').click();
	const rows = training.getByRole('table').getByRole('row');
	await expect(rows).toHaveCount(11);
	await expect(rows.last().getByRole('rowheader')).toHaveText('60');

	const [maskedTrain, unmaskedTrain] = await endValues(page, 'Training loss');
	expect(unmaskedTrain).toBeLessThan(maskedTrain / 2);

	for (const name of ['With mask (table)', 'Without mask (table)']) {
		const map = page.getByRole('region', { name });
		await expect(map.getByRole('row')).toHaveCount(13);
		await expect(map.getByRole('columnheader')).toHaveCount(12);
	}
	const samples = page.locator('.samples figure');
	await expect(samples).toHaveCount(2);
	for (const sample of await samples.all()) {
		await expect(sample.locator('pre')).toContainText(/^The /);
		await expect(sample).toContainText(/Divergence from the text: \d/);
	}
	await expect(page.getByRole('link', { name: 'Read the lesson: Why the mask?' })).toHaveAttribute(
		'href',
		'/learn/why-mask'
	);

	// saved: in IndexedDB and listed, also after a reload
	const runsList = page.locator('ol.runs > li');
	await expect(runsList).toHaveCount(1);
	await expect(runsList.first()).toContainText('60 steps');
	const stored = await storedRuns(page);
	expect(stored).toHaveLength(1);
	expect(stored[0].config.steps).toBe(60);
	expect(stored[0].summary.unmasked.train_loss).toBeLessThan(stored[0].summary.masked.train_loss);

	// the sticky header would sit in the middle of a full-page screenshot taken scrolled down
	await page.evaluate(() => window.scrollTo(0, 0));
	await checkPage(page, 'experiment-run');
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.evaluate(() => window.scrollTo(0, 0));
	await checkPage(page, 'experiment-run-dark');

	await page.reload();
	await expect(page.locator('ol.runs > li')).toHaveCount(1);
	await expect(page.locator('ol.runs > li').first()).toContainText('60 steps');
});

test('Stop ends a run early and Run works again', async ({ page }) => {
	await open(page);
	await page.getByLabel('Steps', { exact: true }).fill('2000');
	await page.getByRole('button', { name: 'Run' }).click();
	const stop = page.getByRole('button', { name: 'Stop' });
	await expect(stop).toBeEnabled();
	await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();
	await expect(progressText(page)).toHaveText(/Step ([2-9]\d|\d{3,}) of 2000/, { timeout: 30_000 });
	await stop.click();
	await expect(progressText(page)).toHaveText(/Stopped at step \d+ of 2000/);
	await expect(page.getByRole('status')).toHaveText(/Stopped after \d+ of 2000 steps/);
	await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
	await expect(page.getByRole('button', { name: 'Run' })).toBeFocused();
	await expect(stop).toBeDisabled();
	// no result, nothing saved
	await expect(page.getByRole('heading', { name: 'Where the models ended' })).toHaveCount(0);
	expect(await storedRuns(page)).toHaveLength(0);

	// runs again after a stop
	await page.getByLabel('Steps', { exact: true }).fill('20');
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(progressText(page)).toHaveText(DONE, { timeout: 60_000 });
});

test('the page stays responsive while it trains: no main-thread task over 100 ms (the click on Run under 200 ms)', async ({
	page
}) => {
	test.setTimeout(120_000);
	await recordLongTasks(page);
	await open(page);
	// the page has finished loading (charts drawn, saved runs read): no long task for a second, so
	// the layout and work left over from loading are not counted against training
	await expect
		.poll(
			async () => {
				const before = await page.evaluate(() => window.__longTasks.length);
				await page.waitForTimeout(1000);
				return (await page.evaluate(() => window.__longTasks.length)) === before;
			},
			{ timeout: 15_000, intervals: [0] }
		)
		.toBe(true);
	const slowdown = await mainThreadSlowdown(page);
	const runStart = await page.evaluate(() => performance.now());
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(progressText(page)).toHaveText(DONE, { timeout: 100_000 });
	// the result is drawn and saved after Done
	await expect(page.locator('ol.runs > li')).toHaveCount(1);
	await page.waitForTimeout(300);
	const { tasks, frames } = await page.evaluate(() => ({
		tasks: window.__longTasks,
		frames: window.__frames
	}));
	const during = tasks.filter((t) => t.start >= runStart);
	const before = tasks.filter((t) => t.start < runStart);
	const ms = (list: typeof tasks) => list.map((t) => Math.round(t.duration)).join(', ') || 'none';
	console.log(
		`long tasks (> 50 ms) before Run: ${ms(before)}; after Run: ${ms(during)}; main thread ${slowdown.toFixed(2)}× slower than idle`
	);
	const overlaps = (f: (typeof frames)[number], t: (typeof tasks)[number]) =>
		f.start <= t.start + t.duration && f.end >= t.start;
	for (const task of during.filter((t) => t.duration > 100)) {
		const scripts = frames.filter((f) => overlaps(f, task)).flatMap((f) => f.scripts);
		console.log(
			`${Math.round(task.duration)} ms at ${Math.round(task.start - runStart)} ms after Run: ${scripts.join('; ')}`
		);
	}
	// The task that handles the click on Run draws the progress section: it answers the learner's
	// own input, so it is held to the "good" interaction bound (INP < 200 ms, web.dev); every task
	// while the models train must stay under 100 ms. On a loaded 2-core CI machine the click's task
	// measured 130 ms once, of which 18 ms was our script (the rest: style and layout). Both bounds
	// are for an idle machine and scale with this run's `slowdown`: a live chart's update takes about
	// 60 ms idle, and took 114 ms once on a loaded machine.
	const runTask = during.find((t) =>
		frames.some((f) => overlaps(f, t) && f.scripts.some((s) => s.startsWith('FORM.onsubmit')))
	);
	expect(runTask?.duration ?? 0).toBeLessThan(200 * slowdown);
	expect(during.filter((t) => t !== runTask && t.duration > 100 * slowdown)).toEqual([]);
});

test('acceptance: the default run in the browser shows the peek effect', async ({ page }) => {
	test.setTimeout(120_000);
	await open(page);
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(progressText(page)).toHaveText(DONE, { timeout: 110_000 });

	const [maskedTrain, unmaskedTrain] = await endValues(page, 'Training loss');
	const [maskedHonest, unmaskedHonest] = await endValues(page, 'Honest loss');
	const [maskedNorm, unmaskedNorm] = await endValues(page, 'Gradient norm');
	const done = await progressText(page).textContent();
	const wall = /in ([\d.]+) s/.exec(done ?? '')?.[1];
	console.log(
		`default run (300 steps): wall time ${wall} s — ${done?.trim()}\n` +
			`  training loss  masked ${maskedTrain}  unmasked ${unmaskedTrain}\n` +
			`  honest loss    masked ${maskedHonest}  unmasked ${unmaskedHonest}\n` +
			`  gradient norm  masked ${maskedNorm}  unmasked ${unmaskedNorm}`
	);
	expect(unmaskedTrain).toBeLessThanOrEqual(0.05);
	expect(maskedTrain).toBeGreaterThanOrEqual(0.5);
	expect(unmaskedHonest).toBeGreaterThanOrEqual(3 * maskedHonest);
	expect(maskedNorm).toBeGreaterThanOrEqual(10 * unmaskedNorm);
	// the explanation quotes the same numbers
	await expect(page.getByText(/Its training loss ended at/)).toContainText(String(unmaskedTrain));
});

test('an empty or too-short pasted text is refused with a clear message', async ({ page }) => {
	await open(page);
	await page.getByLabel('Paste your own text').check();
	const text = page.getByLabel('Your text');
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(
		page.getByText(/Paste a text to train on \(at least 500 characters\)/)
	).toBeVisible();
	await expect(text).toHaveAttribute('aria-invalid', 'true');
	await expect(text).toBeFocused();
	await expect(page.locator('#peek-progress')).toHaveCount(0);

	await text.fill('Too short to learn anything from.');
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(
		page.getByText('The text is too short: 33 characters, at least 500 are needed.')
	).toBeVisible();
	await expect(page.locator('#peek-progress')).toHaveCount(0);
	await expect(page.getByRole('status')).toHaveText(/did not start/);
	expect(await storedRuns(page)).toHaveLength(0);
	await checkPage(page, 'experiment-invalid');

	await page.getByLabel('Steps', { exact: true }).fill('5');
	await text.fill('ab'.repeat(300));
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(page.getByText(/Steps must be a whole number from 10 to 2000/)).toBeVisible();
	await expect(page.getByLabel('Steps', { exact: true })).toBeFocused();
	await expect(page.locator('#peek-progress')).toHaveCount(0);
});
