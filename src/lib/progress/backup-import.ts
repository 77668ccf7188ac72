/**
 * Backup import, in two passes over the file (streamed by `backup-reader.ts`: one entry in memory
 * at a time):
 *
 * 1. `previewImport` parses and validates everything with zod, writing nothing, and counts per
 *    section what is new, what is already stored (same card and id) and what is invalid, with
 *    reasons. A file that is not a version-1 Attentive backup, is truncated or malformed, is
 *    absurdly large, or whose header counts disagree with its content is rejected as a whole
 *    (`ok: false`, `fatal`).
 * 2. `applyImport` (only after a preview that is ok) reads the file again, merges the valid entries
 *    that are new into each card's log (a review whose id the card's log holds is never stored
 *    twice), and rebuilds the `cards` cache of every card that gained entries by replaying its log.
 *    The `cards` array of the file is validated but not stored: caches are derived from the log.
 *
 * Text is stored as plain text, cleaned (control and bidi characters removed) and capped.
 * Settings are taken from the file only when this browser has none yet, or on request.
 * Reviews are written in batches; if writing stops half-way, importing the same file again
 * completes it (merging is idempotent).
 */
import type { Table } from 'dexie';
import { m } from '../paraglide/messages.js';
import {
	BackupReader,
	MAX_BACKUP_BYTES,
	textChunks,
	type SettingsStatus
} from './backup-reader.js';
import { guard, ProgressError } from './errors.js';
import { FileIds } from './file-ids.js';
import { JsonStreamError } from './json-stream.js';
import { groupByCard, idsOf } from './log.js';
import { mergeIntoLogs } from './merge.js';
import { addRecent, RecentCandidates } from './recent.js';
import { isStaleCache, rebuildCardsIn } from './rebuild.js';
import type { ExperimentRunRow, ProgressDb, ReviewRow, Settings } from './schema.js';
import { beginJob, endJob } from './jobs.js';
import {
	BatchPolicy,
	eachCardTogether,
	PARSED_CHUNK,
	ParsedBackup,
	ParsedEntries,
	type PendingEntries
} from './import-batches.js';

export { ParsedBackup } from './import-batches.js';

export { MAX_BACKUP_BYTES, MAX_BACKUP_REVIEWS, MAX_PROBLEMS } from './backup-reader.js';

/**
 * Reviews gathered before their cards' logs are read (to check) or rewritten (to write). A backup
 * lists each card's reviews together, so a batch touches few cards; files that do not (older
 * exports listed reviews by id) still work, with more logs rewritten per batch.
 */
const CHECK_BATCH = 2_000;
const WRITE_BATCH = 20_000;
const REBUILD_BATCH = 500;
/**
 * Files up to this many reviews are parsed once: the preview keeps their entries for the import
 * (about 300 bytes of memory a review: 30 MB at most). A learner's years-long course is ~50,000.
 */
export const KEEP_PARSED_REVIEWS = 100_000;

export interface ImportCounts {
	total: number;
	new: number;
	/** Already stored (same card and id), or repeated in the file. */
	duplicate: number;
	invalid: number;
}

export interface ImportPreview {
	/** True when the file can be applied. */
	ok: boolean;
	/** Why the whole file is rejected; null when ok. */
	fatal: string | null;
	version: number | null;
	exportedAt: string | null;
	reviews: ImportCounts;
	/**
	 * Cards of the file whose every review is stored but whose cache is stale (an earlier import of
	 * it stopped before rebuilding): importing the file again repairs them.
	 */
	cardsToRepair: number;
	experimentRuns: ImportCounts;
	/** The file's card cache rows (checked; rebuilt by replay rather than stored). */
	cards: { total: number; invalid: number };
	settings: SettingsStatus;
	/** "reviews[12].rating: ..." reasons, at most `MAX_PROBLEMS`. */
	problems: string[];
	/** The file, for `applyImport`. */
	source: Blob;
	/**
	 * The file's valid entries as the check read them, kept for `applyImport` (which then does not
	 * read and parse the file a second time) when the file holds at most `KEEP_PARSED_REVIEWS`
	 * reviews; absent otherwise (memory stays bounded: a larger file is read again).
	 */
	parsed?: ParsedBackup;
}

