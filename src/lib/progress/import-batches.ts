/**
 * How an import hands its reviews to the writer: in batches (`BatchPolicy`), from the file as it is
 * read or from the entries a preview kept (`ParsedBackup`, `ParsedEntries`).
 */
import type { ExperimentRunRow, ReviewRow, Settings } from './schema.js';

/**
 * A batch whose reviews spread over many cards (more than one card per `SPREAD` reviews: a file
 * not listed card by card) grows up to `WIDE_BATCH` reviews first, so each card's log is read or
 * rewritten fewer times (a million reviews in time order: 10 rewrites per card rather than 50).
 */
export const SPREAD = 20;
export const WIDE_BATCH = 100_000;

/**
 * A backup's valid entries, in file order, as `previewImport` checked them (a class, so that a
 * page holding the preview in its state does not make a reactive copy of every row).
 */
export class ParsedBackup {
	constructor(
		readonly reviews: readonly ReviewRow[],
		readonly experimentRuns: readonly ExperimentRunRow[],
		readonly invalidReviews: number,
		readonly settings: Settings | null
	) {}
}

/** Whether each card's rows are listed together (so a batch replays each of its cards once). */
export function eachCardTogether(rows: readonly ReviewRow[]): boolean {
	const cards = new Set<string>();
	for (let i = 0; i < rows.length; i++) {
		const cardId = rows[i].cardId;
		if (i > 0 && rows[i - 1].cardId === cardId) continue;
		if (cards.has(cardId)) return false;
		cards.add(cardId);
	}
	return true;
}

/** Entries waiting to be written, from the file as it is read or from a preview's `parsed`. */
export interface PendingEntries {
	readonly reviews: readonly ReviewRow[];
	takeReviews(): ReviewRow[];
	takeRuns(): ExperimentRunRow[];
}

/** Reviews handed to the writer per step (as a chunk of the file would be). */
export const PARSED_CHUNK = 2_000;

/** A preview's kept entries, released `advance(n)` reviews at a time. */
export class ParsedEntries implements PendingEntries {
	reviews: ReviewRow[] = [];
	private next = 0;

	constructor(private readonly parsed: ParsedBackup) {}

	advance(count: number): void {
		const end = Math.min(this.next + count, this.parsed.reviews.length);
		for (; this.next < end; this.next++) this.reviews.push(this.parsed.reviews[this.next]);
	}

	takeReviews(): ReviewRow[] {
		const rows = this.reviews;
		this.reviews = [];
		return rows;
	}

	takeRuns(): ExperimentRunRow[] {
		return [...this.parsed.experimentRuns];
	}
}

/**
 * When the reviews gathered so far make a batch: `size` of them, or more (up to `WIDE_BATCH`) while
 * they spread over many cards. Call `isDue` after each chunk (the reader's list restarts after a
 * take).
 */
export class BatchPolicy {
	private readonly cards = new Set<string>();
	private counted = 0;

	constructor(
		private readonly reader: Pick<PendingEntries, 'reviews'>,
		private readonly size: number
	) {}

	isDue(): boolean {
		const pending = this.reader.reviews;
		if (pending.length < this.counted) {
			this.cards.clear();
			this.counted = 0;
		}
		for (; this.counted < pending.length; this.counted++) {
			this.cards.add(pending[this.counted].cardId);
		}
		if (pending.length < this.size) return false;
		const due = pending.length >= WIDE_BATCH || this.cards.size * SPREAD <= pending.length;
		if (due) {
			this.cards.clear();
			this.counted = 0;
		}
		return due;
	}
}
