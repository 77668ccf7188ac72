/**
 * Backup import, in two passes over the file (streamed: one entry in memory at a time):
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
import { guard, ProgressError } from './errors.js';
import { FileIds } from './file-ids.js';
import { JsonObjectStream, JsonStreamError } from './json-stream.js';
import { groupByCard, idsOf } from './log.js';
import { mergeIntoLogs } from './merge.js';
import { addRecent, RecentCandidates } from './recent.js';
import { isStaleCache, rebuildCardsIn } from './rebuild.js';
import type { ExperimentRunRow, ProgressDb, ReviewRow, Settings } from './schema.js';
import {
	cardRowSchema,
	describeIssues,
	experimentRunSchema,
	normalizeSettings,
	settingsSchema
} from './validate.js';
import { BACKUP_FORMAT, BACKUP_VERSION } from './backup-export.js';
import { checkReviewRow } from './validate-rows.js';
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

export const MAX_BACKUP_BYTES = 2 * 1024 ** 3;
export const MAX_BACKUP_REVIEWS = 5_000_000;
export const MAX_BACKUP_CARDS = 1_000_000;
export const MAX_BACKUP_RUNS = 100_000;
/** Reasons kept for the preview (the counts cover everything). */
export const MAX_PROBLEMS = 50;

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
	settings: 'valid' | 'invalid' | 'missing';
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

/** The file as decoded text chunks. */
async function* textChunks(blob: Blob): AsyncGenerator<string> {
	const reader = blob.stream().pipeThrough(new TextDecoderStream()).getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}

interface Header {
	format?: unknown;
	version?: unknown;
	exportedAt?: unknown;
	counts?: unknown;
	settings?: unknown;
}

/** Receives the streamed members and entries of a backup, validating each. */
class BackupReader implements PendingEntries {
	readonly header: Header = {};
	readonly problems: string[] = [];
	reviews: ReviewRow[] = [];
	runs: ExperimentRunRow[] = [];
	reviewsSeen = 0;
	invalidReviews = 0;
	runsSeen = 0;
	invalidRuns = 0;
	cardsSeen = 0;
	invalidCards = 0;
	private readonly arrays = new Set<string>();
	private readonly stream = new JsonObjectStream({
		onValue: (key, value) => this.onValue(key, value),
		onItem: (key, index, value) => this.onItem(key, index, value),
		onArrayEnd: (key) => this.arrays.add(key)
	});

	write(chunk: string): void {
		this.stream.write(chunk);
	}

	/** Completes the file: structure, header and counts must all be right. */
	end(): void {
		this.stream.end();
		if (this.header.format === undefined) fatal(m.progress_fatal_no_format());
		if (this.header.version === undefined) fatal(m.progress_fatal_no_version());
		for (const key of ['reviews', 'cards', 'experimentRuns']) {
			if (!this.arrays.has(key)) fatal(m.progress_fatal_no_list({ key }));
		}
		const counts = this.header.counts as Record<string, unknown> | undefined;
		if (!counts || typeof counts !== 'object') fatal(m.progress_fatal_no_counts());
		const found: Record<string, number> = {
			reviews: this.reviewsSeen,
			cards: this.cardsSeen,
			experimentRuns: this.runsSeen
		};
		for (const [key, count] of Object.entries(found)) {
			if (counts[key] !== count) {
				fatal(m.progress_fatal_counts_mismatch({ expected: String(counts[key]), key, count }));
			}
		}
	}

	expectedReviews(): number {
		const counts = this.header.counts as { reviews?: unknown } | undefined;
		return typeof counts?.reviews === 'number' ? counts.reviews : 0;
	}

	takeReviews(): ReviewRow[] {
		const rows = this.reviews;
		this.reviews = [];
		return rows;
	}

	takeRuns(): ExperimentRunRow[] {
		const runs = this.runs;
		this.runs = [];
		return runs;
	}

	settingsStatus(): ImportPreview['settings'] {
		if (this.header.settings === undefined) return 'missing';
		return settingsSchema.safeParse(this.header.settings).success ? 'valid' : 'invalid';
	}

	/** The file's settings when they are valid as a whole. */
	settings(): Settings | null {
		return this.settingsStatus() === 'valid' ? normalizeSettings(this.header.settings) : null;
	}

	private onValue(key: string, value: unknown): void {
		switch (key) {
			case 'format':
				if (value !== BACKUP_FORMAT) {
					fatal(
						m.progress_fatal_wrong_format({ format: String(JSON.stringify(value)?.slice(0, 60)) })
					);
				}
				this.header.format = value;
				break;
			case 'version':
				if (typeof value === 'number' && value > BACKUP_VERSION) {
					fatal(m.progress_fatal_newer_version({ version: value }));
				}
				if (value !== BACKUP_VERSION) {
					fatal(m.progress_fatal_unknown_version({ version: String(value).slice(0, 20) }));
				}
				this.header.version = value;
				break;
			case 'exportedAt':
			case 'counts':
			case 'settings':
				this.header[key] = value;
				break;
			default:
			// meta and members from later formats: not imported
		}
	}

	private onItem(key: string, index: number, value: unknown): void {
		if (key === 'reviews') {
			if (++this.reviewsSeen > MAX_BACKUP_REVIEWS)
				fatal(m.progress_fatal_too_many_reviews({ max: MAX_BACKUP_REVIEWS }));
			const checked = checkReviewRow(value, `${key}[${index}]`);
			if (typeof checked !== 'string') this.reviews.push(checked);
			else {
				this.invalidReviews++;
				this.note(checked);
			}
		} else if (key === 'experimentRuns') {
			if (++this.runsSeen > MAX_BACKUP_RUNS)
				fatal(m.progress_fatal_too_many_runs({ max: MAX_BACKUP_RUNS }));
			const parsed = experimentRunSchema.safeParse(value);
			if (parsed.success) this.runs.push(parsed.data);
			else this.problem(key, index, parsed.error, () => this.invalidRuns++);
		} else if (key === 'cards') {
			if (++this.cardsSeen > MAX_BACKUP_CARDS)
				fatal(m.progress_fatal_too_many_cards({ max: MAX_BACKUP_CARDS }));
			const parsed = cardRowSchema.safeParse(value);
			if (!parsed.success) this.problem(key, index, parsed.error, () => this.invalidCards++);
		}
	}

	private problem(
		key: string,
		index: number,
		error: Parameters<typeof describeIssues>[0],
		count: () => void
	): void {
		count();
		this.note(describeIssues(error, 2, `${key}[${index}]`));
	}

	private note(problem: string): void {
		if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
	}
}

function fatal(message: string): never {
	throw new JsonStreamError(message);
}