export interface ImportResult {
	reviewsAdded: number;
	duplicates: number;
	invalid: number;
	experimentRunsAdded: number;
	cardsRebuilt: number;
	settingsApplied: boolean;
}

export type ImportPhase = 'checking' | 'writing' | 'rebuilding';

export interface ImportOptions {
	/** Take the file's settings even when this browser has its own. */
	replaceSettings?: boolean;
	onProgress?: (phase: ImportPhase, done: number, total: number) => void;
	/**
	 * Cancels `previewImport` (which writes nothing) between chunks of the file: it then rejects
	 * with `ProgressError('aborted')`. Writing, once `applyImport` has begun, is not interrupted.
	 */
	signal?: AbortSignal;
}

const emptyCounts = (): ImportCounts => ({ total: 0, new: 0, duplicate: 0, invalid: 0 });

/** Validates the whole file and counts what an import would do. Writes nothing. */
export async function previewImport(
	db: ProgressDb,
	file: Blob | string,
	options: Pick<ImportOptions, 'onProgress' | 'signal'> = {}
): Promise<ImportPreview> {
	const source = typeof file === 'string' ? new Blob([file]) : file;
	const reader = new BackupReader();
	const seenReviews = new FileIds();
	const seenRuns = new Set<string>();
	const preview: ImportPreview = {
		ok: false,
		fatal: null,
		version: null,
		exportedAt: null,
		reviews: emptyCounts(),
		cardsToRepair: 0,
		experimentRuns: emptyCounts(),
		cards: { total: 0, invalid: 0 },
		settings: 'missing',
		problems: reader.problems,
		source
	};
	const storeIsEmpty = (await guard(() => db.logs.count())) === 0;
	const repairSeen = new Set<string>();
	const batch = new BatchPolicy(reader, CHECK_BATCH);
	let keptReviews: ReviewRow[] | null = [];
	const keptRuns: ExperimentRunRow[] = [];
	// a file too large to keep is read again by `applyImport`
	const drop = () => {
		keptReviews = null;
		keptRuns.length = 0;
	};
	const check = async (final: boolean) => {
		if (keptReviews && reader.expectedReviews() > KEEP_PARSED_REVIEWS) drop();
		if (final || batch.isDue()) {
			const rows = reader.takeReviews();
			if (keptReviews) {
				for (const row of rows) keptReviews.push(row);
				if (keptReviews.length > KEEP_PARSED_REVIEWS) drop();
			}
			const unseen = rows.filter((row) => seenReviews.add(row.cardId, row.id));
			const { fresh, stale } = await newReviews(db, unseen, storeIsEmpty, repairSeen);
			preview.reviews.new += fresh.length;
			preview.cardsToRepair += stale;
			preview.reviews.duplicate += rows.length - fresh.length;
		}
		if (final || reader.runs.length >= CHECK_BATCH) {
			const runs = reader.takeRuns();
			if (keptReviews) keptRuns.push(...runs);
			const fresh = await newEntries(db.experimentRuns, unseenEntries(runs, seenRuns));
			preview.experimentRuns.new += fresh.length;
			preview.experimentRuns.duplicate += runs.length - fresh.length;
		}
	};
	try {
		if (source.size > MAX_BACKUP_BYTES) {
			throw new JsonStreamError(m.progress_fatal_too_large({ size: MAX_BACKUP_BYTES / 1024 ** 3 }));
		}
		options.onProgress?.('checking', 0, 0);
		for await (const chunk of textChunks(source)) {
			if (options.signal?.aborted)
				throw new ProgressError('aborted', m.progress_import_cancelled_detail());
			reader.write(chunk);
			await check(false);
			options.onProgress?.('checking', reader.reviewsSeen, reader.expectedReviews());
		}
		reader.end();
		await check(true);
	} catch (error) {
		if (!(error instanceof JsonStreamError)) throw error;
		preview.fatal = error.message;
	}
	preview.version = typeof reader.header.version === 'number' ? reader.header.version : null;
	preview.exportedAt =
		typeof reader.header.exportedAt === 'string' ? reader.header.exportedAt.slice(0, 40) : null;
	preview.reviews.total = reader.reviewsSeen;
	preview.reviews.invalid = reader.invalidReviews;
	preview.experimentRuns.total = reader.runsSeen;
	preview.experimentRuns.invalid = reader.invalidRuns;
	preview.cards = { total: reader.cardsSeen, invalid: reader.invalidCards };
	preview.settings = reader.settingsStatus();
	preview.ok = preview.fatal === null;
	if (preview.ok && keptReviews) {
		preview.parsed = new ParsedBackup(
			keptReviews,
			keptRuns,
			reader.invalidReviews,
			reader.settings()
		);
	}
	return preview;
}

