/**
 * Learner days: the calendar day in the learner's IANA time zone, where a new day starts at
 * `dayStartHour` local time (so a 2 a.m. answer with dayStartHour 4 belongs to the day before).
 *
 * A day is a number: days since 1970-01-01 of that local calendar date. Offsets come from
 * `Intl.DateTimeFormat` once per UTC day (and once per hour only on the rare days a zone changes its
 * offset), so mapping a million timestamps costs a few hundred Intl calls, not a million.
 */
import { DAY_MS, HOUR_MS } from './fsrs.js';

const MIXED = Number.NaN;

/** Maps instants to learner days and back for one time zone and day-start hour. */
export class DayClock {
	readonly timeZone: string;
	readonly dayStartHour: number;
	private readonly shiftMs: number;
	private readonly format: Intl.DateTimeFormat | null;
	private readonly byUtcDay = new Map<number, number>();
	private readonly byUtcHour = new Map<number, number>();
	private lastUtcDay = Number.NaN;
	private lastOffset = 0;

	/** @throws RangeError for an unknown time zone or an hour outside 0-23 */
	constructor(timeZone: string, dayStartHour: number) {
		if (!Number.isInteger(dayStartHour) || dayStartHour < 0 || dayStartHour > 23) {
			throw new RangeError(`dayStartHour must be an integer 0-23, got ${dayStartHour}`);
		}
		this.timeZone = timeZone;
		this.dayStartHour = dayStartHour;
		this.shiftMs = dayStartHour * HOUR_MS;
		this.format = timeZone === 'UTC' ? null : offsetFormat(timeZone);
	}

	/** The learner day `t` (epoch ms) falls on. */
	dayOf(t: number): number {
		return Math.floor((t + this.offsetAt(t) - this.shiftMs) / DAY_MS);
	}

	/** The instant (epoch ms) learner day `day` begins. */
	startOf(day: number): number {
		const local = day * DAY_MS + this.shiftMs;
		let t = local - this.offsetAt(local);
		t = local - this.offsetAt(t);
		return local - this.offsetAt(t);
	}

	/** Local time minus UTC at `t`, in ms. Cached per UTC day, per hour on transition days. */
	offsetAt(t: number): number {
		if (this.format === null) return 0;
		const utcDay = Math.floor(t / DAY_MS);
		if (utcDay === this.lastUtcDay) return this.lastOffset;
		let offset = this.byUtcDay.get(utcDay);
		if (offset === undefined) {
			const start = utcDay * DAY_MS;
			const first = this.exactOffset(start);
			offset = first === this.exactOffset(start + DAY_MS - 1) ? first : MIXED;
			this.byUtcDay.set(utcDay, offset);
		}
		if (Number.isNaN(offset)) return this.hourOffset(t);
		this.lastUtcDay = utcDay;
		this.lastOffset = offset;
		return offset;
	}

	private hourOffset(t: number): number {
		const hour = Math.floor(t / HOUR_MS);
		let offset = this.byUtcHour.get(hour);
		if (offset === undefined) {
			const start = hour * HOUR_MS;
			const first = this.exactOffset(start);
			offset = first === this.exactOffset(start + HOUR_MS - 1) ? first : MIXED;
			this.byUtcHour.set(hour, offset);
		}
		return Number.isNaN(offset) ? this.exactOffset(t) : offset;
	}

	private exactOffset(t: number): number {
		const whole = t - (((t % 1000) + 1000) % 1000);
		const parts = (this.format as Intl.DateTimeFormat).formatToParts(whole);
		const get = (type: Intl.DateTimeFormatPartTypes): number =>
			Number(parts.find((p) => p.type === type)?.value ?? 0);
		const asUtc = Date.UTC(
			get('year'),
			get('month') - 1,
			get('day'),
			get('hour'),
			get('minute'),
			get('second')
		);
		return asUtc - whole;
	}
}

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric'
	});
}

/** True when `Intl` knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/** The environment's zone, e.g. "Europe/Berlin"; "UTC" if it cannot be read. */
export function systemTimeZone(): string {
	try {
		return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
	} catch {
		return 'UTC';
	}
}

/** "YYYY-MM-DD" of a day number. */
export function dayToIso(day: number): string {
	return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a "YYYY-MM-DD" date. */
export function isoToDay(iso: string): number {
	return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
}

/** The Monday on or before `day` (day 0, 1970-01-01, was a Thursday). */
export function weekStartOf(day: number): number {
	return day - ((((day + 3) % 7) + 7) % 7);
}
