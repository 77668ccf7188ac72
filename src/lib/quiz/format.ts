/**
 * Numbers as the learner reads them: fixed decimals, markdown tables with row labels, TeX matrices,
 * and Python literals for the PyTorch snippets.
 */

import type { Matrix } from '../engine/index.js';
import { m } from '../paraglide/messages.js';
import type { Numeric } from './answer.js';

export function formatNumber(x: number, decimals: number): string {
	const text = x.toFixed(decimals);
	return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A Python list of lists, e.g. for `torch.tensor(...)`. */
export function pyMatrix(m: Matrix, decimals: number): string {
	return `[${m.map((r) => `[${r.map((v) => formatNumber(v, decimals)).join(', ')}]`).join(', ')}]`;
}

function texMatrix(value: Numeric, decimals: number): string {
	if (typeof value === 'number') return formatNumber(value, decimals);
	const rows = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
	const body = rows.map((r) => r.map((v) => formatNumber(v, decimals)).join(' & ')).join(' \\\\ ');
	return `\\begin{bmatrix} ${body} \\end{bmatrix}`;
}

/** A markdown table with row labels, or display math when there are none. */
export function formatValue(
	value: Numeric,
	decimals: number,
	labels?: string[],
	tex?: string
): string {
	const lhs = tex ? `${tex} = ` : '';
	if (typeof value === 'number') return `$${lhs}${formatNumber(value, decimals)}$`;
	const rows = Array.isArray(value[0]) ? (value as number[][]) : null;
	if (!labels || labels.length !== (rows ?? value).length) {
		return `$$\n${lhs}${texMatrix(value, decimals)}\n$$`;
	}
	const table = rows ?? (value as number[]).map((v) => [v]);
	const width = table[0].length;
	const columns = rows
		? Array.from({ length: width }, (_, j) => String(j + 1))
		: [m.quiz_format_value()];
	// a plain-text corner cell: screen readers (and axe) do not read KaTeX's MathML as header text
	const head = `| ${m.quiz_format_token()} | ${columns.join(' | ')} |`;
	const rule = `| --- |${' ---: |'.repeat(width)}`;
	const body = table.map(
		(r, i) => `| ${labels[i]} | ${r.map((v) => formatNumber(v, decimals)).join(' | ')} |`
	);
	return [head, rule, ...body].join('\n');
}
