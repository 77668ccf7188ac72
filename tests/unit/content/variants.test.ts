/** Compute fields of the spot-the-bug targets: `variant` must name a bug the target runs. */
import { describe, expect, it } from 'vitest';
import { checkDeck } from '../../../src/lib/content/index.js';

function issues(compute: string[], shape = '[tokens]'): string[] {
	const source = [
		'---',
		'id: bugs',
		'title: T',
		'order: 1',
		'summary: S',
		'section: "3.5"',
		'---',
		'```quiz',
		'id: q',
		'kind: vector',
		'prompt: P.',
		'compute:',
		...compute.map((line) => `  ${line}`),
		`shape: ${shape}`,
		'decimals: 4',
		'explanation: E.',
		'```'
	].join('\n');
	return checkDeck(source, 'bugs.md').issues.map((i) => `${i.line}: ${i.message}`);
}

describe('variant fields', () => {
	it('accepts a variant its target runs', () => {
		expect(issues(['target: buggy-weights', 'variant: no-scaling', 'query: random'])).toEqual([]);
		expect(
			issues(
				[
					'target: buggy-mha',
					'variant: scale-by-d-out',
					'seed: random',
					'd_out: 4',
					'num_heads: 2'
				],
				'[d_out]'
			)
		).toEqual([]);
	});

	it('rejects an unknown variant, one of another target, and one PyTorch cannot run', () => {
		const expected = (line: number) =>
			`${line}: question "q": "compute.variant" must be one of softmax-dim0, no-scaling, masked-fill-dropped, mask-with-zero, zero-after-softmax, triu-diagonal-0, dropout-not-rescaled with target "buggy-weights"`;
		expect(issues(['target: buggy-weights', 'variant: typo', 'query: random'])).toEqual([
			expected(14)
		]);
		expect(issues(['target: buggy-weights', 'variant: scale-by-d-out', 'query: random'])).toEqual([
			expected(14)
		]);
		expect(issues(['target: buggy-weights', 'variant: transpose-3d', 'query: random'])).toEqual([
			expected(14)
		]);
	});

	it('requires dropout and seed where the variant reads them, and only there', () => {
		expect(
			issues(['target: buggy-weights', 'variant: dropout-not-rescaled', 'query: random'])
		).toEqual([
			'12: question "q": variant "dropout-not-rescaled" needs "compute.dropout"',
			'12: question "q": variant "dropout-not-rescaled" needs "compute.seed"'
		]);
		expect(
			issues(['target: buggy-weights', 'variant: no-scaling', 'query: random', 'dropout: 0.5'])
		).toEqual(['16: question "q": "compute.dropout" is not used by variant "no-scaling"']);
	});

	it('needs a variant and a query', () => {
		expect(issues(['target: buggy-weights'])).toEqual([
			'12: question "q": target "buggy-weights" needs "compute.variant"',
			'12: question "q": target "buggy-weights" needs "compute.query"'
		]);
	});
});
