/**
 * The `attentive` IndexedDB database: row types and each schema version's stores (the upgrades
 * between versions are in migrations.ts; `openProgressDb` in db.ts puts them together).
 *
 * Versions only go forward. Each version's store definition is kept verbatim (Dexie needs the full
 * history to upgrade any older database).
 *
 * - v1: reviews (`id, time, [cardId+time]`), cards (`cardId, due`), settings, meta.
 * - v2: reviews gain the sparse `undoes` index (only undo rows have a key there), cards gain a
 *   `deckId` index, and the `experimentRuns` and `deckSchedules` (derived) tables appear.
 * - v3: the log moves from `reviews` (one record per answer) to `logs` (one record per card, holding
 *   that card's rows in (time, id) order, packed in columns; indexes `firstTime` and `lastTime`).
 *   IndexedDB costs about the same per record whatever its size, so a million answers over 10,000
 *   cards are 10,000 records instead of a million, for an import to write and the statistics to
 *   read. `recent` (derived, see recent.ts) keeps a copy of the newest two days of rows for
 *   today's queue. `deckSchedules` (one record per deck) becomes `schedules` (per deck, 4 records
 *   by card id hash: an answer rewrites a quarter of a deck's schedules).
 */
import type { Dexie, Table } from 'dexie';
import type { CardAction, CardFlags, CardState } from '../scheduler/index.js';
import type { PackedIds } from './packed-ids.js';
import type { SavedRunSummary } from './run-summary.js';

export const DB_NAME = 'attentive';
export const CURRENT_VERSION = 3;

export const SCHEMA_V1 = {
	reviews: 'id, time, [cardId+time]',
	cards: 'cardId, due',
	settings: 'key',
	meta: 'key'
} as const;

export const SCHEMA_V2 = {
	reviews: 'id, time, [cardId+time], undoes',
	cards: 'cardId, due, deckId',
	settings: 'key',
	meta: 'key',
	experimentRuns: 'id, time',
	deckSchedules: 'deckId'
} as const;

export const SCHEMA_V3 = {
	reviews: null,
	logs: 'cardId, firstTime, lastTime',
	recent: '[cardId+id], time',
	cards: 'cardId, due, deckId',
	settings: 'key',
	meta: 'key',
	experimentRuns: 'id, time',
	deckSchedules: null,
	schedules: '[deckId+bucket]'
} as const;

/**
 * One entry of the append-only log. An answer has rating 1-4 and `undoes: null`; an undo row has
 * rating 0, `undoes` = the id of the answer it voids, and empty answer fields (no `misconception`);
 * an action row (suspend, unsuspend, bury, reset: see scheduler/card-actions.ts) has rating 0,
 * `undoes: null`, `action`, and empty answer fields.
 */
export interface ReviewRow {
	/** Random UUID, so entries from two devices or tabs never collide. */
	id: string;
	cardId: string;
	deckId: string;
	/** Epoch ms. */
	time: number;
	rating: 0 | 1 | 2 | 3 | 4;
	/** Engine-checked questions: was the answer right; null for self-rated flashcards. */
	correct: boolean | null;
	/** What the learner typed or picked, as plain text. */
	rawAnswer: string;
	/** The quiz seed, so the attempt can be replayed; null when the question has none. */
	seed: number | null;
	durationMs: number;
	undoes: string | null;
	/**
	 * The misconception the quiz engine diagnosed in this answer (an id such as `no-scaling`, at
	 * most 64 characters); absent when none was (and on every undo row).
	 */
	misconception?: string;
	/** Action rows only: what was done to the card. */
	action?: CardAction;
	/** Bury rows only: the start of the study day after the bury (epoch ms). */
	buriedUntil?: number;
}

/** What an undo or action row holds in the answer fields: nothing. */
const NO_ANSWER = { rating: 0, correct: null, rawAnswer: '', seed: null, durationMs: 0 } as const;

/** The undo row voiding `answer`, at `time`: rating 0, `undoes` its id, empty answer fields. */
export function undoRow(
	answer: Pick<ReviewRow, 'id' | 'cardId' | 'deckId'>,
	id: string,
	time: number
): ReviewRow {
	return {
		id,
		cardId: answer.cardId,
		deckId: answer.deckId,
		time,
		...NO_ANSWER,
		undoes: answer.id
	};
}

/** An action row: rating 0, `undoes: null`, empty answer fields; `buriedUntil` on a bury. */
export function actionRow(
	fields: Pick<ReviewRow, 'id' | 'cardId' | 'deckId' | 'time' | 'buriedUntil'> & {
		action: CardAction;
	}
): ReviewRow {
	const { id, cardId, deckId, time, action, buriedUntil } = fields;
	return {
		id,
		cardId,
		deckId,
		time,
		...NO_ANSWER,
		undoes: null,
		action,
		...(buriedUntil !== undefined && { buriedUntil })
	};
}

/**
 * One card's log: its rows (answers and undo rows) in (time, id) order, packed one column per field
 * (entry i of each column is row i; see log.ts). Rows are only ever added; the record is rewritten
 * in the same transaction that adds them. Columns rather than row objects: typed arrays, ids as
 * bytes and one string for the answers are copied as bytes: a row takes 44 bytes of columns (its
 * id as a UUID's 16) plus its answer's text, and the record is fast to store and to read back.
 */
