/**
 * Issue 15: every UI message exists in English and in Chinese, with the same placeholders, and is
 * not empty; a missing key fails `npm test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, string>;
/** messages/{locale}.json and each area's messages/<area>/{locale}.json (project.inlang lists them). */
const files = (locale: string): string[] => [
	`messages/${locale}.json`,
	...readdirSync('messages', { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.map((entry) => `messages/${entry.name}/${locale}.json`)
];
const load = (locale: string): Messages => {
	const all: Messages = {};
	for (const file of files(locale)) {
		const { $schema: _schema, ...messages } = JSON.parse(readFileSync(file, 'utf8')) as Messages;
		for (const key of Object.keys(messages)) {
			expect(all[key], `${file}: ${key} is also in another file`).toBeUndefined();
		}
		Object.assign(all, messages);
	}
	return all;
};
const en = load('en');
const zh = load('zh');

const placeholders = (text: string): string[] =>
	[...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('UI messages', () => {
	it('has the same keys in English and Chinese', () => {
		expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
	});

	it('has no empty message', () => {
		for (const [locale, messages] of Object.entries({ en, zh })) {
			for (const [key, text] of Object.entries(messages)) {
				expect(text.trim(), `${locale}.${key}`).not.toBe('');
			}
		}
	});

	it('uses the same placeholders in both languages', () => {
		for (const key of Object.keys(en)) {
			expect(placeholders(zh[key] ?? ''), key).toEqual(placeholders(en[key]));
		}
	});

	it('is written in Chinese in the Chinese file (not English left untranslated)', () => {
		const untranslated = Object.keys(en).filter(
			(key) => zh[key] === en[key] && /[a-z]{3}/i.test(en[key])
		);
		// names that stay the same in both (e.g. "Attentive") are the only allowed repeats
		expect(untranslated.filter((key) => !ALLOWED_SAME.has(key))).toEqual([]);
	});
});

/** Keys whose text is the same in both languages on purpose (names, code). */
const ALLOWED_SAME = new Set<string>([]);
