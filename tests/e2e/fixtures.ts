import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SCREENSHOT_DIR = 'tests/e2e/screenshots';
const WIDTHS = { phone: 375, desktop: 1280 } as const;

/**
 * Rules whose result depends on the window's width: what scrolls sideways and how big targets are.
 * The DOM, names and colours are the same at every width.
 */
const LAYOUT_RULES = ['scrollable-region-focusable', 'target-size', 'meta-viewport'];

/**
 * Zero axe violations (WCAG 2.1 A/AA and best practice) on the page as it is now; `layoutOnly` runs
 * only the width-dependent rules. KaTeX's visual copy of each formula (`.katex-html`, aria-hidden:
 * assistive technology reads its MathML, which is checked) is left out: on a lesson it is thousands
 * of glyph boxes, and a quarter of axe's time.
 */
export async function expectAccessible(page: Page, layoutOnly = false): Promise<void> {
	const builder = new AxeBuilder({ page }).exclude('.katex-html');
	const results = await (
		layoutOnly
			? builder.withRules(LAYOUT_RULES)
			: builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
	).analyze();
	const summary = results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, 'axe violations').toEqual([]);
}

/**
 * Screenshots at phone and desktop width (for a person to look at), and no horizontal overflow at
 * either width: the layout must fit a 375 px screen.
 */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	for (const [label, width] of Object.entries(WIDTHS)) {
		await page.setViewportSize({ width, height: 900 });
		await page.waitForTimeout(50);
		await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${label}.png`, fullPage: true });
		const wide = await page.evaluate(() => {
			const limit = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth <= limit) return [];
			return [...document.querySelectorAll('body *')]
				.filter((el) => el.getBoundingClientRect().right > limit + 1)
				.slice(0, 5)
				.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
		});
		expect(wide, `${name} overflows horizontally at ${width}px`).toEqual([]);
	}
}

/** Screenshots and no overflow at 375 and 1280 px; every axe rule at 1280, the width-dependent ones at 375. */
export async function checkPage(page: Page, name: string): Promise<void> {
	await screenshotBothWidths(page, name);
	await page.setViewportSize({ width: 1280, height: 900 });
	await expectAccessible(page);
	await page.setViewportSize({ width: 375, height: 900 });
	await expectAccessible(page, true);
}
