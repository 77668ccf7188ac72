import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectStream, JsonStreamError } from '../../../src/lib/progress/json-stream.js';

type Event = ['value' | 'item' | 'end', string, unknown];

function scan(chunks: string[], maxEntryChars?: number): Event[] {
	const events: Event[] = [];
	const stream = new JsonObjectStream(
		{
			onValue: (key, value) => events.push(['value', key, value]),
			onItem: (key, index, value) => events.push(['item', `${key}[${index}]`, value]),
			onArrayEnd: (key, count) => events.push(['end', key, count])
		},
		maxEntryChars
	);
	for (const chunk of chunks) stream.write(chunk);
	stream.end();
	return events;
}

const sample =
	'\ufeff{"a": 1, "s": "x,}]\\"\\\\", "list": [1, {"k": "v]", "n": [1, [2]]}, "q\\"uote", null],\n' +
	' "empty": [], "obj": {"deep": {"x": [1, 2]}}, "last": true }\n';

const expected: Event[] = [
	['value', 'a', 1],
	['value', 's', 'x,}]"\\'],
	['item', 'list[0]', 1],
	['item', 'list[1]', { k: 'v]', n: [1, [2]] }],
	['item', 'list[2]', 'q"uote'],
	['item', 'list[3]', null],
	['end', 'list', 4],
	['end', 'empty', 0],
	['value', 'obj', { deep: { x: [1, 2] } }],
	['value', 'last', true]
];

describe('JsonObjectStream', () => {
	it('hands over top-level members and array elements, parsed', () => {
		expect(scan([sample])).toEqual(expected);
	});

	it('gives the same result however the text is split into chunks', () => {
		for (let i = 0; i <= sample.length; i++) {
			expect(scan([sample.slice(0, i), sample.slice(i)])).toEqual(expected);
		}
		expect(scan([...sample])).toEqual(expected); // one character at a time
	});

	it('property: agrees with JSON.parse on random objects of arrays, split at random', () => {
		const value = fc.jsonValue({ maxDepth: 3 });
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.string({ maxLength: 6 }),
					fc.oneof(fc.array(value, { maxLength: 4 }), value),
					{
						maxKeys: 5
					}
				),
				fc.array(fc.nat(), { maxLength: 5 }),
				(object, cuts) => {
					const text = JSON.stringify(object, null, cuts.length % 2 ? 1 : undefined);
					const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
					const chunks = [0, ...points].map((p, i, all) =>
						text.slice(p, all[i + 1] ?? text.length)
					);
					const rebuilt: Record<string, unknown> = {};
					for (const [kind, key, v] of scan(chunks)) {
						if (kind === 'value') rebuilt[key] = v;
						else if (kind === 'item') {
							const name = key.slice(0, key.lastIndexOf('['));
							((rebuilt[name] ??= []) as unknown[]).push(v);
						} else rebuilt[key] ??= [];
					}
					expect(rebuilt).toEqual(JSON.parse(text));
				}
			),
			{ numRuns: 200 }
		);
	});

	it.each([
		['{"a":1', /ends too early/],
		['{"a":1}x', /after the end/],
		['[1]', /must start with \{/],
		['{"a" 1}', /expected :/],
		['{"a":1 "b":2}', /invalid JSON in "a"/],
		['{"a":[1,]}', /invalid JSON in "a"/],
		['{"a":1,"a":2}', /appears twice/],
		['{"a":[{"b":1}', /ends too early/],
		['{,}', /expected a member name/],
		['', /ends too early/]
	])('rejects %j', (text, reason) => {
		expect(() => scan([text])).toThrow(JsonStreamError);
		expect(() => scan([text])).toThrow(reason);
	});

	it('refuses an entry longer than the limit, even across chunks', () => {
		const big = '{"a":["' + 'x'.repeat(100) + '"]}';
		expect(() => scan([big.slice(0, 50), big.slice(50)], 60)).toThrow(/larger than 60/);
		expect(scan([big], 200)).toHaveLength(2);
	});
});
