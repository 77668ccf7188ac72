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
 * `reviews` are in id order (the fastest to read); `cards` is the derived cache (an importer rebuilds
 * it by replay).
 */
import { guard } from './errors.js';
import { DEFAULT_PAGE_SIZE, eachReviewPageById } from './paging.js';
import type { CardRow, ExperimentRunRow, ProgressDb, ReviewRow } from './schema.js';
import { cleanJson, normalizeSettings } from './validate.js';

export const BACKUP_FORMAT = 'attentive-backup';
export const BACKUP_VERSION = 1;

/** Strings are gathered into a Blob part once they reach about this many characters. */
const PART_CHARS = 4_000_000;

export interface ExportOptions {
	now: number;
	pageSize?: number;
	/** Called after each page with the number of reviews written so far and the total. */
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
	const out = new BlobBuilder();
	await guard(() =>
		db.transaction('r', [db.reviews, db.cards, db.settings, db.meta, db.experimentRuns], () =>
			writeBackup(db, options, (text) => out.push(text))
		)
	);
	return out.build('application/json');
}

async function writeBackup(
	db: ProgressDb,
	options: ExportOptions,
	write: (text: string) => void
): Promise<void> {
	const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
	const [reviewCount, cardCount, runs, settingsRow, metaRows] = await Promise.all([
		db.reviews.count(),
		db.cards.count(),
		db.experimentRuns.orderBy('time').toArray(),
		db.settings.get('settings'),
		db.meta.toArray()
	]);
	const meta = Object.fromEntries(metaRows.map((row) => [row.key, safeJson(row.value)]));
	write(
		`{"format":${JSON.stringify(BACKUP_FORMAT)},"version":${BACKUP_VERSION},` +
			`"exportedAt":${JSON.stringify(new Date(options.now).toISOString())},\n` +
			`"counts":${JSON.stringify({ reviews: reviewCount, cards: cardCount, experimentRuns: runs.length })},\n` +
			`"settings":${JSON.stringify(normalizeSettings(settingsRow))},\n` +
			`"meta":${JSON.stringify(meta)},\n"reviews":[`
	);
	let done = 0;
	await eachReviewPageById(db, pageSize, (page) => {
		write(
			(done > 0 ? ',\n' : '\n') + page.map((row) => JSON.stringify(reviewJson(row))).join(',\n')
		);
		done += page.length;
		options.onProgress?.(done, reviewCount);
	});
	write('],\n"cards":[');
	let first = true;
	await eachCardPage(db, pageSize, (page) => {
		write((first ? '\n' : ',\n') + page.map((row) => JSON.stringify(cardJson(row))).join(',\n'));
		first = false;
	});
	write('],\n"experimentRuns":[');
	write(runs.map((run) => '\n' + JSON.stringify(runJson(run))).join(','));
	write(']}\n');
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

/** A review row with a fixed key order (and v1 rows' missing `undoes` as null). */
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
		undoes: row.undoes ?? null
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