export interface CardLogRecord {
	cardId: string;
	/** Time of the oldest row (indexed: the first answer ever, for backup reminders). */
	firstTime: number;
	/** Time of the newest row (indexed: the newest answer). */
	lastTime: number;
	/** The rows' ids: 16 bytes each when all are UUIDs, else text (see packed-ids.ts). */
	ids: PackedIds;
	times: Float64Array;
	ratings: Uint8Array;
	/** 1 right, 0 wrong, -1 null (self-rated). */
	correct: Int8Array;
	/** The distinct deck ids of the rows; `deckOf[i]` is row i's index into it. */
	decks: string[];
	deckOf: Uint16Array;
	/** The rows' answers, concatenated like the ids. */
	answerText: string;
	answerEnds: Uint32Array;
	/** NaN where the seed is null. */
	seeds: Float64Array;
	/** Whole milliseconds (every writer rounds and caps them at a day). */
	durations: Uint32Array;
	/** The undo rows: their positions, and the id each voids. */
	undoAt: Uint32Array;
	undoes: string[];
	/**
	 * The answers with a diagnosed misconception: their positions, and its id. Both absent when no
	 * row has one (every record written before misconceptions were stored, and most since): a row
	 * without one costs nothing.
	 */
	misconceptionAt?: Uint32Array;
	misconceptions?: string[];
	/**
	 * The action rows: their positions, their action, and (NaN but on bury rows) until when. All
	 * absent when the card has none, like the misconception columns.
	 */
	actionAt?: Uint32Array;
	actions?: CardAction[];
	actionUntil?: Float64Array;
}

/** A row of the `recent` cache: what today's daily limits need of a log row. */
export type RecentRow = Pick<ReviewRow, 'id' | 'cardId' | 'time' | 'rating' | 'undoes'>;

/**
 * The derived cache of a studied card (rebuilt from the log whenever it may be stale). The replay
 * starts at the card's newest reset; `suspended` and `buriedUntil` (absent when not set) come from
 * its action rows.
 */
export interface CardRow extends CardState, CardFlags {
	cardId: string;
	deckId: string;
	/** Time of the first answer that counts. */
	firstReview: number;
	/** Number of answers that count (undone ones excluded). */
	answers: number;
	/**
	 * Id of the newest log row (in (time, id) order) this row was derived from. When it is still the
	 * newest, an answer appended after it can be applied to this state instead of a full replay.
	 */
	logHead: string;
	/**
	 * How many log rows (undo rows included) this row was derived from. A cache whose count differs
	 * from its card's log is stale (an import or another job stopped between its transactions) and
	 * is rebuilt before use. Absent on rows written before it existed: those count as stale.
	 */
	logRows?: number;
}

/**
 * The learner's study settings (bounds in validate.ts). The theme is not one of them: it lives in
 * localStorage (state/theme.svelte.ts); a `theme` in older rows and backups is ignored.
 */
export interface Settings {
	dailyNewLimit: number;
	dailyReviewLimit: number;
	/** Local hour (0-23) at which a new study day starts. */
	dayStartHour: number;
	/** IANA zone name, e.g. "Europe/Berlin". */
	timeZone: string;
	/** The probability of recall the intervals aim at (0.70-0.97; default 0.90). */
	desiredRetention: number;
}

export interface SettingsRow extends Settings {
	key: 'settings';
}

export interface MetaRow {
	key: string;
	value: unknown;
}

/**
 * Derived cache: the scheduling fields of some of a deck's studied cards (those whose id hashes to
 * `bucket`), packed (see schedule-index.ts). Entry i of every array belongs to `cardIds[i]`;
 * `lastReview` is NaN where it is null.
 */
export interface ScheduleRow {
	deckId: string;
	bucket: number;
	cardIds: string[];
	due: Float64Array;
	stability: Float64Array;
	lastReview: Float64Array;
	firstReview: Float64Array;
	state: Uint8Array;
	/** 1 where the card is suspended; absent when no card of the record is. */
	suspended?: Uint8Array;
	/** Where the card is buried until (NaN where not); absent when no card of the record is. */
	buriedUntil?: Float64Array;
}

/** A saved run of the peek-at-the-future experiment. */
export interface ExperimentRunRow {
	id: string;
	time: number;
	/** The run's configuration (plain JSON). */
	config: Record<string, unknown>;
	/** Where the two models ended and how long the run took (plain JSON; see run-summary.ts). */
	summary: SavedRunSummary;
}

export interface DexieDeps {
	indexedDB: IDBFactory;
	IDBKeyRange: typeof IDBKeyRange;
}

/** The tables of the current version. */
export interface ProgressTables {
	logs: Table<CardLogRecord, string>;
	recent: Table<RecentRow, [string, string]>;
	cards: Table<CardRow, string>;
	settings: Table<SettingsRow, string>;
	meta: Table<MetaRow, string>;
	experimentRuns: Table<ExperimentRunRow, string>;
	schedules: Table<ScheduleRow, [string, number]>;
}

/** An open progress database (`openProgressDb`): Dexie with the current version's tables. */
export type ProgressDb = Dexie & ProgressTables;
