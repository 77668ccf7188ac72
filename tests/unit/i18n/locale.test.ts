/** Issue 15: the remembered language wins; on a first visit the browser's preferred language does. */
import { describe, expect, it } from 'vitest';
import { localeOfPath, wantedLocale } from '../../../src/lib/state/locale';

describe('wantedLocale', () => {
	it('keeps a remembered choice', () => {
		expect(wantedLocale('en', ['zh-CN'])).toBe('en');
		expect(wantedLocale('zh', ['en-US'])).toBe('zh');
	});

	it('takes the first browser language we have on a first visit', () => {
		expect(wantedLocale(null, ['zh-CN', 'en'])).toBe('zh');
		expect(wantedLocale(null, ['zh-Hans-CN'])).toBe('zh');
		expect(wantedLocale(null, ['fr-FR', 'en-GB', 'zh'])).toBe('en');
		expect(wantedLocale(null, ['fr-FR'])).toBe('en');
	});

	it('ignores a stored value that is not a locale', () => {
		expect(wantedLocale('klingon', ['zh-TW'])).toBe('zh');
	});
});

describe('localeOfPath', () => {
	it('reads the edition from the address, the Chinese root with or without its slash', () => {
		expect(localeOfPath('/zh')).toBe('zh');
		expect(localeOfPath('/zh/')).toBe('zh');
		expect(localeOfPath('/zh/learn/qkv')).toBe('zh');
		expect(localeOfPath('/')).toBe('en');
		expect(localeOfPath('/zhx')).toBe('en');
		expect(localeOfPath('/learn')).toBe('en');
	});
});
