import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	DayClock,
	dayToIso,
	isoToDay,
	isValidTimeZone,
	weekStartOf
} from '../../../src/lib/scheduler/index.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The learner day by brute force: Intl for the local date and hour of every instant. */
function slowDay(t: number, timeZone: string, dayStartHour: number): string {
	const shifted = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(t);
	const get = (type: string) => Number(shifted.find((p) => p.type === type)?.value);
	const localDay = Date.UTC(get('year'), get('month') - 1, get('day')) / DAY;
	return dayToIso(get('hour') < dayStartHour ? localDay - 1 : localDay);
}

describe('DayClock', () => {
	it('a 2 a.m. answer belongs to the previous day when the day starts at 4', () => {
		const clock = new DayClock('Europe/Berlin', 4);
		// 2025-01-15 02:00 in Berlin (UTC+1) = 01:00 UTC
		expect(dayToIso(clock.dayOf(Date.UTC(2025, 0, 15, 1)))).toBe('2025-01-14');
		// 04:00 Berlin = 03:00 UTC starts the 15th
		expect(dayToIso(clock.dayOf(Date.UTC(2025, 0, 15, 3)))).toBe('2025-01-15');
		expect(dayToIso(clock.dayOf(Date.UTC(2025, 0, 15, 3) - 1))).toBe('2025-01-14');
		expect(clock.startOf(isoToDay('2025-01-15'))).toBe(Date.UTC(2025, 0, 15, 3));
	});

	it('follows the time zone, not UTC', () => {
		const tokyo = new DayClock('Asia/Tokyo', 0);
		const la = new DayClock('America/Los_Angeles', 0);
		const t = Date.UTC(2025, 5, 1, 20); // 05:00 June 2 in Tokyo, 13:00 June 1 in LA
		expect(dayToIso(tokyo.dayOf(t))).toBe('2025-06-02');
		expect(dayToIso(la.dayOf(t))).toBe('2025-06-01');
	});

	it('handles DST days: 23 and 25 hours long in New York', () => {
		const ny = new DayClock('America/New_York', 4);
		const mar8 = isoToDay('2025-03-08'); // clocks go 02:00 -> 03:00 during the night to Mar 9
		const nov1 = isoToDay('2025-11-01'); // clocks go 02:00 -> 01:00 during the night to Nov 2
		expect(ny.startOf(mar8)).toBe(Date.UTC(2025, 2, 8, 9)); // 04:00 EST
		expect(ny.startOf(mar8 + 1)).toBe(Date.UTC(2025, 2, 9, 8)); // 04:00 EDT
		expect(ny.startOf(mar8 + 1) - ny.startOf(mar8)).toBe(23 * HOUR);
		expect(ny.startOf(nov1)).toBe(Date.UTC(2025, 10, 1, 8)); // 04:00 EDT
		expect(ny.startOf(nov1 + 1)).toBe(Date.UTC(2025, 10, 2, 9)); // 04:00 EST
		expect(ny.startOf(nov1 + 1) - ny.startOf(nov1)).toBe(25 * HOUR);
		// 03:30 EDT on Mar 9 is still the learner day of Mar 8
		expect(dayToIso(ny.dayOf(Date.UTC(2025, 2, 9, 7, 30)))).toBe('2025-03-08');
	});

	it('handles a half-hour DST shift (Lord Howe Island)', () => {
		const lh = new DayClock('Australia/Lord_Howe', 0);
		// DST ends 2025-04-06 02:00 local (UTC+11) -> 01:30 (UTC+10:30)
		expect(lh.offsetAt(Date.UTC(2025, 3, 5, 14, 59))).toBe(11 * HOUR);
		expect(lh.offsetAt(Date.UTC(2025, 3, 5, 15, 1))).toBe(10.5 * HOUR);
	});

	it('property: matches a per-instant Intl computation in several zones', () => {
		const zones = [
			'UTC',
			'Europe/Berlin',
			'America/New_York',
			'Asia/Kolkata',
			'Australia/Lord_Howe',
			'Pacific/Chatham'
		];
		fc.assert(
			fc.property(
				fc.constantFrom(...zones),
				fc.integer({ min: 0, max: 23 }),
				fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
				(zone, hour, t) => {
					const clock = new DayClock(zone, hour);
					expect(dayToIso(clock.dayOf(t))).toBe(slowDay(t, zone, hour));
					const day = clock.dayOf(t);
					expect(clock.startOf(day)).toBeLessThanOrEqual(t);
					expect(clock.startOf(day + 1)).toBeGreaterThan(t);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('rejects an unknown zone or hour', () => {
		expect(() => new DayClock('Mars/Olympus', 4)).toThrow(RangeError);
		expect(() => new DayClock('UTC', 24)).toThrow(RangeError);
		expect(isValidTimeZone('Europe/Paris')).toBe(true);
		expect(isValidTimeZone('Not/AZone')).toBe(false);
	});
});

describe('day helpers', () => {
	it('weeks start on Monday', () => {
		expect(dayToIso(weekStartOf(isoToDay('2025-03-05')))).toBe('2025-03-03'); // Wed -> Mon
		expect(dayToIso(weekStartOf(isoToDay('2025-03-03')))).toBe('2025-03-03');
		expect(dayToIso(weekStartOf(isoToDay('2025-03-09')))).toBe('2025-03-03'); // Sun
		expect(dayToIso(weekStartOf(0))).toBe('1969-12-29');
	});
	it('iso dates round-trip', () => {
		expect(isoToDay('1970-01-02')).toBe(1);
		expect(dayToIso(isoToDay('2024-02-29'))).toBe('2024-02-29');
	});
});
