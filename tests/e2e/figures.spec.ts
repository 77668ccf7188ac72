/**
 * Lesson figures: every kind is computed by the engine in the browser (the book's printed numbers
 * appear), is operable by keyboard where it is interactive, passes axe and fits a phone.
 * Screenshots of each figure at 375 and 1280 px go to test-results/figures/.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { checkPage } from './fixtures';

const reference = JSON.parse(readFileSync('tests/fixtures/ch03-reference.json', 'utf8')) as {
	quantities: { name: string; values: unknown }[];
};
/** A value of the book's reference at index `at`, with `decimals` (4, as PyTorch prints it). */
function book(name: string, at: number[], decimals = 4): string {
	let v = reference.quantities.find((q) => q.name === name)?.values;
	for (const i of at) v = (v as unknown[])[i];
	return (v as number).toFixed(decimals);
}

const SHOTS = 'test-results/figures';

async function figuresComputed(page: Page): Promise<void> {
	await expect(page.locator('figure[data-figure]').first()).toBeVisible();
	await expect(page.getByText('Computing with the attention engine…')).toHaveCount(0, {
		timeout: 20_000
	});
	await expect(page.getByText('The figure could not be computed')).toHaveCount(0);
}

async function screenshotFigures(page: Page, name: string): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const width of [375, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		const figures = page.locator('figure[data-figure]');
		for (let i = 0; i < (await figures.count()); i++) {
			const figure = figures.nth(i);
			const kind = await figure.getAttribute('data-figure');
			await figure.scrollIntoViewIfNeeded();
			await figure.screenshot({ path: `${SHOTS}/${name}-${i + 1}-${kind}-${width}.png` });
		}
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('the code of the chapter: every figure kind computed by the engine, accessible, at both widths', async ({
	page
}) => {
	test.setTimeout(240_000);
	await page.goto('/learn/code-of-the-chapter');
	await figuresComputed(page);
	const kinds = await page
		.locator('figure[data-figure]')
		.evaluateAll((els) => els.map((el) => el.getAttribute('data-figure')));
	expect(new Set(kinds)).toEqual(
		new Set([
			'projection',
			'head-split',
			'shift',
			'attention-weights',
			'dot-product',
			'softmax-scale',
			'dropout-mask'
		])
	);
	// every figure is named by its caption
	for (const figure of await page.locator('figure[data-figure]').all()) {
		await expect(figure.locator('figcaption')).not.toBeEmpty();
	}

	// x -> q, k, v: the book's query, key and value of "journey" (§3.4.1)
	const projection = page.locator('figure[data-figure="projection"]');
	await expect(projection.getByRole('table', { name: /^query of “journey”/ })).toContainText(
		book('qkv.query_2', [0])
	);
	await expect(projection.getByRole('table', { name: /^key of “journey”/ })).toContainText(
		book('qkv.key_2', [1])
	);

	// the book's §3.5.1 causal weights, row "journey"
	const heatmap = page.locator('figure[data-figure="attention-weights"]');
	const journey = heatmap.getByRole('row').nth(2);
	await expect(journey).toContainText(book('causal.attn_weights', [1, 0]));
	await expect(journey).toContainText(book('causal.attn_weights', [1, 1]));

	// the head split: shapes read from the engine
	const split = page.locator('figure[data-figure="head-split"]');
	for (const shape of ['(1, 6, 4)', '(1, 6, 2, 2)', '(1, 2, 6, 2)'])
		await expect(split.getByText(shape, { exact: true })).toBeVisible();

	// dropout on the book's weights: the book's §3.5.2 printout, row "starts"
	const dropout = page.locator('figure[data-figure="dropout-mask"]');
	const after = dropout.getByRole('table', { name: /^After dropout/ });
	await expect(after.getByRole('row').nth(3)).toContainText(
		book('dropout123.attn_weights', [2, 0])
	);

	// the dot product: pick another key with the keyboard-operable menu
	const dot = page.locator('figure[data-figure="dot-product"]');
	await dot.getByLabel('Vector b').selectOption({ label: 'starts (x⁽3⁾)' });
	await expect(
		dot
			.getByRole('table', { name: /dimension by dimension/ })
			.getByRole('row')
			.last()
	).toContainText(book('simple.attn_scores_2', [2]));
	await expect(dot.getByRole('img')).toHaveAccessibleName(/angle of \d+\.\d degrees/);

	// the softmax slider, by keyboard: 1 -> 2 -> 4 -> 8 saturates
	const scale = page.locator('figure[data-figure="softmax-scale"]');
	const slider = scale.getByLabel('Multiply the scores by');
	await slider.focus();
	for (let i = 0; i < 3; i++) await slider.press('ArrowRight');
	await expect(scale.locator('output')).toHaveText('× 8');
	await expect(scale.getByText(/saturated/)).toBeVisible();

	// the shift: the mask blocks the leak
	const shift = page.locator('figure[data-figure="shift"]');
	await expect(shift.getByRole('img')).toHaveAccessibleName(/without the causal mask/);
	await shift.getByLabel('Apply the causal mask').check();
	await expect(shift.getByRole('img')).toHaveAccessibleName(/with the causal mask.*weight 0\.00/);

	await screenshotFigures(page, 'code-of-the-chapter');
	await checkPage(page, 'figures-code-of-the-chapter');
});

test('spot the bug: the book and the buggy code side by side, computed by the engine', async ({
	page
}) => {
	test.setTimeout(240_000);
	await page.goto('/learn/spot-the-bug');
	await figuresComputed(page);
	const compares = page.locator('figure[data-figure="bug-compare"]');
	await expect(compares).toHaveCount(9);
	for (const figure of await compares.all()) {
		await figure.getByText(/^Both full/).click();
		await expect(figure.getByRole('table', { name: /^Book’s code/ })).toBeVisible();
		await expect(figure.getByRole('table', { name: /^Buggy code/ })).toBeVisible();
	}
	// triu(diagonal=0): the first row is nan in the buggy code, 1 then 0s in the book's; side by side
	const triuSide = compares.filter({ hasText: 'diagonal=0' });
	await triuSide.getByLabel('Query').selectOption({ label: 'Your' });
	const side = triuSide.getByRole('table', { name: /^Side by side, the row of “Your”/ });
	await expect(side.getByRole('row').nth(1)).toContainText('1.0000');
	await expect(side.getByRole('row').nth(1)).toContainText('nan');
	const triu = compares.filter({ hasText: 'diagonal=0' });
	await expect(
		triu
			.getByRole('table', { name: /^Buggy code/ })
			.getByRole('row')
			.nth(1)
	).toContainText('NaN');
	await expect(
		triu
			.getByRole('table', { name: /^Book’s code/ })
			.getByRole('row')
			.nth(1)
	).toContainText('1.00');
	// zeroing after the softmax: the buggy side is the book's masked_simple (§3.5.1)
	const zeroed = compares.filter({ hasText: 'torch.tril' });
	await expect(
		zeroed
			.getByRole('table', { name: /^Buggy code/ })
			.getByRole('row')
			.nth(2)
	).toContainText(book('causal.masked_simple', [1, 0], 2));
	await screenshotFigures(page, 'spot-the-bug');
	await checkPage(page, 'figures-spot-the-bug');
});
