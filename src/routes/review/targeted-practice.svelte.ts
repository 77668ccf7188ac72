/**
 * Targeted practice before a review after a break: the learner's most frequent misconceptions of
 * the last weeks, each with one question where it was made (practice only, not scheduled).
 */
import type { QuestionView } from '$lib/content/present';
import { isMisconceptionId, MISCONCEPTIONS, type MisconceptionInfo } from '$lib/quiz/catalogue';
import { loadMisconceptionCounts } from '$lib/progress/misconceptions';
import { getBackupStatus } from '$lib/progress/settings';
import { DAY_MS } from '$lib/scheduler';
import { progressDb } from '$lib/state/progress-db.svelte';
import { QuestionAttempt, freshSeed, isEngine } from '$lib/study/attempt.svelte';

/** A break: this many days since the last answer. */
export const BREAK_DAYS = 3;
/** Misconceptions counted over this many days before the break ended. */
export const LOOKBACK_DAYS = 28;
/** At most this many misconceptions are offered. */
export const TOP = 3;

export interface TargetedItem {
	id: string;
	count: number;
	info: MisconceptionInfo;
	attempt: QuestionAttempt;
}

export class TargetedPractice {
	items = $state.raw<TargetedItem[]>([]);
	/** Days since the last answer, when the learner comes back from a break. */
	breakDays = $state<number | null>(null);
	dismissed = $state(false);

	get shown(): boolean {
		return !this.dismissed && this.items.length > 0;
	}

	/** Reads the log: nothing is offered without a break, or without a diagnosed misconception. */
	async load(now: number, questions: readonly QuestionView[]): Promise<void> {
		try {
			const db = await progressDb();
			const { lastReviewAt } = await getBackupStatus(db);
			if (lastReviewAt === null || now - lastReviewAt < BREAK_DAYS * DAY_MS) return;
			const counts = await loadMisconceptionCounts(db, { since: now - LOOKBACK_DAYS * DAY_MS });
			const byId = new Map(questions.map((view) => [view.id, view])); // eslint-disable-line svelte/prefer-svelte-reactivity -- a local lookup, never rendered
			const items: TargetedItem[] = [];
			for (const count of counts) {
				if (items.length >= TOP || !isMisconceptionId(count.id)) continue;
				const view = count.cardIds.map((id) => byId.get(id)).find((v) => v && isEngine(v));
				if (!view) continue;
				const attempt = new QuestionAttempt(view, freshSeed(), now);
				void attempt.prepare();
				items.push({ id: count.id, count: count.count, info: MISCONCEPTIONS[count.id], attempt });
			}
			this.breakDays = Math.floor((now - lastReviewAt) / DAY_MS);
			this.items = items;
		} catch {
			// optional: without it the review works as usual
		}
	}

	/** A new attempt (new numbers) at item `index`'s question. */
	retry(index: number, now: number): void {
		const item = this.items[index];
		if (!item) return;
		const attempt = new QuestionAttempt(item.attempt.view, freshSeed(), now);
		void attempt.prepare();
		this.items = this.items.map((it, i) => (i === index ? { ...it, attempt } : it));
	}
}
