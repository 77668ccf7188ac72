export {
	openProgressDb,
	requestPersistence,
	type OpenOptions,
	type PersistenceResult
} from './db.js';
export { ProgressError, toProgressError, type ProgressErrorKind } from './errors.js';
export {
	CURRENT_VERSION,
	DB_NAME,
	SCHEMA_V1,
	SCHEMA_V2,
	SCHEMA_V3,
	type CardLogRecord,
	type CardRow,
	type ScheduleRow,
	type DexieDeps,
	type ExperimentRunRow,
	type ProgressDb,
	type ReviewRow,
	type Settings
} from './schema.js';
export {
	getCardLog,
	getCards,
	getCardsByIds,
	studiedCardIds,
	lastUndoableReview,
	recordReview,
	undoReview,
	type RecordOptions,
	type RecordResult,
	type ReviewInput,
	type UndoResult
} from './reviews.js';
export { countReviews, readAllReviews } from './log.js';
export {
	loadCardDetails,
	nextStudyDayStart,
	recordCardAction,
	type CardActionResult,
	type CardDetails
} from './card-actions.js';
export { loadQueue, type LoadQueueOptions } from './queue.js';
export { readSchedules, type ScheduleEntry } from './schedule-index.js';
export {
	backupReminderDue,
	BACKUP_REMINDER_DAYS,
	getBackupStatus,
	getSettings,
	markBackedUp,
	saveSettings,
	type BackupStatus
} from './settings.js';
export { defaultSettings, SETTINGS_LIMITS } from './validate.js';
export { addExperimentRun, listExperimentRuns, type ExperimentRunInput } from './experiments.js';
export {
	experimentRunSummarySchema,
	readRunSummary,
	type ArmResult,
	type ExperimentRunSummary,
	type SavedRunSummary
} from './run-summary.js';
export {
	computeStats,
	StatsAccumulator,
	streaks,
	undoTargets,
	type DeckAccuracy,
	type DeckMastery,
	type ProgressStats,
	type StatsCard,
	type StatsOptions,
	type StatsReview,
	type WeekAccuracy,
	type WeekRetention
} from './stats.js';
export { loadProgressStats, type LoadStatsOptions } from './stats-db.js';
export {
	loadMisconceptionCounts,
	type MisconceptionCount,
	type MisconceptionCountOptions
} from './misconceptions.js';
export {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	exportBackupBlob,
	type ExportOptions
} from './backup-export.js';
export {
	applyImport,
	MAX_BACKUP_BYTES,
	MAX_BACKUP_REVIEWS,
	previewImport,
	type ImportCounts,
	type ImportOptions,
	type ImportPhase,
	type ImportPreview,
	type ImportResult
} from './backup-import.js';
export { csvCell, exportReviewsCsvBlob, CSV_COLUMNS } from './csv.js';
export {
	checkDatabase,
	checkFoundNothing,
	clockRepairs,
	type CheckOptions,
	type CheckReport
} from './check.js';
export { beginJob, endJob, pendingJobs, runPendingRepair, type PendingJob } from './jobs.js';
export {
	checkClock,
	clockProblem,
	CLOCK_TOLERANCE_MS,
	EARLIEST_ANSWER_TIME,
	type ClockProblem
} from './clock.js';
export {
	discardOrphanCards,
	keepOrphanCards,
	listOrphanCards,
	type OrphanCard
} from './orphans.js';
export {
	FSRS_CSV_COLUMNS,
	FSRS_CSV_DEFAULT_DAY_START,
	fsrsOptimizerCsv,
	type FsrsCsvExport,
	type FsrsCsvInputRow,
	type FsrsCsvOptions
} from './fsrs-csv.js';
export {
	applyScheduling,
	ensureScheduling,
	storedScheduling,
	type RescheduleOptions
} from './scheduling.js';
export { schedulingOf } from './params-in-force.js';
export {
	acceptFsrsParameters,
	activateFsrsParameters,
	activeFsrsWeights,
	addFsrsParameters,
	FSRS_PARAMETERS_KEY,
	getFsrsParameters,
	revertFsrsParametersToDefaults,
	type FsrsFit,
	type FsrsParameters,
	type FsrsParameterVersion
} from './fsrs-params.js';
