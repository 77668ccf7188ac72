import { readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

/*
 * Threads where the browser allows them (issue #18): `npm start` sends COOP/COEP, so the page is
 * cross-origin isolated, the experiment's worker runs tfjs's threaded SIMD wasm build, and the
 * page says so; a run still finishes under the CSP. Without isolation (a host that does not send
 * the headers) the worker runs the single-threaded build.
 */

const URL = '/experiment/peek';

async function runSteps(page: Page, steps: number) {
	await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
	await page.getByLabel('Steps', { exact: true }).fill(String(steps));
	await page.getByRole('button', { name: 'Run' }).click();
	await expect(page.locator('.progress-text')).toHaveText(/^Done: \d+ steps in .*wasm backend/, {
		timeout: 90_000
	});
}

test('npm start isolates every response: COOP same-origin, COEP credentialless', async ({
	page
}) => {
	for (const path of ['/', URL, '/service-worker.js']) {
		const headers = (await page.request.get(path)).headers();
		expect(headers['cross-origin-opener-policy'], path).toBe('same-origin');
		expect(headers['cross-origin-embedder-policy'], path).toBe('credentialless');
	}
	await page.goto(URL);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('the experiment picks its wasm build by the cores it has and the page says which and why', async ({
	page
}) => {
	test.setTimeout(120_000);
	const errors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	await page.goto(URL);
	await runSteps(page, 20);
	const build = page.locator('.build');
	const cores = await page.evaluate(() => navigator.hardwareConcurrency);
	if (cores < 4) {
		// tfjs would give the threaded build one thread (one per two cores): the single-threaded
		// build runs, and the isolated page says why there are no threads
		await expect(build).toHaveAttribute('data-threaded', 'false');
		await expect(build).toContainText('wasm, SIMD, single thread');
		await expect(build).toContainText('Threads are used on machines with 4 or more logical cores');
		expect(page.workers().filter((worker) => worker.url().startsWith('blob:'))).toHaveLength(0);
	} else {
		// tfjs 4.22 uses one thread per two logical cores; the app asks for at most 4
		const threads = Math.min(4, Math.floor(cores / 2));
		await expect(build).toHaveAttribute('data-threaded', 'true');
		await expect(build).toHaveAttribute('data-threads', String(threads));
		await expect(build).toContainText(`wasm, SIMD, ${threads} threads`);
		// the threaded build's thread pool: blob: workers started by the experiment's worker
		expect(
			page.workers().filter((worker) => worker.url().startsWith('blob:')).length
		).toBeGreaterThan(0);
	}
	expect(errors).toEqual([]);
});

test('the worker policy allows the wasm threads (blob: workers), pages keep the strict one', async ({
	request
}) => {
	const pagePolicy = (await request.get(URL)).headers()['content-security-policy'];
	expect(pagePolicy).not.toContain('blob:');
	const workers = readdirSync('build/_app/immutable/workers').filter((f) => f.endsWith('.js'));
	expect(workers.length).toBeGreaterThan(0);
	for (const file of workers) {
		const policy = (await request.get(`/_app/immutable/workers/${file}`)).headers()[
			'content-security-policy'
		];
		expect(policy).toMatch(/script-src [^;]*blob:/);
		expect(policy).toMatch(/worker-src 'self' blob:/);
		expect(policy).toContain("default-src 'self'");
	}
});

test('without isolation the worker falls back to the single-threaded build', async ({
	browser
}) => {
	test.setTimeout(120_000);
	// the same app with the isolation headers removed and no service worker: not isolated
	const context = await browser.newContext({ serviceWorkers: 'block' });
	await context.route('**/*', async (route) => {
		const response = await route.fetch();
		const headers = { ...response.headers() };
		delete headers['cross-origin-opener-policy'];
		delete headers['cross-origin-embedder-policy'];
		await route.fulfill({ response, headers });
	});
	const page = await context.newPage();
	await page.goto(URL);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	await runSteps(page, 10);
	await expect(page.locator('.build')).toHaveAttribute('data-threaded', 'false');
	await expect(page.locator('.build')).toContainText('wasm, SIMD, single thread');
	await expect(page.locator('.build')).toContainText('this one is not');
	await context.close();
});