/**
 * Merges a backup into the database. Give it the result of `previewImport` (or a file, which is
 * previewed first). Rejects a file whose preview is not ok with `ProgressError('import')`.
 */
export async function applyImport(
	db: ProgressDb,
	input: ImportPreview | Blob | string,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const preview = isPreview(input) ? input : await previewImport(db, input, options);
	if (!preview.ok) throw new ProgressError('import', preview.fatal ?? 'invalid file');
	const parsed = preview.parsed;
	const reader = new BackupReader();
	// the entries the preview kept, else the file read again
	const source: PendingEntries = parsed ? new ParsedEntries(parsed) : reader;
	const seenRuns = new Set<string>();
	// cards whose caches are rebuilt at the end; those rebuilt with their merge are not (`rebuilt`)
	const affected = new Set<string>();
	const rebuilt = new Set<string>();
	const recent = new RecentCandidates();
	const result: ImportResult = {
		reviewsAdded: 0,
		duplicates: 0,
		invalid: 0,
		experimentRunsAdded: 0,
		cardsRebuilt: 0,
		settingsApplied: false
	};
	const total = preview.reviews.total;
	const batch = new BatchPolicy(source, WRITE_BATCH);
	const flush = async (final: boolean) => {
		if (final || batch.isDue()) {
			const rows = source.takeReviews();
			recent.offer(rows);
			// listed card by card (as exported): the caches are rebuilt in the merge's transaction
			const rebuildCaches = eachCardTogether(rows);
			// a review repeated in the file is found in its card's log, written by an earlier batch
			const merged = await mergeIntoLogs(db, rows, { rebuildCaches });
			for (const cardId of merged.rebuilt) {
				affected.delete(cardId);
				rebuilt.add(cardId);
			}
			if (!rebuildCaches) {
				for (const row of merged.added) affected.add(row.cardId);
				for (const cardId of merged.stale) affected.add(cardId);
			}
			result.reviewsAdded += merged.added.length;
			result.duplicates += rows.length - merged.added.length;
		}
		if (final) {
			const runs = source.takeRuns();
			const fresh = await newEntries(db.experimentRuns, unseenEntries(runs, seenRuns));
			await guard(() => db.experimentRuns.bulkPut(fresh));
			result.experimentRunsAdded += fresh.length;
		}
	};
	// until the caches are rebuilt, a marker tells the next start to repair them (see jobs.ts)
	const job = await beginJob(db, 'import');
	try {
		options.onProgress?.('writing', 0, total);
		if (parsed) {
			for (let i = 0; i < parsed.reviews.length; i += PARSED_CHUNK) {
				(source as ParsedEntries).advance(PARSED_CHUNK);
				await flush(false);
				options.onProgress?.('writing', Math.min(i + PARSED_CHUNK, parsed.reviews.length), total);
			}
		} else {
			for await (const chunk of textChunks(preview.source)) {
				reader.write(chunk);
				await flush(false);
				options.onProgress?.('writing', reader.reviewsSeen, total);
			}
			reader.end();
		}
		await flush(true);
	} catch (error) {
		if (error instanceof JsonStreamError) throw new ProgressError('import', error.message);
		throw error;
	}
	result.invalid = parsed ? parsed.invalidReviews : reader.invalidReviews;
	// every row of the file, not only the new ones: importing a file again heals an interrupted import
	const recentRows = recent.take();
	await guard(() =>
		db.transaction('rw', db.recent, async () => {
			await addRecent(db.recent, recentRows);
		})
	);
	const settings = parsed ? parsed.settings : reader.settings();
	result.settingsApplied = await applySettings(db, settings, options.replaceSettings);
	const rebuiltAtEnd = await rebuildAffected(db, [...affected].sort(), options);
	result.cardsRebuilt = rebuilt.size + rebuiltAtEnd;
	await endJob(db, job);
	return result;
}

