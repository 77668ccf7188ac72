import { expect, test } from '@playwright/test';
import { checkPage } from './fixtures';
import {
	answerCorrectly,
	course,
	engineAnswer,
	questionOnPage,
	rateWithKey,
	readProgress
} from './study-helpers';
import type { EngineQuestion } from '../../src/lib/content/types';

const DAY = 86_400_000;
const START = new Date('2026-03-02T10:00:00Z').getTime();

test('a learner studies a deck end to end by keyboard and finds the right cards due later', async ({
	page
}) => {
	test.setTimeout(180_000);
	await page.clock.setFixedTime(START);
	const deck = (await course()).deckById.get('attention-idea')!;
	await page.goto(`/quiz/${deck.id}`);
	await checkPage(page, 'quiz');

	const seen: string[] = [];
	for (let i = 0; i < deck.questions.length; i++) {
		const question = await answerCorrectly(page);
		seen.push(question.id);
		await rateWithKey(page, 4, question.id); // Easy: several days until the next review
	}
	expect(new Set(seen)).toEqual(new Set(deck.questions.map((q) => q.id)));
	await expect(page.getByRole('heading', { name: 'Session complete' })).toBeVisible();
	await expect(page.getByText(`${deck.questions.length} answered`)).toBeVisible();
	await checkPage(page, 'quiz-summary');

	const stored = await readProgress(page);
	expect(stored.reviews).toHaveLength(deck.questions.length);
	expect(stored.reviews.every((r) => r.rating === 4)).toBe(true);

	// Reload the next day: nothing of this deck is due yet (Easy is more than a day), new cards are.
	await page.clock.setFixedTime(START + DAY);
	await page.goto('/review');
	const first = await questionOnPage(page);
	expect(first.deck).not.toBe(deck.id);
	await checkPage(page, 'review');

	// A month later every card of the deck is due, and reviews come before new cards.
	await page.clock.setFixedTime(START + 30 * DAY);
	await page.goto('/review');
	const dueIds: string[] = [];
	for (let i = 0; i < deck.questions.length; i++) {
		const question = await answerCorrectly(page);
		dueIds.push(question.id);
		await rateWithKey(page, 3, question.id);
	}
	expect(new Set(dueIds)).toEqual(new Set(deck.questions.map((q) => q.id)));
	const next = await questionOnPage(page);
	expect(next.deck).not.toBe(deck.id);
});

test('engine-checked answers: unparsable input is explained, wrong cells are marked, a right answer passes', async ({
	page
}) => {
	await page.goto('/quiz/dot-product');
	const question = await questionOnPage(page);
	expect(['number', 'vector', 'matrix']).toContain(question.kind);
	const card = page.locator('article.question').first();
	const box = card.getByLabel('Your answer');
	await expect(box).toBeVisible();

	await box.fill('zero point four');
	await box.press('Enter');
	await expect(card.getByText('“zero” is not a number')).toBeVisible();
	await expect(card.getByText(/^Not quite/)).toHaveCount(0);

	// every value off by one: all cells wrong
	const right = await engineAnswer(page, question as EngineQuestion);
	const wrong = right.replace(/-?\d+\.\d+/g, (v) => (Number(v) + 1).toFixed(4));
	await box.fill(wrong);
	await box.press(question.kind === 'matrix' ? 'Control+Enter' : 'Enter');
	await expect(card.getByText(/Not quite: 0 of \d+ values? right/)).toBeVisible();
	await expect(card.locator('td.wrong').first()).toBeVisible();
	await expect(
		card.getByRole('group', { name: 'Worked solution' }).or(card.locator('details.solution[open]'))
	).toBeVisible();
	await expect(card.getByRole('button', { name: /Again.*suggested/ })).toBeVisible();
	await checkPage(page, 'quiz-wrong-answer');
	await page.keyboard.press('1');

	const stored = await readProgress(page);
	expect(stored.reviews).toHaveLength(1);
	expect(stored.reviews[0]).toMatchObject({ cardId: question.id, rating: 1, correct: false });
	expect(typeof stored.reviews[0].seed).toBe('number');

	// the card after it, answered right
	const second = await answerCorrectly(page);
	await rateWithKey(page, 3, second.id);
	expect((await readProgress(page)).reviews.filter((r) => r.correct === true)).toHaveLength(1);
});

test('undo removes the last rating from the schedule and shows the same numbers again', async ({
	page
}) => {
	await page.goto('/quiz/dot-product');
	const question = await answerCorrectly(page);
	const seedText = await page.getByText(/Numbers drawn with seed/).textContent();
	await rateWithKey(page, 3, question.id);
	await page.keyboard.press('u');
	await expect(page.locator(`article.question[data-question-id="${question.id}"]`)).toBeVisible();
	await expect(page.getByText(/Numbers drawn with seed/)).toHaveText(seedText!);
	const stored = await readProgress(page);
	expect(stored.reviews.filter((r) => r.undoes !== null)).toHaveLength(1);
	expect(stored.cards.find((c) => c.cardId === question.id)).toBeUndefined();
});

test('history and due dates survive a reload, and a closed page keeps every submitted answer', async ({
	page,
	context
}) => {
	await page.goto('/quiz/normalisation');
	const answered: string[] = [];
	for (let i = 0; i < 3; i++) {
		const q = await answerCorrectly(page);
		answered.push(q.id);
		await rateWithKey(page, 4, q.id);
	}
	const before = await readProgress(page);
	await page.close(); // mid-session

	const again = await context.newPage();
	await again.goto('/');
	const after = await readProgress(again);
	expect(after.reviews.map((r) => r.cardId).sort()).toEqual([...answered].sort());
	expect(after.cards.map((c) => [c.cardId, c.due]).sort()).toEqual(
		before.cards.map((c) => [c.cardId, c.due]).sort()
	);
});

test('two tabs answering at once lose nothing', async ({ context }) => {
	const [a, b] = [await context.newPage(), await context.newPage()];
	await a.goto('/quiz/attention-idea');
	await b.goto('/quiz/attention-idea');
	const qa = await answerCorrectly(a);
	const qb = await answerCorrectly(b);
	expect(qa.id).toBe(qb.id); // the same card, from two tabs
	await Promise.all([a.keyboard.press('3'), b.keyboard.press('4')]);
	await expect
		.poll(async () => (await readProgress(a)).reviews.length, { timeout: 10_000 })
		.toBe(2);
	const stored = await readProgress(b);
	expect(stored.cards.find((c) => c.cardId === qa.id)?.answers).toBe(2);
});

test('a write that fails (storage full) is shown, and nothing half-written remains', async ({
	page
}) => {
	await page.goto('/quiz/attention-idea');
	const first = await answerCorrectly(page);
	await rateWithKey(page, 3, first.id);
	const second = await answerCorrectly(page);

	// the browser refuses the card-cache write of the next answer, as when storage is full
	await page.evaluate(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
			if (this.name === 'cards') throw new DOMException('Storage is full', 'QuotaExceededError');
			return put.apply(this, args);
		};
	});
	await page.keyboard.press('3');
	await expect(page.getByRole('alert').filter({ hasText: 'Storage is full' })).toBeVisible();
	// the card stays, so the learner can retry; only the first answer is stored, log and cache alike
	await expect(
		page.locator(`article.question[data-question-id="${second.id}"] .ratings`)
	).toBeVisible();
	const stored = await readProgress(page);
	expect(stored.reviews.map((r) => r.cardId)).toEqual([first.id]);
	expect(stored.cards.map((c) => c.cardId)).toEqual([first.id]);
});
