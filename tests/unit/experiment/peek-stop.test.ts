/**
 * Stop pressed right after Run, before the worker was sent 'start' (that is posted in a task of its
 * own), used to be ignored: the run then went on to the end.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const posted: unknown[] = [];
vi.mock('$lib/experiment/create-worker.browser', () => ({
	createPeekWorker: () => ({
		postMessage: (message: unknown) => posted.push(message),
		terminate: () => undefined,
		onmessage: null,
		onerror: null
	})
}));

const { PeekExperiment } =
	await import('../../../src/routes/experiment/peek/peek-experiment.svelte.js');

afterEach(() => {
	posted.length = 0;
	vi.useRealTimers();
});

describe('the peek experiment', () => {
	it('Stop right after Run (before the worker was started) stops the run: nothing is started', () => {
		vi.useFakeTimers();
		const experiment = new PeekExperiment();
		expect(experiment.run()).toBeNull();
		expect(experiment.phase).toBe('running');
		experiment.stop();
		expect(experiment.phase).toBe('stopped');
		vi.runAllTimers();
		expect(posted).toEqual([]);
		// Run works again afterwards and starts the worker
		expect(experiment.run()).toBeNull();
		vi.runAllTimers();
		expect(posted).toEqual([expect.objectContaining({ type: 'start' })]);
		experiment.stop();
		expect(experiment.phase).toBe('stopping');
		expect(posted.at(-1)).toEqual({ type: 'stop' });
	});
});