function isPreview(input: unknown): input is ImportPreview {
	return typeof input === 'object' && input !== null && 'source' in input && 'ok' in input;
}

/** Entries whose id did not appear earlier in the file (`seen` gathers the ids). */
function unseenEntries<T extends { id: string }>(rows: readonly T[], seen: Set<string>): T[] {
	return rows.filter((row) => !seen.has(row.id) && (seen.add(row.id), true));
}

/** Entries not stored yet. */
async function newEntries<T extends { id: string }>(
	table: Table<T, string>,
	rows: readonly T[]
): Promise<T[]> {
	if (rows.length === 0) return [...rows];
	const stored = await guard(() => table.bulkGet(rows.map((row) => row.id)));
	return rows.filter((_, i) => stored[i] === undefined);
}

/**
 * Reviews their card's log does not hold yet (`storeIsEmpty` skips the lookup), and how many cards
 * whose reviews are all stored have a stale cache (`counted` holds the cards counted so far).
 */
async function newReviews(
	db: ProgressDb,
	rows: ReviewRow[],
	storeIsEmpty: boolean,
	counted: Set<string>
): Promise<{ fresh: ReviewRow[]; stale: number }> {
	if (storeIsEmpty || rows.length === 0) return { fresh: rows, stale: 0 };
	const byCard = groupByCard(rows);
	const cardIds = [...byCard.keys()];
	const records = await guard(() => db.logs.bulkGet(cardIds));
	const fresh: ReviewRow[] = [];
	const complete: string[] = [];
	cardIds.forEach((cardId, k) => {
		const record = records[k];
		const stored = new Set(record ? idsOf(record) : []);
		const before = fresh.length;
		for (const row of byCard.get(cardId) as ReviewRow[]) if (!stored.has(row.id)) fresh.push(row);
		if (fresh.length === before && record && !counted.has(cardId)) complete.push(cardId);
	});
	const cards = complete.length ? await guard(() => db.cards.bulkGet(complete)) : [];
	const byId = new Map(cardIds.map((cardId, k) => [cardId, records[k]]));
	let stale = 0;
	complete.forEach((cardId, k) => {
		if (!isStaleCache(cards[k], byId.get(cardId))) return;
		counted.add(cardId);
		stale++;
	});
	return { fresh, stale };
}

async function applySettings(
	db: ProgressDb,
	settings: Settings | null,
	replace: boolean | undefined
): Promise<boolean> {
	if (!settings) return false;
	return guard(() =>
		db.transaction('rw', db.settings, async () => {
			if (!replace && (await db.settings.get('settings'))) return false;
			await db.settings.put({ key: 'settings', ...settings });
			return true;
		})
	);
}

async function rebuildAffected(
	db: ProgressDb,
	cardIds: readonly string[],
	options: ImportOptions
): Promise<number> {
	options.onProgress?.('rebuilding', 0, cardIds.length);
	for (let i = 0; i < cardIds.length; i += REBUILD_BATCH) {
		const batch = cardIds.slice(i, i + REBUILD_BATCH);
		await guard(() =>
			db.transaction('rw', db.logs, db.cards, db.schedules, async () => {
				await rebuildCardsIn(db, batch);
			})
		);
		options.onProgress?.('rebuilding', Math.min(i + REBUILD_BATCH, cardIds.length), cardIds.length);
	}
	return cardIds.length;
}
