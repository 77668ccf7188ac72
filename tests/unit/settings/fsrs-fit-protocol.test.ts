import { describe, expect, it } from 'vitest';
import {
	epochOfLogLine,
	handleFitRequest,
	reportEpochs,
	type FitRequest,
	type FitResponse
} from '../../../src/routes/settings/fsrs-fit-protocol.js';
import { DEFAULT_FSRS_WEIGHTS } from '../../../src/lib/scheduler/evaluate.js';
import { syntheticHistory } from '../../fixtures/scheduler/synthetic-history.js';

const request = (rows = syntheticHistory({ cards: 100 })): FitRequest => ({
	type: 'fit',
	rows,
	timeZone: 'UTC',
	dayStartHour: 4
});

async function run(req: FitRequest, loadCompute: Parameters<typeof handleFitRequest>[1]) {
	const messages: FitResponse[] = [];
	await handleFitRequest(req, loadCompute, (message) => messages.push(message));
	return messages;
}

describe('the FSRS fit worker', () => {
	it("reads fsrs-rs's epoch lines for progress, and nothing else", () => {
		expect(epochOfLogLine('epoch: 3 loss: 0.3195928247586451')).toBe(3);
		expect(epochOfLogLine('best_loss: 0.31')).toBeNull();
		expect(epochOfLogLine(42)).toBeNull();
	});

	it("turns fsrs-rs's console.info epoch lines into progress (regression: they were looked for on console.log only)", () => {
		const passed: unknown[] = [];
		const fake = { info: (x: unknown) => passed.push(x), log: (x: unknown) => passed.push(x) };
		const messages: FitResponse[] = [];
		reportEpochs(fake, (message) => messages.push(message));
		fake.info('epoch: 1 loss: 0.33');
		fake.log('epoch: 2 loss: 0.32');
		fake.info('best_loss: 0.31');
		expect(messages).toEqual([
			{ type: 'progress', stage: 'fitting', epoch: 1, epochs: 5 },
			{ type: 'progress', stage: 'fitting', epoch: 2, epochs: 5 }
		]);
		expect(passed).toEqual(['best_loss: 0.31']);
	});

	it('reports its stages, then the fit with both sets of metrics', async () => {
		let packedItems = 0;
		const messages = await run(request(), async () => (packed) => {
			packedItems = packed.lengths.length;
			return Float32Array.from(DEFAULT_FSRS_WEIGHTS);
		});
		expect(messages.map((m) => (m.type === 'progress' ? m.stage : m.type))).toEqual([
			'loading',
			'preparing',
			'fitting',
			'evaluating',
			'done'
		]);
		const done = messages.at(-1) as Extract<FitResponse, { type: 'done' }>;
		expect(done.result.predictions).toBe(packedItems);
		// the defaults "fitted": both columns are the same numbers
		expect(done.result.logLossFitted).toBeCloseTo(done.result.logLossDefault, 4);
	});

	it('says the optimizer is unavailable when its wasm cannot start', async () => {
		const messages = await run(request(), async () => {
			throw new Error('WebAssembly.Memory(): shared memory is not allowed');
		});
		expect(messages.at(-1)).toEqual({
			type: 'error',
			kind: 'unavailable',
			message: 'WebAssembly.Memory(): shared memory is not allowed'
		});
	});

	it('refuses a history under 400 answers without running the optimizer', async () => {
		let ran = false;
		const messages = await run(request(syntheticHistory({ cards: 20 })), async () => () => {
			ran = true;
			return new Float32Array(21);
		});
		expect(ran).toBe(false);
		expect(messages.at(-1)).toMatchObject({ type: 'error', kind: 'too-few' });
	});
});
