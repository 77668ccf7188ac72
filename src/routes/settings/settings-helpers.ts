/** Pure helpers of the settings page (and the download of a file). */
import { m } from '$lib/paraglide/messages';
import { SETTINGS_LIMITS } from '$lib/progress';
import { dayToIso } from '$lib/scheduler';

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The bounds the progress layer's settings schema checks (one source for both). */
export const LIMITS = SETTINGS_LIMITS;

export type FieldName = 'dailyNewLimit' | 'dailyReviewLimit' | 'dayStartHour' | 'timeZone';

/** Every IANA zone the browser knows, sorted, with UTC and `current` always included. */
export function timeZoneOptions(current: string): string[] {
	let zones: string[] = [];
	try {
		zones = Intl.supportedValuesOf('timeZone');
	} catch {
		// old browser: offer the current zone and UTC
	}
	const all = new Set(zones);
	all.add('UTC');
	all.add(current);
	return [...all].sort();
}

/** A whole number in [min, max], or an error message. */
export function checkWholeNumber(
	value: unknown,
	min: number,
	max: number
): { ok: true; value: number } | { ok: false; error: string } {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
		return { ok: false, error: m.progress_whole_number({ min, max }) };
	}
	return { ok: true, value: n };
}

/** Hands a file to the learner (the browser's download). */
export function downloadBlob(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "attentive-backup-2026-01-21.json": the local date of `now`. */
export function backupFileName(
	kind: 'backup' | 'reviews' | 'fsrs-revlog',
	now: number,
	ext: string
): string {
	const local = new Date(now);
	const day = Math.floor(
		Date.UTC(local.getFullYear(), local.getMonth(), local.getDate()) / 86_400_000
	);
	return `attentive-${kind}-${dayToIso(day)}.${ext}`;
}
