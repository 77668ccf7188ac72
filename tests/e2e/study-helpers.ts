import { expect, type Page } from '@playwright/test';
import { loadDecks } from '../../src/lib/content/load';
import type { DeckIndex, EngineQuestion, Question } from '../../src/lib/content/types';
import { computeExpectedSync } from '../../src/lib/quiz/compute';
import { initEngine } from '../../src/lib/engine/index';

let index: DeckIndex | undefined;

/** The decks, read in Node from content/en (independently of the built site). */
export async function course(): Promise<DeckIndex> {
	index ??= await loadDecks('content/en');
	return index;
}

export async function questionOnPage(page: Page): Promise<Question> {
	const card = page.locator('article.question').first();
	await expect(card).toBeVisible();
	const id = await card.getAttribute('data-question-id');
	const question = (await course()).questionById.get(id ?? '');
	if (!question) throw new Error(`question ${id} is not in content/en`);
	return question;
}

/** The attempt's seed as the page shows it. */
export async function seedOnPage(page: Page): Promise<number> {
	const text = await page.getByText(/Numbers drawn with seed -?\d+/).textContent();
	return Number(/seed (-?\d+)/.exec(text ?? '')?.[1]);
}

/** The engine's answer computed in Node for the seed the page shows, as a learner would type it. */
export async function engineAnswer(
	page: Page,
	question: EngineQuestion,
	seed?: number
): Promise<string> {
	await initEngine('cpu');
	const computed = computeExpectedSync(question, seed ?? (await seedOnPage(page)));
	const fmt = (v: number) => v.toFixed(computed.decimals + 2);
	const value = computed.expected;
	if (typeof value === 'number') return fmt(value);
	if (Array.isArray(value[0]))
		return (value as number[][]).map((r) => r.map(fmt).join(', ')).join('\n');
	return `[${(value as number[]).map(fmt).join(', ')}]`;
}

/**
 * What a learner with misconception `id` types for the attempt on the page (computed in Node by the
 * engine for the page's seed), or null when that misconception cannot be told apart on this attempt.
 */
export async function misconceptionAnswer(
	page: Page,
	question: EngineQuestion,
	id: string
): Promise<string | null> {
	await initEngine('cpu');
	const computed = computeExpectedSync(question, await seedOnPage(page));
	const wrong = computed.misconceptions.find((m) => m.id === id);
	if (!wrong) return null;
	const fmt = (v: number) => v.toFixed(computed.decimals);
	const value = wrong.expected;
	if (typeof value === 'number') return fmt(value);
	if (Array.isArray(value[0]))
		return (value as number[][]).map((r) => r.map(fmt).join(', ')).join('\n');
	return (value as number[]).map(fmt).join(', ');
}

/** Answers the question on the page correctly, with the keyboard where the app offers it. */
export async function answerCorrectly(page: Page): Promise<Question> {
	const question = await questionOnPage(page);
	const card = page.locator('article.question').first();
	switch (question.kind) {
		case 'flashcard':
			await page.locator('h1').click(); // focus outside any control, then Space reveals
			await page.keyboard.press('Space');
			break;
		case 'multiple-choice':
			// options are shuffled per attempt: pick them by their deck index, not their position
			for (const [i, option] of question.options.entries()) {
				if (option.correct) await card.locator(`label.option[data-option="${i}"]`).click();
			}
			await card.getByRole('button', { name: 'Check' }).click();
			break;
		case 'cloze':
			for (const [i, blank] of question.blanks.entries()) {
				await card.getByLabel(`Blank ${i + 1}`).fill(blank.answers[0]);
			}
			await card.getByLabel(`Blank ${question.blanks.length}`).press('Enter');
			break;
		default: {
			const box = card.getByLabel('Your answer');
			await box.fill(await engineAnswer(page, question));
			await box.press(question.kind === 'matrix' ? 'Control+Enter' : 'Enter');
		}
	}
	if (question.kind !== 'flashcard')
		await expect(card.getByText('Correct.', { exact: true })).toBeVisible();
	else await expect(card.getByLabel('Answer')).toBeVisible();
	return question;
}

/** Rates with the number key and waits until the next card (or the summary) is shown. */
export async function rateWithKey(page: Page, rating: 1 | 2 | 3 | 4, previousId: string) {
	await expect(page.locator('.ratings')).toBeVisible();
	await page.keyboard.press(String(rating));
	await expect(
		page.locator(`article.question[data-question-id="${previousId}"] .ratings`)
	).toHaveCount(0);
}

export interface StoredProgress {
	reviews: {
		id: string;
		cardId: string;
		rating: number;
		correct: boolean | null;
		seed: number | null;
		undoes: string | null;
		/** The misconception diagnosed for the answer, when there was one. */
		misconception?: string;
		time: number;
	}[];
	cards: { cardId: string; due: number; answers: number }[];
}

/**
 * Reads the app's IndexedDB directly (not through the app's code): the card cache rows, and the
 * log rows unpacked from each card's record (columns; see src/lib/progress/log.ts).
 */
export function readProgress(page: Page): Promise<StoredProgress> {
	return page.evaluate(
		() =>
			new Promise<StoredProgress>((resolve, reject) => {
				const open = indexedDB.open('attentive');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('logs')) {
						db.close();
						resolve({ reviews: [], cards: [] });
						return;
					}
					const tx = db.transaction(['logs', 'cards'], 'readonly');
					const logs = tx.objectStore('logs').getAll();
					const cards = tx.objectStore('cards').getAll();
					tx.oncomplete = () => {
						db.close();
						const reviews = (logs.result as Record<string, never>[]).flatMap((log) => {
							const ids = log.ids as { uuids?: Uint8Array; text?: string; ends?: Uint32Array };
							const hex = (b: number) => b.toString(16).padStart(2, '0');
							const idAt = (i: number): string => {
								if (ids.uuids) {
									const h = Array.from(ids.uuids.subarray(i * 16, i * 16 + 16), hex).join('');
									return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
								}
								const ends = ids.ends as Uint32Array;
								return (ids.text as string).slice(i > 0 ? ends[i - 1] : 0, ends[i]);
							};
							const undoes = new Map<number, string>();
							(log.undoAt as Uint32Array).forEach((at, k) =>
								undoes.set(at, (log.undoes as string[])[k])
							);
							const misconceptions = new Map<number, string>();
							((log.misconceptionAt as Uint32Array | undefined) ?? []).forEach((at, k) =>
								misconceptions.set(at, (log.misconceptions as string[])[k])
							);
							return Array.from(log.times as Float64Array, (time, i) => ({
								id: idAt(i),
								cardId: log.cardId as string,
								time,
								rating: (log.ratings as Uint8Array)[i],
								correct: [null, false, true][(log.correct as Int8Array)[i] + 1],
								seed: Number.isNaN((log.seeds as Float64Array)[i])
									? null
									: (log.seeds as Float64Array)[i],
								undoes: undoes.get(i) ?? null,
								...(misconceptions.has(i) ? { misconception: misconceptions.get(i) } : {})
							}));
						});
						resolve({ reviews: reviews.sort((a, b) => a.time - b.time), cards: cards.result });
					};
					tx.onerror = () => reject(tx.error);
				};
			})
	);
}
