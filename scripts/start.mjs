#!/usr/bin/env node
// `npm start`: build the site if it is missing or older than its sources, then serve build/ and print the URL.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import sirv from 'sirv';
import { ensureBuilt } from './build-if-needed.mjs';
import {
	cspDirectives,
	HEADER_ONLY,
	ISOLATION_HEADERS,
	serializeCsp,
	workerCspDirectives
} from './csp.mjs';

await ensureBuilt();

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
const serve = sirv('build', { etag: true, single: false, dev: false, setHeaders });

// The page's own policy (its <meta>, with Kit's hashes for that page) as a header too, plus what only
// a header can say; the experiment's worker gets the worker policy (its wasm threads are blob:
// workers); other files (the service worker, modules, assets) the policy without page hashes.
const BASE_POLICY = `${serializeCsp(cspDirectives())}; ${HEADER_ONLY}`;
const WORKER_POLICY = `${serializeCsp(workerCspDirectives())}; ${HEADER_ONLY}`;
const ROOT = resolve('build') + sep;
/** @type {Map<string, string>} */
const pagePolicies = new Map();

/** @param {import('node:http').ServerResponse} res @param {string} pathname */
function setHeaders(res, pathname) {
	const page = pageFile(pathname);
	const worker = pathname.startsWith('/_app/immutable/workers/') && pathname.endsWith('.js');
	res.setHeader(
		'content-security-policy',
		page ? pagePolicy(page) : worker ? WORKER_POLICY : BASE_POLICY
	);
	res.setHeader('x-content-type-options', 'nosniff');
	// cross-origin isolation on every response (the page, its worker and everything they load), so
	// the experiment's worker may use SharedArrayBuffer and tfjs's threaded wasm build
	for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
}

/** The HTML file sirv serves for a request path ('/learn' is learn.html, '/' index.html), if any. */
function pageFile(/** @type {string} */ pathname) {
	const candidates = pathname.endsWith('.html')
		? [pathname]
		: extname(pathname)
			? []
			: [`${pathname.replace(/\/$/, '')}.html`, join(pathname, 'index.html')];
	return candidates
		.map((file) => join('build', file))
		.find((file) => resolve(file).startsWith(ROOT) && existsSync(file));
}

/** @param {string} file */
function pagePolicy(file) {
	let policy = pagePolicies.get(file);
	if (policy === undefined) {
		const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/.exec(
			readFileSync(file, 'utf8')
		);
		policy = meta ? `${meta[1].replaceAll('&#39;', "'")}; ${HEADER_ONLY}` : BASE_POLICY;
		pagePolicies.set(file, policy);
	}
	return policy;
}

const server = createServer((req, res) => {
	serve(req, res, () => {
		res.statusCode = 404;
		res.setHeader('content-type', 'text/plain; charset=utf-8');
		res.end('Not found');
	});
});

server.on('error', (error) => {
	if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE') {
		console.error(`Port ${port} is in use. Start on another one with: PORT=4174 npm start`);
		process.exit(1);
	}
	throw error;
});

server.listen(port, host, () => {
	console.log(`Attentive is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`);
	console.log('Press Ctrl+C to stop.');
});
