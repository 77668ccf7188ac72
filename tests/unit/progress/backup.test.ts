import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addExperimentRun,
	applyImport,
	countReviews,
	exportBackupBlob,
	getCardLog,
	getSettings,
	MAX_BACKUP_BYTES,
	previewImport,
	ProgressError,
	readAllReviews,
	recordReview,
	saveSettings,
	undoReview,
	type ProgressDb,
	type ReviewRow
} from '../../../src/lib/progress/index.js';
import { replay } from '../../../src/lib/scheduler/index.js';
import { freshDb, schedulesMirrorCards, storedReview, storeRawReviews } from './helpers.js';

const t0 = Date.UTC(2025, 1, 3, 8);
const MIN = 60_000;
const HOUR = 60 * MIN;

function row(id: string, patch: Partial<ReviewRow> = {}): ReviewRow {
	return {
		id,
		cardId: '03-softmax/q-sum',
		deckId: '03-softmax',
		time: t0,
		rating: 3,
		correct: null,
		rawAnswer: '',
		seed: null,
		durationMs: 1000,
		undoes: null,
		...patch
	};
}

/** A backup file written by hand (counts computed unless given). */
function backupText(parts: {
	reviews?: unknown[];
	cards?: unknown[];
	experimentRuns?: unknown[];
	settings?: unknown;
	format?: unknown;
	version?: unknown;
	counts?: unknown;
}): string {
	const reviews = parts.reviews ?? [];
	const cards = parts.cards ?? [];
	const runs = parts.experimentRuns ?? [];
	return JSON.stringify({
		format: parts.format ?? 'attentive-backup',
		version: parts.version ?? 1,
		exportedAt: new Date(t0).toISOString(),
		counts: parts.counts ?? {
			reviews: reviews.length,
			cards: cards.length,
			experimentRuns: runs.length
		},
		settings: parts.settings ?? {
			dailyNewLimit: 5,
			dailyReviewLimit: 50,
			dayStartHour: 4,
			timeZone: 'UTC',
			theme: 'light'
		},
		meta: {},
		reviews,
		cards,
		experimentRuns: runs
	});
}

async function exportText(db: ProgressDb, now = t0 + 1000): Promise<string> {
	return (await exportBackupBlob(db, { now, pageSize: 7 })).text();
}

async function snapshot(db: ProgressDb) {
	return {
		reviews: (await readAllReviews(db)).sort((a, b) => (a.id < b.id ? -1 : 1)),
		cards: await db.cards.orderBy('cardId').toArray(),
		runs: await db.experimentRuns.orderBy('id').toArray(),
		settings: await getSettings(db)
	};
}

describe('export -> import round trip', () => {
	const step = fc.record({
		card: fc.constantFrom(
			'01-intro/q-a',
			'01-intro/q-b',
			'02-attn/q-ü "quoted"',
			'02-attn/q,comma'
		),
		dtMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
		rating: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
		rawAnswer: fc.string({ maxLength: 30, unit: 'binary' }),
		seed: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { nil: null }),
		correct: fc.constantFrom(true, false, null),
		misconception: fc.option(fc.constantFrom('no-scaling', 'mask-with-zero'), { nil: undefined }),
		undo: fc.boolean()
	});

	it('property: the imported database equals the exported one, and exports identically', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(step, { maxLength: 25 }),
				fc.integer({ min: 0, max: 23 }),
				fc.array(
					fc.dictionary(
						fc.string({ maxLength: 5 }),
						fc.oneof(fc.integer(), fc.string({ maxLength: 8 }))
					),
					{
						maxLength: 2
					}
				),
				async (steps, dayStartHour, runConfigs) => {
					const source = await freshDb();
					await saveSettings(source, { dayStartHour, timeZone: 'Asia/Kolkata' });
					let time = t0;
					for (const s of steps) {
						time += s.dtMinutes * MIN;
						const { review } = await recordReview(source, {
							cardId: s.card,
							deckId: s.card.split('/')[0],
							time,
							rating: s.rating,
							rawAnswer: s.rawAnswer,
							seed: s.seed,
							correct: s.correct,
							durationMs: s.dtMinutes * 7,
							misconception: s.misconception
						});
						if (s.undo) await undoReview(source, review, time + 1);
					}
					for (const [i, config] of runConfigs.entries()) {
						await addExperimentRun(source, { time: t0 + i, config, summary: { i } });
					}
					const text = await exportText(source);
					const target = await freshDb();
					const preview = await previewImport(target, text);
					expect(preview.ok).toBe(true);
					expect(preview.reviews.invalid).toBe(0);
					await applyImport(target, preview);
					expect(await snapshot(target)).toEqual(await snapshot(source));
					expect(await schedulesMirrorCards(target)).toBe(true);
					expect(await exportText(target)).toBe(text);
				}
			),
			{ numRuns: 20 }
		);
	});
});

