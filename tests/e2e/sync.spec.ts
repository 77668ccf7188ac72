import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startSyncServer } from '../../scripts/sync-server.mjs';
import { checkPage } from './fixtures';
import { answerCorrectly, course, rateWithKey, readProgress } from './study-helpers';

/**
 * Sync between two browsers (two contexts: two devices, each its own IndexedDB) through the dev
 * CouchDB-compatible server (scripts/sync-server.mjs, started by the test itself).
 */
const DB = 'attentive';
// two browsers, a server and replication: more than the default minute on a loaded 2-core machine
test.describe.configure({ timeout: 150_000 });
const DAY = 86_400_000;

type Server = Awaited<ReturnType<typeof startSyncServer>>;

let servers: Server[] = [];
test.afterEach(async () => {
	await Promise.all(servers.map((server) => server.close()));
	servers = [];
});

async function server(options: Parameters<typeof startSyncServer>[0] = {}): Promise<Server> {
	const started = await startSyncServer({ dbs: [DB], ...options });
	servers.push(started);
	return started;
}

/** A port nothing listens on (a server started and closed). */
async function freePort(): Promise<number> {
	const probe = await startSyncServer();
	await probe.close();
	return probe.port;
}

async function device(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Berlin' });
	return { context, page: await context.newPage() };
}

interface Connection {
	url: string;
	db?: string;
	user?: string;
	password?: string;
	live?: boolean;
}

async function fill(page: Page, connection: Connection): Promise<void> {
	await page.goto('/settings');
	const panel = syncPanel(page);
	await panel.getByLabel('Server address').fill(connection.url);
	await panel.getByLabel('Database name').fill(connection.db ?? DB);
	await panel.getByLabel('User name').fill(connection.user ?? '');
	await panel.getByLabel('Password', { exact: true }).fill(connection.password ?? '');
	await panel.getByLabel(/Live sync/).setChecked(connection.live ?? true);
}

function syncPanel(page: Page) {
	return page.locator('section', { has: page.getByRole('heading', { name: 'Sync', exact: true }) });
}

async function connect(page: Page, connection: Connection): Promise<void> {
	await fill(page, connection);
	await syncPanel(page).getByRole('button', { name: 'Sync now' }).click();
}

/** Answers `count` new cards of a deck's quiz, rating Good. */
async function answer(page: Page, deck: string, count: number): Promise<void> {
	await page.goto(`/quiz/${deck}`);
	for (let i = 0; i < count; i++) {
		const question = await answerCorrectly(page);
		await rateWithKey(page, 3, question.id);
	}
}

async function waitForReviews(page: Page, count: number): Promise<void> {
	await expect
		.poll(async () => (await readProgress(page)).reviews.length, { timeout: 30_000 })
		.toBe(count);
}

/** The stored log and card states, in an order that does not depend on arrival. */
async function stored(page: Page) {
	const progress = await readProgress(page);
	return {
		reviews: progress.reviews.map((r) => ({ ...r })).sort((a, b) => a.id.localeCompare(b.id)),
		cards: progress.cards.sort((a, b) => a.cardId.localeCompare(b.cardId))
	};
}

/** /progress at one fixed moment: every number on it. */
async function progressText(page: Page, now: number): Promise<string> {
	await page.clock.setFixedTime(now);
	await page.goto('/progress');
	await expect(page.getByText(/Days run from 4:00 to 4:00/)).toBeVisible();
	await expect(page.getByText('Current streak')).toBeVisible();
	return page.locator('main').innerText();
}

test('two devices answer different cards while the server is down; once it runs, both hold the union: same log, same schedules, same /progress, no duplicate', async ({
	browser
}) => {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const a = await device(browser);
	const b = await device(browser);

	await connect(a.page, { url });
	await expect(syncPanel(a.page).getByTestId('sync-error')).toContainText(
		'The server did not answer'
	);
	await expect(syncPanel(a.page).getByTestId('sync-state')).toHaveText('Offline, retrying');
	await checkPage(a.page, 'settings-sync-unreachable');
	await connect(b.page, { url });
	await expect(syncPanel(b.page).getByTestId('sync-error')).toBeVisible();

	// offline: the answers are saved locally all the same
	await answer(a.page, 'attention-idea', 2);
	await answer(b.page, 'dot-product', 2);
	await waitForReviews(a.page, 2);
	await waitForReviews(b.page, 2);

	await server({ port });
	// live sync retries by itself; the settings page shows it caught up
	for (const { page } of [a, b]) await page.goto('/settings');
	await waitForReviews(a.page, 4);
	await waitForReviews(b.page, 4);
	for (const { page } of [a, b]) {
		await expect(syncPanel(page).getByTestId('sync-state')).toHaveText('Up to date', {
			timeout: 30_000
		});
		await expect(syncPanel(page).getByTestId('sync-last')).not.toHaveText('Never');
	}
	await expect(syncPanel(a.page).getByTestId('sync-received')).toHaveText('2');

	const fromA = await stored(a.page);
	expect(new Set(fromA.reviews.map((r) => r.id)).size).toBe(4);
	expect(await stored(b.page)).toEqual(fromA);
	const now = Date.now() + DAY;
	expect(await progressText(b.page, now)).toBe(await progressText(a.page, now));
	await a.context.close();
	await b.context.close();
});

