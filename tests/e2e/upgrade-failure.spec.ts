/**
 * A failed upgrade in Chromium's real IndexedDB: a schema v2 database whose upgrade fails (the disk
 * "fills up" while the v3 logs are written: `IDBObjectStore.put` on `logs` throws a
 * QuotaExceededError, injected before the app runs) is left at v2 with every row, the layout says
 * so in plain words and offers the raw data, whose download holds every v2 row; once there is room
 * again, a reload upgrades it.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible } from './fixtures';

const t0 = Date.UTC(2026, 0, 5, 15);

const reviews = Array.from({ length: 40 }, (_, i) => ({
	id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
	cardId: `01-why-attention/q-${i % 5}`,
	deckId: '01-why-attention',
	time: t0 + i * 60_000,
	rating: 1 + (i % 4),
	correct: null,
	rawAnswer: '',
	seed: null,
	durationMs: 4000,
	undoes: null
}));

/** Writes a schema v2 database (native version 20) with the bare IndexedDB API. */
async function writeV2(page: Page): Promise<void> {
	await page.evaluate(
		(rows) =>
			new Promise<void>((resolve, reject) => {
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
					const tx = db.transaction('reviews', 'readwrite');
					for (const row of rows) tx.objectStore('reviews').put(row);
					tx.oncomplete = () => {
						db.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		reviews
	);
}

/** The stored database's native version and its `reviews` rows, read without upgrading it. */
function readAsStored(page: Page) {
	return page.evaluate(
		() =>
			new Promise<{ version: number; stores: string[]; reviews: number }>((resolve, reject) => {
				const open = indexedDB.open('attentive');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const stores = [...db.objectStoreNames].sort();
					if (!stores.includes('reviews')) {
						resolve({ version: db.version, stores, reviews: 0 });
						db.close();
						return;
					}
					const count = db.transaction('reviews').objectStore('reviews').count();
					count.onsuccess = () => {
						resolve({ version: db.version, stores, reviews: count.result });
						db.close();
					};
				};
			})
	);
}

test('a failed upgrade keeps the v2 data, says so, and downloads the raw data', async ({
	page
}) => {
	// the disk is full while the upgrade writes the logs (until the test makes room)
	await page.addInitScript(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (...args: Parameters<IDBObjectStore['put']>) {
			if (this.name === 'logs' && !sessionStorage.getItem('room')) {
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			}
			return put.apply(this, args);
		};
	});
	// a page of the app's origin that does not run the app (which would open the database first)
	await page.goto('/favicon.svg');
	await writeV2(page);

	await page.goto('/settings');
	const failure = page.locator('.database-failure');
	await expect(failure.getByText('Your progress could not be upgraded.')).toBeVisible();
	await expect(failure.getByText(/Nothing was changed/)).toBeVisible();
	await expect(failure.getByText(/ran out of storage space/)).toBeVisible();
	await expect(failure.getByText(/raw copy of everything stored/)).toBeVisible();
	await expectAccessible(page);

	// still v2, every row
	expect(await readAsStored(page)).toMatchObject({ version: 20, reviews: reviews.length });

	const download = page.waitForEvent('download');
	await failure.getByRole('button', { name: 'Download the raw data' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^attentive-raw-\d{4}-\d{2}-\d{2}\.json$/);
	const raw = JSON.parse(readFileSync(await file.path(), 'utf8'));
	expect(raw).toMatchObject({ format: 'attentive-raw', version: 20, name: 'attentive' });
	expect(raw.stores.reviews).toEqual(reviews);
	await expect(
		failure.getByText('Raw data downloaded. Keep the file somewhere safe.')
	).toBeVisible();

	// room again: a reload upgrades it
	await page.evaluate(() => sessionStorage.setItem('room', '1'));
	await page.reload();
	await expect(page.locator('.database-failure')).toHaveCount(0);
	await page.goto('/progress');
	await expect(page.locator('.database-failure')).toHaveCount(0);
	const after = await readAsStored(page);
	expect(after.version).toBe(30);
	expect(after.stores).toContain('logs');
	expect(after.stores).not.toContain('reviews');
});

test('a failed upgrade is explained in Chinese on /zh/', async ({ page }) => {
	await page.addInitScript(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (...args: Parameters<IDBObjectStore['put']>) {
			if (this.name === 'logs') throw new DOMException('boom', 'UnknownError');
			return put.apply(this, args);
		};
	});
	await page.goto('/favicon.svg');
	await writeV2(page);
	await page.goto('/zh/settings');
	const failure = page.locator('.database-failure');
	await expect(failure.getByText('无法升级你的学习进度。')).toBeVisible();
	await expect(failure.getByText(/转换时出了问题/)).toBeVisible();
	await expect(failure.getByRole('button', { name: '下载原始数据' })).toBeVisible();
	expect(await readAsStored(page)).toMatchObject({ version: 20, reviews: reviews.length });
});
