/**
 * Reads a backup file as a stream (one entry in memory at a time): `textChunks` decodes it, and a
 * `BackupReader` receives its members and entries, checks the header (format, version, counts)
 * and validates each entry with zod, counting the invalid ones with their reasons. A file that is
 * not a version-1 Attentive backup, is truncated or malformed, is absurdly large, or whose header
 * counts disagree with its content throws a `JsonStreamError` with a message for the learner.
 * `backup-import.ts` drives it, for the preview and for the import.
 */
import { m } from '../paraglide/messages.js';
import { BACKUP_FORMAT, BACKUP_VERSION } from './backup-export.js';
import type { PendingEntries } from './import-batches.js';
import { JsonObjectStream, JsonStreamError } from './json-stream.js';
import type { ExperimentRunRow, ReviewRow, Settings } from './schema.js';
import {
	cardRowSchema,
	describeIssues,
	experimentRunSchema,
	normalizeSettings,
	settingsSchema
} from './validate.js';
import { checkReviewRow } from './validate-rows.js';

export const MAX_BACKUP_BYTES = 2 * 1024 ** 3;
export const MAX_BACKUP_REVIEWS = 5_000_000;
export const MAX_BACKUP_CARDS = 1_000_000;
export const MAX_BACKUP_RUNS = 100_000;
/** Reasons kept for the preview (the counts cover everything). */
export const MAX_PROBLEMS = 50;

/** The file's settings: valid as a whole, invalid, or not in the file. */
export type SettingsStatus = 'valid' | 'invalid' | 'missing';

/** The file as decoded text chunks. */
export async function* textChunks(blob: Blob): AsyncGenerator<string> {
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
export class BackupReader implements PendingEntries {
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

	settingsStatus(): SettingsStatus {
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
