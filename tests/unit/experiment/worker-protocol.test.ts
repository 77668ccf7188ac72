import { describe, expect, it } from 'vitest';
import {
	createPeekHandler,
	type PeekResponse
} from '../../../src/lib/experiment/worker-protocol.js';
import { tf } from '../../../src/lib/experiment/tf.js';

const TINY = {
	dModel: 8,
	heads: 1,
	context: 8,
	batch: 4,
	sampleLength: 5,
	backend: 'wasm' as const
};

function collect() {
	const messages: PeekResponse[] = [];
	const handle = createPeekHandler((message) => messages.push(message));
	return { messages, handle };
}

describe('the experiment worker protocol', () => {
	it('answers start with one progress message per step, then done with the result', async () => {
		const { messages, handle } = collect();
		await handle({ type: 'start', config: { ...TINY, steps: 4 } });
		const progress = messages.filter((m) => m.type === 'progress');
		expect(progress.map((m) => m.step)).toEqual([1, 2, 3, 4]);
		const first = progress[0];
		expect(first).toMatchObject({ totalSteps: 4 });
		expect(Object.keys(first.masked).sort()).toEqual(['gradNorm', 'honestLoss', 'trainLoss']);
		expect(first.msPerStep).toBeGreaterThan(0);
		const last = messages.at(-1);
		expect(last?.type).toBe('done');
		if (last?.type === 'done') expect(last.result.unmasked.train_loss).toHaveLength(4);
	});

	it('stops mid-run on stop, says at which step, and leaks no tensors', async () => {
		const messages: PeekResponse[] = [];
		let onFirstStep = () => {};
		const firstStep = new Promise<void>((resolve) => (onFirstStep = resolve));
		const handle = createPeekHandler((message) => {
			messages.push(message);
			if (message.type === 'progress' && message.step === 1) onFirstStep();
		});
		const before = tf.memory().numTensors;
		const running = handle({ type: 'start', config: { ...TINY, steps: 5000 } });
		await firstStep;
		// a timer only fires if the training loop yields to the event loop between steps
		await new Promise((resolve) => setTimeout(resolve, 20));
		await handle({ type: 'stop' });
		await running;
		const last = messages.at(-1);
		expect(last?.type).toBe('stopped');
		if (last?.type === 'stopped') {
			expect(last.step).toBeGreaterThan(0);
			expect(last.step).toBeLessThan(5000);
		}
		expect(messages.some((m) => m.type === 'done')).toBe(false);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('refuses a second start while running, and can start again afterwards', async () => {
		const { messages, handle } = collect();
		const first = handle({ type: 'start', config: { ...TINY, steps: 3 } });
		await handle({ type: 'start', config: { ...TINY, steps: 3 } });
		expect(messages.at(-1)).toEqual({
			type: 'error',
			message: 'a run is already in progress; send stop first'
		});
		await first;
		await handle({ type: 'start', config: { ...TINY, steps: 2 } });
		expect(messages.filter((m) => m.type === 'done')).toHaveLength(2);
	});

	it('reports a bad config or an unknown message as an error message', async () => {
		const { messages, handle } = collect();
		await handle({ type: 'start', config: { ...TINY, heads: 3 } });
		await handle({ type: 'launch' } as never);
		expect(messages).toEqual([
			{ type: 'error', message: 'heads: expected a divisor of dModel (8), got 3' },
			{ type: 'error', message: 'unknown message type "launch"' }
		]);
	});
});
