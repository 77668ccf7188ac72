/**
 * Issue 15, the Chinese edition: every page exists under /zh with <html lang="zh-CN"> and Chinese
 * navigation, passes axe and fits 375 and 1280 px (screenshots in tests/e2e/screenshots/zh-*); the
 * language switch keeps the page and is remembered; a Chinese browser's first visit opens /zh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { EngineQuestion, Question } from '../../src/lib/content/types';
import { loadDecks } from '../../src/lib/content/load';
import { checkPage, screenshotBothWidths } from './fixtures';
import { engineAnswer, questionOnPage, readProgress } from './study-helpers';

const PAGES = [
	['', 'today'],
	['/learn', 'learn'],
	['/learn/attention-idea', 'lesson'],
	['/quiz/attention-idea', 'quiz'],
	['/review', 'review'],
	['/playground', 'playground'],
	['/experiment/peek', 'experiment'],
	['/progress', 'progress'],
	['/settings', 'settings']
] as const;

for (const [path, name] of PAGES) {
	test(`/zh${path} is in Chinese, passes axe and fits 375 and 1280 px`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.goto(`/zh${path}`);
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		const nav = page.getByRole('navigation', { name: '主导航' });
		await expect(nav.getByRole('link', { name: '学习' })).toHaveAttribute('href', '/zh/learn');
		await expect(page.getByRole('link', { name: '跳到正文' })).toBeAttached();
		await page.waitForLoadState('networkidle');
		await checkPage(page, `zh-${name}`);
	});
}

test('the lesson is the Chinese twin of the English one, with links that stay in Chinese', async ({
	page
}) => {
	await page.goto('/zh/learn/dot-product');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('点积');
	const playground = page.locator('a[href^="/zh/playground?"]').first();
	await expect(playground).toBeAttached();
	await expect(page.locator('main a[href^="/playground"]')).toHaveCount(0);
});

test('the language switch opens the same page in the other language and is remembered', async ({
	page
}) => {
	await page.goto('/learn');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.waitForLoadState('networkidle');
	await page.getByRole('link', { name: '中文' }).click();
	await expect(page).toHaveURL(/\/zh\/learn$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	// remembered: the English entry page now opens in Chinese
	await page.goto('/');
	await expect(page).toHaveURL(/\/zh\/?$/);
	await page.waitForLoadState('networkidle'); // the switch remembers the choice once the page runs
	await page.getByRole('link', { name: 'English' }).click();
	await expect(page).toHaveURL(/:\d+\/$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.goto('/settings');
	await expect(page).toHaveURL(/\/settings$/);
});

test.describe('a browser that prefers Chinese', () => {
	test.use({ locale: 'zh-CN' });

	test('opens the Chinese edition on a first visit, and keeps an English choice', async ({
		page
	}) => {
		await page.goto('/learn');
		await expect(page).toHaveURL(/\/zh\/learn$/);
		await page.waitForLoadState('networkidle');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/learn$/);
		await page.goto('/review');
		await expect(page).toHaveURL(/\/review$/);
	});
});

/** A UI string as the Chinese edition shows it (messages/<area>/zh.json), with its placeholders filled. */
function zh(area: string, key: string, params: Record<string, string | number> = {}): string {
	const messages = JSON.parse(readFileSync(`messages/${area}/zh.json`, 'utf8')) as Record<
		string,
		string
	>;
	return messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}

test('the study loop in Chinese: an engine-checked answer wrong then right, review, undo, and the same progress in English', async ({
	page
}) => {
	test.setTimeout(120_000);
	await page.goto('/zh/quiz/dot-product');
	const question = await questionOnPage(page);
	expect(['number', 'vector', 'matrix']).toContain(question.kind);
	const card = page.locator('article.question').first();
	const box = card.getByLabel(zh('study', 'study_your_answer'));
	const seedText = await card.getByText(/数字由随机种子 -?\d+ 生成/).textContent();
	const seed = Number(/(-?\d+)/.exec(seedText ?? '')?.[1]);

	// unparsable: explained in Chinese
	await box.fill('零点四');
	await box.press('Enter');
	await expect(card.getByText(/无法把“零点四”识别为数字/)).toBeVisible();

	// wrong: every value off by one
	const right = await engineAnswer(page, question as EngineQuestion, seed);
	await box.fill(right.replace(/-?\d+\.\d+/g, (v) => (Number(v) + 1).toFixed(4)));
	await box.press(question.kind === 'matrix' ? 'Control+Enter' : 'Enter');
	await expect(card.getByText(/^还不对/)).toBeVisible();
	await expect(
		card.getByRole('button', { name: new RegExp(zh('study', 'study_rating_again')) })
	).toBeVisible();
	await page.keyboard.press('1');
	await expect.poll(async () => (await readProgress(page)).reviews.length).toBe(1);

	// the next card answered right, rated Good, then undone
	const second = await answerInChinese(page);
	await page.keyboard.press('3');
	await expect.poll(async () => (await readProgress(page)).reviews.length).toBe(2);
	await page.getByRole('button', { name: new RegExp(zh('study', 'study_undo')) }).click();
	await expect(page.locator(`article.question[data-question-id="${second.id}"]`)).toBeVisible();
	const stored = await readProgress(page);
	expect(stored.reviews.filter((r) => r.undoes !== null)).toHaveLength(1);
	expect(stored.reviews[0]).toMatchObject({ cardId: question.id, rating: 1, correct: false });

	// switching language keeps the history and the due card: the English review sees it
	await page.goto('/progress');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	expect((await readProgress(page)).reviews).toHaveLength(3);
	// the review queue is the same in both languages (a card due, or none yet)
	const firstDue = async (path: string): Promise<string> => {
		await page.goto(path);
		const cardOrDone = page.locator('article.question, .summary, .empty, [role="status"]').first();
		await expect(cardOrDone).toBeVisible();
		await page.waitForLoadState('networkidle');
		return (
			(await page
				.locator('article.question')
				.first()
				.getAttribute('data-question-id')
				.catch(() => null)) ?? 'none'
		);
	};
	expect(await firstDue('/zh/review')).toBe(await firstDue('/review'));
});

