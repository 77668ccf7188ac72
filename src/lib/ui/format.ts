/**
 * The one place numbers become text for the reader: fixed decimals, adaptive precision for
 * measurements, percentages, ratios, durations and dates. Pure; no domain knowledge. Words and
 * dates follow the page's language (`locale`, by default the current one): the English output is
 * the reader's own locale, as before; the Chinese edition writes zh-CN.
 */
import { m } from '../paraglide/messages.js';
import { getLocale, type Locale } from '../paraglide/runtime.js';

/** The `Intl` locale for `locale`: zh-CN for Chinese, the reader's own (undefined) for English. */
export function intlLocale(locale: Locale = getLocale()): string | undefined {
	return locale === 'zh' ? 'zh-CN' : undefined;
}

/** Whether `n` takes the singular form ("1 card", not "2 cards") in `locale`. */
export function isSingular(n: number, locale: Locale = getLocale()): boolean {
	return new Intl.PluralRules(locale).select(n) === 'one';
}

/** `x` with `decimals` decimals and a true minus sign (−0.25, not -0.25), as in the book's tables. */
export function formatFixed(x: number, decimals: number): string {
	return x.toFixed(decimals).replace(/^-/, '−');
}

/** Enough digits to read small losses and gradient norms (0.0007, 13.9, 2.31, 0.052); '–' for none. */
export function formatValue(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '–';
	const abs = Math.abs(x);
	if (abs === 0) return '0';
	if (abs >= 100) return x.toFixed(0);
	if (abs >= 10) return x.toFixed(1);
	if (abs >= 1) return x.toFixed(2);
	if (abs >= 0.01) return x.toFixed(3);
	return x.toPrecision(2);
}

/** "3.2×": how many times larger a is than b. */
export function formatRatio(a: number, b: number, locale?: Locale): string {
	const ratio = a / b;
	if (!Number.isFinite(ratio)) return m.progress_many_times({}, { locale });
	return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}

/** "4.2 s" under ten seconds, "41 s" above; or always `decimals` decimals ("41.2 s"). */
export function formatSeconds(ms: number, decimals?: number, locale?: Locale): string {
	const value = (ms / 1000).toFixed(decimals ?? (ms < 10_000 ? 1 : 0));
	return m.progress_seconds({ value }, { locale });
}

/** "87%": a rate in [0, 1] as a whole percentage. */
export function formatPercent(rate: number): string {
	return `${Math.round(rate * 100)}%`;
}

/** A moment as the reader's locale writes it, e.g. "30 Nov 2026, 18:37" (`medium`) or the long month. */
export function formatDateTime(
	time: number,
	{
		dateStyle = 'medium',
		timeZone,
		locale
	}: { dateStyle?: 'medium' | 'long'; timeZone?: string; locale?: Locale } = {}
): string {
	return new Date(time).toLocaleString(intlLocale(locale), {
		dateStyle,
		timeStyle: 'short',
		timeZone
	});
}
