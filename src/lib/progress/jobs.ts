/**
 * A marker for work that spans several transactions (an import writes its log batches, then
 * `recent`, then rebuilds the card caches). The marker is written before the first transaction and
 * removed after the last; if the tab closes or storage fills in between, the next start finds it
 * and runs Check database (`runPendingRepair`), which rebuilds every derived store from the log.
 */
import type { CheckOptions, CheckReport } from './check.js';
import { guard } from './errors.js';
import { newId } from './ids.js';
import type { ProgressDb } from './schema.js';

export type JobKind = 'import' | 'upgrade';

export interface PendingJob {
	/** Tells two overlapping jobs (two tabs importing) apart: each removes only its own marker. */
	token: string;
	kind: JobKind;
	startedAt: number;
}

const JOB_PREFIX = 'job:';

/** Writes the marker of a job about to start; returns it (pass it to `endJob`). */
export async function beginJob(
	db: ProgressDb,
	kind: JobKind,
	now = Date.now()
): Promise<PendingJob> {
	const job: PendingJob = { token: newId(), kind, startedAt: now };
	await guard(() => db.meta.put({ key: JOB_PREFIX + job.token, value: job }));
	return job;
}

/** Removes the marker of a job that finished (its derived stores are up to date). */
export async function endJob(db: ProgressDb, job: PendingJob): Promise<void> {
	await guard(() => db.meta.delete(JOB_PREFIX + job.token));
}

/** Jobs that started and never finished (in this tab or one that closed). */
export async function pendingJobs(db: ProgressDb): Promise<PendingJob[]> {
	const rows = await guard(() => db.meta.where('key').startsWith(JOB_PREFIX).toArray());
	return rows.map((row) => row.value as PendingJob);
}

/**
 * At start-up: when a job's marker says it did not finish, repairs the derived stores (Check
 * database) and removes the markers it found. Returns the report, or null when nothing was pending.
 * A job still running in another tab is repaired too: harmless, the check is idempotent and that
 * job's own rebuild follows.
 */
export async function runPendingRepair(
	db: ProgressDb,
	options: CheckOptions
): Promise<CheckReport | null> {
	const jobs = await pendingJobs(db);
	if (jobs.length === 0) return null;
	// loaded only when a job was interrupted: every page opens the database through here
	const { checkDatabase } = await import('./check.js');
	const report = await checkDatabase(db, options);
	await guard(() => db.meta.bulkDelete(jobs.map((job) => JOB_PREFIX + job.token)));
	return report;
}
