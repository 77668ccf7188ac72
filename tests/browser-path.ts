import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export const INSTALL_HINT =
	'No Chromium found for the browser tests. Install one with:\n' +
	'  sudo apt-get update && sudo apt-get install -y chromium\n' +
	'or point CHROMIUM_PATH at a Chromium/Chrome binary.';

/**
 * The browser the tests drive: $CHROMIUM_PATH, else Playwright's own download, else Debian's
 * /usr/bin/chromium. Throws with the install command when there is none.
 */
export function findChromium(): string {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) {
		if (existsSync(fromEnv)) return fromEnv;
		throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.\n${INSTALL_HINT}`);
	}
	let own: string | undefined;
	try {
		own = chromium.executablePath();
	} catch {
		own = undefined;
	}
	if (own && existsSync(own)) return own;
	for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
		if (existsSync(candidate)) return candidate;
	}
	throw new Error(INSTALL_HINT);
}
