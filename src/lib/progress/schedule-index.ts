/**
 * `deckSchedules`: per deck, the scheduling fields of its studied cards packed into typed arrays. A
 * second derived cache next to `cards`, because IndexedDB costs about the same per record whatever
 * its size: today's queue and the statistics read one record per deck instead of one per card.
 *
 * It is written in the same transactions as the `cards` rows it mirrors. Should it ever disagree
 * with `cards` (readers compare counts), it is rebuilt from `cards`.
 */
import type { Table } from 'dexie';
import type { ScheduleFields } from '../scheduler/index.js';
import type { CardRow, DeckScheduleRow, ProgressDb } from './schema.js';

/** One studied card as the queue and the statistics see it. */
export interface ScheduleEntry extends ScheduleFields {
	cardId: string;
	deckId: string;
	firstReview: number;
}

export interface CardRef {
	cardId: string;
	deckId: string;
}

/** The entries of one deck record. */
export function entriesOf(row: DeckScheduleRow): ScheduleEntry[] {
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
	}
	return entries;
}

/** Packs entries of one deck. */
export function packDeck(
	deckId: string,
	entries: readonly ScheduleFieldsWithIds[]
): DeckScheduleRow {
	const n = entries.length;
	const row: DeckScheduleRow = {
		deckId,
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
	return row;
}

type ScheduleFieldsWithIds = ScheduleFields & { cardId: string; firstReview: number };

/**
 * Mirrors `put` card rows and `removed` cards (with the deck they were in) into the deck records.
 * A card that moved decks is listed in both. Call inside the transaction that writes `cards`.
 * `known`: deck records already read in this transaction (saves a round trip to the database).
 */
export async function applyToSchedules(
	table: Table<DeckScheduleRow, string>,
	put: readonly CardRow[],
	removed: readonly CardRef[],
	known?: ReadonlyMap<string, DeckScheduleRow | undefined>
): Promise<void> {
	const decks = new Map<string, { put: CardRow[]; removed: Set<string> }>();
	const change = (deckId: string) => {
		let c = decks.get(deckId);
		if (!c) decks.set(deckId, (c = { put: [], removed: new Set() }));
		return c;
	};
	for (const ref of removed) change(ref.deckId).removed.add(ref.cardId);
	for (const row of put) change(row.deckId).put.push(row);
	const deckIds = [...decks.keys()];
	const stored = deckIds.every((id) => known?.has(id))
		? deckIds.map((id) => known?.get(id))
		: await table.bulkGet(deckIds);
	const writes: DeckScheduleRow[] = [];
	const deletes: string[] = [];
	deckIds.forEach((deckId, k) => {
		const { put: rows, removed: gone } = decks.get(deckId) as {
			put: CardRow[];
			removed: Set<string>;
		};
		const replaced = new Map(rows.map((row) => [row.cardId, row]));
		const kept: ScheduleFieldsWithIds[] = [];
		const current = stored[k];
		if (current) {
			for (const entry of entriesOf(current)) {
				if (!gone.has(entry.cardId) && !replaced.has(entry.cardId)) kept.push(entry);
			}
		}
		for (const row of replaced.values()) kept.push(row);
		if (kept.length) writes.push(packDeck(deckId, kept));
		else if (current) deletes.push(deckId);
	});
	if (writes.length) await table.bulkPut(writes);
	if (deletes.length) await table.bulkDelete(deletes);
}

/**
 * Every studied card's schedule entry, from the deck records (one read per deck); rebuilt from the
 * `cards` rows first if the two caches disagree.
 */
export async function readSchedules(db: ProgressDb): Promise<ScheduleEntry[]> {
	const { rows, cardCount } = await db.transaction('r', db.deckSchedules, db.cards, async () => {
		const [rows, cardCount] = await Promise.all([db.deckSchedules.toArray(), db.cards.count()]);
		return { rows, cardCount };
	});
	const entries = rows.flatMap(entriesOf);
	if (entries.length === cardCount) return entries;
	return rebuildSchedules(db);
}

/** Rewrites every deck record from the `cards` rows. */
export async function rebuildSchedules(db: ProgressDb): Promise<ScheduleEntry[]> {
	return db.transaction('rw', db.deckSchedules, db.cards, async () => {
		const cards = await db.cards.toArray();
		const byDeck = new Map<string, CardRow[]>();
		for (const card of cards) {
			const list = byDeck.get(card.deckId);
			if (list) list.push(card);
			else byDeck.set(card.deckId, [card]);
		}
		await db.deckSchedules.clear();
		const rows = [...byDeck].map(([deckId, list]) => packDeck(deckId, list));
		await db.deckSchedules.bulkPut(rows);
		return rows.flatMap(entriesOf);
	});
}
