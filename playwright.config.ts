import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from './tests/browser-path';

const PORT = Number(process.env.E2E_PORT ?? 4317);

/**
 * Specs that time things or start servers of their own (the experiment's speed, threads, a second
 * build, a sync server): they run after the others, one at a time, so that a parallel neighbour
 * neither slows them nor takes their port.
 */
const ALONE = /(experiment|threads|update|sync)\.spec\.ts$/;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	// two files at a time: the suite is mostly axe, screenshots and page loads, which overlap well
	workers: Number(process.env.E2E_WORKERS ?? 2),
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		browserName: 'chromium',
		launchOptions: { executablePath: findChromium(), args: CHROMIUM_FLAGS },
		trace: 'retain-on-failure'
	},
	projects: [
		{ name: 'pages', testIgnore: ALONE },
		{ name: 'alone', testMatch: ALONE, dependencies: ['pages'], workers: 1 }
	],
	webServer: {
		command: `node scripts/start.mjs`,
		env: { PORT: String(PORT) },
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: false,
		timeout: 180_000
	}
});
