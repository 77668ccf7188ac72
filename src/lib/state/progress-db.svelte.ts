import { m } from '$lib/paraglide/messages';
import { openProgressDb, requestPersistence } from '$lib/progress/db';
import type { ProgressDb } from '$lib/progress/schema';

/** App-wide storage status, shown in a banner when something needs the learner. */
export const storage = $state({
	/** A message to show (blocked upgrade, newer version in another tab, no IndexedDB). */
	problem: null as string | null,
	persisted: null as boolean | null
});

let opening: Promise<ProgressDb> | null = null;

/** The progress database, opened once per page; asks for persistent storage the first time. */
export function progressDb(): Promise<ProgressDb> {
	opening ??= openProgressDb({
		onBlocked: () => {
			storage.problem = m.progress_storage_blocked();
		},
		onVersionChange: () => {
			storage.problem = m.progress_storage_updated();
		}
	}).then(
		(db) => {
			void requestPersistence().then((result) => (storage.persisted = result.persisted));
			return db;
		},
		(error: unknown) => {
			opening = null;
			storage.problem = error instanceof Error ? error.message : String(error);
			throw error;
		}
	);
	return opening;
}
