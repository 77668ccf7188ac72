/**
 * The one place numbers become text for the reader: fixed decimals, adaptive precision for
 * measurements, percentages, ratios, durations and dates. Pure; no domain knowledge.
 */

/** `x` with `decimals` decimals and a true minus sign (−0.25, not -0.25), as in the book's tables. */
export function formatFixed(x: number, decimals: number): string {
	return x.toFixed(decimals).replace(/^-/, '−');
}

/** Enough digits to read small losses and gradient norms (0.0007, 13.9, 2.31, 0.052); '–' for none. */
export function formatValue(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '–';
	const abs = Math.abs(x);
	if (abs === 0) return '0';
	if (abs >= 100) return x.toFixed(0);
	if (abs >= 10) return x.toFixed(1);
	if (abs >= 1) return x.toFixed(2);
	if (abs >= 0.01) return x.toFixed(3);
	return x.toPrecision(2);
}

/** "3.2×": how many times larger a is than b. */
export function formatRatio(a: number, b: number): string {
	const ratio = a / b;
	if (!Number.isFinite(ratio)) return 'many times';
	return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}

/** "4.2 s" under ten seconds, "41 s" above. */
export function formatSeconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
