import type { EventEmitter } from 'node:events';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { newId } from '../../../src/lib/progress/ids.js';
import type { PouchDatabase, PouchStatic } from '../../../src/lib/sync/index.js';

/**
 * PouchDB for Node tests: the memory adapter (local) and HTTP (a remote URL), with replication
 * (added once: the dev server, in the same process, adds it to the same class otherwise).
 */
export const MemoryPouch: PouchStatic = PouchDB.plugin(memory).plugin(http);
if (!Object.hasOwn(PouchDB, 'replicate')) PouchDB.plugin(replication);
// every open database listens on the class (two devices and a server exceed the default 10)
(PouchDB as unknown as EventEmitter).setMaxListeners(100);

/** A fresh in-memory PouchDB database (memory databases are shared by name in a process). */
export function memoryDb(label = 'db'): PouchDatabase {
	return new MemoryPouch(`${label}-${newId()}`, { adapter: 'memory' });
}

export const T0 = Date.UTC(2026, 2, 2, 9);
export const MIN = 60_000;

export function answer(cardId: string, time: number, rating: 1 | 2 | 3 | 4 = 3) {
	return { cardId, deckId: cardId.split('/')[0], time, rating, durationMs: 4000 };
}
