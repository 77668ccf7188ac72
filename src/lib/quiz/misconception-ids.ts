/**
 * The names of the misconceptions the engine recognises (the catalogue, with explanations and the
 * targets each applies to, is `./misconceptions.ts`). A name is stored with a review, so a name
 * never changes meaning; a new misconception gets a new name.
 */
export const MISCONCEPTION_IDS = [
	'no-scaling',
	'scale-by-dk',
	'softmax-wrong-axis',
	'naive-instead-of-softmax',
	'softmax-instead-of-naive',
	'context-from-inputs',
	'qk-swapped',
	'weights-transposed',
	'wrong-query-row',
	'mask-with-zero',
	'mask-after-softmax',
	'mask-diagonal',
	'dropout-not-rescaled',
	'dropout-at-eval',
	'mha-scale-by-d-out',
	'mha-no-out-proj',
	'rounded-early'
] as const;

export type MisconceptionId = (typeof MISCONCEPTION_IDS)[number];

/**
 * One way of computing a target wrong: a misconception, and for `wrong-query-row` which neighbour
 * (−1: the row before, +1: the row after) was used instead of the query's.
 */
export interface Twist {
	id: MisconceptionId;
	shift?: -1 | 1;
}

export function isMisconceptionId(value: string): value is MisconceptionId {
	return (MISCONCEPTION_IDS as readonly string[]).includes(value);
}
