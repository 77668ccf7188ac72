import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	appendId,
	idAt,
	idCount,
	packIds,
	positionsOf,
	unpackIds
} from '../../../src/lib/progress/packed-ids.js';

const id = fc.oneof(fc.uuid(), fc.uuid(), fc.string({ maxLength: 40 }));

describe('packed review ids', () => {
	it('give back the ids they were made of, 16 bytes each when all are UUIDs', () => {
		fc.assert(
			fc.property(fc.array(id, { maxLength: 30 }), (ids) => {
				const packed = packIds(ids);
				expect(unpackIds(packed)).toEqual(ids);
				expect(idCount(packed)).toBe(ids.length);
				ids.forEach((value, i) => expect(idAt(packed, i)).toBe(value));
				if (ids.length && ids.every((v) => /^[0-9a-f-]{36}$/.test(v) && v[8] === '-')) {
					expect(packed).toEqual({ uuids: expect.any(Uint8Array) });
				}
			})
		);
	});

	it('appending equals packing again, and positions are found', () => {
		fc.assert(
			fc.property(fc.array(id, { maxLength: 20 }), id, (ids, extra) => {
				expect(unpackIds(appendId(packIds(ids), extra))).toEqual([...ids, extra]);
				const wanted = [extra, ...ids.slice(0, 2)];
				const all = [...ids, extra];
				expect(positionsOf(packIds(all), wanted)).toEqual(
					all.flatMap((v, i) => (wanted.includes(v) ? [i] : []))
				);
			})
		);
	});

	it('keeps an upper-case UUID as text (the bytes would lose its case)', () => {
		const upper = '0123ABCD-4567-89AB-CDEF-0123456789AB';
		expect(packIds([upper])).toEqual({ text: upper, ends: expect.any(Uint32Array) });
		expect(unpackIds(appendId(packIds(['0123abcd-4567-89ab-cdef-0123456789ab']), upper))).toEqual([
			'0123abcd-4567-89ab-cdef-0123456789ab',
			upper
		]);
	});
});
