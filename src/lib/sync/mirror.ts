/**
 * The local PouchDB mirror of the log, kept in step with Dexie in both directions. Dexie stays the
 * source of truth: the mirror holds nothing that cannot be rebuilt from the log (and the remote).
 *
 * - **Outbound** (`pushToMirror`): the log rows Dexie holds and the mirror lacks are written to it.
 *   No outbox table (that would be a schema change): a cursor in `meta` (`sync:out:<mirror>`:
 *   the newest `lastTime` mirrored and the row count of each card logged within `OUT_WINDOW_MS`
 *   of it) picks, through the `logs.lastTime` index, the cards that gained rows. The cursor is
 *   written after the mirror: a tab closed between an answer's commit and the mirror write leaves
 *   the cursor behind, and the next pass (at the next start) writes the row. Documents are
 *   immutable, so writing one twice is harmless (a 409 conflict, counted as present).
 *   Rows that arrive older than the window (an import, an answer confirmed despite a wrong clock)
 *   are found by a full pass (`full: true`), which `startSync` runs at each start. The cursor never
 *   moves past now, so rows stamped in the future (a clock ahead) do not hide later ones.
 * - **Inbound** (`pullFromMirror`): the mirror's changes feed from a cursor (`sync:in:<mirror>`,
 *   the last sequence merged). Each document is checked (docs.ts); valid rows are merged into Dexie
 *   (`mergeReviewRows`: a union by id, caches rebuilt for the affected cards only), invalid ones are
 *   reported and not stored. The cursor moves after the merge: a tab closed in between merges the
 *   same rows again, which changes nothing.
 */
import { newId } from '../progress/ids.js';
import { rowCount, rowsOf } from '../progress/log.js';
import { mergeReviewRows } from '../progress/merge.js';
import type { CardLogRecord, ProgressDb, ReviewRow, Settings } from '../progress/index.js';
import { ensureScheduling, getSettings, saveSettings } from '../progress/index.js';
import {
	newestSettings,
	parseDoc,
	reviewDoc,
	reviewDocId,
	settingsDoc,
	type RejectedDoc,
	type SettingsDoc
} from './docs.js';
import type { PouchDatabase, PouchDoc } from './pouch.js';

/** Cards whose newest row is this close to the cursor are checked again by an incremental pass. */
export const OUT_WINDOW_MS = 2 * 86_400_000;
/** Log records read (and their rows looked up in the mirror) per round. */
const PAGE = 250;
/** Changes read from the mirror per round. */
const CHANGES_PAGE = 500;

const DEVICE_KEY = 'sync:device';
const outKey = (mirror: string) => `sync:out:${mirror}`;
const inKey = (mirror: string) => `sync:in:${mirror}`;
const settingsKey = (mirror: string) => `sync:settings:${mirror}`;

export interface OutCursor {
	lastTime: number;
	/** Rows mirrored per card, for the cards whose `lastTime` is within the window. */
	counts: Record<string, number>;
}

interface SettingsCursor {
	/** The (time, id) of the newest settings document applied or published. */
	time: number;
	id: string;
	/** The device that saved them (absent in cursors written before it was kept). */
	device?: string;
}

/** The settings in force through sync: when and on which device they were saved. */
export interface SettingsInForce {
	time: number;
	device: string | null;
	thisDevice: boolean;
}

/**
 * The newest settings applied or published through this mirror (last writer wins), or null when
 * none were shared yet.
 */
export async function settingsInForce(
	db: ProgressDb,
	mirror: string
): Promise<SettingsInForce | null> {
	const cursor = await readMeta<SettingsCursor>(db, settingsKey(mirror));
	if (!cursor) return null;
	const device = cursor.device ?? null;
	return { time: cursor.time, device, thisDevice: device === (await deviceId(db)) };
}

async function readMeta<T>(db: ProgressDb, key: string): Promise<T | undefined> {
	return (await db.meta.get(key))?.value as T | undefined;
}

