/** Saved runs of the peek-at-the-future experiment. */
import { guard, ProgressError } from './errors.js';
import { newId } from './ids.js';
import { readRunSummary, type SavedRunSummary } from './run-summary.js';
import type { ExperimentRunRow, ProgressDb } from './schema.js';
import { describeIssues, experimentRunSchema } from './validate.js';

export interface ExperimentRunInput {
	id?: string;
	time: number;
	config: Record<string, unknown>;
	/** What the experiment page saves is an `ExperimentRunSummary`. */
	summary: SavedRunSummary;
}

/** Stores a run (plain JSON config and summary; strings cleaned, sizes capped, summary checked). */
export async function addExperimentRun(
	db: ProgressDb,
	run: ExperimentRunInput
): Promise<ExperimentRunRow> {
	const parsed = experimentRunSchema.safeParse({ ...run, id: run.id ?? newId() });
	if (!parsed.success) throw new ProgressError('invalid', describeIssues(parsed.error));
	await guard(() => db.experimentRuns.put(parsed.data));
	return parsed.data;
}

/** The newest runs first, each summary read with `readRunSummary` (stored ones may be old). */
export async function listExperimentRuns(db: ProgressDb, limit = 100): Promise<ExperimentRunRow[]> {
	const runs = await guard(() =>
		db.experimentRuns.orderBy('time').reverse().limit(limit).toArray()
	);
	return runs.map((run) => ({ ...run, summary: readRunSummary(run.summary) }));
}
