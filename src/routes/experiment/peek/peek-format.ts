/** Character labels for the experiment page's tables (numbers: `$lib/ui/format`). */

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
