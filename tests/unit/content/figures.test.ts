import { describe, expect, it } from 'vitest';
import { ContentError } from '../../../src/lib/content/errors';
import { splitFigures } from '../../../src/lib/content/figures';
import { clozeSegments, withoutLeadingTitle } from '../../../src/lib/content/present';

const lesson = (body: string) => `Intro text.\n\n\`\`\`figure\n${body}\n\`\`\`\n\nAfter.`;

function errorOf(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof ContentError) return error.message;
		throw error;
	}
	throw new Error('expected a ContentError');
}

describe('splitFigures', () => {
	it('splits markdown around figure blocks', () => {
		const pieces = splitFigures(
			lesson('kind: context-vector\nquery: journey\ncaption: A weighted sum.'),
			'content/en/x.md',
			10
		);
		expect(pieces).toEqual([
			{ type: 'markdown', markdown: 'Intro text.\n\n' },
			{
				type: 'figure',
				figure: { kind: 'context-vector', query: 'journey', caption: 'A weighted sum.' }
			},
			{ type: 'markdown', markdown: '\n\nAfter.' }
		]);
	});

	it('defaults the mask of an attention-weights figure to none, over the simple inputs', () => {
		const [, figure] = splitFigures(lesson('kind: attention-weights\ncaption: c'), 'f.md', 1);
		expect(figure).toEqual({
			type: 'figure',
			figure: { kind: 'attention-weights', mask: 'none', from: 'inputs', caption: 'c' }
		});
	});

	it('names file and line of a bad figure', () => {
		expect(
			errorOf(() => splitFigures(lesson('kind: pie-chart\ncaption: c'), 'content/en/x.md', 10))
		).toBe(
			'content/en/x.md:12: figure: unknown kind "pie-chart" (expected one of attention-weights, context-vector, dot-product, projection, softmax-scale, shift, dropout-mask, head-split, bug-compare)'
		);
		expect(errorOf(() => splitFigures(lesson('kind: context-vector'), 'f.md', 1))).toBe(
			'f.md:3: figure: missing caption'
		);
		expect(
			errorOf(() =>
				splitFigures(lesson('kind: context-vector\nquery: banana\ncaption: c'), 'f.md', 1)
			)
		).toBe('f.md:3: figure: query must be one of Your, journey, starts, with, one, step');
		expect(errorOf(() => splitFigures(lesson('kind: bug-compare\ncaption: c'), 'f.md', 1))).toMatch(
			/^f\.md:3: figure: variant must be one of softmax-dim0, /
		);
		expect(
			errorOf(() =>
				splitFigures(lesson('kind: attention-weights\ncolor: red\ncaption: c'), 'f.md', 1)
			)
		).toBe('f.md:3: figure: unknown field "color"');
	});
});

describe('presentation helpers', () => {
	it('drops only a leading h1', () => {
		expect(withoutLeadingTitle('# Title\n\nText')).toBe('\nText');
		expect(withoutLeadingTitle('## Section\n\nText')).toBe('## Section\n\nText');
	});

	it('splits cloze text around its blanks', () => {
		const segments = clozeSegments('Divide by {{root}} of {{dim}}.');
		expect(segments.map((s) => s.type)).toEqual(['text', 'blank', 'text', 'blank', 'text']);
		expect(segments[1]).toEqual({ type: 'blank', name: 'root' });
	});
});

