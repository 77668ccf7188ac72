// The PouchDB 9 packages that the Node tests and the dev server (scripts/sync-server.mjs) use ship
// no type declarations (ambient: they apply to the scripts too).
declare module 'pouchdb-core' {
	type PouchStatic = import('../../../src/lib/sync/pouch.js').PouchStatic;
	interface PouchNode extends PouchStatic {
		plugin(plugin: unknown): PouchNode;
		defaults(options: { adapter?: string; prefix?: string }): PouchNode;
	}
	const PouchDB: PouchNode;
	export default PouchDB;
}
declare module 'pouchdb-adapter-memory';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-mapreduce';
declare module 'pouchdb-replication';
declare module 'express-pouchdb' {
	import type { IncomingMessage, ServerResponse } from 'node:http';
	interface ExpressPouchApp {
		(req: IncomingMessage, res: ServerResponse): void;
		couchConfig: {
			set(section: string, key: string, value: string, callback: () => void): void;
		};
	}
	export default function expressPouchDB(PouchDB: unknown, options?: object): ExpressPouchApp;
}
