import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import sirv from 'sirv';

/*
 * Two real builds of the site for the service-worker update test: `old` is a copy of build/ (the one
 * the other specs test), `next` a second `vite build` with another Kit version
 * (ATTENTIVE_VERSION), so its worker, cache name, version.json and entry chunks differ as in a real
 * deploy. The second build is kept in .svelte-kit/e2e-next and reused while build/ is unchanged
 * (about a minute to make). A small server serves either build and can switch between them.
 */

const OLD_DIR = '.svelte-kit/e2e-old';
const NEXT_DIR = '.svelte-kit/e2e-next';

export interface TwoBuilds {
	old: string;
	next: string;
}

const versionOf = (dir: string): string =>
	(JSON.parse(readFileSync(`${dir}/_app/version.json`, 'utf8')) as { version: string }).version;

export async function prepareTwoBuilds(): Promise<TwoBuilds> {
	const old = versionOf('build');
	const next = `${old}-next`;
	rmSync(OLD_DIR, { recursive: true, force: true });
	cpSync('build', OLD_DIR, { recursive: true });
	if (!existsSync(`${NEXT_DIR}/_app/version.json`) || versionOf(NEXT_DIR) !== next) {
		rmSync(NEXT_DIR, { recursive: true, force: true });
		await promisify(execFile)('npx', ['vite', 'build'], {
			env: { ...process.env, ATTENTIVE_VERSION: next, ATTENTIVE_BUILD_DIR: NEXT_DIR },
			maxBuffer: 64 * 1024 * 1024
		});
	}
	return { old, next };
}

export interface SwitchingServer {
	url: string;
	/** Serve the old or the next build from now on. */
	serve(build: 'old' | 'next'): void;
	close(): Promise<void>;
}

export async function startSwitchingServer(): Promise<SwitchingServer> {
	const handlers = {
		old: sirv(OLD_DIR, { dev: true, etag: true }),
		next: sirv(NEXT_DIR, { dev: true, etag: true })
	};
	let current: 'old' | 'next' = 'old';
	const server: Server = createServer((req, res) => {
		handlers[current](req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		serve: (build) => void (current = build),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
