import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileIds } from '../../../src/lib/progress/file-ids.js';

describe('FileIds (reviews met in a file, packed)', () => {
	it('says "new" exactly for pairs not met before, whatever the ids look like', () => {
		const card = fc.constantFrom('01-intro/q-a', '01-intro/q-b', '02-attn/q-c', 'x');
		const id = fc.oneof(
			fc.uuid(),
			fc.string({ maxLength: 40 }),
			fc.constantFrom(
				'0123abcd-4567-89ab-cdef-0123456789ab',
				'0123ABCD-4567-89AB-CDEF-0123456789AB'
			)
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(card, id), { maxLength: 200 }), (pairs) => {
				const seen = new FileIds();
				const exact = new Set<string>();
				for (const [cardId, reviewId] of [...pairs, ...pairs.slice(0, 20)]) {
					const key = JSON.stringify([cardId, reviewId]);
					expect(seen.add(cardId, reviewId)).toBe(!exact.has(key));
					exact.add(key);
				}
			})
		);
	});

	it('tells apart ids that differ only in case, and the same id on two cards', () => {
		const seen = new FileIds();
		const id = '0123abcd-4567-89ab-cdef-0123456789ab';
		expect(seen.add('a', id)).toBe(true);
		expect(seen.add('a', id.toUpperCase())).toBe(true);
		expect(seen.add('b', id)).toBe(true);
		expect(seen.add('a', id)).toBe(false);
	});
});
