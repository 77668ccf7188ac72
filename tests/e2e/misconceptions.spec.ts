import { expect, test, type Page } from '@playwright/test';
import { checkPage } from './fixtures';
import {
	answerCorrectly,
	misconceptionAnswer,
	questionOnPage,
	rateWithKey,
	readProgress
} from './study-helpers';
import { isEngineQuestion } from '../../src/lib/content/types';

/**
 * Works through a deck's quiz until a question on which misconception `id` can be told apart comes
 * up, answering the others right, then types that misconception's answer. Returns the question id.
 */
async function makeMistake(page: Page, deck: string, id: string): Promise<string> {
	await page.goto(`/quiz/${deck}`);
	for (let i = 0; i < 8; i++) {
		const question = await questionOnPage(page);
		const card = page.locator(`article.question[data-question-id="${question.id}"]`);
		if (isEngineQuestion(question)) {
			await expect(card.getByLabel('Your answer')).toBeVisible();
			const typed = await misconceptionAnswer(page, question, id);
			if (typed !== null) {
				const box = card.getByLabel('Your answer');
				await box.fill(typed);
				await box.press(question.kind === 'matrix' ? 'Control+Enter' : 'Enter');
				return question.id;
			}
		}
		await answerCorrectly(page);
		await rateWithKey(page, 3, question.id);
	}
	throw new Error(`no question of ${deck} showed ${id} in 8 tries`);
}

const CASES = [
	{ deck: 'scaled-attention', id: 'no-scaling', title: 'Forgot to scale by √d_k' },
	{ deck: 'causal-mask', id: 'mask-with-zero', title: 'Masked with 0 instead of −∞' },
	{ deck: 'normalisation', id: 'softmax-wrong-axis', title: 'Softmax over the wrong axis' }
] as const;

test('a forgot-scaling, a mask-with-0 and a wrong-axis answer are named, their step is highlighted, and /progress lists them', async ({
	page
}) => {
	test.setTimeout(180_000);
	for (const [n, { deck, id, title }] of CASES.entries()) {
		const questionId = await makeMistake(page, deck, id);
		const card = page.locator(`article.question[data-question-id="${questionId}"]`);
		const diagnosis = card.locator(`.diagnosis[data-misconception="${id}"]`);
		await expect(diagnosis).toBeVisible();
		await expect(diagnosis).toContainText(title);
		await expect(diagnosis.getByRole('link', { name: /^Lesson \d+:/ })).toBeVisible();
		// the worked solution opens on the learner's path beside the right one, the parting step first
		const paths = card.locator('.paths');
		await expect(
			paths.getByRole('heading', { name: 'Your path beside the right one' })
		).toBeVisible();
		await expect(paths).toBeVisible();
		await expect(paths.locator('ol > li').first()).toContainText('The paths part here');
		if (n === 0) await checkPage(page, 'quiz-diagnosis');
		await rateWithKey(page, 1, questionId);
		const stored = await readProgress(page);
		expect(stored.reviews.filter((r) => r.misconception === id)).toHaveLength(1);
	}

	await page.reload();
	await page.goto('/progress');
	const list = page.locator('section', {
		has: page.getByRole('heading', { name: 'Your most frequent mistakes' })
	});
	for (const { id, title } of CASES) {
		const item = list.locator(`li[data-misconception="${id}"]`);
		await expect(item).toContainText(title);
		await expect(item).toContainText('1 time');
		await expect(item.getByRole('link', { name: 'practise its questions' })).toBeVisible();
	}
	await checkPage(page, 'progress-misconceptions');

	// no break: the review starts at once, without targeted practice
	await page.goto('/review');
	await expect(page.locator('article.question').first()).toBeVisible();
	await expect(page.getByRole('heading', { name: /practise your frequent mistakes/ })).toHaveCount(
		0
	);
});

const DAY = 86_400_000;

test('after a break, the review opens on targeted practice of the frequent mistakes, which can be skipped', async ({
	page
}) => {
	test.setTimeout(120_000);
	const start = new Date('2026-06-01T10:00:00Z').getTime();
	await page.clock.setFixedTime(start);
	const questionId = await makeMistake(page, 'scaled-attention', 'no-scaling');
	await rateWithKey(page, 1, questionId);

	await page.clock.setFixedTime(start + 5 * DAY);
	await page.goto('/review');
	const panel = page.getByRole('region', { name: /practise your frequent mistakes/ });
	await expect(panel).toBeVisible();
	await expect(panel).toContainText('It has been 5 days');
	const item = panel.locator('li[data-misconception="no-scaling"]');
	await expect(item).toContainText('Forgot to scale by √d_k');
	await expect(item.getByRole('link', { name: /^Lesson 6:/ })).toBeVisible();
	const card = item.locator(`article.question[data-question-id="${questionId}"]`);
	await expect(card.getByLabel('Your answer')).toBeVisible();
	await checkPage(page, 'review-targeted');

	await panel.getByRole('button', { name: 'Skip to the review' }).click();
	await expect(panel).toHaveCount(0);
	// the review itself: the card answered wrong is due again
	await expect(page.locator(`article.question[data-question-id="${questionId}"]`)).toBeVisible();
});
