/** initEngine: lazy, explicit backend choice, cpu fallback; nothing computes before it. */
import { describe, expect, it } from 'vitest';
import {
	MultiHeadAttention,
	engineBackend,
	initEngine,
	isEngineReady,
	manualSeed,
	softmax
} from '../../../src/lib/engine/index.js';

describe('initEngine', () => {
	it('nothing computes before it, but seeding and building modules need no tfjs', () => {
		expect(isEngineReady()).toBe(false);
		expect(engineBackend()).toBeNull();
		expect(() => softmax([1, 2])).toThrow(/await initEngine\(\) first/);
		manualSeed(123);
		const m = new MultiHeadAttention(3, 2, 6, 0, 2);
		expect(Object.keys(m.parameters())).toEqual([
			'W_query.weight',
			'W_key.weight',
			'W_value.weight',
			'out_proj.weight',
			'out_proj.bias'
		]);
	});

	it('picks wasm by default in Node, switches on request, and falls back to cpu', async () => {
		expect(await initEngine()).toBe('wasm');
		expect(engineBackend()).toBe('wasm');
		expect(await initEngine('cpu')).toBe('cpu');
		expect(engineBackend()).toBe('cpu');
		// Node has no WebGL: asking for it must land on cpu, never fail.
		expect(await initEngine('webgl')).toBe('cpu');
		const [a, b] = await Promise.all([initEngine('wasm'), initEngine('wasm')]);
		expect([a, b]).toEqual(['wasm', 'wasm']);
		expect(softmax([0, 0]).weights).toEqual([0.5, 0.5]);
	});
});
