import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
	buildIndex,
	checkDeck,
	ContentError,
	formatIssue,
	globToFiles,
	parseDeck,
	type EngineQuestion
} from '../../../src/lib/content/index.js';

const FRONT = [
	'---',
	'id: demo',
	'title: Demo',
	'order: 1',
	'summary: A demo deck.',
	'section: 3.3.1',
	'---'
];

/** A deck whose body starts on line 8; `blocks` become ```quiz blocks separated by a blank line. */
function source(...blocks: string[]): string {
	return [...FRONT, '', ...blocks.flatMap((b) => ['```quiz', b, '```', ''])].join('\n');
}

function issues(text: string, file = 'demo.md'): string[] {
	return checkDeck(text, file).issues.map(formatIssue);
}

const flashcard = 'id: card\nkind: flashcard\nfront: Front\nback: Back\nexplanation: Why.';

describe('parseDeck on a valid deck', () => {
	const text = [
		...FRONT,
		'',
		'# Title',
		'',
		'Some $x^{(2)}$ math.',
		'',
		'```python',
		'```quiz',
		'not a quiz: inside a python fence',
		'```',
		'',
		'```quiz',
		flashcard,
		'```',
		'',
		'More text.',
		'',
		'```quiz',
		'id: pick',
		'kind: multiple-choice',
		'prompt: Pick.',
		'options:',
		'  - text: A',
		'    correct: true',
		'    explanation: Right.',
		'  - text: B',
		'    explanation: Wrong.',
		'explanation: Because.',
		'```',
		'',
		'```quiz',
		'id: fill',
		'kind: cloze',
		'prompt: Fill in.',
		'text: Divide by {{scale}} before the {{fn}}, then {{scale}} again.',
		'blanks:',
		'  fn: softmax',
		'  scale: [sqrt(d_k), 2]',
		'explanation: Scaling.',
		'```',
		'',
		'```quiz',
		'id: weights',
		'kind: vector',
		'prompt: Weights of {{query}}.',
		'compute:',
		'  target: attention-weights-row',
		'  inputs: random',
		'  tokens: [3, 5]',
		'  d_in: { one_of: [2, 4] }',
		'  query: random',
		'shape: [tokens]',
		'decimals: 3',
		'explanation: Softmax.',
		'```'
	].join('\n');
	const deck = parseDeck(text, 'content/en/01-demo.md');

	it('reads the front matter', () => {
		expect(deck).toMatchObject({ id: 'demo', title: 'Demo', order: 1, section: '3.3.1' });
		expect(deck.file).toBe('content/en/01-demo.md');
	});

	it('keeps the lesson as markdown parts between the questions, with their lines', () => {
		expect(deck.lesson.parts.map((p) => (p.type === 'question' ? p.id : p.line))).toEqual([
			9,
			'card',
			26,
			'pick',
			'fill',
			'weights'
		]);
		const first = deck.lesson.parts[0];
		expect(first.type === 'markdown' && first.markdown).toContain(
			'not a quiz: inside a python fence'
		);
	});

	it('types each question by kind', () => {
		const [card, pick, fill, weights] = deck.questions;
		expect(card).toMatchObject({
			kind: 'flashcard',
			prompt: 'Front',
			back: 'Back',
			line: 18,
			deck: 'demo'
		});
		expect(pick).toMatchObject({ kind: 'multiple-choice', multiple: false });
		expect(pick.kind === 'multiple-choice' && pick.options.map((o) => o.correct)).toEqual([
			true,
			false
		]);
		expect(fill).toMatchObject({
			kind: 'cloze',
			blanks: [
				{ name: 'scale', answers: ['sqrt(d_k)', '2'] },
				{ name: 'fn', answers: ['softmax'] }
			],
			caseSensitive: false
		});
		expect((weights as EngineQuestion).compute).toEqual({
			target: 'attention-weights-row',
			inputs: {
				source: 'random',
				tokens: { type: 'range', min: 3, max: 5 },
				d_in: { type: 'one-of', values: [2, 4] }
			},
			query: { type: 'random' }
		});
		expect(weights).toMatchObject({ kind: 'vector', shape: ['tokens'], decimals: 3 });
	});

	it('has stored no answer for the engine-checked question', () => {
		expect(Object.keys(deck.questions[3])).not.toContain('answer');
	});
});

