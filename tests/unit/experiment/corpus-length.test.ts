/**
 * A pasted corpus is counted as the model reads it (normalised, by code point), not in UTF-16
 * units: emoji and other astral characters are one character each.
 */
import { describe, expect, it } from 'vitest';
import {
	ConfigError,
	corpusLength,
	DEFAULT_CONFIG,
	normalizeCorpus,
	resolveConfig
} from '../../../src/lib/experiment/config.js';
import { buildVocab, encode } from '../../../src/lib/experiment/data.js';
import { validateForm } from '../../../src/routes/experiment/peek/peek-experiment.svelte.js';

/** 20 emoji: 40 UTF-16 units, 20 characters. */
const EMOJI = '😀🙂'.repeat(10);

function configError(partial: Parameters<typeof resolveConfig>[0]): ConfigError {
	try {
		resolveConfig(partial);
	} catch (e) {
		if (e instanceof ConfigError) return e;
		throw e;
	}
	throw new Error('no ConfigError');
}

describe('corpus length', () => {
	it('counts code points after normalisation', () => {
		expect(EMOJI.length).toBe(40);
		expect(corpusLength(EMOJI)).toBe(20);
		// "é" typed as e + combining acute is one character once normalised; CRLF is one line break
		expect(normalizeCorpus('e\u0301\r\nx\ry')).toBe('\u00e9\nx\ny');
		expect(corpusLength(normalizeCorpus('e\u0301\r\n'))).toBe(2);
		expect(normalizeCorpus(DEFAULT_CONFIG.corpus)).toBe(DEFAULT_CONFIG.corpus);
	});

	it('the experiment refuses an emoji text longer than the context in UTF-16 units but not in characters', () => {
		// context 32 needs 34 characters; the text has 40 UTF-16 units but only 20 characters
		const error = configError({ corpus: EMOJI, context: 32 });
		expect(error.field).toBe('corpus');
		expect(error.message).toBe(
			'corpus: expected text of at least context + 2 = 34 characters (code points), got 20'
		);
		// what it guards: the encoded text is shorter than one training window
		expect(encode(buildVocab(EMOJI), EMOJI).length).toBeLessThan(32 + 1);
		// long enough in characters: accepted, with an emoji prompt that is a whole character
		const config = resolveConfig({ corpus: EMOJI.repeat(2), context: 32 });
		expect(config.prompt).toBe('😀');
	});

	it('normalises the corpus and the prompt it checks', () => {
		const corpus = 'cafe\u0301 '.repeat(10);
		const config = resolveConfig({ corpus, context: 8, prompt: 'cafe\u0301' });
		expect(config.corpus).toBe('caf\u00e9 '.repeat(10));
		expect(config.prompt).toBe('caf\u00e9');
	});

	it('the page refuses a pasted emoji text shorter than the minimum in characters', () => {
		const form = {
			steps: DEFAULT_CONFIG.steps,
			lr: DEFAULT_CONFIG.lr,
			dModel: DEFAULT_CONFIG.dModel,
			heads: DEFAULT_CONFIG.heads,
			corpusKind: 'pasted' as const,
			// 600 UTF-16 units, 300 characters: under the 500-character minimum
			pasted: '😀🙂😎'.repeat(100)
		};
		expect(form.pasted.length).toBeGreaterThan(500);
		expect(validateForm(form).pasted).toMatch(/\b300\b.*\b500\b/);
		expect(validateForm({ ...form, pasted: '😀🙂😎 abc '.repeat(100) })).toEqual({});
	});
});
