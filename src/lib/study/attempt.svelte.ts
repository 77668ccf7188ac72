import type { QuestionView } from '$lib/content/present';
import { isEngineKind } from '$lib/content/types';
import type { ComputedQuestion, MisconceptionAnswer } from '$lib/quiz/compute';
import { diagnose } from '$lib/quiz/diagnose';
import { parseAnswer } from '$lib/quiz/answer';
import { gradeComputed, type Grade } from '$lib/quiz/grade';
import { gradeChoice, gradeCloze, optionOrder } from '$lib/quiz/choice';
import { proposeRating, type Rating } from '$lib/scheduler';
import { m } from '$lib/paraglide/messages';

export type AttemptOutcome =
	| {
			kind: 'engine';
			correct: boolean;
			grade: Grade;
			/** The misconception the wrong answer matches, if exactly one does. */
			diagnosis: MisconceptionAnswer | null;
	  }
	| { kind: 'choice'; correct: boolean; options: ReturnType<typeof gradeChoice>['options'] }
	| { kind: 'cloze'; correct: boolean; blanks: ReturnType<typeof gradeCloze>['blanks'] }
	| { kind: 'flashcard'; correct: null };

/**
 * How much of an engine-checked question a lesson works out (worked, then faded, then solved: worked
 * examples help a novice, testing helps once the procedure is known). `worked`: every step and the
 * answer are shown; `faded`: the first steps are shown and the learner does the rest; `solve`: the
 * whole problem. Quizzes and reviews always ask `solve`.
 */
export type Stage = 'worked' | 'faded' | 'solve';

/** A fresh seed for an attempt: any safe integer works; small ones are easy to type into PyTorch. */
export function freshSeed(): number {
	return Math.floor(Math.random() * 1_000_000);
}

/**
 * One attempt at one question: its seed (so the same numbers can be shown again), what the learner
 * typed or picked, and the outcome. Engine-checked questions compute their answer in the browser.
 */
export class QuestionAttempt {
	readonly view: QuestionView;
	readonly seed: number;
	readonly startedAt: number;
	/**
	 * Multiple choice: the options' deck indices in the order this attempt shows them, drawn from the
	 * seed (the same seed, e.g. after an undo, shows the same order). Empty for other kinds.
	 */
	readonly order: readonly number[];

	phase = $state<'loading' | 'ready' | 'failed' | 'done'>('loading');
	loadError = $state<string | null>(null);
	/** Engine questions: the prompt with this attempt's numbers, and the worked solution. */
	questionHtml = $state('');
	solutionHtml = $state('');
	computed = $state<ComputedQuestion | null>(null);
	/** A diagnosed wrong answer: what went wrong, and the learner's path beside the right one. */
	diagnosisHtml = $state('');
	pathsHtml = $state('');
	/** Loaded with the engine (lazily, so the page's first load stays small). */
	private describe: {
		paths: (computed: ComputedQuestion, wrong: MisconceptionAnswer) => string;
		markdown: (md: string) => string;
	} | null = null;

	raw = $state('');
	selected = $state<number[]>([]);
	blanks = $state<Record<string, string>>({});
	/** Unparsable or wrong-shape input: shown, not counted as wrong. */
	inputMessage = $state<string | null>(null);
	outcome = $state<AttemptOutcome | null>(null);
	finishedAt = $state<number | null>(null);

	/** Engine questions: how much is worked out (`faded` falls back to `solve` when nothing fades). */
	stage = $state<Stage>('solve');

	constructor(view: QuestionView, seed: number, now: number, stage: Stage = 'solve') {
		this.view = view;
		this.seed = seed;
		this.startedAt = now;
		this.stage = isEngine(view) ? stage : 'solve';
		this.order =
			view.kind === 'multiple-choice' ? optionOrder(view.id, view.options.length, seed) : [];
		if (!isEngine(view)) this.phase = 'ready';
	}