describe('parseDeck errors', () => {
	it('throws a ContentError listing every issue of the file', () => {
		const text = source(flashcard, flashcard.replace('explanation: Why.', 'explanation: ""'));
		expect(() => parseDeck(text, 'demo.md')).toThrow(ContentError);
		expect(issues(text)).toEqual(['demo.md:22: question "card": "explanation" must not be empty']);
	});

	it('requires front matter and closes it', () => {
		expect(issues('# no front matter')).toEqual([
			'demo.md:1: Missing front matter: the file must start with a --- line'
		]);
		expect(issues('---\nid: x\n')).toEqual([
			'demo.md:1: Front matter is not closed: add a --- line after it'
		]);
	});

	it('reports unknown and invalid front matter fields at their line', () => {
		const text = [
			'---',
			'id: Bad_Id',
			'title: T',
			'order: one',
			'summary: S',
			'section: "3"',
			'colour: red',
			'---'
		].join('\n');
		expect(issues(text)).toEqual([
			'demo.md:2: front matter "id" must be kebab-case: a-z, 0-9 and single dashes',
			'demo.md:4: front matter "order" must be a whole number',
			'demo.md:7: unknown front matter field "colour"'
		]);
	});

	it('checks that NN-slug.md file names match the deck id', () => {
		expect(issues(source(flashcard), 'content/en/01-other.md')).toEqual([
			'content/en/01-other.md:1: deck id "demo" does not match the file name (expected "other")'
		]);
	});

	it('reports an unclosed quiz block at its fence', () => {
		expect(issues([...FRONT, '', '```quiz', flashcard].join('\n'))).toEqual([
			'demo.md:9: ```quiz block is not closed'
		]);
	});

	it('reports unknown fields at their key', () => {
		expect(issues(source(`${flashcard}\nhint: psst`))).toEqual([
			'demo.md:15: question "card": unknown field "hint"'
		]);
	});

	it('needs a correct option and explanations on every option', () => {
		const mc = [
			'id: pick',
			'kind: multiple-choice',
			'prompt: Pick.',
			'options:',
			'  - text: A',
			'    explanation: No.',
			'  - text: B',
			'explanation: Because.'
		].join('\n');
		expect(issues(source(mc))).toEqual([
			'demo.md:16: question "pick": missing "options[1].explanation"'
		]);
		const noneCorrect = mc.replace('  - text: B', '  - text: B\n    explanation: No.');
		expect(issues(source(noneCorrect))).toEqual([
			'demo.md:13: question "pick": no option is marked `correct: true`'
		]);
	});

	it('matches cloze markers and blanks both ways', () => {
		const cloze =
			'id: fill\nkind: cloze\nprompt: Fill.\ntext: A {{one}} and {{two}}.\nblanks:\n  one: x\n  three: y\nexplanation: E.';
		expect(issues(source(cloze))).toEqual([
			'demo.md:13: question "fill": blank {{two}} has no accepted answers in "blanks"',
			'demo.md:16: question "fill": blank "three" is not used in "text"'
		]);
	});

	it('keeps blanks out of code spans and formulas, which the UI renders piece by piece', () => {
		const cloze = (text: string) =>
			`id: fill\nkind: cloze\nprompt: Fill.\ntext: "${text}"\nblanks:\n  d: x\nexplanation: E.`;
		expect(issues(source(cloze('`torch.softmax(x, dim={{d}})`')))).toEqual([
			'demo.md:13: question "fill": a blank sits inside a `code span` or $formula$: close it before the blank and reopen it after'
		]);
		expect(issues(source(cloze('$e^{{d}}$')))).toHaveLength(1);
		expect(issues(source(cloze('`torch.softmax(x, dim=`{{d}}`)` and $x$ {{d}}')))).toEqual([]);
	});

	it('checks engine-checked questions against their target', () => {
		const base = [
			'id: eng',
			'kind: vector',
			'prompt: Compute {{query}} with {{mystery}}.',
			'compute:',
			'  target: context-vector',
			'  inputs: random',
			'  tokens: [3, 12]',
			'  d_in: 3',
			'  query: journey',
			'  seed: 5',
			'shape: [tokens]',
			'decimals: 4',
			'explanation: E.'
		].join('\n');
		expect(issues(source(base))).toEqual([
			'demo.md:19: question "eng": "compute.seed" is not used by target "context-vector"',
			'demo.md:16: question "eng": "compute.tokens" must stay within 2..8 (a range is [min, max])',
			`demo.md:18: question "eng": "compute.query" must be "random", a 1-based position or one of the book's words (Your, journey, starts, with, one, step) with inputs: book`
		]);
		const fixed = base
			.replace('[3, 12]', '[3, 5]')
			.replace('journey', 'random')
			.replace('  seed: 5\n', '');
		expect(issues(source(fixed))).toEqual([
			'demo.md:19: question "eng": shape [tokens] does not match target "context-vector", which computes [d_in]',
			'demo.md:12: question "eng": unknown placeholder {{mystery}} (this question can use {{tokens}}, {{d_in}}, {{query}})'
		]);
	});

	it('rejects a kind that does not fit the target and a missing shape', () => {
		const q =
			'id: eng\nkind: number\nprompt: P.\ncompute:\n  target: keys\ndecimals: 2\nexplanation: E.';
		expect(issues(source(q))).toEqual([
			'demo.md:11: question "eng": kind number does not fit target "keys", which computes shape [tokens, d_out]'
		]);
		const noShape = q.replace('kind: number', 'kind: matrix');
		expect(issues(source(noShape))).toEqual([
			'demo.md:9: question "eng": missing "shape" (target "keys" computes [tokens, d_out])'
		]);
	});

	it('requires what a target needs and d_out divisible by num_heads', () => {
		const q = [
			'id: mha',
			'kind: matrix',
			'prompt: P.',
			'compute:',
			'  target: multi-head-attention',
			'  d_out: [2, 3]',
			'shape: [tokens, d_out]',
			'decimals: 2',
			'explanation: E.'
		].join('\n');
		expect(issues(source(q))).toEqual([
			'demo.md:13: question "mha": target "multi-head-attention" needs "compute.seed"',
			'demo.md:13: question "mha": d_out = 3 is not divisible by num_heads = 2'
		]);
	});

	it('reports formulas KaTeX cannot typeset, at their line', () => {
		const text = [...FRONT, '', 'Fine $x$.', '', 'Broken $\\frac{1}{$ here.'].join('\n');
		expect(issues(text)).toEqual([
			expect.stringMatching(/^demo\.md:11: cannot typeset \$\\frac\{1\}\{\$: KaTeX parse error: /)
		]);
		const q = flashcard.replace('back: Back', 'back: $x^$');
		expect(issues(source(q))).toEqual([
			expect.stringMatching(/^demo\.md:13: question "card": cannot typeset \$x\^\$/)
		]);
	});
});

describe('buildIndex', () => {
	const deck = (id: string, order: number, questionId: string) => ({
		file: `content/en/0${order}-${id}.md`,
		source: source(flashcard.replace('id: card', `id: ${questionId}`))
			.replace('id: demo', `id: ${id}`)
			.replace('order: 1', `order: ${order}`)
	});

	it('sorts decks by order and indexes questions', () => {
		const index = buildIndex([deck('b', 2, 'q-b'), deck('a', 1, 'q-a')]);
		expect(index.decks.map((d) => d.id)).toEqual(['a', 'b']);
		expect(index.deckById.get('b')?.order).toBe(2);
		expect(index.questionById.get('q-a')?.deck).toBe('a');
	});

	it('rejects question ids used in two decks, naming where each is', () => {
		expect(() => buildIndex([deck('a', 1, 'same'), deck('b', 2, 'same')])).toThrow(
			'content/en/02-b.md:9: duplicate question id "same" (first seen at content/en/01-a.md:9)'
		);
	});

	it('rejects duplicate deck orders', () => {
		const other = deck('b', 2, 'q-b');
		other.source = other.source.replace('order: 2', 'order: 1');
		expect(() => buildIndex([deck('a', 1, 'q-a'), other])).toThrow(
			'content/en/02-b.md:1: duplicate deck order 1 (first seen at content/en/01-a.md:1)'
		);
	});

	it('turns an import.meta.glob record into files', () => {
		expect(globToFiles({ '/content/en/01-a.md': 'text' })).toEqual([
			{ file: 'content/en/01-a.md', source: 'text' }
		]);
	});
});

describe('the example deck in content/README.md', () => {
	it('parses, with one question of each documented kind', async () => {
		const readme = await readFile('content/README.md', 'utf8');
		const example = /````markdown\n([\s\S]*?)\n````/.exec(readme)?.[1];
		expect(example).toBeDefined();
		const deck = parseDeck(example as string, 'content/README.md');
		expect(deck.questions.map((q) => q.kind)).toEqual([
			'flashcard',
			'multiple-choice',
			'cloze',
			'vector'
		]);
	});
});
