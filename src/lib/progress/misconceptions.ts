/**
 * The misconceptions the quiz engine diagnosed in the learner's answers, counted for /progress.
 * Reads the log a page of cards at a time (bounded memory, like stats-db.ts) and unpacks only the
 * records that hold a misconception column; an answer an undo row voids does not count.
 */
import { guard } from './errors.js';
import { eachLogPage, LOG_PAGE_SIZE, voidedPositions } from './log.js';
import type { CardLogRecord, ProgressDb } from './schema.js';

export interface MisconceptionCount {
	/** The misconception's id (`no-scaling`, `mask-with-zero`, ...). */
	id: string;
	/** Answers diagnosed with it (undone ones excluded). */
	count: number;
	/** Time of the newest of them (epoch ms). */
	lastTime: number;
	/** The cards of those answers, distinct, the one answered most recently first. */
	cardIds: string[];
}

export interface MisconceptionCountOptions {
	/** Count only answers at or after this time (epoch ms); all of them when absent. */
	since?: number;
	/** Card logs read per page. */
	pageSize?: number;
}

interface Tally {
	count: number;
	lastTime: number;
	/** Each card's newest answer with this misconception. */
	cards: Map<string, number>;
}

/**
 * Per misconception: how many answers (that no undo row voids, given at or after `since`) were
 * diagnosed with it, when last, and on which cards. Most frequent first; ties, the most recent
 * first (then by id, so the order is stable).
 */
export async function loadMisconceptionCounts(
	db: ProgressDb,
	options: MisconceptionCountOptions = {}
): Promise<MisconceptionCount[]> {
	const since = options.since ?? -Infinity;
	const tallies = new Map<string, Tally>();
	await guard(() =>
		db.transaction('r', db.logs, async () =>
			eachLogPage(
				db,
				(page) => {
					for (const record of page) tallyRecord(record, since, tallies);
				},
				options.pageSize ?? LOG_PAGE_SIZE
			)
		)
	);
	return [...tallies.entries()]
		.map(([id, tally]) => ({
			id,
			count: tally.count,
			lastTime: tally.lastTime,
			cardIds: [...tally.cards.entries()]
				.sort(([a, at], [b, bt]) => bt - at || (a < b ? -1 : a > b ? 1 : 0))
				.map(([cardId]) => cardId)
		}))
		.sort((a, b) => b.count - a.count || b.lastTime - a.lastTime || (a.id < b.id ? -1 : 1));
}

function tallyRecord(record: CardLogRecord, since: number, tallies: Map<string, Tally>): void {
	const at = record.misconceptionAt;
	const ids = record.misconceptions;
	// records written before misconceptions were stored have no columns: none
	if (!at || !ids || at.length === 0) return;
	const voided = record.undoes.length > 0 ? new Set(voidedPositions(record)) : null;
	const undoRows = record.undoAt.length > 0 ? new Set(record.undoAt) : null;
	at.forEach((position, k) => {
		if (voided?.has(position) || undoRows?.has(position)) return;
		const time = record.times[position];
		if (!(time >= since)) return;
		const id = ids[k];
		let tally = tallies.get(id);
		if (!tally) {
			tally = { count: 0, lastTime: -Infinity, cards: new Map() };
			tallies.set(id, tally);
		}
		tally.count++;
		if (time > tally.lastTime) tally.lastTime = time;
		const cardTime = tally.cards.get(record.cardId);
		if (cardTime === undefined || time > cardTime) tally.cards.set(record.cardId, time);
	});
}
