import { describe, expect, it } from 'vitest';
import {
	addExperimentRun,
	experimentRunSummarySchema,
	listExperimentRuns,
	readRunSummary,
	type ExperimentRunSummary
} from '../../../src/lib/progress/index.js';
import { runView } from '../../../src/routes/progress/progress-view.js';
import { freshDb } from './helpers.js';

const t0 = Date.UTC(2026, 0, 15);

/** The run of tests/fixtures/backups/history.json: what the experiment page saves. */
const summary: ExperimentRunSummary = {
	masked: {
		train_loss: 2.1602,
		honest_loss: 2.1734,
		grad_norm: 0.8421,
		sample_divergence: 0.2143,
		next_token_share: 0
	},
	unmasked: {
		train_loss: 0.4113,
		honest_loss: 3.9821,
		grad_norm: 0.3307,
		sample_divergence: 0.6518,
		next_token_share: 0.9312
	},
	corpus_passage_divergence: 0.1877,
	total_ms: 41234,
	wall_ms: 43010
};

describe('experiment run summary', () => {
	it('a summary the page saves is complete, and read back as it was written', async () => {
		expect(experimentRunSummarySchema.safeParse(summary).success).toBe(true);
		const db = await freshDb();
		await addExperimentRun(db, { time: t0, config: { steps: 300 }, summary });
		const [run] = await listExperimentRuns(db);
		expect(run.summary).toEqual(summary);
		expect(Object.keys(run.summary)).toEqual(Object.keys(summary));
		expect(Object.keys(run.summary.masked ?? {})).toEqual(Object.keys(summary.masked));
	});

	it('reads an old summary leniently: missing fields stay missing, unknown ones are kept', () => {
		const old = { masked: { train_loss: 2 }, unmasked: { train_loss: 0.5, extra: 'x' }, steps: 9 };
		expect(readRunSummary(old)).toEqual(old);
		expect(readRunSummary({})).toEqual({});
		expect(readRunSummary(null)).toEqual({});
		expect(readRunSummary(['not', 'an', 'object'])).toEqual({});
	});

	it('leaves out a known field whose value does not fit, keeping the rest', () => {
		expect(
			readRunSummary({
				masked: { train_loss: 'high', honest_loss: 1 },
				unmasked: 'none',
				wall_ms: '43 s',
				total_ms: 41234,
				note: 'kept'
			})
		).toEqual({ masked: { honest_loss: 1 }, total_ms: 41234, note: 'kept' });
	});

	it('refuses to save a known field of the wrong type; lists a stored one leniently', async () => {
		const db = await freshDb();
		await expect(
			addExperimentRun(db, { time: t0, config: {}, summary: { wall_ms: 'soon' } as never })
		).rejects.toMatchObject({ kind: 'invalid' });
		// a row stored before summaries were checked
		await db.experimentRuns.put({
			id: 'old',
			time: t0,
			config: {},
			summary: { masked: 'x', unmasked: { train_loss: 1 }, wall_ms: 5000 } as never
		});
		const [run] = await listExperimentRuns(db);
		expect(run.summary).toEqual({ unmasked: { train_loss: 1 }, wall_ms: 5000 });
	});

	it('/progress shows a saved run in words, and an old run with the fields it has', () => {
		const view = runView({ id: 'r', time: t0, config: { steps: 300 }, summary });
		expect(view.arms?.rows).toEqual([
			['Training loss', '2.160', '0.4113'],
			['Honest loss', '2.173', '3.982'],
			['Gradient norm', '0.8421', '0.3307'],
			['Sample divergence', '0.2143', '0.6518'],
			['Attention on the next token', '0', '0.9312']
		]);
		expect(view.results).toEqual([
			['Divergence of real text (reference)', '0.1877'],
			['Training time', '41.2 s'],
			['Wall time', '43.0 s']
		]);
		const old = runView({
			id: 'o',
			time: t0,
			config: {},
			summary: readRunSummary({ masked: { train_loss: 2 }, unmasked: { train_loss: 0.5 } })
		});
		expect(old.arms?.rows).toEqual([['Training loss', '2', '0.5000']]);
		expect(old.results).toEqual([]);
		const noArms = runView({ id: 'n', time: t0, config: {}, summary: { loss: 1.5 } });
		expect(noArms.arms).toBeNull();
		expect(noArms.results).toEqual([['loss', '1.500']]);
	});
});
