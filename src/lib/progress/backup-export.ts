/**
 * Backup export: one versioned JSON file, built as a Blob from page-sized parts, never one giant
 * string, so memory stays bounded for a million reviews. All reads happen in one read transaction,
 * so the file is a consistent snapshot (its header counts match its arrays).
 *
 * Format (version 1), one array entry per line:
 *
 *     {"format":"attentive-backup","version":1,"exportedAt":"2025-01-31T10:00:00.000Z",
 *     "counts":{"reviews":2,"cards":1,"experimentRuns":0},
 *     "settings":{...},
 *     "meta":{"lastBackupAt":...},
 *     "reviews":[
 *     {"id":"...","cardId":"...","deckId":"...","time":1738317600000,"rating":3,...},
 *     ...],
 *     "cards":[...],
 *     "experimentRuns":[...]}
 *
 * `reviews` come card by card, each card's oldest first (the order they are stored in, which lets an
 * import write each card's log once); `cards` is the derived cache (an importer rebuilds it by
 * replay). The header's counts are known only once the log has been read, so the reviews are
 * gathered into their own Blob and the header is put in front of it.
 */
import { guard } from './errors.js';
import { eachLogPage, LOG_PAGE_SIZE, rowsOf } from './log.js';
import type { CardRow, ExperimentRunRow, ProgressDb, ReviewRow } from './schema.js';
import { cleanJson, normalizeSettings } from './validate.js';

export const BACKUP_FORMAT = 'attentive-backup';
export const BACKUP_VERSION = 1;

/** Strings are gathered into a Blob part once they reach about this many characters. */
const PART_CHARS = 4_000_000;

export interface ExportOptions {
	now: number;
	/** Card logs read per page (card cache rows, which are smaller: ten times as many). */
	pageSize?: number;
	/** Called after each page with the number of cards written so far and the total. */
	onProgress?: (done: number, total: number) => void;
}

/** Appends strings and folds them into Blob parts as they grow, to keep the JS heap small. */
export class BlobBuilder {
	private readonly parts: Blob[] = [];
	private pending: string[] = [];
	private pendingChars = 0;

	push(text: string): void {
		this.pending.push(text);
		this.pendingChars += text.length;
		if (this.pendingChars >= PART_CHARS) this.flush();
	}

	/** Appends a Blob built elsewhere (after what was pushed so far). */
	pushBlob(blob: Blob): void {
		this.flush();
		this.parts.push(blob);
	}

	build(type: string): Blob {
		this.flush();
		return new Blob(this.parts, { type });
	}

	private flush(): void {
		if (this.pending.length === 0) return;
		this.parts.push(new Blob(this.pending));
		this.pending = [];
		this.pendingChars = 0;
	}
}

/** The whole database as a backup file. */
export async function exportBackupBlob(db: ProgressDb, options: ExportOptions): Promise<Blob> {
	return guard(() =>
		db.transaction('r', [db.logs, db.cards, db.settings, db.meta, db.experimentRuns], async () => {
			const pageSize = options.pageSize ?? LOG_PAGE_SIZE;
			const [logCount, cardCount, runs, settingsRow, metaRows] = await Promise.all([
				db.logs.count(),
				db.cards.count(),
				db.experimentRuns.orderBy('time').toArray(),
				db.settings.get('settings'),
				db.meta.toArray()
			]);
			const reviews = new BlobBuilder();
			let reviewCount = 0;
			let logsDone = 0;
			await eachLogPage(
				db,
				(page) => {
					for (const record of page) {
						const lines = rowsOf(record).map((row) => JSON.stringify(reviewJson(row)));
						reviews.push((reviewCount > 0 ? ',\n' : '\n') + lines.join(',\n'));
						reviewCount += lines.length;
					}
					logsDone += page.length;
					options.onProgress?.(logsDone, logCount);
				},
				pageSize
			);
			const meta = Object.fromEntries(metaRows.map((row) => [row.key, safeJson(row.value)]));
			const out = new BlobBuilder();
			out.push(
				`{"format":${JSON.stringify(BACKUP_FORMAT)},"version":${BACKUP_VERSION},` +
					`"exportedAt":${JSON.stringify(new Date(options.now).toISOString())},\n` +
					`"counts":${JSON.stringify({ reviews: reviewCount, cards: cardCount, experimentRuns: runs.length })},\n` +
					`"settings":${JSON.stringify(normalizeSettings(settingsRow))},\n` +
					`"meta":${JSON.stringify(meta)},\n"reviews":[`
			);
			out.pushBlob(reviews.build('text/plain'));
			out.push('],\n"cards":[');
			let first = true;
			await eachCardPage(db, pageSize * 10, (page) => {
				out.push(
					(first ? '\n' : ',\n') + page.map((row) => JSON.stringify(cardJson(row))).join(',\n')
				);
				first = false;
			});
			out.push('],\n"experimentRuns":[');
			out.push(runs.map((run) => '\n' + JSON.stringify(runJson(run))).join(','));
			out.push(']}\n');
			return out.build('application/json');
		})
	);
}

async function eachCardPage(
	db: ProgressDb,
	pageSize: number,
	visit: (page: CardRow[]) => void
): Promise<void> {
	let last: string | null = null;
	for (;;) {
		const page: CardRow[] =
			last === null
				? await db.cards.orderBy(':id').limit(pageSize).toArray()
				: await db.cards.where(':id').above(last).limit(pageSize).toArray();
		if (page.length === 0) return;
		last = page[page.length - 1].cardId;
		visit(page);
		if (page.length < pageSize) return;
	}
}

/**
 * A review row with a fixed key order (and v1 rows' missing `undoes` as null); `misconception`,
 * `action` and `buriedUntil` only on the rows that have one.
 */
export function reviewJson(row: ReviewRow): ReviewRow {
	return {
		id: row.id,
		cardId: row.cardId,
		deckId: row.deckId,
		time: row.time,
		rating: row.rating,
		correct: row.correct ?? null,
		rawAnswer: row.rawAnswer ?? '',
		seed: row.seed ?? null,
		durationMs: row.durationMs ?? 0,
		undoes: row.undoes ?? null,
		...(row.misconception !== undefined && { misconception: row.misconception }),
		...(row.action !== undefined && { action: row.action }),
		...(row.buriedUntil !== undefined && { buriedUntil: row.buriedUntil })
	};
}

function cardJson(row: CardRow): CardRow {
	return {
		cardId: row.cardId,
		deckId: row.deckId,
		due: row.due,
		stability: row.stability,
		difficulty: row.difficulty,
		elapsedDays: row.elapsedDays,
		scheduledDays: row.scheduledDays,
		learningSteps: row.learningSteps,
		reps: row.reps,
		lapses: row.lapses,
		state: row.state,
		lastReview: row.lastReview,
		firstReview: row.firstReview,
		answers: row.answers,
		logHead: row.logHead
	};
}

function runJson(run: ExperimentRunRow): ExperimentRunRow {
	return { id: run.id, time: run.time, config: run.config, summary: run.summary };
}

function safeJson(value: unknown): unknown {
	try {
		return cleanJson(value);
	} catch {
		return null;
	}
}
