/**
 * Issue 15, the Chinese edition: every page exists under /zh with <html lang="zh-CN"> and Chinese
 * navigation, passes axe and fits 375 and 1280 px (screenshots in tests/e2e/screenshots/zh-*); the
 * language switch keeps the page and is remembered; a Chinese browser's first visit opens /zh.
 */
import { expect, test } from '@playwright/test';
import { checkPage } from './fixtures';

const PAGES = [
	['', 'today'],
	['/learn', 'learn'],
	['/learn/attention-idea', 'lesson'],
	['/quiz/attention-idea', 'quiz'],
	['/review', 'review'],
	['/playground', 'playground'],
	['/experiment/peek', 'experiment'],
	['/progress', 'progress'],
	['/settings', 'settings']
] as const;

for (const [path, name] of PAGES) {
	test(`/zh${path} is in Chinese, passes axe and fits 375 and 1280 px`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.goto(`/zh${path}`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		const nav = page.getByRole('navigation', { name: '主导航' });
		await expect(nav.getByRole('link', { name: '学习' })).toHaveAttribute('href', '/zh/learn');
		await expect(page.getByRole('link', { name: '跳到正文' })).toBeAttached();
		await page.waitForLoadState('networkidle');
		await checkPage(page, `zh-${name}`);
	});
}

test('the lesson is the Chinese twin of the English one, with links that stay in Chinese', async ({
	page
}) => {
	await page.goto('/zh/learn/dot-product');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('点积');
	const playground = page.locator('a[href^="/zh/playground?"]').first();
	await expect(playground).toBeAttached();
	await expect(page.locator('main a[href^="/playground"]')).toHaveCount(0);
});

test('the language switch opens the same page in the other language and is remembered', async ({
	page
}) => {
	await page.goto('/learn');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('link', { name: '中文' }).click();
	await expect(page).toHaveURL(/\/zh\/learn$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	// remembered: the English entry page now opens in Chinese
	await page.goto('/');
	await expect(page).toHaveURL(/\/zh\/?$/);
	await page.getByRole('link', { name: 'English' }).click();
	await expect(page).toHaveURL(/:\d+\/$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.goto('/settings');
	await expect(page).toHaveURL(/\/settings$/);
});

test.describe('a browser that prefers Chinese', () => {
	test.use({ locale: 'zh-CN' });

	test('opens the Chinese edition on a first visit, and keeps an English choice', async ({
		page
	}) => {
		await page.goto('/learn');
		await expect(page).toHaveURL(/\/zh\/learn$/);
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/learn$/);
		await page.goto('/review');
		await expect(page).toHaveURL(/\/review$/);
	});
});