describe('parsing a backup once', () => {
	/** A file that counts how often it is read. */
	class CountingBlob extends Blob {
		reads = 0;
		stream(): ReturnType<Blob['stream']> {
			this.reads++;
			return super.stream();
		}
	}

	async function studied(): Promise<ProgressDb> {
		const source = await freshDb();
		for (let i = 0; i < 12; i++) {
			const { review } = await recordReview(source, {
				cardId: `0${i % 3}-deck/q-${i % 5}`,
				deckId: `0${i % 3}-deck`,
				time: t0 + i * HOUR,
				rating: ((i % 4) + 1) as 1 | 2 | 3 | 4,
				rawAnswer: `answer ${i}`
			});
			if (i === 7) await undoReview(source, review, t0 + i * HOUR + 1);
		}
		await addExperimentRun(source, { time: t0, config: { a: 1 }, summary: { i: 1 } });
		return source;
	}

	it('applying a preview imports the entries the preview read, without reading the file again', async () => {
		const source = await studied();
		const file = new CountingBlob([await exportText(source)]);
		const target = await freshDb();
		const preview = await previewImport(target, file);
		expect(preview.parsed?.reviews).toHaveLength(preview.reviews.total);
		const result = await applyImport(target, preview);
		expect(file.reads).toBe(1);
		expect(result).toMatchObject({ reviewsAdded: 13, duplicates: 0, experimentRunsAdded: 1 });
		expect(await snapshot(target)).toEqual(await snapshot(source));
		expect(await schedulesMirrorCards(target)).toBe(true);
	});

	it('a preview without its parsed entries (a file too large to keep) reads the file again, to the same result', async () => {
		const source = await studied();
		const text = await exportText(source);
		const file = new CountingBlob([text]);
		const target = await freshDb();
		const preview = await previewImport(target, file);
		delete preview.parsed;
		const result = await applyImport(target, preview);
		expect(file.reads).toBe(2);
		const again = await freshDb();
		expect(await applyImport(again, text)).toEqual(result);
		expect(await snapshot(target)).toEqual(await snapshot(source));
		expect(await snapshot(again)).toEqual(await snapshot(source));
	});
});

