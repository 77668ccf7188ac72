/**
 * `schedules`: the scheduling fields of the studied cards, packed into typed arrays, a record per
 * deck and bucket (the card id's hash modulo `SCHEDULE_BUCKETS`). A second derived cache next to
 * `cards`, because IndexedDB costs about the same per record whatever its size: today's queue and
 * the statistics read a few records per deck instead of one per card. The buckets keep what an
 * answer rewrites small (a quarter of its deck rather than all of it): on disk, the bytes an answer
 * writes are what makes it slow, while reading four records per deck instead of one costs today's
 * queue little.
 *
 * It is written in the same transactions as the `cards` rows it mirrors. Should it ever disagree
 * with `cards` (readers compare counts), it is rebuilt from `cards`.
 */
import type { Table } from 'dexie';
import type { CardFlags, ScheduleFields } from '../scheduler/index.js';
import type { CardRow, ProgressDb, ScheduleRow } from './schema.js';

export const SCHEDULE_BUCKETS = 4;

/** One studied card as the queue and the statistics see it (flags absent when not set). */
export interface ScheduleEntry extends ScheduleFields, CardFlags {
	cardId: string;
	deckId: string;
	firstReview: number;
}

export interface CardRef {
	cardId: string;
	deckId: string;
}

/** The bucket of a card id: FNV-1a (32 bit) modulo `SCHEDULE_BUCKETS`. */
export function bucketOf(cardId: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < cardId.length; i++) {
		hash ^= cardId.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % SCHEDULE_BUCKETS;
}

/** The key of the record that holds a card's schedule. */
export const scheduleKey = (card: CardRef): [string, number] => [
	card.deckId,
	bucketOf(card.cardId)
];

/** The entries of one record. */
export function entriesOf(row: ScheduleRow): ScheduleEntry[] {
	const entries: ScheduleEntry[] = new Array(row.cardIds.length);
	for (let i = 0; i < row.cardIds.length; i++) {
		const last = row.lastReview[i];
		entries[i] = {
			cardId: row.cardIds[i],
			deckId: row.deckId,
			due: row.due[i],
			stability: row.stability[i],
			state: row.state[i] as ScheduleFields['state'],
			lastReview: Number.isNaN(last) ? null : last,
			firstReview: row.firstReview[i]
		};
		if (row.suspended?.[i] === 1) entries[i].suspended = true;
		const buried = row.buriedUntil?.[i];
		if (buried !== undefined && !Number.isNaN(buried)) entries[i].buriedUntil = buried;
	}
	return entries;
}

/** Packs the entries of one deck's bucket. */
export function packSchedules(
	[deckId, bucket]: [string, number],
	entries: readonly ScheduleFieldsWithIds[]
): ScheduleRow {
	const n = entries.length;
	const row: ScheduleRow = {
		deckId,
		bucket,
		cardIds: new Array<string>(n),
		due: new Float64Array(n),
		stability: new Float64Array(n),
		lastReview: new Float64Array(n),
		firstReview: new Float64Array(n),
		state: new Uint8Array(n)
	};
	entries.forEach((e, i) => {
		row.cardIds[i] = e.cardId;
		row.due[i] = e.due;
		row.stability[i] = e.stability;
		row.lastReview[i] = e.lastReview ?? Number.NaN;
		row.firstReview[i] = e.firstReview;
		row.state[i] = e.state;
	});
	// flag columns only where some card has the flag: most records never need them
	if (entries.some((e) => e.suspended)) {
		row.suspended = Uint8Array.from(entries, (e) => (e.suspended ? 1 : 0));
	}
	if (entries.some((e) => e.buriedUntil !== undefined)) {
		row.buriedUntil = Float64Array.from(entries, (e) => e.buriedUntil ?? Number.NaN);
	}
	return row;
}

type ScheduleFieldsWithIds = ScheduleFields & CardFlags & { cardId: string; firstReview: number };

/** A record key as a map key. */
const keyText = ([deckId, bucket]: [string, number]) => `${bucket}:${deckId}`;

