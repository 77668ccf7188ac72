/**
 * The review log as the FSRS optimizer's training items (fsrs-rs `FSRSItem`), the same rules the
 * optimizer applies to the revlog CSV (`progress/fsrs-csv.ts`) and Anki applies to its log:
 *
 * - only answers that count (`activeAnswers`: undo rows and the answers they void left out), and
 *   only those after the card's newest reset, as replay and Anki's optimizer take them (a reset
 *   forgets the memory state: what came before it does not predict what comes after);
 * - `deltaT` is in whole learner days (the learner's time zone and day-start hour, `DayClock`):
 *   the day of the answer minus the day of the card's previous answer, 0 for the first;
 * - one item per answer that is the first of its day after an earlier day (`deltaT > 0`): the card's
 *   answers up to and including it. Its last answer is what the model predicts (recalled unless
 *   Again); the answers before it, same-day ones included, make the memory state. A card answered
 *   on one day only gives no item (fsrs-rs rejects items without a `deltaT > 0`);
 * - items in the order of their last answer's time: fsrs-rs weighs later items more (recency
 *   weighting), as Anki's log, sorted by time, gives them.
 */
import { DayClock } from './days.js';
import { sinceLastReset, type CardAction } from './card-actions.js';
import { activeAnswers, type ReviewEvent } from './replay.js';
import type { Rating } from './fsrs.js';

export interface FsrsItemReview {
	rating: Rating;
	/** Learner days since the card's previous answer; 0 for the first and for same-day answers. */
	deltaT: number;
}

/** One training item: a card's answers, oldest first, up to the one predicted (the last). */
export interface FsrsItem {
	reviews: FsrsItemReview[];
}

/** The fields of a log row the conversion reads (progress's `ReviewRow` fits). */
export type FsrsItemInputRow = Pick<ReviewEvent, 'id' | 'time' | 'rating' | 'undoes'> & {
	cardId: string;
	/** Action rows (rating 0): a reset starts the card's history again. */
	action?: CardAction;
};

export interface FsrsItemsOptions {
	timeZone: string;
	dayStartHour: number;
}

export interface FsrsDataset {
	items: FsrsItem[];
	/** Answers that count (undo rows, the answers they void and those before a reset left out). */
	answers: number;
}

/** Training items from the log (any order, undo rows included). O(rows log rows). */
export function fsrsItems(
	rows: Iterable<FsrsItemInputRow>,
	options: FsrsItemsOptions
): FsrsDataset {
	const clock = new DayClock(options.timeZone, options.dayStartHour);
	const byCard = new Map<string, FsrsItemInputRow[]>();
	for (const row of rows) {
		const list = byCard.get(row.cardId);
		if (list) list.push(row);
		else byCard.set(row.cardId, [row]);
	}
	const timed: { item: FsrsItem; time: number }[] = [];
	let answers = 0;
	for (const list of byCard.values()) {
		const reviews: FsrsItemReview[] = [];
		let previousDay: number | null = null;
		for (const answer of activeAnswers(sinceLastReset(list))) {
			const day = clock.dayOf(answer.time);
			reviews.push({
				rating: answer.rating as Rating,
				deltaT: previousDay === null ? 0 : Math.max(0, day - previousDay)
			});
			previousDay = day;
			answers++;
			if (reviews.length > 1 && reviews[reviews.length - 1].deltaT > 0) {
				timed.push({ item: { reviews: reviews.slice() }, time: answer.time });
			}
		}
	}
	timed.sort((a, b) => a.time - b.time);
	return { items: timed.map(({ item }) => item), answers };
}

/**
 * Items as the flat arrays fsrs-browser's `computeParameters(ratings, deltaTs, lengths)` takes:
 * every item's reviews one after another, and each item's length.
 */
export interface PackedFsrsItems {
	ratings: Uint32Array;
	deltaTs: Uint32Array;
	lengths: Uint32Array;
}

export function packFsrsItems(items: readonly FsrsItem[]): PackedFsrsItems {
	let total = 0;
	for (const item of items) total += item.reviews.length;
	const ratings = new Uint32Array(total);
	const deltaTs = new Uint32Array(total);
	const lengths = new Uint32Array(items.length);
	let at = 0;
	items.forEach((item, i) => {
		lengths[i] = item.reviews.length;
		for (const review of item.reviews) {
			ratings[at] = review.rating;
			deltaTs[at] = review.deltaT;
			at++;
		}
	});
	return { ratings, deltaTs, lengths };
}
