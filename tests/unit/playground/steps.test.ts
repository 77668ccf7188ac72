/**
 * The playground's view of a forward pass (src/routes/playground): which steps each module shows,
 * their shapes, the book's lines, cells that explain themselves with the engine's numbers, and
 * compare mode's differences. Numbers come from the engine; nothing here is typed in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, runPipeline } from '../../../src/lib/engine/index';
import {
	bookState,
	PLAYGROUND_MODULES,
	type PlaygroundState
} from '../../../src/lib/playground/index';
import {
	comparisonConfigs,
	countDifferences,
	differences,
	toConfig
} from '../../../src/routes/playground/compare';
import { fmt } from '../../../src/routes/playground/explain';
import { buildSteps, type StepView } from '../../../src/routes/playground/steps';

beforeAll(async () => {
	await initEngine('cpu');
});

function stepsOf(state: PlaygroundState): StepView[] {
	return buildSteps(state, runPipeline(toConfig(state)));
}

function step(steps: StepView[], id: string): StepView {
	const found = steps.find((s) => s.id === id);
	if (!found) throw new Error(`no step ${id} in ${steps.map((s) => s.id).join(', ')}`);
	return found;
}

describe('steps per module', () => {
	it('shows the steps each module runs, in the order of its forward pass', () => {
		const ids = (m: (typeof PLAYGROUND_MODULES)[number]) => stepsOf(bookState(m)).map((s) => s.id);
		expect(ids('simplified')).toEqual([
			'inputs',
			'scores',
			'scaled',
			'softmax',
			'dropout',
			'context'
		]);
		expect(ids('SelfAttention_v2')).toEqual([
			'inputs',
			'qkv',
			'scores',
			'scaled',
			'softmax',
			'dropout',
			'context'
		]);
		expect(ids('CausalAttention')).toEqual([
			'inputs',
			'qkv',
			'scores',
			'mask',
			'scaled',
			'softmax',
			'dropout',
			'context'
		]);
		expect(ids('MultiHeadAttentionWrapper')).toContain('concat');
		expect(ids('MultiHeadAttention')).toEqual([
			'inputs',
			'qkv',
			'split',
			'scores',
			'mask',
			'scaled',
			'softmax',
			'dropout',
			'context',
			'concat',
			'out_proj'
		]);
	});

	it('gives each step the shape PyTorch prints, with the batch axis where the module has one', () => {
		expect(step(stepsOf(bookState('SelfAttention_v2')), 'scores').shape).toBe('(6, 6)');
		expect(step(stepsOf(bookState('CausalAttention')), 'qkv').shape).toBe('(1, 6, 2)');
		const mha = stepsOf({ ...bookState('MultiHeadAttention'), d_out: 4 });
		expect(step(mha, 'split').shape).toBe('(1, 6, 2, 2) → (1, 2, 6, 2)');
		expect(step(mha, 'scores').shape).toBe('(1, 2, 6, 6)');
		expect(step(mha, 'context').shape).toBe('(1, 2, 6, 2)');
		expect(step(mha, 'out_proj').shape).toBe('(1, 6, 4)');
		const wrapper = stepsOf(bookState('MultiHeadAttentionWrapper'));
		expect(step(wrapper, 'concat').shape).toBe('(1, 6, 4)');
	});

	it('shows the book’s line for a step, and marks a line the settings changed', () => {
		const book = step(stepsOf(bookState('CausalAttention')), 'softmax').code;
		expect(book).toEqual([
			{ text: 'attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)' }
		]);
		const unscaled = step(stepsOf({ ...bookState('CausalAttention'), scale: false }), 'softmax');
		expect(unscaled.code).toEqual([
			{ text: 'attn_weights = torch.softmax(attn_scores, dim=-1)', changed: true }
		]);
		const after = step(stepsOf({ ...bookState('CausalAttention'), mask: 'after' }), 'mask');
		expect(after.code.every((l) => l.changed)).toBe(true);
		const mha = step(stepsOf(bookState('MultiHeadAttention')), 'scores').code;
		expect(mha[0].text).toBe('attn_scores = queries @ keys.transpose(2, 3)');
	});

	it('shows the dropped weights only when dropout draws, and says why otherwise', () => {
		const train = step(stepsOf({ ...bookState('CausalAttention'), dropout: 0.5 }), 'dropout');
		expect(train.grids.map((g) => g.caption)).toEqual([
			'dropout mask (1 = kept)',
			'attn_weights after dropout'
		]);
		expect(new Set(train.grids[0].values.flat())).toEqual(new Set([0, 1]));
		// kept weights doubled (1/(1 − 0.5)), dropped ones 0
		const result = runPipeline(toConfig({ ...bookState('CausalAttention'), dropout: 0.5 }));
		const head = result.heads[0];
		head.weights.forEach((row, i) =>
			row.forEach((w, j) =>
				expect(w).toBe(head.dropoutKeep![i][j] ? Math.fround(head.softmax[i][j] * 2) : 0)
			)
		);
		const evalMode = step(
			stepsOf({ ...bookState('CausalAttention'), dropout: 0.5, mode: 'eval' }),
			'dropout'
		);
		expect(evalMode.grids).toHaveLength(0);
		expect(evalMode.note).toContain('eval mode');
	});
});

describe('cells explain themselves with the engine’s numbers', () => {
	const state = bookState('SelfAttention_v2');
	let result: ReturnType<typeof runPipeline>;
	let steps: StepView[];
	beforeAll(() => {
		result = runPipeline(toConfig(state));
		steps = buildSteps(state, result);
	});

	it('a score is the dot product of a query and a key, with its terms', () => {
		const grid = step(steps, 'scores').grids[0];
		const text = grid.explain(1, 0);
		expect(text).toContain('query “journey” with key “Your”');
		const head = result.heads[0];
		expect(text).toContain(`${fmt(head.queries[1][0])}·${fmt(head.keys[0][0])}`);
		expect(text).toContain(`= ${fmt(head.scores[1][0])}`);
	});

	it('a query entry is the input times a column of W_query', () => {
		const text = step(steps, 'qkv').grids[0].explain(1, 1);
		expect(text).toContain('“journey”');
		expect(text).toContain(`${fmt(0.55)}·`);
		expect(text).toContain(`= ${fmt(result.queries[1][1])}`);
	});

	it('a weight names the softmax over its row', () => {
		const text = step(steps, 'softmax').grids[0].explain(2, 3);
		expect(text).toContain('softmax over the row');
		expect(text).toContain(fmt(result.heads[0].softmax[2][3]));
	});

	it('a context entry is the weights times a column of the values', () => {
		const text = step(steps, 'context').grids[0].explain(0, 1);
		expect(text).toContain(`= ${fmt(result.context[0][1])}`);
	});

	it('a masked score says the key comes after the query', () => {
		const causal = stepsOf(bookState('CausalAttention'));
		expect(step(causal, 'mask').grids[0].explain(0, 3)).toContain('comes after');
		expect(step(causal, 'mask').grids[0].explain(3, 0)).toContain('keeps the score');
	});

	it('a weight masked after softmax without renormalising says its row no longer sums to 1', () => {
		const after = stepsOf({ ...bookState('CausalAttention'), mask: 'after' });
		expect(step(after, 'mask').grids[0].explain(1, 0)).toContain('not renormalised');
	});
});

describe('compare mode', () => {
	it('scaling changes the weights but not the scores', () => {
		const [a, b] = comparisonConfigs({ ...bookState(), compare: 'scale' });
		const marks = differences(stepsOf(a.state), stepsOf(b.state));
		expect(marks.get('scores')!.flat(2).some(Boolean)).toBe(false);
		expect(marks.get('softmax')!.flat(2).some(Boolean)).toBe(true);
		expect(countDifferences(marks)).toBeGreaterThan(0);
	});

	it('the same settings on both sides differ nowhere', () => {
		const steps = stepsOf(bookState('CausalAttention'));
		expect(countDifferences(differences(steps, stepsOf(bookState('CausalAttention'))))).toBe(0);
	});

	it('dropout at p = 0 is compared at the book’s p = 0.5, train against eval', () => {
		const [a, b] = comparisonConfigs({ ...bookState('CausalAttention'), compare: 'dropout' });
		expect([a.config.dropout, a.config.mode, b.config.dropout, b.config.mode]).toEqual([
			0.5,
			'train',
			0.5,
			'eval'
		]);
	});

	it('grids of different shapes get no marks (the wrapper’s 4 outputs against MHA’s 2)', () => {
		const [a, b] = comparisonConfigs({ ...bookState('MultiHeadAttention'), compare: 'heads' });
		const marks = differences(stepsOf(a.state), stepsOf(b.state));
		expect(marks.get('qkv')).toEqual([null, null, null]);
	});
});
