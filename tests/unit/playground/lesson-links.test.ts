/**
 * Issue 14: every lesson from 2 to 10 opens its example in the playground, and each of its links
 * decodes without a problem (a link that fell back to the book's example would teach the wrong thing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeState } from '../../../src/lib/playground/index';

const DIR = 'content/en';
const lessons = readdirSync(DIR).filter((f) => /^(0[2-9]|10)-.*\.md$/.test(f));

function playgroundLinks(markdown: string): string[] {
	return [...markdown.matchAll(/\]\((\/playground(?:\?[^)\s]*)?)\)/g)].map((m) => m[1]);
}

describe('lessons link into the playground', () => {
	it('covers lessons 2 to 10', () => {
		expect(lessons).toHaveLength(9);
	});

	for (const file of lessons) {
		it(`${file} has a playground link whose state decodes cleanly`, () => {
			const links = playgroundLinks(readFileSync(`${DIR}/${file}`, 'utf8'));
			expect(links.length, `${file}: no link into the playground`).toBeGreaterThan(0);
			for (const link of links) {
				const { problems, step } = decodeState(link.split('?')[1] ?? '');
				expect(problems, link).toEqual([]);
				expect(step, `${link}: names the step to show`).not.toBeNull();
			}
		});
	}
});
