/** Number and character formatting shared by the experiment page's components. */

/** Enough digits to read small losses and gradient norms (0.0007, 13.9, 2.31, 0.052). */
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

export function formatSeconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Visible stand-ins for whitespace in table headers. */
export function charLabel(c: string): string {
	if (c === ' ') return '␣';
	if (c === '\n') return '↵';
	if (c === '\t') return '⇥';
	return c;
}

/** Spoken names for the stand-ins, for screen readers. */
export function charName(c: string): string {
	if (c === ' ') return 'space';
	if (c === '\n') return 'new line';
	if (c === '\t') return 'tab';
	return c;
}