describe('merging', () => {
	it('importing the same file twice never duplicates a review', async () => {
		const source = await freshDb();
		for (let i = 0; i < 5; i++) {
			await recordReview(source, {
				cardId: `c${i % 2}`,
				deckId: 'd',
				time: t0 + i * HOUR,
				rating: 3
			});
		}
		const text = await exportText(source);
		const target = await freshDb();
		const first = await applyImport(target, text);
		expect(first).toMatchObject({ reviewsAdded: 5, duplicates: 0, cardsRebuilt: 2 });
		const again = await previewImport(target, text);
		expect(again.reviews).toEqual({ total: 5, new: 0, duplicate: 5, invalid: 0 });
		const second = await applyImport(target, again);
		expect(second).toMatchObject({ reviewsAdded: 0, duplicates: 5, cardsRebuilt: 0 });
		expect(await countReviews(target)).toBe(5);
	});

	it('merges two devices: the union of both logs, caches replayed from it', async () => {
		const phone = await freshDb();
		const laptop = await freshDb();
		const shared = row('shared-1', { time: t0 });
		await storeRawReviews(phone, [shared]);
		await storeRawReviews(laptop, [shared]);
		await recordReview(phone, {
			cardId: shared.cardId,
			deckId: shared.deckId,
			time: t0 + HOUR,
			rating: 1
		});
		await recordReview(laptop, {
			cardId: shared.cardId,
			deckId: shared.deckId,
			time: t0 + 2 * HOUR,
			rating: 4
		});
		await recordReview(laptop, { cardId: 'other', deckId: 'd', time: t0, rating: 3 });
		const result = await applyImport(laptop, await exportText(phone));
		expect(result).toMatchObject({ reviewsAdded: 1, duplicates: 1, cardsRebuilt: 1 });
		const log = await getCardLog(laptop, shared.cardId);
		expect(log).toHaveLength(3);
		expect(await laptop.cards.get(shared.cardId)).toMatchObject({ ...replay(log), answers: 3 });
		expect(await schedulesMirrorCards(laptop)).toBe(true);
		expect(await countReviews(laptop)).toBe(4);
	});

	it('a file listed in time order, spanning many batches, merges like one listed card by card', async () => {
		// 6,000 reviews over 40 cards: three check batches; ids repeat across batch boundaries
		const rows: ReviewRow[] = Array.from({ length: 6000 }, (_, i) =>
			row(`r${i}`, {
				cardId: `c${(i * 7) % 40}`,
				time: t0 + i * 60_000,
				rating: ((i % 4) + 1) as 3
			})
		);
		const repeated = [rows[10], rows[2500], rows[4999]].map((r) => ({ ...r, rating: 1 as const }));
		const timeOrdered = [...rows.slice(0, 3000), ...repeated, ...rows.slice(3000)];
		const byCard = [...timeOrdered].sort((a, b) =>
			a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0
		);
		const states = [];
		for (const list of [timeOrdered, byCard]) {
			const db = await freshDb();
			await storeRawReviews(db, rows.slice(0, 100)); // already here before the import
			const preview = await previewImport(db, backupText({ reviews: list }));
			expect(preview.reviews).toEqual({ total: 6003, new: 5900, duplicate: 103, invalid: 0 });
			const result = await applyImport(db, preview);
			expect(result).toMatchObject({ reviewsAdded: 5900, duplicates: 103, cardsRebuilt: 40 });
			const stored = await readAllReviews(db);
			expect(stored).toHaveLength(6000);
			expect(stored.find((r) => r.id === 'r2500')?.rating).toBe(rows[2500].rating);
			expect(await schedulesMirrorCards(db)).toBe(true);
			states.push(await snapshot(db));
		}
		expect(states[0]).toEqual(states[1]);
	});

	it('repeated ids inside one file count as duplicates and are stored once', async () => {
		const db = await freshDb();
		const text = backupText({
			reviews: [row('a'), row('a', { rating: 1 }), row('b', { time: t0 + 1 })]
		});
		const preview = await previewImport(db, text);
		expect(preview.reviews).toEqual({ total: 3, new: 2, duplicate: 1, invalid: 0 });
		await applyImport(db, preview);
		expect((await storedReview(db, 'a'))?.rating).toBe(3);
		expect(await countReviews(db)).toBe(2);
	});

	it("keeps local settings unless asked, takes the file's on a fresh device", async () => {
		const text = backupText({ reviews: [row('a')] });
		const fresh = await freshDb();
		expect((await applyImport(fresh, text)).settingsApplied).toBe(true);
		expect((await getSettings(fresh)).dailyNewLimit).toBe(5);
		const configured = await freshDb();
		await saveSettings(configured, { dailyNewLimit: 20 });
		expect((await applyImport(configured, text)).settingsApplied).toBe(false);
		expect((await getSettings(configured)).dailyNewLimit).toBe(20);
		await applyImport(configured, text, { replaceSettings: true });
		expect((await getSettings(configured)).dailyNewLimit).toBe(5);
	});
});

