/**
 * The part of PouchDB's API this layer uses, typed here (the `@types/pouchdb-*` packages are for
 * PouchDB 6-7 and declare a global namespace), and the lazy loader of the browser build: PouchDB
 * (about 42 KB gzip) is fetched only when sync is enabled, never by a study page.
 */

export interface PouchDoc {
	_id: string;
	_rev?: string;
	_deleted?: boolean;
	[field: string]: unknown;
}

/** One entry of `bulkDocs`'s answer: `ok`, or an error such as a 409 conflict. */
export interface PouchWriteResult {
	ok?: boolean;
	id?: string;
	rev?: string;
	error?: boolean | string;
	status?: number;
	name?: string;
	message?: string;
}

export interface PouchAllDocsRow {
	key: string;
	id?: string;
	value?: { rev: string; deleted?: boolean };
	error?: string;
	doc?: PouchDoc | null;
}

export interface PouchChange {
	id: string;
	seq: number | string;
	deleted?: boolean;
	doc?: PouchDoc;
}

export interface PouchDatabase {
	readonly name: string;
	info(): Promise<{ db_name: string; doc_count: number; update_seq: number | string }>;
	bulkDocs(docs: PouchDoc[]): Promise<PouchWriteResult[]>;
	allDocs(options: {
		keys?: string[];
		include_docs?: boolean;
		startkey?: string;
		endkey?: string;
		limit?: number;
	}): Promise<{ rows: PouchAllDocsRow[]; total_rows: number }>;
	changes(options: {
		since: number | string;
		include_docs?: boolean;
		limit?: number;
		return_docs?: boolean;
	}): Promise<{ results: PouchChange[]; last_seq: number | string }>;
	close(): Promise<void>;
	destroy(): Promise<void>;
}

export interface PouchOptions {
	adapter?: string;
	/** Remote databases: do not create the database when it is missing (a 404 says so instead). */
	skip_setup?: boolean;
	auth?: { username: string; password: string };
	fetch?: (url: string | Request, init?: RequestInit) => Promise<Response>;
}

/** What `PouchDB.sync` reports on a 'change'. */
export interface PouchSyncChange {
	direction: 'push' | 'pull';
	change: { docs: PouchDoc[]; docs_read?: number; docs_written: number; pending?: number };
}

/** The object `PouchDB.sync` and `PouchDB.replicate` return: an event emitter and a promise. */
export interface PouchReplication extends PromiseLike<unknown> {
	on(event: 'change', listener: (info: PouchSyncChange) => void): this;
	on(event: 'paused', listener: (error?: unknown) => void): this;
	on(event: 'active', listener: () => void): this;
	on(event: 'denied' | 'error', listener: (error: unknown) => void): this;
	on(event: 'complete', listener: (info: unknown) => void): this;
	cancel(): void;
}

export interface PouchReplicationOptions {
	live?: boolean;
	retry?: boolean;
	batch_size?: number;
	back_off_function?: (delay: number) => number;
}

export interface PouchStatic {
	new (name: string, options?: PouchOptions): PouchDatabase;
	sync(
		local: PouchDatabase,
		remote: PouchDatabase,
		options?: PouchReplicationOptions
	): PouchReplication;
	replicate(
		source: PouchDatabase,
		target: PouchDatabase,
		options?: PouchReplicationOptions
	): PouchReplication;
}

let browserPouch: Promise<PouchStatic> | undefined;

/** The browser build of PouchDB (IndexedDB and HTTP adapters), loaded once, on first use. */
export function loadBrowserPouch(): Promise<PouchStatic> {
	browserPouch ??= import('pouchdb-browser').then((module) => module.default);
	return browserPouch;
}
