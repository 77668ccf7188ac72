import { m } from '../paraglide/messages.js';

/**
 * Every failure that leaves this layer is a `ProgressError` with a `kind` the UI can switch on and a
 * message a learner can act on. A failed write never half-commits (each write is one transaction).
 */

export type ProgressErrorKind =
	| 'quota'
	| 'blocked'
	| 'version'
	| 'closed'
	| 'unavailable'
	| 'invalid'
	| 'not-found'
	| 'import'
	| 'aborted'
	| 'clock'
	| 'unknown';

/** What each kind tells the learner, in the page's language (read when the error is made). */
const MESSAGES: Record<ProgressErrorKind, () => string> = {
	quota: m.progress_error_quota,
	blocked: m.progress_error_blocked,
	version: m.progress_error_version,
	closed: m.progress_error_closed,
	unavailable: m.progress_error_unavailable,
	invalid: m.progress_error_invalid,
	'not-found': m.progress_error_not_found,
	import: m.progress_error_import,
	aborted: m.progress_error_aborted,
	clock: m.database_error_clock,
	unknown: m.progress_error_unknown
};

export class ProgressError extends Error {
	readonly kind: ProgressErrorKind;

	constructor(kind: ProgressErrorKind, detail?: string, options?: { cause?: unknown }) {
		const message = MESSAGES[kind]();
		super(detail ? m.progress_error_detail({ message, detail }) : message, options);
		this.name = 'ProgressError';
		this.kind = kind;
	}
}

/** Maps IndexedDB / Dexie errors (by name, including inner causes) to a `ProgressError`. */
export function toProgressError(error: unknown): ProgressError {
	if (error instanceof ProgressError) return error;
	const names = errorNames(error);
	const detail = error instanceof Error ? error.message : String(error);
	const kind: ProgressErrorKind = names.has('QuotaExceededError')
		? 'quota'
		: names.has('VersionError')
			? 'version'
			: names.has('BlockedError')
				? 'blocked'
				: names.has('DatabaseClosedError')
					? 'closed'
					: names.has('MissingAPIError') || names.has('SecurityError')
						? 'unavailable'
						: names.has('AbortError')
							? 'aborted'
							: 'unknown';
	return new ProgressError(kind, detail, { cause: error });
}

/** Runs `work`, rethrowing any failure as a `ProgressError`. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw toProgressError(error);
	}
}

function errorNames(error: unknown): Set<string> {
	const names = new Set<string>();
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const e = current as { name?: unknown; inner?: unknown; cause?: unknown };
		if (typeof e.name === 'string') names.add(e.name);
		current = e.inner ?? e.cause;
	}
	return names;
}
