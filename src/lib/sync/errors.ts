/**
 * What went wrong talking to the remote database, as a kind the UI turns into words:
 *
 * - `unreachable`: no answer (server down, wrong host or port, offline);
 * - `cors`: the server answers, but the browser hides the answer because the server does not allow
 *   this origin (CORS not enabled); a failed `fetch` looks the same as `unreachable` (a TypeError),
 *   so `probeConnection` tells them apart with a second, `no-cors` request;
 * - `unauthorized`: 401, wrong user name or password (or an expired session);
 * - `forbidden`: 403, the user may not read or write this database;
 * - `missing-database`: 404 on the database (sync never creates it: `skip_setup`);
 * - `invalid-url`: the server URL is not an http(s) URL;
 * - `unknown`: anything else (the error is kept for the log).
 */
export type SyncErrorKind =
	| 'unreachable'
	| 'cors'
	| 'unauthorized'
	| 'forbidden'
	| 'missing-database'
	| 'invalid-url'
	| 'unknown';

export class SyncError extends Error {
	constructor(
		readonly kind: SyncErrorKind,
		message: string,
		override readonly cause?: unknown
	) {
		super(message);
		this.name = 'SyncError';
	}
}

function field(error: unknown, name: string): unknown {
	return typeof error === 'object' && error !== null
		? (error as Record<string, unknown>)[name]
		: undefined;
}

/** Messages of failed fetches: browsers (TypeError) and Node (undici, system errors). */
const NETWORK =
	/failed to fetch|networkerror|load failed|network request failed|fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up/i;

/** The kind of an error thrown by PouchDB's HTTP adapter or by `fetch`. */
export function classifySyncError(error: unknown): SyncErrorKind {
	if (error instanceof SyncError) return error.kind;
	const status = Number(field(error, 'status'));
	const name = String(field(error, 'name') ?? field(error, 'error') ?? '');
	if (status === 401 || name === 'unauthorized') return 'unauthorized';
	if (status === 403 || name === 'forbidden') return 'forbidden';
	if (status === 404 || name === 'not_found') return 'missing-database';
	const messages = [error, field(error, 'cause'), field(error, 'result')]
		.map((value) => `${field(value, 'message') ?? ''} ${field(value, 'code') ?? ''}`)
		.join(' ');
	if (error instanceof TypeError || NETWORK.test(messages)) return 'unreachable';
	// PouchDB turns a failed fetch into { status: 500, reason / message: 'Failed to fetch' } at times
	if (NETWORK.test(String(field(error, 'reason') ?? ''))) return 'unreachable';
	return 'unknown';
}

export interface ConnectionTarget {
	remoteUrl: string;
	dbName: string;
	auth?: { username: string; password: string };
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** `remoteUrl` + `dbName`, checked: an http(s) URL, the database name escaped. */
export function databaseUrl(remoteUrl: string, dbName: string): string {
	let url: URL;
	try {
		url = new URL(remoteUrl);
	} catch {
		throw new SyncError('invalid-url', `not a URL: ${remoteUrl}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new SyncError('invalid-url', `not an http(s) URL: ${remoteUrl}`);
	}
	const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
	return base + encodeURIComponent(dbName);
}

/**
 * Asks the remote database once (GET on it, with the credentials) and says what is wrong, or
 * null when it answers 200. A failed request is probed again with `mode: 'no-cors'`: a browser
 * completes that one (with an opaque answer) when the server is up but does not allow this
 * origin, and fails it when the server cannot be reached.
 */
export async function probeConnection(
	target: ConnectionTarget,
	fetchImpl: Fetch = globalThis.fetch
): Promise<SyncErrorKind | null> {
	let url: string;
	try {
		url = databaseUrl(target.remoteUrl, target.dbName);
	} catch (error) {
		return classifySyncError(error);
	}
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (target.auth) {
		const pair = `${target.auth.username}:${target.auth.password}`;
		headers.Authorization = `Basic ${btoa(String.fromCodePoint(...new TextEncoder().encode(pair)))}`;
	}
	try {
		const response = await fetchImpl(url, { headers });
		if (response.ok) return null;
		return classifySyncError({ status: response.status });
	} catch (error) {
		if (classifySyncError(error) !== 'unreachable') return classifySyncError(error);
		try {
			await fetchImpl(url, { mode: 'no-cors' });
			// the server answered, only the browser hid the answer: CORS
			return 'cors';
		} catch {
			return 'unreachable';
		}
	}
}
