/** Edits of the playground's tokens and vectors (src/routes/playground/edit.ts). */
import { describe, expect, it } from 'vitest';
import { bookState, checkState, LIMITS } from '../../../src/lib/playground/index';
import {
	addToken,
	moveToken,
	nudge,
	randomInputs,
	removeToken,
	renameToken,
	setEntry,
	setInputDim
} from '../../../src/routes/playground/edit';

describe('playground edits', () => {
	it('adds tokens with a fresh name and a zero vector, up to 16', () => {
		let s = addToken(bookState());
		expect(s.tokens.at(-1)).toBe('token 7');
		expect(s.inputs.at(-1)).toEqual([0, 0, 0]);
		while (s.tokens.length < LIMITS.maxTokens) s = addToken(s);
		expect(addToken(s)).toBe(s);
		expect(checkState(s)).toEqual([]);
	});

	it('removes a token with its vector, never the last one', () => {
		const s = removeToken(bookState(), 0);
		expect(s.tokens[0]).toBe('journey');
		expect(s.inputs[0]).toEqual([0.55, 0.87, 0.66]);
		let one = bookState();
		while (one.tokens.length > 1) one = removeToken(one, 0);
		expect(removeToken(one, 0)).toBe(one);
	});

	it('moves a token with its vector, and not past either end', () => {
		const s = moveToken(bookState(), 0, 1);
		expect(s.tokens.slice(0, 2)).toEqual(['journey', 'Your']);
		expect(s.inputs[1]).toEqual([0.43, 0.15, 0.89]);
		expect(moveToken(bookState(), 0, -1)).toEqual(bookState());
	});

	it('renames and edits one entry without touching the others', () => {
		const s = setEntry(renameToken(bookState(), 2, 'goes'), 2, 1, -0.5);
		expect(s.tokens[2]).toBe('goes');
		expect(s.inputs[2]).toEqual([0.57, -0.5, 0.64]);
		expect(s.inputs[1]).toEqual(bookState().inputs[1]);
	});

	it('changes d_in by dropping or zero-filling entries', () => {
		expect(setInputDim(bookState(), 2).inputs[0]).toEqual([0.43, 0.15]);
		expect(setInputDim(bookState(), 5).inputs[0]).toEqual([0.43, 0.15, 0.89, 0, 0]);
		expect(setInputDim(bookState(), 0)).toEqual(bookState());
		expect(setInputDim(bookState(), LIMITS.maxDim + 1)).toEqual(bookState());
	});

	it('draws random vectors from a seed, like the book’s: in [0, 1), two decimals, reproducible', () => {
		const a = randomInputs(bookState(), 42);
		expect(a.inputs).toEqual(randomInputs(bookState(), 42).inputs);
		expect(a.inputs).not.toEqual(randomInputs(bookState(), 43).inputs);
		for (const x of a.inputs.flat()) {
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThanOrEqual(1);
			expect(Math.round(x * 100) / 100).toBe(x);
		}
	});

	it('nudges by 0.01 or 0.1 without floating-point drift, within the limits', () => {
		let x = 0.1;
		for (let i = 0; i < 20; i++) x = nudge(x, true, false);
		expect(x).toBe(0.3);
		expect(nudge(0.55, true, true)).toBe(0.65);
		expect(nudge(0.004, false, false)).toBe(-0.01);
		expect(nudge(LIMITS.maxAbs, true, true)).toBe(LIMITS.maxAbs);
		expect(Object.is(nudge(0.01, false, false), 0)).toBe(true);
	});
});