describe('settings in backups', () => {
	it("an old backup's theme (now kept in localStorage) is dropped, not an error; exports have none", async () => {
		// backupText's default settings carry `theme: 'light'`, as backups made before the move do
		const db = await freshDb();
		const preview = await previewImport(db, backupText({ reviews: [row('a')] }));
		expect(preview.settings).toBe('valid');
		expect((await applyImport(db, preview)).settingsApplied).toBe(true);
		expect(await getSettings(db)).toEqual({
			dailyNewLimit: 5,
			dailyReviewLimit: 50,
			dayStartHour: 4,
			timeZone: 'UTC',
			desiredRetention: 0.9
		});
		expect(await db.settings.get('settings')).not.toHaveProperty('theme');
		const exported = JSON.parse(await exportText(db)) as { settings: object };
		expect(exported.settings).toEqual({
			dailyNewLimit: 5,
			dailyReviewLimit: 50,
			dayStartHour: 4,
			timeZone: 'UTC',
			desiredRetention: 0.9
		});
	});
});

describe('preview', () => {
	it('counts new, duplicate and invalid entries, with reasons, before storing anything', async () => {
		const db = await freshDb();
		await storeRawReviews(db, [row('stored')]);
		const text = backupText({
			reviews: [
				row('stored'),
				row('n1', { time: t0 + 1 }),
				row('n2', { time: t0 + 2 }),
				{ ...row('bad-rating'), rating: 7 },
				{ ...row('bad-time'), time: '2025-01-01' },
				{ ...row('bad-undo'), rating: 0 }
			],
			experimentRuns: [{ id: 'run1', time: t0, config: { lr: 0.1 }, summary: {} }, { id: 'run2' }]
		});
		const preview = await previewImport(db, text);
		expect(preview.ok).toBe(true);
		expect(preview.reviews).toEqual({ total: 6, new: 2, duplicate: 1, invalid: 3 });
		expect(preview.experimentRuns).toEqual({ total: 2, new: 1, duplicate: 0, invalid: 1 });
		expect(preview.problems[0]).toMatch(/^reviews\[3\]\.rating: /);
		expect(preview.problems[1]).toMatch(/^reviews\[4\]\.time: /);
		expect(preview.problems[2]).toMatch(/^reviews\[5\]\.undoes: /);
		expect(preview.problems[3]).toMatch(/^experimentRuns\[1\]/);
		expect(await countReviews(db)).toBe(1);
		const result = await applyImport(db, preview);
		expect(result).toMatchObject({
			reviewsAdded: 2,
			duplicates: 1,
			invalid: 3,
			experimentRunsAdded: 1
		});
		expect(await countReviews(db)).toBe(3);
	});
});

