/** The page's markdown for an engine-checked attempt: the question with its numbers, and the worked solution. */

import { TARGETS, type EngineQuestion, type Markdown, type TargetName } from '../content/index.js';
import type { AnswerShape, Numeric } from './answer.js';
import type { ComputedQuestion, MisconceptionAnswer, Step } from './attempt.js';
import { formatNumber, formatValue, texMatrix } from './format.js';

function fillPlaceholders(text: string, values: Record<string, string>): string {
	return text.replace(
		/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g,
		(whole, name: string) => values[name] ?? whole
	);
}

function describePrecision(decimals: number): string {
	if (decimals === 0) return 'as whole numbers';
	return `rounded to ${decimals === 1 ? '1 decimal' : `${decimals} decimals`}`;
}

function isWhole(value: Numeric): boolean {
	return (typeof value === 'number' ? [value] : value.flat()).every(Number.isInteger);
}

function describeShape(shape: AnswerShape): string {
	if (shape.length === 0) return 'one number';
	if (shape.length === 1) return `a vector of ${shape[0]} numbers`;
	return `a ${shape[0]} × ${shape[1]} matrix`;
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
		`Answer with ${describeShape(computed.shape)}, ${describePrecision(computed.decimals)}.`
	].join('\n\n');
}

/** The worked solution: each step with its numbers, the answer, and the PyTorch that reproduces it. */
export function describeSolution(question: EngineQuestion, computed: ComputedQuestion): Markdown {
	const digits = Math.max(4, computed.decimals);
	const steps = computed.steps.map((step, i) =>
		step.value === undefined
			? `${i + 1}. ${step.text}`
			: `${i + 1}. ${step.text}\n\n${indent(formatValue(step.value, isWhole(step.value) ? 0 : digits, step.labels))}`
	);
	return [
		...steps,
		`**Answer** (${computed.decimals} decimals):\n\n${formatValue(computed.expected, computed.decimals)}`,
		...unroundedNote(computed),
		question.explanation,
		'In PyTorch:',
		'```python\n' + computed.pytorch + '\n```'
	].join('\n\n');
}

/** Every number of `value` as it would be written with `decimals` places. */
function written(value: Numeric, decimals: number): string {
	return (typeof value === 'number' ? [value] : value.flat())
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
		`The weights are shown rounded to 4 decimals, and this answer is computed from them as shown. PyTorch, like the book, keeps their full precision and gets, at ${computed.decimals} decimals:\n\n${formatValue(full, computed.decimals)}\n\nEither answer is accepted.`
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
	const x = cellsOf(a.value);
	const y = cellsOf(b.value);
	return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) < 1e-9);
}

function cellsOf(value: Numeric): number[] {
	return typeof value === 'number' ? [value] : value.flat();
}

function inlineValue(value: Numeric | undefined, decimals: number): string {
	return value === undefined ? '' : `$${texMatrix(value, decimals)}$`;
}

function oneLine(text: string): string {
	return text.replace(/\s*\n+\s*/g, ' ').replace(/\|/g, '\\|');
}

/**
 * The learner's path beside the right one (markdown): the steps both share, then a table from the
 * step where they part (marked) to the answer, so the learner sees where their numbers went astray.
 */
export function describePaths(computed: ComputedQuestion, wrong: MisconceptionAnswer): Markdown {
	const right = computed.steps;
	const yours = wrong.steps;
	let part = 0;
	while (part < right.length && sameStep(right[part], yours[part])) part++;
	const digits = Math.max(4, computed.decimals);
	const shared =
		part === 0
			? 'The paths part at the first step.'
			: part === 1
				? 'Step 1 is the same on both paths.'
				: `Steps 1–${part} are the same on both paths.`;
	const rows: string[] = [];
	for (let i = part; i < Math.max(right.length, yours.length); i++) {
		const step = right[i] ?? yours[i];
		const mark = i === part ? '➜ **The paths part here.** ' : '';
		rows.push(
			`| ${mark}${i + 1}. ${oneLine(step.text)} | ${inlineValue(right[i]?.value, digits)} | ${inlineValue(yours[i]?.value, digits)} |`
		);
	}
	rows.push(
		`| **Answer** | ${inlineValue(computed.expected, computed.decimals)} | ${inlineValue(wrong.expected, computed.decimals)} |`
	);
	return [
		shared,
		['| Step | The right path | Your path |', '| --- | --- | --- |', ...rows].join('\n')
	].join('\n\n');
}