/**
 * Mirrors `put` card rows and `removed` cards (with the deck they were in) into the records.
 * A card that moved decks is listed in both. Call inside the transaction that writes `cards`.
 * `known`: records already read in this transaction, by `scheduleKey` (saves a round trip).
 */
export async function applyToSchedules(
	table: Table<ScheduleRow, [string, number]>,
	put: readonly CardRow[],
	removed: readonly CardRef[],
	known?: ReadonlyMap<string, ScheduleRow | undefined>
): Promise<void> {
	const changes = new Map<
		string,
		{ key: [string, number]; put: CardRow[]; removed: Set<string> }
	>();
	const change = (card: CardRef) => {
		const key = scheduleKey(card);
		let c = changes.get(keyText(key));
		if (!c) changes.set(keyText(key), (c = { key, put: [], removed: new Set() }));
		return c;
	};
	for (const ref of removed) change(ref).removed.add(ref.cardId);
	for (const row of put) change(row).put.push(row);
	const list = [...changes.values()];
	const stored = list.every((c) => known?.has(keyText(c.key)))
		? list.map((c) => known?.get(keyText(c.key)))
		: await table.bulkGet(list.map((c) => c.key));
	const { writes, deletes } = scheduleWrites(list, stored);
	if (writes.length) await table.bulkPut(writes);
	if (deletes.length) await table.bulkDelete(deletes);
}

/**
 * The records to write and the keys to delete for these changes, given each change's stored
 * record (same order; undefined when there is none). Pure: the answer's raw transaction uses it too.
 */
export function scheduleWrites(
	list: readonly { key: [string, number]; put: readonly CardRow[]; removed: ReadonlySet<string> }[],
	stored: readonly (ScheduleRow | undefined)[]
): { writes: ScheduleRow[]; deletes: [string, number][] } {
	const writes: ScheduleRow[] = [];
	const deletes: [string, number][] = [];
	list.forEach(({ key, put: rows, removed: gone }, k) => {
		const replaced = new Map(rows.map((row) => [row.cardId, row]));
		const kept: ScheduleFieldsWithIds[] = [];
		const current = stored[k];
		if (current) {
			for (const entry of entriesOf(current)) {
				if (!gone.has(entry.cardId) && !replaced.has(entry.cardId)) kept.push(entry);
			}
		}
		for (const row of replaced.values()) kept.push(row);
		if (kept.length) writes.push(packSchedules(key, kept));
		else if (current) deletes.push(key);
	});
	return { writes, deletes };
}

/** The record holding `card`'s schedule, as `applyToSchedules` takes it in `known`. */
export async function readScheduleOf(
	table: Table<ScheduleRow, [string, number]>,
	card: CardRef
): Promise<Map<string, ScheduleRow | undefined>> {
	const key = scheduleKey(card);
	return new Map([[keyText(key), await table.get(key)]]);
}

/**
 * Every studied card's schedule entry, from the records (a few reads per deck); rebuilt from the
 * `cards` rows first if the two caches disagree.
 */
export async function readSchedules(db: ProgressDb): Promise<ScheduleEntry[]> {
	const { rows, cardCount } = await db.transaction('r', db.schedules, db.cards, async () => {
		const [rows, cardCount] = await Promise.all([db.schedules.toArray(), db.cards.count()]);
		return { rows, cardCount };
	});
	const entries = rows.flatMap(entriesOf);
	if (entries.length === cardCount) return entries;
	return rebuildSchedules(db);
}

/** Rewrites every record from the `cards` rows. */
export async function rebuildSchedules(db: ProgressDb): Promise<ScheduleEntry[]> {
	return db.transaction('rw', db.schedules, db.cards, async () => {
		const cards = await db.cards.toArray();
		const groups = new Map<string, { key: [string, number]; cards: CardRow[] }>();
		for (const card of cards) {
			const key = scheduleKey(card);
			const group = groups.get(keyText(key));
			if (group) group.cards.push(card);
			else groups.set(keyText(key), { key, cards: [card] });
		}
		await db.schedules.clear();
		const rows = [...groups.values()].map((g) => packSchedules(g.key, g.cards));
		await db.schedules.bulkPut(rows);
		return rows.flatMap(entriesOf);
	});
}
