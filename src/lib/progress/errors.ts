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
	| 'unknown';

const MESSAGES: Record<ProgressErrorKind, string> = {
	quota:
		'Storage is full: the browser refused to save more. Your earlier progress is intact; export a backup and free some space.',
	blocked:
		'Another tab with an older version of Attentive is open. Close it (or reload it) so this tab can update your progress database.',
	version:
		'Your progress was saved by a newer version of Attentive. Reload the page to get the newer version.',
	closed: 'The progress database was closed (perhaps by another tab updating it). Reload the page.',
	unavailable:
		'This browser does not let Attentive store progress (private mode or storage disabled).',
	invalid: 'The data to save is not valid.',
	'not-found': 'Nothing to do: the entry does not exist.',
	import: 'The backup file cannot be imported.',
	aborted: 'Saving was interrupted and nothing was changed. Please try again.',
	unknown: 'Saving progress failed; nothing was changed. Please try again.'
};

export class ProgressError extends Error {
	readonly kind: ProgressErrorKind;

	constructor(kind: ProgressErrorKind, detail?: string, options?: { cause?: unknown }) {
		super(detail ? `${MESSAGES[kind]} (${detail})` : MESSAGES[kind], options);
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
