import { m } from '$lib/paraglide/messages';
import { openProgressDb, requestPersistence } from '$lib/progress/db';
import { ProgressError } from '$lib/progress/errors';
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
			const plain = olderPageError(error);
			storage.problem = plain instanceof Error ? plain.message : String(plain);
			throw plain;
		}
	);
	return opening;
}

/**
 * The stored schema is newer than this page's code (a tab or cache of an older build): say that in
 * plain words, without the schema number, wherever the page shows the error. The banner's Reload
 * fetches the new version ($lib/state/app-update).
 */
function olderPageError(error: unknown): unknown {
	if (!(error instanceof ProgressError) || error.kind !== 'version') return error;
	const plain = new ProgressError('version', undefined, { cause: error });
	plain.message = m.web_older_page();
	return plain;
}
