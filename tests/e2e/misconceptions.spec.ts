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
		const paths = card.getByRole('region', { name: 'Your path and the right path' });
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
});