async function writeMeta(db: ProgressDb, key: string, value: unknown): Promise<void> {
	await db.meta.put({ key, value });
}

/** This browser's id in the sync documents (a random UUID, kept in `meta`). */
export async function deviceId(db: ProgressDb): Promise<string> {
	return db.transaction('rw', db.meta, async () => {
		const stored = await readMeta<string>(db, DEVICE_KEY);
		if (stored) return stored;
		const id = newId();
		await writeMeta(db, DEVICE_KEY, id);
		return id;
	});
}

export interface PushResult {
	/** Documents written to the mirror. */
	written: number;
	/** Log records read. */
	cardsRead: number;
}

export interface PushOptions {
	/** Check every card's log, not only those near the cursor (first sync, after an import). */
	full?: boolean;
	/** Rows looked at so far, for a progress bar. */
	onProgress?: (cardsRead: number) => void;
	/** The time now (epoch ms): the cursor never moves past it. */
	now?: number;
}

/** Writes to the mirror the log rows it lacks (see the module comment). */
export async function pushToMirror(
	db: ProgressDb,
	mirror: PouchDatabase,
	options: PushOptions = {}
): Promise<PushResult> {
	const device = await deviceId(db);
	const cursor = await readMeta<OutCursor>(db, outKey(mirror.name));
	const full = options.full || !cursor;
	const floor = full ? -Infinity : (cursor as OutCursor).lastTime - OUT_WINDOW_MS;
	const known = full ? {} : (cursor as OutCursor).counts;
	// the card ids first (keys only), then their records a page at a time
	const cardIds = (
		full
			? await db.logs.toCollection().primaryKeys()
			: await db.logs.where('lastTime').aboveOrEqual(floor).primaryKeys()
	) as string[];
	const counts: Record<string, number> = {};
	let lastTime = cursor?.lastTime ?? -Infinity;
	let written = 0;
	for (let i = 0; i < cardIds.length; i += PAGE) {
		const records = (await db.logs.bulkGet(cardIds.slice(i, i + PAGE))).filter(
			(record): record is CardLogRecord => record !== undefined
		);
		const changed = records.filter((record) => known[record.cardId] !== rowCount(record));
		written += await writeMissing(
			mirror,
			changed.flatMap((record) => rowsOf(record)),
			device
		);
		for (const record of records) {
			counts[record.cardId] = rowCount(record);
			if (record.lastTime > lastTime) lastTime = record.lastTime;
		}
		options.onProgress?.(Math.min(i + PAGE, cardIds.length));
	}
	// never past now: after an answer stamped by a clock that ran ahead, the answers given once the
	// clock is right again must still fall within the window
	lastTime = Math.min(lastTime, options.now ?? Date.now());
	// only the cards an incremental pass will look at again are remembered
	const windowFloor = lastTime - OUT_WINDOW_MS;
	const kept: Record<string, number> = {};
	const recordsNear = await db.logs.where('lastTime').aboveOrEqual(windowFloor).primaryKeys();
	for (const cardId of recordsNear as string[]) {
		const count = counts[cardId] ?? known[cardId];
		if (count !== undefined) kept[cardId] = count;
	}
	await writeMeta(db, outKey(mirror.name), { lastTime, counts: kept } satisfies OutCursor);
	return { written, cardsRead: cardIds.length };
}

/** Writes the rows whose documents the mirror lacks; returns how many it wrote. */
async function writeMissing(
	mirror: PouchDatabase,
	rows: readonly ReviewRow[],
	device: string
): Promise<number> {
	if (rows.length === 0) return 0;
	const { rows: found } = await mirror.allDocs({ keys: rows.map((row) => reviewDocId(row.id)) });
	const missing = rows.filter((_, k) => found[k].error === 'not_found' || !found[k].value);
	if (missing.length === 0) return 0;
	const results = await mirror.bulkDocs(missing.map((row) => reviewDoc(row, device)));
	let written = 0;
	for (const result of results) {
		if (result.ok) written++;
		// written meanwhile (another tab): documents never change, so it is the same row
		else if (result.status !== 409) {
			throw Object.assign(new Error(result.message ?? 'mirror write failed'), result);
		}
	}
	return written;
}

