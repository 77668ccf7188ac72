import { describe, expect, it } from 'vitest';
import {
	buckets,
	forecastTable,
	reviewsWithin
} from '../../../src/routes/settings/retention-view.js';
import type { Forecast } from '../../../src/lib/scheduler/index.js';

function forecast(retention: number, perDay: number[]): Forecast {
	return {
		retention,
		runs: 1,
		perDay: perDay.map((reviews, i) => ({ day: 20_000 + i, reviews, newCards: 0, backlog: 0 })),
		totalReviews: perDay.reduce((a, b) => a + b, 0),
		totalNewCards: 0
	};
}

describe("the retention panel's forecast view", () => {
	const year = Array.from({ length: 365 }, (_, i) => (i % 7) + 1);
	const chosen = forecast(0.8, year);
	const saved = forecast(
		0.9,
		year.map((n) => n * 2)
	);

	it('sums the first 30 and 365 days', () => {
		expect(reviewsWithin(chosen, 7)).toBe(28);
		expect(reviewsWithin(chosen, 365)).toBe(year.reduce((a, b) => a + b, 0));
	});

	it('per day over 30 days, per week over a year (the last week partial), a column per retention', () => {
		expect(buckets([chosen, saved], 30)).toHaveLength(30);
		const weeks = buckets([chosen, saved], 365);
		expect(weeks).toHaveLength(53);
		expect(weeks[0]).toEqual({ day: 20_000, values: [28, 56] });
		expect(weeks[52]).toEqual({ day: 20_364, values: [1, 2] });
		const total = weeks.reduce((sum, w) => sum + w.values[0], 0);
		expect(total).toBe(reviewsWithin(chosen, 365));
	});

	it("the table has the chart's numbers, a column per retention", () => {
		const table = forecastTable([chosen, saved], 30);
		expect(table.columns).toEqual(['Day', 'At 80 %', 'At 90 %']);
		expect(table.rows[0].slice(1)).toEqual(['1', '2']);
	});
});