test('both devices answer the same card: both keep both answers, and the schedule is the replay of both in time order', async ({
	browser
}) => {
	const { url } = await server();
	const a = await device(browser);
	const b = await device(browser);
	await connect(a.page, { url, live: false });
	await connect(b.page, { url, live: false });
	const first = (await course()).decks.find((d) => d.id === 'attention-idea')!;

	await answer(a.page, first.id, 1);
	await answer(b.page, first.id, 1);
	const cardA = (await readProgress(a.page)).reviews[0].cardId;
	expect((await readProgress(b.page)).reviews[0].cardId).toBe(cardA);

	// one round each, then A again to take B's answer
	for (const page of [a.page, b.page, a.page]) {
		await page.goto('/settings');
		await syncPanel(page).getByRole('button', { name: 'Sync now' }).click();
		await expect(syncPanel(page).getByTestId('sync-state')).toHaveText('Up to date');
	}
	await waitForReviews(a.page, 2);
	await waitForReviews(b.page, 2);
	const both = await stored(a.page);
	expect(both.reviews.map((r) => r.cardId)).toEqual([cardA, cardA]);
	expect(both.cards).toHaveLength(1);
	expect(both.cards[0].answers).toBe(2);
	expect(await stored(b.page)).toEqual(both);

	// the card's state is what a rebuild from the log (both rows, in time order) gives
	await a.page.getByRole('button', { name: 'Check database' }).click();
	await expect(a.page.locator('.report[role="status"]')).toContainText(/nothing needed repair/);
	await a.context.close();
	await b.context.close();
});

test('wrong password, a missing database, an unreachable server and a server without CORS each say so clearly and change nothing locally', async ({
	browser
}) => {
	const locked = await server({ user: 'learner', password: 'right' });
	const noCors = await server({ origins: [] });
	const unreachable = `http://127.0.0.1:${await freePort()}`;
	const { context, page } = await device(browser);
	await answer(page, 'attention-idea', 1);
	const before = await stored(page);
	const panel = syncPanel(page);

	const cases: [Connection, RegExp][] = [
		[
			{ url: locked.url, user: 'learner', password: 'wrong', live: false },
			/Wrong user name or password/
		],
		[
			{ url: locked.url, db: 'nope', user: 'learner', password: 'right', live: false },
			/The database “nope” does not exist on this server/
		],
		[{ url: unreachable, live: false }, /The server did not answer/],
		[{ url: noCors.url, live: false }, /does not allow this site \(CORS is not enabled\)/]
	];
	for (const [connection, message] of cases) {
		await fill(page, connection);
		await panel.getByRole('button', { name: 'Test connection' }).click();
		await expect(panel.getByTestId('sync-outcome')).toHaveText(message);
		if (!message.source.includes('CORS')) {
			// Sync now reports the same kind (CORS looks like no answer to replication itself)
			await panel.getByRole('button', { name: 'Sync now' }).click();
			await expect(panel.getByTestId('sync-error')).toHaveText(message);
		}
		expect(await stored(page)).toEqual(before);
	}
	await checkPage(page, 'settings-sync-error');

	await fill(page, { url: locked.url, user: 'learner', password: 'right', live: false });
	await panel.getByRole('button', { name: 'Test connection' }).click();
	await expect(panel.getByTestId('sync-outcome')).toHaveText('Connected: the database answered.');
	await context.close();
});

