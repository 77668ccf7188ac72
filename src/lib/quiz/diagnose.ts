/** Naming the mistake behind a wrong answer (the misconceptions themselves: `./misconceptions.ts`). */

import type { Numeric } from './answer.js';
import type { MisconceptionAnswer } from './attempt.js';
import { gradeAnswer, gradeComputed, type AcceptedAnswers } from './grade.js';

/**
 * The misconception a wrong answer shows: the one whose answer it matches (graded as that answer
 * would be), when it matches exactly one and is not right. Null otherwise.
 */
export function diagnose(
	given: Numeric,
	computed: AcceptedAnswers & { misconceptions: readonly MisconceptionAnswer[] }
): MisconceptionAnswer | null {
	if (gradeComputed(given, computed).correct) return null;
	const matches = computed.misconceptions.filter(
		(m) => gradeAnswer(given, m.expected, computed.decimals).correct
	);
	return matches.length === 1 ? matches[0] : null;
}
