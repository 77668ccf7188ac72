/** The page's markdown for an engine-checked attempt: the question with its numbers, and the worked solution. */

import { TARGETS, type EngineQuestion, type Markdown, type TargetName } from '../content/index.js';
import { numbersOf, type AnswerShape, type Numeric } from './answer.js';
import type { ComputedQuestion, MisconceptionAnswer, Step } from './attempt.js';
import { formatNumber, formatValue } from './format.js';
import { m } from '../paraglide/messages.js';
import { pluralOf } from './locale.js';

function fillPlaceholders(text: string, values: Record<string, string>): string {
	return text.replace(
		/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g,
		(whole, name: string) => values[name] ?? whole
	);
}

function describePrecision(decimals: number): string {
	if (decimals === 0) return m.quiz_describe_whole_numbers();
	const rounded = pluralOf(decimals, m.quiz_describe_rounded_one, m.quiz_describe_rounded_other);
	return rounded({ count: decimals });
}

function isWhole(value: Numeric): boolean {
	return numbersOf(value).every(Number.isInteger);
}

function describeShape(shape: AnswerShape): string {
	if (shape.length === 0) return m.quiz_describe_one_number();
	if (shape.length === 1) return m.quiz_describe_vector({ count: shape[0] });
	return m.quiz_describe_matrix({ rows: shape[0], cols: shape[1] });
}

/** The question as the learner sees it this attempt: prompt, the given numbers, what to answer. */
export function describeQuestion(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const givens = computed.inputs.map(
		(given) =>
			`**${given.name}**\n\n${formatValue(given.value, given.decimals, given.labels, given.tex)}`
	);
	return [
		fillPlaceholders(question.prompt, computed.placeholders),
		...givens,
		m.quiz_describe_answer_with({
			shape: describeShape(computed.shape),
			precision: describePrecision(computed.decimals)
		})
	].join('\n\n');
}

/** The worked solution: each step with its numbers, the answer, and the PyTorch that reproduces it. */
export function describeSolution(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const steps = describeSteps(computed, computed.steps.length);
	return [
		...steps,
		`${m.quiz_describe_answer_heading({ decimals: computed.decimals })}\n\n${formatValue(computed.expected, computed.decimals)}`,
		...unroundedNote(computed),
		question.explanation,
		m.quiz_describe_in_pytorch(),
		'```python\n' + computed.pytorch + '\n```'
	].join('\n\n');
}

/** The first `count` worked steps as a numbered list, each with its numbers. */
function describeSteps(computed: ComputedQuestion, count: number): Markdown[] {
	const digits = Math.max(4, computed.decimals);
	return computed.steps
		.slice(0, count)
		.map((step, i) =>
			step.value === undefined
				? `${i + 1}. ${step.text}`
				: `${i + 1}. ${step.text}\n\n${indent(formatValue(step.value, isWhole(step.value) ? 0 : digits, step.labels))}`
		);
}

/** True when `value` is the answer, or has it as a row (a row read off a matrix). */
function givesAway(value: Numeric | undefined, answer: Numeric, decimals: number): boolean {
	if (value === undefined) return false;
	const same = (x: Numeric, y: Numeric) => {
		const a = numbersOf(x);
		const b = numbersOf(y);
		return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 10 ** -decimals);
	};
	if (same(value, answer)) return true;
	const rows = Array.isArray(value) && Array.isArray(value[0]) ? (value as number[][]) : [];
	return !Array.isArray(answer) || Array.isArray(answer[0])
		? false
		: rows.some((row) => same(row, answer));
}

/**
 * How many of the worked steps a faded example shows: those before the last step and before any
 * step that already holds the answer (a row read off a matrix would give it away). 0 when there is
 * nothing to fade (the answer comes in one step).
 */
export function fadedStepCount(computed: ComputedQuestion): number {
	const steps = computed.steps;
	let shown = steps.length - 1;
	const early = steps.findIndex((step) =>
		givesAway(step.value, computed.expected, computed.decimals)
	);
	if (early >= 0) shown = Math.min(shown, early);
	return steps.slice(0, shown).some((step) => step.value !== undefined) ? shown : 0;
}

/**
 * A faded example (worked, then faded, then solved): the question with its numbers and the first
 * steps worked out; the learner does the rest and answers.
 */
export function describeFaded(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const shown = fadedStepCount(computed);
	const left = computed.steps.length - shown;
	return [
		describeQuestion(question, computed),
		m.quiz_describe_worked_so_far({
			shown: pluralOf(
				shown,
				m.quiz_describe_first_steps_one(),
				m.quiz_describe_first_steps_other({ count: shown })
			),
			left: pluralOf(left, m.quiz_describe_left_one(), m.quiz_describe_left_other({ count: left }))
		}),
		...describeSteps(computed, shown)
	].join('\n\n');
}