describe('figures in a deck', () => {
	it('a malformed figure fails the deck check with file:line', async () => {
		const { checkDeck } = await import('../../../src/lib/content/parse');
		const source = [
			'---',
			'id: figs',
			'title: Figures',
			'order: 1',
			'summary: s',
			'section: "3.3"',
			'---',
			'',
			'Text.',
			'',
			'```figure',
			'kind: bar-chart',
			'caption: c',
			'```'
		].join('\n');
		const { issues } = checkDeck(source, 'content/en/01-figs.md');
		expect(issues).toContainEqual({
			file: 'content/en/01-figs.md',
			line: 11,
			message: expect.stringMatching(/^figure: unknown kind "bar-chart" \(expected one of /)
		});
	});
});

/** The first figure of a lesson holding one block with `body`. */
function figureOf(body: string): unknown {
	return splitFigures(lesson(body), 'f.md', 1)[1];
}

describe('the figure kinds', () => {
	it('reads every kind with its defaults', () => {
		const read = (body: string) => (figureOf(`${body}\ncaption: c`) as { figure: unknown }).figure;
		expect(read('kind: attention-weights\nmask: causal\nfrom: self-attention-v2')).toEqual({
			kind: 'attention-weights',
			mask: 'causal',
			from: 'self-attention-v2',
			caption: 'c'
		});
		expect(read('kind: dot-product')).toEqual({
			kind: 'dot-product',
			query: 'journey',
			key: 'starts',
			caption: 'c'
		});
		expect(read('kind: projection\nquery: step')).toEqual({
			kind: 'projection',
			query: 'step',
			caption: 'c'
		});
		expect(read('kind: softmax-scale')).toEqual({
			kind: 'softmax-scale',
			scores: null,
			query: 'journey',
			scale: 1,
			caption: 'c'
		});
		expect(read('kind: softmax-scale\nscores: [1, 2, 3]\nscale: 8')).toEqual({
			kind: 'softmax-scale',
			scores: [1, 2, 3],
			query: 'journey',
			scale: 8,
			caption: 'c'
		});
		expect(read('kind: shift')).toEqual({ kind: 'shift', caption: 'c' });
		expect(read('kind: dropout-mask')).toEqual({
			kind: 'dropout-mask',
			p: 0.5,
			seed: 123,
			input: 'ones',
			caption: 'c'
		});
		expect(read('kind: head-split')).toEqual({
			kind: 'head-split',
			d_out: 4,
			num_heads: 2,
			caption: 'c'
		});
		expect(read('kind: bug-compare\nvariant: no-scaling')).toEqual({
			kind: 'bug-compare',
			variant: 'no-scaling',
			caption: 'c'
		});
	});

	it('rejects fields out of range, with file and line', () => {
		const bad = (body: string) => errorOf(() => figureOf(`${body}\ncaption: c`));
		expect(bad('kind: attention-weights\nfrom: gpt2')).toBe(
			'f.md:3: figure: from must be "inputs" or "self-attention-v2"'
		);
		expect(bad('kind: softmax-scale\nscores: [1]')).toBe(
			'f.md:3: figure: scores must be a list of 2 to 8 numbers'
		);
		expect(bad('kind: softmax-scale\nscores: [1, 2]\nquery: step')).toBe(
			'f.md:3: figure: give either scores or query, not both'
		);
		expect(bad('kind: softmax-scale\nscale: 3')).toBe(
			'f.md:3: figure: scale must be one of 0.25, 0.5, 1, 2, 4, 8, 16, 32'
		);
		expect(bad('kind: dropout-mask\np: 1')).toBe('f.md:3: figure: p must be a rate with 0 < p < 1');
		expect(bad('kind: dropout-mask\ninput: zeros')).toBe(
			'f.md:3: figure: input must be "ones" or "causal-weights"'
		);
		expect(bad('kind: head-split\nd_out: 6\nnum_heads: 4')).toBe(
			'f.md:3: figure: d_out = 6 is not divisible by num_heads = 4'
		);
		expect(bad('kind: head-split\nd_out: 12')).toBe(
			'f.md:3: figure: d_out must be a whole number from 2 to 8'
		);
		// a variant that raises an error in PyTorch has no numbers to compare
		expect(bad('kind: bug-compare\nvariant: transpose-3d')).toMatch(/variant must be one of/);
		expect(bad('kind: shift\nmask: causal')).toBe('f.md:3: figure: unknown field "mask"');
	});

	it('documents every kind and field in content/README.md', async () => {
		const { readFile } = await import('node:fs/promises');
		const { FIGURE_FIELDS } = await import('../../../src/lib/content/figures');
		const readme = await readFile('content/README.md', 'utf8');
		const section = readme.slice(readme.indexOf('## Figures'), readme.indexOf('## Questions'));
		for (const [kind, fields] of Object.entries(FIGURE_FIELDS)) {
			const row = section.split('\n').find((line) => line.startsWith(`| \`${kind}\` |`));
			expect(row, kind).toBeDefined();
			for (const field of fields) expect(row, `${kind}.${field}`).toContain(`\`${field}\``);
		}
	});
});