/** A backup of `count` reviews over the course's cards, one a day per card, oldest first. */
async function bigBackup(count: number, now: number): Promise<string> {
	const cards = (await course()).decks.flatMap((deck) =>
		deck.questions.map((question) => ({ cardId: question.id, deckId: deck.id }))
	);
	const reviews = Array.from({ length: count }, (_, i) => {
		const card = cards[i % cards.length];
		return {
			id: `bulk-${String(i).padStart(5, '0')}`,
			...card,
			time: now - (count - i) * 60_000 - Math.floor(i / cards.length) * DAY,
			rating: 3,
			correct: null,
			rawAnswer: '',
			seed: null,
			durationMs: 10_000,
			undoes: null
		};
	});
	reviews.sort((x, y) => x.time - y.time);
	return JSON.stringify({
		format: 'attentive-backup',
		version: 1,
		exportedAt: new Date(now).toISOString(),
		counts: { reviews: reviews.length, cards: 0, experimentRuns: 0 },
		settings: {
			dailyNewLimit: 10,
			dailyReviewLimit: 100,
			dayStartHour: 4,
			timeZone: 'Europe/Berlin',
			theme: 'system'
		},
		meta: {},
		reviews,
		cards: [],
		experimentRuns: []
	});
}

test('a backup imported on one device reaches the other; a first sync closed half-way resumes on reopen with every row exactly once; saved settings win on both', async ({
	browser
}) => {
	const { url } = await server();
	const a = await device(browser);
	const b = await device(browser);
	await connect(a.page, { url });
	await expect(syncPanel(a.page).getByTestId('sync-state')).toHaveText('Up to date');

	const count = 600;
	await a.page.getByLabel('Backup file (.json)').setInputFiles({
		name: 'big.json',
		mimeType: 'application/json',
		buffer: Buffer.from(await bigBackup(count, Date.now()))
	});
	await a.page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(a.page.getByText(`Imported ${count} reviews`)).toBeVisible();
	await expect(syncPanel(a.page).getByTestId('sync-sent')).toHaveText(String(count), {
		timeout: 30_000
	});

	// B's first sync: the first batch of documents gets through, then the server goes silent
	let bulkReads = 0;
	await b.context.route(`${url}**`, async (route) => {
		const read = /_bulk_get|_all_docs/.test(route.request().url());
		if (read && ++bulkReads > 1) return; // never answered: the page closes meanwhile
		await route.continue();
	});
	await connect(b.page, { url });
	await expect
		.poll(async () => (await readProgress(b.page)).reviews.length, { timeout: 30_000 })
		.toBeGreaterThan(0);
	// the first sync's progress: documents done of those known so far
	await expect(syncPanel(b.page).getByRole('progressbar', { name: 'First sync' })).toBeVisible();
	await expect(syncPanel(b.page).getByText(/^\d+ of \d+ documents$/)).toBeVisible();
	const halfWay = (await readProgress(b.page)).reviews.length;
	expect(halfWay).toBeLessThan(count);
	await b.page.close();

	await b.context.unroute(`${url}**`);
	const reopened = await b.context.newPage();
	await reopened.goto('/settings'); // live sync resumes by itself at start-up
	await waitForReviews(reopened, count);
	const fromB = await stored(reopened);
	expect(new Set(fromB.reviews.map((r) => r.id)).size).toBe(count);
	expect(fromB).toEqual(await stored(a.page));
	await expect(syncPanel(reopened).getByTestId('sync-state')).toHaveText('Up to date');

	// settings: the newest save wins on every device, and the page says where it came from
	await a.page.goto('/settings');
	await expect(syncPanel(a.page).getByTestId('sync-state')).toHaveText('Up to date');
	await a.page.getByLabel('New cards per day').fill('17');
	await a.page.getByRole('button', { name: 'Save settings' }).click();
	await expect(syncPanel(a.page).getByTestId('sync-settings')).toContainText(
		'saved on this device'
	);
	await expect(reopened.getByLabel('New cards per day')).toHaveValue('17', { timeout: 30_000 });
	await expect(syncPanel(reopened).getByTestId('sync-settings')).toContainText(
		'saved on another device'
	);
	await checkPage(reopened, 'settings-sync');

	// stop syncing on this device: the connection is forgotten, the answers stay
	await syncPanel(reopened).getByRole('button', { name: 'Stop syncing on this device' }).click();
	await expect(syncPanel(reopened).getByTestId('sync-outcome')).toContainText('Sync is off');
	expect(await reopened.evaluate(() => localStorage.getItem('attentive-sync'))).toBeNull();
	await waitForReviews(reopened, count);
	await a.context.close();
	await b.context.close();
});
