import { expect, test } from '@playwright/test';
import { checkPage } from './fixtures';
import { answerCorrectly, questionOnPage, rateWithKey, readProgress } from './study-helpers';

const MIN = 60_000;
const START = new Date('2026-03-02T10:00:00Z').getTime();

test('card details: an answer shows in its history, Suspend takes the card out of the queue, /progress lists it', async ({
	page
}) => {
	test.setTimeout(180_000);
	await page.clock.setFixedTime(START);
	await page.goto('/quiz/dot-product');
	const question = await answerCorrectly(page);
	const typed =
		question.kind === 'flashcard' ? '' : await page.getByLabel('Your answer').inputValue();
	await rateWithKey(page, 1, question.id); // Again: a learning step due in a minute

	// two minutes later the card is a learning card: first in the review queue
	await page.clock.setFixedTime(START + 2 * MIN);
	await page.goto('/review');
	expect((await questionOnPage(page)).id).toBe(question.id);

	// open Card details by keyboard; the answer is in its history
	const opener = page.getByRole('button', { name: 'Card details' });
	await opener.focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: 'Card details' });
	await expect(dialog).toBeVisible();
	const history = dialog.getByRole('table', { name: /Every log row/ });
	await expect(history.getByRole('row')).toHaveCount(2);
	await expect(history.getByRole('cell', { name: 'Again', exact: true })).toBeVisible();
	if (typed) await expect(history.locator('.typed')).toHaveText(typed.trim());
	await expect(dialog.getByText('Recall chance now')).toBeVisible();
	await checkPage(page, 'card-details');

	// keys behind the dialog do nothing: 1 does not rate the card on screen
	await page.keyboard.press('1');
	expect((await readProgress(page)).reviews).toHaveLength(1);

	await dialog.getByRole('button', { name: 'Suspend' }).click();
	await expect(dialog.getByTestId('card-status')).toContainText('Suspended');
	await expect(history.getByRole('row')).toHaveCount(3);
	await expect(history.getByRole('cell', { name: 'Suspended', exact: true })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(opener).toBeFocused();
	// the session moved on, and a fresh queue leaves the card out (learning cards come first)
	await expect(page.locator(`article.question[data-question-id="${question.id}"]`)).toHaveCount(0);
	const stored = await readProgress(page);
	expect(stored.reviews.map((r) => r.rating)).toEqual([1, 0]);
	expect(stored.cards.find((c) => c.cardId === question.id)).toMatchObject({ suspended: true });
	await page.reload();
	expect((await questionOnPage(page)).id).not.toBe(question.id);

	// /progress lists the card; Details opens the same dialog
	await page.goto('/progress');
	const section = page.getByRole('table', { name: 'Studied cards' });
	const row = section.locator(`tr[data-card-id="${question.id}"]`);
	await expect(row).toContainText('Suspended');
	await row.getByRole('button', { name: /^Details of/ }).focus();
	await page.keyboard.press('Enter');
	await expect(dialog).toBeVisible();
	await expect(history.getByRole('row')).toHaveCount(3);
	await checkPage(page, 'progress-card-details');
	await dialog.getByRole('button', { name: 'Unsuspend' }).click();
	await expect(dialog.getByTestId('card-status')).toContainText('In the queue');
	await page.keyboard.press('Escape');
	await expect(row).not.toContainText('Suspended');
	await checkPage(page, 'progress-cards');

	// Reset: the card is new again and leaves the list; focus does not fall back to the page
	await row.getByRole('button', { name: /^Details of/ }).focus();
	await page.keyboard.press('Enter');
	await dialog.getByRole('button', { name: 'Reset' }).click();
	await dialog.getByRole('button', { name: 'Reset the card' }).click();
	await expect(history.getByRole('row')).toHaveCount(5);
	await page.keyboard.press('Escape');
	await expect(row).toHaveCount(0);
	await expect(page.getByText('No studied cards yet.')).toBeFocused();
	expect((await readProgress(page)).reviews.map((r) => r.rating)).toEqual([1, 0, 0, 0]);
});
