import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, exportReviewsCsvBlob, recordReview } from '../../../src/lib/progress/index.js';
import { freshDb } from './helpers.js';

/** A small RFC 4180 reader, to check that quoting round-trips. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	return rows;
}

describe('csvCell', () => {
	it.each([
		['plain', '"plain"'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'],
		['+cmd', '"\'+cmd"'],
		['-2+3', '"\'-2+3"'],
		['@SUM(A1)', '"\'@SUM(A1)"'],
		['\t=1', '"\t\'=1"'],
		['  =1', '"\'  =1"'],
		['"=1', '"\'""=1"'],
		['\uff1dSUM(A1)', '"\'\uff1dSUM(A1)"'],
		['', '""']
	])('%j -> %j', (value, cell) => {
		expect(csvCell(value)).toBe(cell);
	});

	it('quotes every cell, numbers, booleans and empty cells included', () => {
		expect(csvCell(-5)).toBe('"-5"');
		expect(csvCell(true)).toBe('"true"');
		expect(csvCell(null)).toBe('""');
	});

	it('leaves plain numbers and matrix answers as they are (a number is never run)', () => {
		expect(csvCell('-0.25')).toBe('"-0.25"');
		expect(csvCell('+1e-3')).toBe('"+1e-3"');
		expect(csvCell('0.1, -0.2; 0.3, -0.4\n-1 2')).toBe('"0.1, -0.2; 0.3, -0.4\n-1 2"');
	});

	it("a CSV cell with a formula after ';' is not run by a spreadsheet", () => {
		expect(csvCell('a;=1+1')).toBe('"a;\'=1+1"');
		expect(csvCell('0.5;-2+3')).toBe('"0.5;\'-2+3"');
		expect(csvCell('x;-1')).toBe('"x;\'-1"');
	});

	it('a CSV cell with a formula after a tab, comma or line break is not run by a spreadsheet', () => {
		expect(csvCell('a\t@SUM(A1)')).toBe('"a\t\'@SUM(A1)"');
		expect(csvCell('a, =cmd|x')).toBe('"a,\' =cmd|x"');
		expect(csvCell('a\r\n+cmd')).toBe('"a\r\n\'+cmd"');
	});

	/** A spreadsheet that splits on `sep` and ignores quotes: every cell it would see. */
	const naiveCells = (csv: string, sep: RegExp) =>
		csv.split(sep).map((cell) => cell.replace(/^[\s\u3000"]+|"+$/g, ''));
	const numbersOnly = (cell: string) =>
		cell
			.split(/[,;\t\r\n]/)
			.flatMap((piece) => piece.trim().split(/\s+/))
			.every((n) => /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)?$/.test(n));
	const runsFormula = (cell: string) =>
		/^[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(cell) && !numbersOnly(cell);

	it('no text makes a cell that a spreadsheet splitting on , ; tab or line breaks would run', () => {
		const alphabet = fc.constantFrom(...'=+-@,;\t\r\n "\'a1.\uff1d\u3000');
		fc.assert(
			fc.property(fc.string({ unit: alphabet, maxLength: 12 }), (text) => {
				const cell = csvCell(text);
				expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
				for (const sep of [/,/, /;/, /\t/, /\r\n|\r|\n/]) {
					expect(naiveCells(cell, sep).filter(runsFormula), JSON.stringify(text)).toEqual([]);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('exportReviewsCsvBlob', () => {
	it('exports the log card by card with a header; hostile answers come back as text', async () => {
		const db = await freshDb();
		const t0 = Date.UTC(2025, 0, 2, 3, 4, 5);
		const answers = ['=1+1', 'a,"b"\nc', '<script>x</script>'];
		for (const [i, rawAnswer] of answers.entries()) {
			await recordReview(db, {
				cardId: `deck/q-${i}`,
				deckId: 'deck',
				time: t0 + (2 - i) * 1000,
				rating: 3,
				correct: i === 0 ? true : null,
				rawAnswer,
				seed: -7,
				durationMs: 1500,
				...(i === 1 && { misconception: 'no-scaling' })
			});
		}
		const blob = await exportReviewsCsvBlob(db, { pageSize: 2 });
		// UTF-8 byte-order mark (Blob.text() decodes it away)
		expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = parseCsv(await blob.text());
		expect(rows[0]).toEqual([
			'id',
			'time',
			'time_ms',
			'card_id',
			'deck_id',
			'rating',
			'rating_name',
			'correct',
			'raw_answer',
			'seed',
			'duration_ms',
			'undoes',
			'misconception',
			'action',
			'buried_until'
		]);
		expect(rows.every((r) => r.length === 15)).toBe(true);
		expect(rows.slice(1).map((r) => [r[1], r[3], r[6], r[7], r[8], r[9], r[10], r[12]])).toEqual([
			['2025-01-02T03:04:07.000Z', 'deck/q-0', 'Good', 'true', "'=1+1", '-7', '1500', ''],
			['2025-01-02T03:04:06.000Z', 'deck/q-1', 'Good', '', 'a,"b"\nc', '-7', '1500', 'no-scaling'],
			['2025-01-02T03:04:05.000Z', 'deck/q-2', 'Good', '', '<script>x</script>', '-7', '1500', '']
		]);
	});
});
