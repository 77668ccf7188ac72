import { readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { checkPage } from './fixtures';
import { course, engineAnswer } from './study-helpers';
import type { EngineQuestion } from '../../src/lib/content/types';

// every test opens its own page: the lessons spread over both workers (the file took 10 min alone)
test.describe.configure({ mode: 'parallel' });

test('the lessons index lists every deck in order', async ({ page }) => {
	const decks = (await course()).decks;
	await page.goto('/learn');
	const titles = await page.locator('ol.decks h2').allTextContents();
	expect(titles.map((t) => t.trim())).toEqual(decks.map((d) => d.title));
	await checkPage(page, 'learn-index');
});

/** Deck ids from the file names (`NN-id.md`), known before the tests run: one test per lesson. */
const deckIds = readdirSync('content/en')
	.filter((name) => /^\d+-.+\.md$/.test(name))
	.map((name) => name.replace(/^\d+-/, '').replace(/\.md$/, ''));

for (const deckId of deckIds) {
	test(`the lesson ${deckId} renders, with its questions, and passes axe at phone and desktop width`, async ({
		page
	}) => {
		// lessons 2–10 open every computation on a worked example: much math for axe to read
		test.setTimeout(180_000);
		const deck = (await course()).decks.find((d) => d.id === deckId);
		if (!deck) throw new Error(`no deck ${deckId} in content/en`);
		await page.goto(`/learn/${deck.id}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(deck.title);
		await expect(page.locator('article.question')).toHaveCount(deck.questions.length);
		// engine questions have drawn their numbers
		await expect(page.getByText('Drawing fresh numbers')).toHaveCount(0, { timeout: 20_000 });
		await checkPage(page, `learn-${deck.id}`);
	});
}

test('figures are computed by the engine: the context vector of "journey" and the causal weights', async ({
	page
}) => {
	await page.goto('/learn/context-vectors');
	const sum = page.getByRole('table', { name: /Context vector of “journey”/ });
	// the book's printed context vector z(2) = [0.4419, 0.6515, 0.5683]
	await expect(sum.getByRole('row').last()).toContainText('0.4419');
	await expect(sum.getByRole('row').last()).toContainText('0.6515');
	await expect(sum.getByRole('row').last()).toContainText('0.5683');
	await page.getByLabel('Query token').selectOption({ label: 'Your (x⁽1⁾)' });
	await expect(page.getByRole('table', { name: /Context vector of “Your”/ })).toBeVisible();

	await page.goto('/learn/causal-mask');
	const weights = page.getByRole('table', { name: /causal mask/ });
	// row "Your" sees only itself: weight 1.00, the rest 0.00
	const firstRow = weights.getByRole('row').nth(1);
	await expect(firstRow.getByRole('cell')).toHaveText([
		'1.00',
		'0.00',
		'0.00',
		'0.00',
		'0.00',
		'0.00'
	]);
});

test('a lesson computation is worked, then faded, then solved inline, and can be retried with new numbers', async ({
	page
}) => {
	await page.goto('/learn/dot-product');
	const deck = (await course()).deckById.get('dot-product')!;
	const question = deck.questions.find((q) => q.kind === 'vector') as EngineQuestion;
	const card = page.locator(`article.question[data-question-id="${question.id}"]`);
	const seedOf = async () =>
		Number(
			/seed (-?\d+)/.exec(
				(await card.getByText(/Numbers drawn with seed/).textContent()) ?? ''
			)?.[1]
		);

	// 1. worked: every step and the answer, nothing to type
	await expect(card.getByRole('heading', { name: /^Worked example/ })).toBeVisible();
	await expect(card.getByRole('heading', { name: 'Worked out, step by step' })).toBeVisible();
	await expect(card.getByLabel('Your answer')).toHaveCount(0);
	await card.getByRole('button', { name: 'Your turn: finish one' }).click();

	// 2. faded: the first steps shown, the last one is the learner's
	await expect(card.getByRole('heading', { name: /^Finish the worked example/ })).toBeVisible();
	await expect(card.getByText(/Worked so far/)).toBeVisible();
	let box = card.getByLabel('Your answer');
	await box.fill(await engineAnswer(page, question, await seedOf()));
	await box.press('Enter');
	await expect(card.getByText('Correct.', { exact: true })).toBeVisible();
	await checkPage(page, 'lesson-faded');
	await card.getByRole('button', { name: 'Now the whole problem' }).click();

	// 3. solved: the whole problem
	await expect(card.getByRole('heading', { name: 'Compute a vector' })).toBeVisible();
	await expect(card.getByText(/Worked so far/)).toHaveCount(0);
	box = card.getByLabel('Your answer');
	await box.fill(await engineAnswer(page, question, await seedOf()));
	await box.press('Enter');
	await expect(card.getByText('Correct.', { exact: true })).toBeVisible();
	await card.getByRole('button', { name: 'Try again with new numbers' }).click();
	await expect(card.getByLabel('Your answer')).toHaveValue('');
});
