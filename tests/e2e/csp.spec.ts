import { expect, test, type Page } from '@playwright/test';

/*
 * Content-Security-Policy (svelte.config.js, scripts/csp.mjs): every page carries it, it blocks what
 * it should, and nothing the app itself does is blocked — lessons (KaTeX, engine figures on tfjs's
 * wasm backend), quiz, review, the experiment (its worker trains on wasm), progress (Chart.js),
 * settings, playground, and Chinese pages.
 */

declare global {
	interface Window {
		__cspViolations: string[];
	}
}

/** Records every CSP violation the page's document reports, and console errors about the policy. */
async function watchViolations(page: Page): Promise<string[]> {
	const fromConsole: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) {
			fromConsole.push(`console: ${message.text()}`);
		}
	});
	await page.addInitScript(() => {
		window.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (event) => {
			window.__cspViolations.push(
				`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
			);
		});
	});
	return fromConsole;
}

async function violations(page: Page, fromConsole: string[]): Promise<string[]> {
	const inPage = await page.evaluate(() => window.__cspViolations);
	return [...inPage, ...fromConsole];
}

/** Opens a page and waits until it has hydrated and finished loading what it loads lazily. */
async function visit(page: Page, path: string): Promise<void> {
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(200);
	await page.waitForLoadState('networkidle');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('every page carries the policy, and it blocks an injected inline script', async ({ page }) => {
	const fromConsole = await watchViolations(page);
	await visit(page, '/learn');
	const policy = await page
		.locator('meta[http-equiv="content-security-policy"]')
		.getAttribute('content');
	expect(policy).toContain("default-src 'self'");
	expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
	expect(policy).toContain("object-src 'none'");
	expect(policy).not.toMatch(/'unsafe-eval'/);
	// the header from `npm start` says the same, plus frame-ancestors (a <meta> cannot)
	const header = (await page.request.get('/learn')).headers()['content-security-policy'];
	expect(header).toBe(`${policy}; frame-ancestors 'none'`);

	const injected = await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__injectedRan = true';
		document.head.append(script);
		return (window as unknown as { __injectedRan?: boolean }).__injectedRan === true;
	});
	expect(injected, 'an injected inline script ran').toBe(false);
	await expect
		.poll(async () => (await violations(page, fromConsole)).join('\n'))
		.toMatch(/script-src/);
});

test('no CSP violation on any lesson, the quiz, review, progress, settings or playground', async ({
	page
}) => {
	test.setTimeout(180_000);
	const fromConsole = await watchViolations(page);
	await visit(page, '/learn');
	const lessons = await page
		.locator('main a[href^="/learn/"]')
		.evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href') ?? ''))]);
	expect(lessons.length).toBeGreaterThanOrEqual(12);
	const pages = [
		'/',
		...lessons,
		'/quiz/attention-idea',
		'/review',
		'/progress',
		'/settings',
		'/playground',
		'/zh',
		'/zh/learn/qkv',
		'/zh/progress',
		'/zh/playground'
	];
	for (const path of pages) {
		await visit(page, path);
		expect(await violations(page, fromConsole), path).toEqual([]);
	}
	// a figure computed in the page by the engine (tfjs, wasm backend) is drawn under the policy
	await visit(page, '/learn/qkv');
	await expect(page.locator('.attention-figure, figure').first()).toBeVisible();
	expect(await violations(page, fromConsole)).toEqual([]);
});

test('no CSP violation while the experiment trains in its worker on the wasm backend', async ({
	page
}) => {
	test.setTimeout(120_000);
	const fromConsole = await watchViolations(page);
	await visit(page, '/experiment/peek');
	await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
	await page.getByLabel('Steps', { exact: true }).fill('20');
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(page.locator('.progress-text')).toHaveText(/^Done: 20 steps in .*wasm backend/, {
		timeout: 60_000
	});
	expect(await violations(page, fromConsole)).toEqual([]);
});
