/** The page's language for this layer's words: `Intl` locale and plural choice (Paraglide's locale). */

import { getLocale } from '../paraglide/runtime.js';

/** The `Intl` locale of the page's language (numbers, plurals). */
export function intlLocale(): string {
	return getLocale() === 'zh' ? 'zh-CN' : 'en-US';
}

/** `one` when `count` takes the singular in the page's language, else `other`. */
export function pluralOf<T>(count: number, one: T, other: T): T {
	return new Intl.PluralRules(intlLocale()).select(count) === 'one' ? one : other;
}