	/** Computes this attempt's numbers (engine questions only). Never throws. */
	async prepare(): Promise<void> {
		const view = this.view;
		if (!isEngine(view)) return;
		try {
			const [quiz, { renderMarkdown }] = await Promise.all([
				import('$lib/quiz/compute'),
				import('$lib/content/render')
			]);
			this.describe = { paths: quiz.describePaths, markdown: renderMarkdown };
			const computed = await quiz.computeExpected(view.question, this.seed);
			this.computed = computed;
			if (this.stage === 'faded' && quiz.fadedStepCount(computed) === 0) this.stage = 'solve';
			this.questionHtml = renderMarkdown(
				this.stage === 'faded'
					? quiz.describeFaded(view.question, computed)
					: quiz.describeQuestion(view.question, computed)
			);
			this.solutionHtml = renderMarkdown(quiz.describeSolution(view.question, computed));
			this.phase = 'ready';
		} catch (error) {
			this.loadError = error instanceof Error ? error.message : String(error);
			this.phase = 'failed';
		}
	}

	get done(): boolean {
		return this.phase === 'done';
	}

	get correct(): boolean | null {
		return this.outcome?.correct ?? null;
	}

	/** The rating proposed for an auto-graded answer; null for a flashcard (the learner rates it). */
	/** The diagnosed misconception's name, stored with the review. */
	get misconception(): string | undefined {
		return this.outcome?.kind === 'engine' ? this.outcome.diagnosis?.id : undefined;
	}

	get proposedRating(): Rating | null {
		const correct = this.correct;
		return correct === null ? null : proposeRating(correct);
	}

	/**
	 * What goes into the review log as the learner's answer. Multiple choice: the picked options'
	 * indices in the deck's order (never their shown positions; the order is recomputed from the
	 * review's seed), as JSON, e.g. `[2]`, which is also what reviews stored before options were
	 * shuffled.
	 */
	get rawAnswer(): string {
		switch (this.view.kind) {
			case 'multiple-choice':
				return JSON.stringify(this.selected);
			case 'cloze':
				return JSON.stringify(this.blanks);
			case 'flashcard':
				return '';
			default:
				return this.raw;
		}
	}

	get durationMs(): number {
		return Math.max(0, (this.finishedAt ?? this.startedAt) - this.startedAt);
	}

	/** Picks or unpicks an option by its index in the deck (not its shown position). */
	toggleOption(index: number): void {
		if (this.done || this.view.kind !== 'multiple-choice') return;
		if (!this.view.multiple) this.selected = [index];
		else if (this.selected.includes(index))
			this.selected = this.selected.filter((i) => i !== index);
		else this.selected = [...this.selected, index].sort((a, b) => a - b);
	}

	/**
	 * Checks the answer (or reveals a flashcard's back). Returns false, with a message, when the input
	 * cannot be graded yet (nothing typed, unparsable, wrong shape, nothing picked).
	 */
	check(now: number): boolean {
		if (this.phase !== 'ready') return false;
		const view = this.view;
		this.inputMessage = null;
		let outcome: AttemptOutcome;
		if (view.kind === 'flashcard') {
			outcome = { kind: 'flashcard', correct: null };
		} else if (view.kind === 'multiple-choice') {
			if (this.selected.length === 0) {
				this.inputMessage = view.multiple ? m.study_pick_at_least_one() : m.study_pick_one();
				return false;
			}
			const result = gradeChoice(view, this.selected);
			outcome = { kind: 'choice', ...result };
		} else if (view.kind === 'cloze') {
			const missing = view.blanks.filter((b) => !(this.blanks[b.name] ?? '').trim());
			if (missing.length === view.blanks.length) {
				this.inputMessage = m.study_fill_blanks_first();
				return false;
			}
			const result = gradeCloze(view, this.blanks);
			outcome = { kind: 'cloze', ...result };
		} else {
			const computed = this.computed;
			if (!computed) return false;
			const parsed = parseAnswer(this.raw, computed.shape);
			if (!parsed.ok) {
				this.inputMessage = parsed.message;
				return false;
			}
			const grade = gradeComputed(parsed.value, computed);
			const diagnosis = grade.correct ? null : diagnose(parsed.value, computed);
			outcome = { kind: 'engine', correct: grade.correct, grade, diagnosis };
			if (diagnosis && this.describe) {
				this.diagnosisHtml = this.describe.markdown(diagnosis.message);
				this.pathsHtml = this.describe.markdown(this.describe.paths(computed, diagnosis));
			}
		}
		this.outcome = outcome;
		this.finishedAt = now;
		this.phase = 'done';
		return true;
	}
}

export function isEngine(
	view: QuestionView
): view is Extract<QuestionView, { kind: 'number' | 'vector' | 'matrix' }> {
	return isEngineKind(view.kind);
}