/** Answers the first card on a Chinese page correctly (its answer from content/en: same ids and specs). */
async function answerInChinese(page: Page): Promise<Question> {
	const question = await questionOnPage(page);
	const card = page.locator('article.question').first();
	if (question.kind === 'number' || question.kind === 'vector' || question.kind === 'matrix') {
		const box = card.getByLabel(zh('study', 'study_your_answer'));
		const seedText = await card.getByText(/数字由随机种子 -?\d+ 生成/).textContent();
		await box.fill(await engineAnswer(page, question, Number(/(-?\d+)/.exec(seedText ?? '')?.[1])));
		await box.press(question.kind === 'matrix' ? 'Control+Enter' : 'Enter');
	} else if (question.kind === 'multiple-choice') {
		for (const [i, option] of question.options.entries()) {
			if (option.correct) await card.locator(`label.option[data-option="${i}"]`).click();
		}
		await card.getByRole('button', { name: zh('study', 'study_check') }).click();
	} else if (question.kind === 'cloze') {
		for (const [i, blank] of question.blanks.entries()) {
			await card.getByLabel(zh('study', 'study_blank', { n: i + 1 })).fill(blank.answers[0]);
		}
		await card.getByLabel(zh('study', 'study_blank', { n: question.blanks.length })).press('Enter');
	} else {
		await page.locator('h1').click();
		await page.keyboard.press('Space');
	}
	await expect(card.locator('.ratings')).toBeVisible();
	return question;
}

test('the Chinese root reached as /zh/ (the localised "/") loads its scripts and runs', async ({
	page
}) => {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(error.message));
	await page.goto('/zh/');
	await page.waitForLoadState('networkidle');
	await page.getByRole('button', { name: /主题/ }).click();
	await expect(page.getByRole('button', { name: /主题/ })).toHaveAttribute(
		'aria-label',
		/浅色|深色|跟随系统/
	);
	expect(errors).toEqual([]);
});

test('/zh/experiment/peek runs a short experiment and explains it in Chinese', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto('/zh/experiment/peek');
	const run = page.getByRole('button', { name: zh('experiment', 'experiment_run'), exact: true });
	await expect(run).toBeEnabled();
	await page.waitForLoadState('networkidle');
	await page.getByLabel(zh('experiment', 'experiment_steps'), { exact: true }).fill('40');
	await run.click();
	await expect(page.locator('.progress-text')).toHaveText(/^完成：40 步/, { timeout: 100_000 });
	// the explanation, in Chinese, quotes this run's numbers
	const explanation = page.locator('main').getByText(/训练损失最终为 \d/);
	await expect(explanation).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

/** Deck ids from the file names (`NN-id.md`), known before the tests run. */
const deckIds = readdirSync('content/zh')
	.filter((name) => /^\d+-.+\.md$/.test(name))
	.map((name) => name.replace(/^\d+-/, '').replace(/\.md$/, ''));

for (const deckId of deckIds) {
	test(`the Chinese lesson ${deckId} shows its twin's questions and fits 375 and 1280 px`, async ({
		page
	}) => {
		test.setTimeout(90_000);
		const deck = (await loadDecks('content/zh')).deckById.get(deckId)!;
		await page.goto(`/zh/learn/${deckId}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(deck.title);
		await expect(page.locator('article.question')).toHaveCount(deck.questions.length);
		// axe runs on a Chinese lesson above and on every English one (same markup); here the layout
		await screenshotBothWidths(page, `zh-learn-${deckId}`);
	});
}
