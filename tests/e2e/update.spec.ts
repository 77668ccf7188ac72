import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './fixtures';
import {
	prepareTwoBuilds,
	startSwitchingServer,
	type SwitchingServer,
	type TwoBuilds
} from './two-builds';

/*
 * Service-worker updates with two real builds (tests/e2e/two-builds.ts): a new version installs and
 * waits, the open tab is told and keeps its version (online and offline) until the learner reloads.
 */

let builds: TwoBuilds;
let server: SwitchingServer;

test.beforeAll(async () => {
	test.setTimeout(300_000);
	builds = await prepareTwoBuilds();
	server = await startSwitchingServer();
});

test.afterAll(async () => {
	await server?.close();
});

const pageVersion = (page: Page) =>
	page.locator('meta[name="attentive-version"]').getAttribute('content');

const cacheNames = (page: Page) => page.evaluate(() => caches.keys());

/** The update banner: a polite live region (not role=status, which pages use for their own line). */
const banner = (page: Page) =>
	page.locator('[aria-live="polite"]').filter({ hasText: 'new version' });

/** Opens the old build and waits until its worker has cached it and controls the page. */
async function openOld(page: Page, path = '/'): Promise<void> {
	server.serve('old');
	await page.goto(`${server.url}${path}`);
	await page.evaluate(() => navigator.serviceWorker.ready);
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);
	expect(await pageVersion(page)).toBe(builds.old);
}

/** Puts the next build on the server and lets the page's browser find it (a reload checks). */
async function deployNext(page: Page): Promise<void> {
	server.serve('next');
	await page.reload();
	await expect
		.poll(() =>
			page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))
		)
		.toBe(true);
}

test('a new version waits: the open tab keeps its version, works offline, and Reload runs the new one', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await openOld(page);
	await deployNext(page);

	// the reload did not hand the tab to the new worker: still the old page, with the offer
	expect(await pageVersion(page)).toBe(builds.old);
	await expect(banner(page)).toContainText('A new version of Attentive is ready.');
	await expect(banner(page).getByRole('button', { name: 'Reload' })).toBeVisible();
	await expectAccessible(page);
	await page.reload();
	expect(await pageVersion(page)).toBe(builds.old);
	expect((await cacheNames(page)).sort()).toEqual(
		[`attentive-${builds.old}`, `attentive-${builds.next}`].sort()
	);

	// offline, the old version keeps working: a page not opened yet, then a reload
	await context.setOffline(true);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Learn' }).click();
	await expect(page).toHaveURL(/\/learn$/);
	await page.locator('main a[href="/learn/qkv"]').click();
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await page.reload();
	expect(await pageVersion(page)).toBe(builds.old);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	// Reload (still offline: the new version is already cached) moves to the new version
	await banner(page).getByRole('button', { name: 'Reload' }).click();
	await expect.poll(() => pageVersion(page)).toBe(builds.next);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(banner(page)).toHaveCount(0);
	expect(await cacheNames(page)).toEqual([`attentive-${builds.next}`]);
	await context.setOffline(false);
});

test('another old tab, after one tab applied the update, opens its next page in the new version (offline)', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await openOld(page);
	const other = await context.newPage();
	await other.goto(`${server.url}/playground`);
	expect(await pageVersion(other)).toBe(builds.old);
	await deployNext(page);
	await expect(banner(other)).toBeVisible();

	await context.setOffline(true);
	await banner(page).getByRole('button', { name: 'Reload' }).click();
	await expect.poll(() => pageVersion(page)).toBe(builds.next);

	// the other tab was not reloaded under the learner: same page, same version, still offering Reload
	expect(await pageVersion(other)).toBe(builds.old);
	await expect(banner(other)).toBeVisible();
	await expect(other).toHaveURL(/\/playground$/);
	// its old files are gone with the old cache: its next page is a full load of the new version
	await other
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link', { name: 'Learn' })
		.click();
	await expect(other).toHaveURL(/\/learn$/);
	await expect.poll(() => pageVersion(other)).toBe(builds.next);
	await expect(other.getByRole('heading', { level: 1 })).toBeVisible();
	await context.setOffline(false);
});

test('a page older than the data in this browser says so in plain words and offers Reload', async ({
	page
}) => {
	// what a newer build leaves behind: the progress database at a schema this code does not know
	await page.goto('/playground');
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const request = indexedDB.open('attentive', 990);
				request.onsuccess = () => {
					request.result.close();
					resolve();
				};
				request.onerror = () => reject(request.error);
			})
	);
	await page.goto('/');
	// the banner over every page (the page's own error repeats the same words)
	const alert = page.getByRole('alert').filter({ has: page.getByRole('button') });
	await expect(alert).toHaveText(
		/This page is from an older version of Attentive than the data in this browser\. Reload to get the new version\./
	);
	await expect(page.getByText(/stored schema|VersionError/)).toHaveCount(0);
	const reloaded = page.waitForEvent('load');
	await alert.getByRole('button', { name: 'Reload' }).click();
	await reloaded;

	await page.goto('/zh');
	const zh = page.getByRole('alert').filter({ has: page.getByRole('button') });
	await expect(zh).toContainText(
		'此页面来自旧版 Attentive，而本浏览器中的数据来自更新的版本。请重新加载以获取新版本。'
	);
	await expect(zh.getByRole('button', { name: '重新加载' })).toBeVisible();
});
