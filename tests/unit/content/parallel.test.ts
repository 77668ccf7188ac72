/**
 * Issue 15: a translated deck is its English twin's course — same ids, kinds, engine specs, option
 * flags, blank names and figures, in the same order — or the build names the file and line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	checkDecks,
	checkParallel,
	formatIssue,
	missingTwins
} from '../../../src/lib/content/index';

const EN = 'content/en/07-causal-mask.md';
const ZH = 'content/zh/07-causal-mask.md';
const source = readFileSync(EN, 'utf8');
const english = checkDecks([{ file: EN, source }]).decks;

function twinIssues(zhSource: string): string[] {
	const { decks, issues } = checkDecks([{ file: ZH, source: zhSource }]);
	expect(issues.map(formatIssue)).toEqual([]);
	return checkParallel(english, decks).map(formatIssue);
}

/** The source with its n-th ```quiz block (0-based) removed. */
function withoutQuestion(text: string, n: number): string {
	const blocks = [...text.matchAll(/```quiz\n[\s\S]*?\n```\n/g)];
	const block = blocks[n];
	return text.slice(0, block.index) + text.slice(block.index! + block[0].length);
}

describe('translated decks are parallel to the English ones', () => {
	it('accepts a twin that changes only the text', () => {
		expect(english).toHaveLength(1);
		const translated = source.replace(/^## (.*)$/gm, '## 译：$1');
		expect(twinIssues(translated)).toEqual([]);
	});

	it('reports a missing question at file:line, naming the English question', () => {
		const issues = twinIssues(withoutQuestion(source, 1));
		expect(issues).toHaveLength(1);
		expect(issues[0]).toMatch(
			/^content\/zh\/07-causal-mask\.md:1: question "[a-z0-9-]+" of content\/en\/07-causal-mask\.md:\d+ is missing$/
		);
	});

	it('reports a changed engine spec at the question’s line', () => {
		const changed = source.replace(/decimals: 4/, 'decimals: 3');
		expect(changed).not.toBe(source);
		const [issue, ...rest] = twinIssues(changed);
		expect(rest).toEqual([]);
		const line = Number(/:(\d+): /.exec(issue)![1]);
		expect(changed.split('\n')[line - 1]).toBe('```quiz');
		expect(issue).toContain('differs from content/en/07-causal-mask.md');
	});

	it('reports a flipped multiple-choice answer', () => {
		const changed = source.replace(/correct: true/, 'correct: false');
		expect(twinIssues(changed).join('\n')).toContain('"correct":[');
	});

	it('lists English decks that have no twin yet', () => {
		expect(missingTwins(english, [])).toEqual(english);
		expect(missingTwins(english, english)).toEqual([]);
	});
});
