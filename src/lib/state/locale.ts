/**
 * The learner's language: the URL says which edition a page is (`/zh/…` Chinese, the rest English);
 * a language chosen with the header's switch is remembered, and on a first visit the browser's
 * preferred language decides. Progress is per question id, so switching keeps every due date.
 */
import { localizeHref, locales, type Locale } from '$lib/paraglide/runtime';

const KEY = 'attentive-locale';

/** The edition an address belongs to: /zh and /zh/… are Chinese, everything else English. */
export function localeOfPath(pathname: string): Locale {
	return pathname === '/zh' || pathname.startsWith('/zh/') ? 'zh' : 'en';
}

export function rememberLocale(locale: Locale): void {
	try {
		localStorage.setItem(KEY, locale);
	} catch {
		// private mode or storage full: the choice holds for this page only
	}
}

function storedLocale(): string | null {
	try {
		return localStorage.getItem(KEY);
	} catch {
		return null; // storage blocked: fall back to the browser's languages
	}
}

/** The remembered choice, else the first of the browser's languages we have (zh-*, en-*), else English. */
export function wantedLocale(stored: string | null, languages: readonly string[]): Locale {
	if (stored && (locales as readonly string[]).includes(stored)) return stored as Locale;
	for (const language of languages) {
		const base = language.toLowerCase().split('-')[0];
		if ((locales as readonly string[]).includes(base)) return base as Locale;
	}
	return 'en';
}

/**
 * Where this page should be for the learner's language, or null when it already is. Called once on
 * load. Only an English (unprefixed) address is redirected: the site's entry, bookmarks and typed
 * addresses are unprefixed, while a /zh/ address was chosen and is kept.
 */
export function localeRedirect(url: URL): string | null {
	if (localeOfPath(url.pathname) !== 'en') return null;
	const wanted = wantedLocale(storedLocale(), navigator.languages ?? [navigator.language]);
	if (wanted === 'en') return null;
	return localizeHref(`${url.pathname}${url.search}${url.hash}`, { locale: wanted });
}
