import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS } from '../../../src/lib/experiment/corpus.js';
import {
	jensenShannon,
	ngramDistribution,
	passageDivergence,
	sampleDivergence
} from '../../../src/lib/experiment/measure.js';

describe('the sample measure', () => {
	it('is 0 for identical statistics and 1 for disjoint ones', () => {
		expect(jensenShannon(ngramDistribution('abcabc'), ngramDistribution('abcabc'))).toBe(0);
		expect(jensenShannon(ngramDistribution('aaaa'), ngramDistribution('bbbb'))).toBe(1);
	});

	it('puts a real passage near the corpus and a degenerate repetition far from it', () => {
		const passage = DEFAULT_CORPUS.slice(5000, 5400);
		const repetition = 'The ' + 'se'.repeat(198);
		expect(sampleDivergence(DEFAULT_CORPUS, passage)).toBeLessThan(0.3);
		expect(sampleDivergence(DEFAULT_CORPUS, repetition)).toBeGreaterThan(0.8);
		const yardstick = passageDivergence(DEFAULT_CORPUS, 400);
		expect(yardstick).toBeGreaterThan(0.1);
		expect(yardstick).toBeLessThan(0.3);
	});
});

describe('the built-in corpus', () => {
	it('is about 20 KB of prose without repeated sentences', () => {
		expect(DEFAULT_CORPUS.length).toBeGreaterThan(18_000);
		const sentences = DEFAULT_CORPUS.split(/(?<=[.?!])\s+/).filter((s) => s.length > 30);
		expect(new Set(sentences).size).toBe(sentences.length);
	});

	it('counted UTF-16 units: an emoji text is measured in characters (code points), as the vocabulary counts them', () => {
		expect(ngramDistribution('😀😃😀')).toEqual(
			new Map([
				['😀😃', 0.5],
				['😃😀', 0.5]
			])
		);
		expect(sampleDivergence('😀😃😀😃', '😀')).toBe(1); // one character: no pair to compare
		// passages of 2 characters of an all-emoji text are whole pairs, never half an emoji
		expect(passageDivergence('😀😃😀😃😀😃', 2)).toBeLessThan(0.5);
	});
});
