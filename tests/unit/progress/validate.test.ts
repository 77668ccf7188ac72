import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	checkParsedReviewRow,
	checkReviewRow,
	isWellFormedReviewRow,
	reviewRowSchema
} from '../../../src/lib/progress/validate-rows.js';
import { describeIssues, MAX_TIME, MIN_TIME } from '../../../src/lib/progress/validate.js';

/** checkReviewRow as it was, zod only: the reference the hand-written check must agree with. */
function zodOnly(value: unknown, where: string) {
	const parsed = reviewRowSchema.safeParse(value);
	if (!parsed.success) return describeIssues(parsed.error, 2, where);
	return checkParsedReviewRow(parsed.data, where);
}

const valid = {
	id: '6f1c2a9e-0b7d-4c1e-9a55-1f0e2d3c4b5a',
	cardId: '03-softmax/q-sum',
	deckId: '03-softmax',
	time: Date.UTC(2025, 0, 1),
	rating: 3,
	correct: true,
	rawAnswer: '0.42',
	seed: 7,
	durationMs: 4000,
	undoes: null
};

/** Field values near and past every bound the schema checks, of every JSON type. */
const oddValue = fc.oneof(
	fc.constantFrom(
		null,
		undefined,
		true,
		false,
		0,
		-1,
		4,
		5,
		1.5,
		NaN,
		Infinity,
		-Infinity,
		1e12,
		1e12 + 1,
		Number.MAX_SAFE_INTEGER + 2,
		MIN_TIME,
		MIN_TIME - 1,
		MAX_TIME,
		MAX_TIME + 1,
		'',
		'a',
		'x'.repeat(200),
		'x'.repeat(201),
		'm'.repeat(64),
		'm'.repeat(65),
		'bad\u0000id',
		'rtl\u202eid',
		'\ufeff',
		[],
		{}
	),
	fc.string({ maxLength: 8 }),
	fc.integer(),
	fc.double()
);
const fields = [...Object.keys(valid), 'misconception', 'extra'];

describe('checkReviewRow: the hand-written check of well-formed rows', () => {
	it('accepts only what zod accepts, with the same result for every value', () => {
		fc.assert(
			fc.property(
				fc.dictionary(fc.constantFrom(...fields), oddValue, { maxKeys: 4 }),
				fc.subarray(fields, { maxLength: 2 }),
				(patch, removed) => {
					const value: Record<string, unknown> = { ...valid, ...patch };
					for (const key of removed) delete value[key];
					if (isWellFormedReviewRow(value)) {
						expect(reviewRowSchema.safeParse(value).success).toBe(true);
					}
					expect(checkReviewRow(value, 'r')).toEqual(zodOnly(value, 'r'));
				}
			),
			{ numRuns: 3000 }
		);
	});

	it('takes well-formed rows without zod (answers, undo rows, misconceptions)', () => {
		expect(isWellFormedReviewRow(valid)).toBe(true);
		expect(isWellFormedReviewRow({ ...valid, misconception: 'no-scaling' })).toBe(true);
		expect(
			isWellFormedReviewRow({ ...valid, rating: 0, correct: null, seed: null, undoes: 'x' })
		).toBe(true);
		expect(isWellFormedReviewRow([valid])).toBe(false);
		expect(isWellFormedReviewRow(null)).toBe(false);
	});
});