/** Every number of `value` as it would be written with `decimals` places. */
function written(value: Numeric, decimals: number): string {
	return numbersOf(value)
		.map((v) => formatNumber(v, decimals))
		.join(' ');
}

/**
 * When the numbers shown were rounded: the answer at full precision, which the book prints, if it
 * reads differently at the asked decimals. Both are accepted.
 */
function unroundedNote(computed: ComputedQuestion): Markdown[] {
	const full = computed.unrounded;
	if (full === undefined) return [];
	if (written(full, computed.decimals) === written(computed.expected, computed.decimals)) return [];
	return [
		[
			m.quiz_describe_unrounded({ decimals: computed.decimals }),
			formatValue(full, computed.decimals),
			m.quiz_describe_either_accepted()
		].join('\n\n')
	];
}

function indent(text: string): string {
	return text
		.split('\n')
		.map((line) => `   ${line}`)
		.join('\n');
}

/** What a target computes, for docs and the UI. */
export function targetSummary(target: TargetName): string {
	return TARGETS[target].summary;
}

function sameStep(a: Step | undefined, b: Step | undefined): boolean {
	if (!a || !b || a.text !== b.text) return false;
	if (a.value === undefined || b.value === undefined) return a.value === b.value;
	const x = numbersOf(a.value);
	const y = numbersOf(b.value);
	return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) < 1e-9);
}

/**
 * Two values of a step side by side: a number each, a table with a column each for vectors (one row
 * per entry), else one after the other.
 */
function sideBySide(right: Step | undefined, yours: Step | undefined, decimals: number): string {
	const a = right?.value;
	const b = yours?.value;
	if (a === undefined && b === undefined) return '';
	const digits = (v: Numeric) => (isWhole(v) ? 0 : decimals);
	if (typeof a === 'number' && typeof b === 'number') {
		return m.quiz_describe_right_and_yours({
			right: `$${formatNumber(a, digits(a))}$`,
			yours: `$${formatNumber(b, digits(b))}$`
		});
	}
	const isVector = (v: Numeric | undefined): v is number[] =>
		Array.isArray(v) && !Array.isArray(v[0]);
	if (isVector(a) && isVector(b) && a.length === b.length) {
		const labels = right?.labels ?? yours?.labels;
		const rows = a.map(
			(v, i) =>
				`| ${labels?.[i] ?? i + 1} | ${formatNumber(v, digits(a))} | ${formatNumber(b[i], digits(b))} |`
		);
		return [
			`| ${labels ? m.quiz_format_token() : m.quiz_describe_entry()} | ${m.quiz_describe_right_path()} | ${m.quiz_describe_your_path()} |`,
			'| --- | ---: | ---: |',
			...rows
		].join('\n');
	}
	const show = (label: string, v: Numeric | undefined, labels?: string[]) =>
		v === undefined ? [] : [label, formatValue(v, digits(v), labels)];
	return [
		...show(m.quiz_describe_right_path_label(), a, right?.labels),
		...show(m.quiz_describe_your_path_label(), b, yours?.labels)
	].join('\n\n');
}

/**
 * The learner's path beside the right one (markdown): the steps both share, then from the step where
 * they part (marked; an ordered list starting at its number) each step's right and wrong numbers,
 * and both answers, so the learner sees where their numbers went astray.
 */
export function describePaths(computed: ComputedQuestion, wrong: MisconceptionAnswer): Markdown {
	const right = computed.steps;
	const yours = wrong.steps;
	let part = 0;
	while (part < right.length && sameStep(right[part], yours[part])) part++;
	const digits = Math.max(4, computed.decimals);
	const shared =
		part === 0
			? m.quiz_describe_part_first()
			: part === 1
				? m.quiz_describe_part_after_one()
				: m.quiz_describe_part_after({ count: part });
	const items: string[] = [];
	for (let i = part; i < Math.max(right.length, yours.length); i++) {
		const step = right[i] ?? yours[i];
		const mark = i === part ? `${m.quiz_describe_part_here()} ` : '';
		const body = sideBySide(right[i], yours[i], digits);
		items.push(
			`${i + 1}. ${mark}${step.text.replace(/\n+/g, ' ')}${body ? `\n\n${indent(body)}` : ''}`
		);
	}
	return [
		shared,
		...items,
		`${m.quiz_describe_the_answers()}\n\n${sideBySide({ text: '', value: computed.expected }, { text: '', value: wrong.expected }, computed.decimals)}`
	].join('\n\n');
}