describe('corrupt and hostile files', () => {
	const valid = backupText({ reviews: [row('a'), row('b', { time: t0 + 1 })] });

	it.each([
		['not JSON', 'hello world', /must start with \{/],
		['an array', '[1,2]', /must start with \{/],
		['truncated', valid.slice(0, Math.floor(valid.length / 2)), /ends too early/],
		['trailing data', valid + '{}', /after the end/],
		['wrong format', backupText({ format: 'anki-export' }), /not an Attentive backup/],
		['no format', valid.replace('"format":"attentive-backup",', ''), /no "format"/],
		['newer version', backupText({ version: 2 }), /newer version/],
		['odd version', backupText({ version: '1' }), /unknown backup version/],
		[
			'reviews not a list',
			valid.replace(/"reviews":\[.*?\],"cards"/, '"reviews":{},"cards"'),
			/no "reviews" list/
		],
		[
			'counts disagree',
			backupText({ reviews: [row('a')], counts: { reviews: 2, cards: 0, experimentRuns: 0 } }),
			/incomplete or was edited/
		],
		['no counts', valid.replace(/"counts":\{[^}]*\},/, ''), /no "counts"/],
		['repeated member', valid.replace('"meta":{}', '"reviews":[],"meta":{}'), /appears twice/],
		['broken entry', valid.replace('"rating":3', '"rating":3,,'), /invalid JSON in "reviews"/],
		[
			'huge entry',
			backupText({ reviews: [row('a', { rawAnswer: 'x'.repeat(2_100_000) })] }),
			/larger than/
		]
	])('rejects %s, storing nothing', async (_name, text, reason) => {
		const db = await freshDb();
		const preview = await previewImport(db, text);
		expect(preview.ok).toBe(false);
		expect(preview.fatal).toMatch(reason);
		const error = await applyImport(db, text).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ProgressError);
		expect((error as ProgressError).kind).toBe('import');
		expect(await countReviews(db)).toBe(0);
		expect(await db.settings.count()).toBe(0);
	});

	it('rejects a file over the size limit without reading it', async () => {
		const db = await freshDb();
		const blob = new Blob([valid]);
		Object.defineProperty(blob, 'size', { value: MAX_BACKUP_BYTES + 1 });
		expect((await previewImport(db, blob)).fatal).toMatch(/larger than 2 GiB/);
	});

	it('stores text as plain text: script tags kept as text, control and bidi characters removed, capped', async () => {
		const db = await freshDb();
		const text = backupText({
			reviews: [
				row('a', { rawAnswer: '<script>alert("x")</script><img src=x onerror=alert(1)>' }),
				row('b', { rawAnswer: 'ok\u0000\u0007\u001b[31m\u202eevil\u2066\r\nline', time: t0 + 1 }),
				row('c', { rawAnswer: 'y'.repeat(10_000), time: t0 + 2 }),
				row('d\u0000', { time: t0 + 3 }),
				row('e'.repeat(300), { time: t0 + 4 }),
				row('f', { cardId: 'q\u202eevil', time: t0 + 5 }),
				row('g', { durationMs: 5e9, time: t0 + 6 })
			],
			experimentRuns: [
				{
					id: 'run',
					time: t0,
					config: JSON.parse('{"__proto__":{"polluted":true},"name":"<b>bold</b>\\u0000"}'),
					summary: { nested: { deeper: ['\u202e'] } }
				}
			]
		});
		const preview = await previewImport(db, text);
		expect(preview.reviews).toMatchObject({ total: 7, new: 4, invalid: 3 });
		await applyImport(db, preview);
		expect((await storedReview(db, 'a'))?.rawAnswer).toBe(
			'<script>alert("x")</script><img src=x onerror=alert(1)>'
		);
		expect((await storedReview(db, 'b'))?.rawAnswer).toBe('ok[31mevil\nline');
		expect((await storedReview(db, 'c'))?.rawAnswer).toHaveLength(4000);
		expect((await storedReview(db, 'g'))?.durationMs).toBe(86_400_000);
		const run = await db.experimentRuns.get('run');
		expect(run?.config).toEqual({ name: '<b>bold</b>' });
		expect(run?.summary).toEqual({ nested: { deeper: [''] } });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('an undo row cannot void an answer of another card', async () => {
		const db = await freshDb();
		const text = backupText({
			reviews: [
				row('a', { cardId: 'x' }),
				row('u', { cardId: 'y', rating: 0, undoes: 'a', time: t0 + 1 })
			]
		});
		await applyImport(db, text);
		expect((await db.cards.get('x'))?.answers).toBe(1);
	});
});

describe('misconceptions in backups', () => {
	it("export -> import keeps each answer's misconception; only rows with one carry the field", async () => {
		const source = await freshDb();
		const base = { deckId: 'attn', rating: 1 as const, correct: false };
		await recordReview(source, {
			...base,
			cardId: 'attn/q',
			time: t0,
			misconception: 'no-scaling'
		});
		const plain = await recordReview(source, { ...base, cardId: 'attn/q', time: t0 + MIN });
		const diagnosed = await recordReview(source, {
			...base,
			cardId: 'attn/r',
			time: t0 + 2 * MIN,
			misconception: 'mask-with-zero'
		});
		await undoReview(source, diagnosed.review, t0 + 3 * MIN);
		const text = await exportText(source);
		const lines = (JSON.parse(text) as { reviews: Record<string, unknown>[] }).reviews;
		expect(lines.map((r) => r.misconception)).toEqual([
			'no-scaling',
			undefined,
			'mask-with-zero',
			undefined
		]);
		expect(lines.filter((r) => 'misconception' in r)).toHaveLength(2);
		expect(text).not.toContain('"misconception":null');
		expect(lines.find((r) => r.id === plain.review.id)).not.toHaveProperty('misconception');

		const target = await freshDb();
		const preview = await previewImport(target, text);
		expect(preview.reviews).toEqual({ total: 4, new: 4, duplicate: 0, invalid: 0 });
		await applyImport(target, preview);
		expect(await snapshot(target)).toEqual(await snapshot(source));
		expect((await getCardLog(target, 'attn/q')).map((r) => r.misconception)).toEqual([
			'no-scaling',
			undefined
		]);
		expect(await exportText(target)).toBe(text);
	});

	it('an old backup without the field imports unchanged, its rows without a misconception', async () => {
		const db = await freshDb();
		const old = [row('a'), row('b', { time: t0 + MIN, rating: 1, correct: false, rawAnswer: '2' })];
		const text = backupText({ reviews: old });
		expect(text).not.toContain('misconception');
		const preview = await previewImport(db, text);
		expect(preview.reviews).toEqual({ total: 2, new: 2, duplicate: 0, invalid: 0 });
		await applyImport(db, preview);
		const stored = await getCardLog(db, '03-softmax/q-sum');
		expect(stored).toStrictEqual(old);
		const record = await db.logs.get('03-softmax/q-sum');
		expect(record).not.toHaveProperty('misconceptionAt');
		expect(await exportText(db)).not.toContain('misconception');
	});

	it('a malformed misconception is rejected with "reviews[i].misconception: problem"; the rest imports', async () => {
		const db = await freshDb();
		const text = backupText({
			reviews: [
				row('ok', { misconception: 'no-scaling' }),
				{ ...row('long', { time: t0 + 1 }), misconception: 'x'.repeat(65) },
				{ ...row('empty', { time: t0 + 2 }), misconception: '' },
				{ ...row('control', { time: t0 + 3 }), misconception: 'no-\u0007scaling' },
				{ ...row('number', { time: t0 + 4 }), misconception: 7 },
				{ ...row('null', { time: t0 + 5 }), misconception: null },
				row('undo', { time: t0 + 6, rating: 0, undoes: 'ok', misconception: 'no-scaling' })
			]
		});
		const preview = await previewImport(db, text);
		expect(preview.ok).toBe(true);
		expect(preview.reviews).toEqual({ total: 7, new: 1, duplicate: 0, invalid: 6 });
		expect(preview.problems).toHaveLength(6);
		expect(preview.problems[0]).toMatch(/^reviews\[1\]\.misconception: .*<=64 characters/);
		expect(preview.problems[1]).toMatch(/^reviews\[2\]\.misconception: .*>=1 characters/);
		expect(preview.problems[2]).toMatch(/^reviews\[3\]\.misconception: .*control or bidi/);
		expect(preview.problems[3]).toMatch(/^reviews\[4\]\.misconception: .*expected string/);
		expect(preview.problems[4]).toMatch(/^reviews\[5\]\.misconception: .*expected string/);
		expect(preview.problems[5]).toBe(
			'reviews[6].misconception: only an answer has a misconception, not an undo row'
		);
		await applyImport(db, preview);
		expect(await getCardLog(db, '03-softmax/q-sum')).toStrictEqual([
			row('ok', { misconception: 'no-scaling' })
		]);
	});
});
