/**
 * FSRS weights fitted to the learner's history, versioned (issue #19): every accepted fit is kept
 * with its date and its metrics, one of them (or none: the defaults) is active, and the learner can
 * go back to the defaults or to any earlier version. Stored as one `meta` row (`fsrsParameters`),
 * validated with zod when written and when read (a stored value that does not fit is read as "no
 * versions", never as weights the scheduler would use).
 */
import * as z from 'zod/mini';
import { guard, ProgressError } from './errors.js';
import type { ProgressDb } from './schema.js';
import { describeIssues } from './validate.js';

export const FSRS_PARAMETERS_KEY = 'fsrsParameters';

const finite = z.number().check(z.refine(Number.isFinite, 'must be a finite number'));
const metric = z.number().check(z.nonnegative());

export const fsrsParameterVersionSchema = z.object({
	version: z.int().check(z.positive()),
	createdAt: finite,
	/** FSRS-6: the 21 weights ts-fsrs's `fsrs({ w })` takes. */
	weights: z.array(finite).check(z.length(21)),
	/** Answers the fit was made on. */
	reviews: z.int().check(z.nonnegative()),
	logLossDefault: metric,
	logLossFitted: metric,
	rmseDefault: metric,
	rmseFitted: metric
});

export type FsrsParameterVersion = z.infer<typeof fsrsParameterVersionSchema>;

export const fsrsParametersSchema = z.object({
	/** The version scheduling uses; null: the FSRS-6 defaults. */
	active: z.nullable(z.int().check(z.positive())),
	versions: z.array(fsrsParameterVersionSchema)
});

export type FsrsParameters = z.infer<typeof fsrsParametersSchema>;

/** A fit to store: a version's fields without its number and date. */
export type FsrsFit = Omit<FsrsParameterVersion, 'version' | 'createdAt'>;

const EMPTY: FsrsParameters = { active: null, versions: [] };

function read(value: unknown): FsrsParameters {
	const parsed = fsrsParametersSchema.safeParse(value);
	if (!parsed.success) return { active: null, versions: [] };
	const { active, versions } = parsed.data;
	return { active: versions.some((v) => v.version === active) ? active : null, versions };
}

async function update(
	db: ProgressDb,
	change: (current: FsrsParameters) => FsrsParameters
): Promise<FsrsParameters> {
	return guard(() =>
		db.transaction('rw', db.meta, async () => {
			const row = await db.meta.get(FSRS_PARAMETERS_KEY);
			const next = change(row ? read(row.value) : { ...EMPTY });
			const parsed = fsrsParametersSchema.safeParse(next);
			if (!parsed.success) throw new ProgressError('invalid', describeIssues(parsed.error));
			await db.meta.put({ key: FSRS_PARAMETERS_KEY, value: parsed.data });
			return parsed.data;
		})
	);
}

/** Every stored version (oldest first) and the active one. */
export async function getFsrsParameters(db: ProgressDb): Promise<FsrsParameters> {
	const row = await guard(() => db.meta.get(FSRS_PARAMETERS_KEY));
	return row ? read(row.value) : { ...EMPTY, versions: [] };
}

/**
 * Stores a fit as the next version (numbered from 1), not active.
 * @throws ProgressError('invalid') naming the field when the fit does not validate
 */
export function addFsrsParameters(
	db: ProgressDb,
	fit: FsrsFit,
	createdAt: number
): Promise<FsrsParameterVersion> {
	return append(db, fit, createdAt, false);
}

/** Accepts a fit: stores it as the next version and makes it the active one. */
export function acceptFsrsParameters(
	db: ProgressDb,
	fit: FsrsFit,
	createdAt: number
): Promise<FsrsParameterVersion> {
	return append(db, fit, createdAt, true);
}

async function append(
	db: ProgressDb,
	fit: FsrsFit,
	createdAt: number,
	activate: boolean
): Promise<FsrsParameterVersion> {
	const stored = await update(db, (current) => {
		const version = Math.max(0, ...current.versions.map((v) => v.version)) + 1;
		const added = { version, createdAt, ...pickFit(fit) };
		return {
			active: activate ? version : current.active,
			versions: [...current.versions, added]
		};
	});
	return stored.versions[stored.versions.length - 1];
}

/**
 * Makes a stored version the active one (an earlier one: a revert), or null for the defaults.
 * @throws ProgressError('not-found') for a version that is not stored
 */
export async function activateFsrsParameters(
	db: ProgressDb,
	version: number | null
): Promise<FsrsParameters> {
	return update(db, (current) => {
		if (version !== null && !current.versions.some((v) => v.version === version)) {
			throw new ProgressError('not-found', `no FSRS parameters version ${version}`);
		}
		return { ...current, active: version };
	});
}

/** Back to the FSRS-6 defaults; every version stays stored. */
export function revertFsrsParametersToDefaults(db: ProgressDb): Promise<FsrsParameters> {
	return activateFsrsParameters(db, null);
}

/** The active version's weights, or null when scheduling uses the defaults. */
export async function activeFsrsWeights(db: ProgressDb): Promise<number[] | null> {
	const { active, versions } = await getFsrsParameters(db);
	return versions.find((v) => v.version === active)?.weights ?? null;
}

function pickFit(fit: FsrsFit): FsrsFit {
	return {
		weights: [...fit.weights],
		reviews: fit.reviews,
		logLossDefault: fit.logLossDefault,
		logLossFitted: fit.logLossFitted,
		rmseDefault: fit.rmseDefault,
		rmseFitted: fit.rmseFitted
	};
}
