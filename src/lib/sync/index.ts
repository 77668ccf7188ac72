export {
	DOC_VERSION,
	newestSettings,
	parseDoc,
	REVIEW_PREFIX,
	reviewDoc,
	SETTINGS_PREFIX,
	settingsDoc,
	type ParsedDoc,
	type RejectedDoc,
	type ReviewDoc,
	type SettingsDoc
} from './docs.js';
export {
	classifySyncError,
	databaseUrl,
	probeConnection,
	SyncError,
	type ConnectionTarget,
	type SyncErrorKind
} from './errors.js';
export {
	deviceId,
	OUT_WINDOW_MS,
	publishSettings,
	pullFromMirror,
	pushToMirror,
	settingsInForce,
	type OutCursor,
	type SettingsInForce,
	type PullResult,
	type PushOptions,
	type PushResult
} from './mirror.js';
export { loadBrowserPouch, type PouchDatabase, type PouchStatic } from './pouch.js';
export {
	DEFAULT_POLL_MS,
	mirrorNameFor,
	startSync,
	type StartSyncOptions,
	type SyncHandle,
	type SyncState,
	type SyncStatus
} from './sync.js';
