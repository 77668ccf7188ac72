/**
 * How one cell of a step was computed, in words and with its terms: what a learner reads when they
 * hover or focus the cell. The values themselves always come from the engine; the terms are the
 * engine's inputs to that cell, formatted.
 */
import type { Matrix } from '$lib/engine';
import { m } from '$lib/paraglide/messages';
import { formatFixed } from '$lib/ui/format';

/** A number as the step tables show it: 4 decimals, a true minus sign, −∞ for a masked score. */
export function fmt(x: number): string {
	if (x === Number.NEGATIVE_INFINITY) return '−∞';
	if (x === Number.POSITIVE_INFINITY) return '∞';
	return formatFixed(x, 4);
}

/** At most this many terms are written out; longer sums show their first terms and a count. */
const MAX_TERMS = 6;

/** "a₀·b₀ + a₁·b₁ + …": the products of a dot product, written out (or the first few and a count). */
export function dotTerms(a: readonly number[], b: readonly number[]): string {
	const shown = Math.min(a.length, MAX_TERMS);
	const parts = [];
	for (let k = 0; k < shown; k++) parts.push(`${fmt(a[k])}·${fmt(b[k])}`);
	const rest = a.length - shown;
	return parts.join(' + ') + (rest > 0 ? m.pages_terms_rest({ count: a.length }) : '');
}

/** Column `c` of a matrix. */
export function column(m: Matrix, c: number): number[] {
	return m.map((row) => row[c]);
}

/** A projection's cell, §3.4.1: x⁽ⁱ⁾ · column d of W (+ bias), for `nn.Linear` or `x @ W`. */
export function explainProjection(
	what: string,
	token: string,
	x: readonly number[],
	weightColumn: readonly number[],
	bias: number | null,
	value: number
): string {
	const b = bias === null ? '' : m.pages_bias({ bias: fmt(bias) });
	return m.pages_explain_projection({
		what,
		token,
		terms: dotTerms(x, weightColumn),
		bias: b,
		value: fmt(value)
	});
}

/** An attention score, §3.4.1: ωᵢⱼ = q⁽ⁱ⁾ · k⁽ʲ⁾. */
export function explainScore(
	query: string,
	key: string,
	q: readonly number[],
	k: readonly number[],
	value: number
): string {
	return m.pages_explain_score({ query, key, terms: dotTerms(q, k), value: fmt(value) });
}

/** The causal mask, §3.5.1: keys after the query are set to −∞ (or zeroed after softmax). */
export function explainMasked(query: string, key: string, future: boolean, value: number): string {
	return future
		? m.pages_explain_masked_future({ key, query, value: fmt(value) })
		: m.pages_explain_masked_kept({ key, query, value: fmt(value) });
}

/** Scaling, §3.4.1: ω / √d_k, then × temperature when it is not 1. */
export function explainScaled(
	score: number,
	scaleFactor: number,
	temperature: number,
	value: number
): string {
	const scaled = scaleFactor === 1 ? fmt(score) : `${fmt(score)} / ${fmt(scaleFactor)} (√d_k)`;
	const temp = temperature === 1 ? '' : m.pages_times_temperature({ temperature });
	if (scaleFactor === 1 && temperature === 1) {
		return m.pages_explain_no_scaling({ value: fmt(value) });
	}
	return m.pages_explain_scaled({ scaled, temp, value: fmt(value) });
}

/** Softmax over a row, §3.3.1: exp(sⱼ − max) / Σ exp(s − max). */
export function explainSoftmax(row: readonly number[], c: number, value: number): string {
	const finite = row.filter((s) => Number.isFinite(s));
	const max = Math.max(...finite);
	const exps = row.map((s) => (Number.isFinite(s) ? Math.exp(s - max) : 0));
	const sum = exps.reduce((a, b) => a + b, 0);
	if (!Number.isFinite(row[c])) {
		return m.pages_explain_softmax_masked({ value: fmt(value) });
	}
	return m.pages_explain_softmax({
		s: fmt(row[c]),
		max: fmt(max),
		exp: fmt(exps[c]),
		sum: fmt(sum),
		value: fmt(value)
	});
}

/** Masking after softmax, §3.5.1: zero the future, then (if renormalised) divide by the row's sum. */
export function explainMaskAfter(
	future: boolean,
	renormalised: boolean,
	rowSum: number,
	before: number,
	value: number
): string {
	if (future) return m.pages_explain_future_zeroed({ before: fmt(before) });
	return renormalised
		? m.pages_explain_renorm({ before: fmt(before), sum: fmt(rowSum), value: fmt(value) })
		: m.pages_explain_not_renorm({ value: fmt(value), sum: fmt(rowSum) });
}

/** Dropout, §3.5.2: dropped → 0; kept → × 1/(1 − p). */
export function explainDropout(
	kept: boolean,
	scale: number,
	before: number,
	value: number
): string {
	return kept
		? m.pages_explain_dropout_kept({ scale: fmt(scale), before: fmt(before), value: fmt(value) })
		: m.pages_explain_dropout_dropped({ before: fmt(before) });
}

/** A context vector's entry, §3.3.1: zᵢ[d] = Σⱼ αᵢⱼ vⱼ[d]. */
export function explainContext(
	token: string,
	weights: readonly number[],
	valueColumn: readonly number[],
	value: number
): string {
	return m.pages_explain_context({
		token,
		terms: dotTerms(weights, valueColumn),
		value: fmt(value)
	});
}
