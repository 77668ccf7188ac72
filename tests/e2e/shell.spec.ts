import { expect, test } from '@playwright/test';
import { checkPage, expectAccessible } from './fixtures';

test('home page says what Attentive is and passes axe at both widths', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('self-attention');
	await expect(page).toHaveTitle(/Attentive/);
	await checkPage(page, 'home');
});

test('skip link is the first tab stop and moves focus to the main content', async ({ page }) => {
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
});

test('theme toggle follows the system, switches, and is remembered across reloads', async ({
	page
}) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('/');
	const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	const systemDark = await background();
	const toggle = page.getByRole('button', { name: /^Theme:/ });
	await expect(toggle).toHaveAccessibleName(/Theme: system/);
	await toggle.click(); // system -> light
	await expect(toggle).toHaveAccessibleName(/Theme: light/);
	const light = await background();
	expect(light).not.toBe(systemDark);
	await page.reload();
	await expect(page.getByRole('button', { name: /^Theme: light/ })).toBeVisible();
	expect(await background()).toBe(light);
	await page.getByRole('button', { name: /^Theme:/ }).click(); // light -> dark
	expect(await background()).toBe(systemDark);
	await expectAccessible(page);
});

test('every navigation link leads to a page that exists', async ({ page, request }) => {
	await page.goto('/');
	const hrefs = await page
		.getByRole('navigation', { name: 'Main' })
		.getByRole('link')
		.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
	expect(hrefs.length).toBeGreaterThan(0);
	for (const href of hrefs) {
		const response = await request.get(href!);
		expect(response.status(), `${href}`).toBe(200);
	}
});

test('after one visit the app loads with the network off (service worker)', async ({
	page,
	context
}) => {
	await page.goto('/');
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// wait until the worker controls the page, so the reload goes through it
	await page.reload();
	await expect
		.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
		.toBe(true);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('self-attention');
	await context.setOffline(false);
});
