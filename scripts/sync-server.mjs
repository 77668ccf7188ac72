#!/usr/bin/env node
/**
 * A CouchDB-compatible server for developing and testing sync: express-pouchdb (the HTTP layer of
 * pouchdb-server) over PouchDB's in-memory adapter. Everything is lost when it stops. Installs with
 * no native build (pouchdb-server needs leveldown, whose binaries come from GitHub).
 *
 *   npm run sync-server -- [--port 5984] [--host 127.0.0.1] [--db attentive-alice]…
 *                          [--user admin --password secret] [--origin http://localhost:5173]…
 *                          [--no-cors]
 *
 * --port 0 picks a free port. Prints `Sync server listening on http://HOST:PORT/` once it listens.
 * --db creates a database at start (the app never creates one: it reports it missing).
 * --user/--password make that user the server admin and refuse requests without credentials
 *   (401), like a CouchDB 3 database; a wrong password is a 401 too. Without them anyone may do
 *   anything ("admin party"). For development only: not hardened, nothing persists.
 * CORS: any origin is allowed (with credentials) unless --origin lists them; --no-cors sends no CORS
 * headers (to see what the app says about a server that does not allow it).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

const CORS_HEADERS = 'accept, authorization, content-type, origin, referer, x-csrf-token';
const CORS_METHODS = 'GET, PUT, POST, HEAD, DELETE';
const CORS_EXPOSE =
	'content-type, cache-control, accept-ranges, etag, server, x-couch-request-id, x-couch-update-newedits, x-couchdb-body-time';

/**
 * @typedef {object} SyncServerOptions
 * @property {number} [port] 0 (default) picks a free one
 * @property {string} [host]
 * @property {string[]} [dbs] databases to create
 * @property {string} [user] server admin; requests need credentials when set
 * @property {string} [password]
 * @property {string[] | null} [origins] allowed CORS origins: null (default) any, [] none
 */

/**
 * Starts the server; resolves with its URL (ending in `/`) and `close()`.
 * @param {SyncServerOptions} [options]
 * @returns {Promise<{ url: string, port: number, traffic: () => { requests: number, bytesIn: number, bytesOut: number }, close: () => Promise<void> }>}
 */
export async function startSyncServer(options = {}) {
	const { port = 0, host = '127.0.0.1', dbs = [], user, password, origins = null } = options;
	// a prefix of its own: memory databases are shared by name within a process
	const prefix = `sync-server-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}/`;
	const ServerPouch = withPlugins().defaults({ adapter: 'memory', prefix });
	const app = expressPouchDB(ServerPouch, {
		inMemoryConfig: true,
		mode: 'fullCouchDB',
		overrideMode: { exclude: ['routes/fauxton', 'routes/http-log'] }
	});
	if (user) {
		await new Promise((resolve) =>
			app.couchConfig.set('admins', user, password ?? '', () => resolve(undefined))
		);
	}
	for (const name of dbs) await new ServerPouch(name).info();

	const traffic = { requests: 0, bytesIn: 0, bytesOut: 0 };
	const server = createServer((req, res) => {
		countTraffic(req, res, traffic);
		const origin = req.headers.origin;
		if (origin && (origins === null || origins.includes(origin))) {
			res.setHeader('Access-Control-Allow-Origin', origin);
			res.setHeader('Access-Control-Allow-Credentials', 'true');
			res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE);
			res.setHeader('Vary', 'Origin');
			if (req.method === 'OPTIONS') {
				res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
				res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
				res.setHeader('Access-Control-Max-Age', '600');
				res.writeHead(204).end();
				return;
			}
		}
		if (user && needsCredentials(req)) {
			res.writeHead(401, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error: 'unauthorized', reason: 'Authentication required.' }));
			return;
		}
		app(req, res);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const shownHost = host.includes(':') ? `[${host}]` : host;
	return {
		url: `http://${shownHost}:${address.port}/`,
		port: address.port,
		/** Requests served and bytes of their bodies received and sent (as sent: compressed). */
		traffic: () => ({ ...traffic }),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			})
	};
}

/**
 * Counts a request and the bytes of its body and of the response's (headers excluded).
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {{ requests: number, bytesIn: number, bytesOut: number }} traffic
 */
function countTraffic(req, res, traffic) {
	traffic.requests++;
	// from the header: a 'data' listener would consume the body before express-pouchdb reads it
	traffic.bytesIn += Number(req.headers['content-length'] ?? 0) || 0;
	const size = (/** @type {unknown} */ chunk) =>
		typeof chunk === 'string'
			? Buffer.byteLength(chunk)
			: chunk instanceof Uint8Array
				? chunk.byteLength
				: 0;
	const write = res.write.bind(res);
	const end = res.end.bind(res);
	res.write = /** @type {typeof res.write} */ (
		(/** @type {unknown} */ chunk, /** @type {any[]} */ ...rest) => {
			traffic.bytesOut += size(chunk);
			return write(/** @type {any} */ (chunk), ...rest);
		}
	);
	res.end = /** @type {typeof res.end} */ (
		(/** @type {unknown} */ chunk, /** @type {any[]} */ ...rest) => {
			if (typeof chunk !== 'function') traffic.bytesOut += size(chunk);
			return end(/** @type {any} */ (chunk), ...rest);
		}
	);
}

/**
 * PouchDB with the adapters and plugins the server needs. `plugin` changes the one PouchDB class of
 * the process (a test may have added some already), and adding replication twice throws.
 */
function withPlugins() {
	PouchDB.plugin(memory).plugin(http);
	if (!Object.hasOwn(PouchDB.prototype, 'query')) PouchDB.plugin(mapreduce);
	if (!Object.hasOwn(PouchDB, 'replicate')) PouchDB.plugin(replication);
	return PouchDB;
}

/**
 * Whether a request must carry credentials (an admin is set): all but the welcome (`GET /`), the
 * session endpoint (to log in) and preflights. express-pouchdb checks the credentials themselves.
 * @param {import('node:http').IncomingMessage} req
 */
function needsCredentials(req) {
	const path = (req.url ?? '/').split('?')[0];
	if (path === '/' || path === '/_session' || req.method === 'OPTIONS') return false;
	const cookie = req.headers.cookie ?? '';
	return !req.headers.authorization && !/(^|;\s*)AuthSession=/.test(cookie);
}

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '5984' },
			host: { type: 'string', default: '127.0.0.1' },
			db: { type: 'string', multiple: true, default: [] },
			user: { type: 'string' },
			password: { type: 'string' },
			origin: { type: 'string', multiple: true },
			'no-cors': { type: 'boolean', default: false },
			// accepted for pouchdb-server's habit: this server is always in memory
			'in-memory': { type: 'boolean', default: true },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	if (values.help) {
		console.log(
			'npm run sync-server -- [--port 5984] [--host 127.0.0.1] [--db NAME]… [--user U --password P] [--origin URL]… [--no-cors]'
		);
		return;
	}
	if (values.user && !values.password) throw new Error('--user needs --password');
	const port = Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`--port: not a port: ${values.port}`);
	}
	const server = await startSyncServer({
		port,
		host: values.host,
		dbs: values.db,
		user: values.user,
		password: values.password,
		origins: values['no-cors'] ? [] : (values.origin ?? null)
	});
	console.log(`Sync server listening on ${server.url}`);
	if (values.db.length) console.log(`Databases: ${values.db.join(', ')}`);
	if (values.user) console.log(`Admin: ${values.user} (requests need credentials)`);
	const stop = () => server.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
