import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from './tests/browser-path';

const PORT = Number(process.env.E2E_PORT ?? 4317);

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 1,
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
	webServer: {
		command: `node scripts/start.mjs`,
		env: { PORT: String(PORT) },
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: false,
		timeout: 180_000
	}
});
