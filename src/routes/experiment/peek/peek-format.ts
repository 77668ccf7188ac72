/** Character labels for the experiment page's tables (numbers: `$lib/ui/format`). */
import { m } from '$lib/paraglide/messages';

/** Visible stand-ins for whitespace in table headers. */
export function charLabel(c: string): string {
	if (c === ' ') return '␣';
	if (c === '\n') return '↵';
	if (c === '\t') return '⇥';
	return c;
}

/** Spoken names for the stand-ins, for screen readers. */
export function charName(c: string): string {
	if (c === ' ') return m.experiment_char_space();
	if (c === '\n') return m.experiment_char_newline();
	if (c === '\t') return m.experiment_char_tab();
	return c;
}