export interface PullResult {
	/** Rows stored in Dexie (new ids). */
	added: number;
	/** Cards whose caches were rebuilt. */
	rebuilt: number;
	/** Documents that failed the checks (not stored). */
	rejected: RejectedDoc[];
	/** Settings taken from another device (newer than this device's). */
	settings: Settings | null;
}

export interface PullOptions {
	onRejected?: (docs: RejectedDoc[]) => void;
}

/** Merges into Dexie what the mirror received since the cursor (see the module comment). */
export async function pullFromMirror(
	db: ProgressDb,
	mirror: PouchDatabase,
	options: PullOptions = {}
): Promise<PullResult> {
	const device = await deviceId(db);
	const result: PullResult = { added: 0, rebuilt: 0, rejected: [], settings: null };
	let since = (await readMeta<number | string>(db, inKey(mirror.name))) ?? 0;
	for (;;) {
		const changes = await mirror.changes({
			since,
			include_docs: true,
			limit: CHANGES_PAGE,
			return_docs: true
		});
		const rows: ReviewRow[] = [];
		const settings: SettingsDoc[] = [];
		const rejected: RejectedDoc[] = [];
		for (const change of changes.results) {
			const parsed = parseDoc(change.doc ?? { _id: change.id, _deleted: change.deleted });
			if (parsed.kind === 'review' && parsed.device !== device) rows.push(parsed.row);
			else if (parsed.kind === 'settings') settings.push(parsed.doc);
			else if (parsed.kind === 'rejected') rejected.push(parsed.rejected);
		}
		const merged = await mergeReviewRows(db, rows);
		result.added += merged.added.length;
		result.rebuilt += merged.rebuilt.length;
		result.settings = (await applyNewestSettings(db, mirror.name, settings)) ?? result.settings;
		if (rejected.length) {
			result.rejected.push(...rejected);
			options.onRejected?.(rejected);
		}
		since = changes.last_seq;
		await writeMeta(db, inKey(mirror.name), since);
		if (changes.results.length < CHANGES_PAGE) return result;
	}
}

/**
 * Applies the newest of these settings documents when it is newer than what this device last
 * applied or published (last writer wins). Returns the settings applied, or null.
 */
async function applyNewestSettings(
	db: ProgressDb,
	mirror: string,
	docs: readonly SettingsDoc[]
): Promise<Settings | null> {
	const newest = newestSettings(docs);
	if (!newest) return null;
	const current = await readMeta<SettingsCursor>(db, settingsKey(mirror));
	const candidate = { time: newest.time, _id: newest._id };
	if (
		current &&
		newestSettings([{ time: current.time, _id: current.id }, candidate]) !== candidate
	) {
		return null;
	}
	const saved = await saveSettings(db, newest.settings);
	// another device's retention reschedules this device's cards too
	await ensureScheduling(db);
	await writeMeta(db, settingsKey(mirror), {
		time: newest.time,
		id: newest._id,
		device: newest.device
	});
	return saved;
}

/**
 * Publishes this device's settings (call after the learner saves them): an immutable document
 * stamped `time`, which wins on every device unless a newer one arrives.
 */
export async function publishSettings(
	db: ProgressDb,
	mirror: PouchDatabase,
	time: number
): Promise<void> {
	const device = await deviceId(db);
	const doc = settingsDoc(await getSettings(db), time, device, newId());
	await mirror.bulkDocs([doc as PouchDoc]);
	await writeMeta(db, settingsKey(mirror.name), { time, id: doc._id, device });
}
