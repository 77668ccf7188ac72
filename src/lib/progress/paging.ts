/**
 * Reading the log in bounded pages. Each page is one `getAll` on a key range; the next page is
 * requested before the current one is handed to `visit`, so IndexedDB reads it (in the browser's
 * storage process) while `visit` works.
 *
 * Callbacks rather than async generators: Dexie keeps a transaction's zone across `await` in async
 * functions, not across generator resumptions, so these can run inside a transaction.
 */
import type { ProgressDb, ReviewRow } from './schema.js';

export const DEFAULT_PAGE_SIZE = 10_000;

/** A read started ahead: if `visit` throws first, its failure must not go unhandled. */
function prefetch<T>(read: Promise<T>): Promise<T> {
	read.catch(() => undefined);
	return read;
}

/**
 * Calls `visit` with each page of the log, oldest first: pages of the `time` index, each starting at
 * the last time seen; rows sharing that time that were already returned are skipped (the index
 * orders equal times by primary key, so they come first).
 */
export async function eachReviewPage(
	db: ProgressDb,
	pageSize: number,
	visit: (page: ReviewRow[]) => void
): Promise<void> {
	const read = async (lastTime: number | null, skip: number): Promise<ReviewRow[]> =>
		lastTime === null
			? db.reviews.orderBy('time').limit(pageSize).toArray()
			: (
					await db.reviews
						.where('time')
						.aboveOrEqual(lastTime)
						.limit(pageSize + skip)
						.toArray()
				).slice(skip);
	let lastTime: number | null = null;
	let seenAtLastTime = 0;
	let pending = read(null, 0);
	for (;;) {
		const page = await pending;
		if (page.length === 0) return;
		const time = page[page.length - 1].time;
		let same = 0;
		for (let i = page.length - 1; i >= 0 && page[i].time === time; i--) same++;
		seenAtLastTime = time === lastTime ? seenAtLastTime + same : same;
		lastTime = time;
		const more = page.length === pageSize;
		if (more) pending = prefetch(read(lastTime, seenAtLastTime));
		visit(page);
		if (!more) return;
	}
}

/**
 * Calls `visit` with each page of the log in primary-key (id) order. Faster than `eachReviewPage`
 * (a store range read needs no index lookup per row); for readers that do not need time order.
 */
export async function eachReviewPageById(
	db: ProgressDb,
	pageSize: number,
	visit: (page: ReviewRow[]) => void
): Promise<void> {
	const read = (last: string | null): Promise<ReviewRow[]> =>
		last === null
			? db.reviews.orderBy(':id').limit(pageSize).toArray()
			: db.reviews.where(':id').above(last).limit(pageSize).toArray();
	let pending = read(null);
	for (;;) {
		const page = await pending;
		if (page.length === 0) return;
		const more = page.length === pageSize;
		if (more) pending = prefetch(read(page[page.length - 1].id));
		visit(page);
		if (!more) return;
	}
}
