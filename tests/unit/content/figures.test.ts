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

	it('defaults the mask of an attention-weights figure to none', () => {
		const [, figure] = splitFigures(lesson('kind: attention-weights\ncaption: c'), 'f.md', 1);
		expect(figure).toEqual({
			type: 'figure',
			figure: { kind: 'attention-weights', mask: 'none', caption: 'c' }
		});
	});

	it('names file and line of a bad figure', () => {
		expect(
			errorOf(() => splitFigures(lesson('kind: pie-chart\ncaption: c'), 'content/en/x.md', 10))
		).toBe(
			'content/en/x.md:12: figure: unknown kind "pie-chart" (expected attention-weights or context-vector)'
		);
		expect(errorOf(() => splitFigures(lesson('kind: context-vector'), 'f.md', 1))).toBe(
			'f.md:3: figure: missing caption'
		);
		expect(
			errorOf(() =>
				splitFigures(lesson('kind: context-vector\nquery: banana\ncaption: c'), 'f.md', 1)
			)
		).toBe('f.md:3: figure: query must be one of Your, journey, starts, with, one, step');
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
			message: 'figure: unknown kind "bar-chart" (expected attention-weights or context-vector)'
		});
	});
});
