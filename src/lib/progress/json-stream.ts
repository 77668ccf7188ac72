/**
 * A streaming reader for one JSON object whose big members are arrays (a backup file): text is fed
 * in chunks, and each top-level member, or each element of a top-level array, is handed over as soon
 * as it is complete, parsed with `JSON.parse`. Memory holds one element at a time, never the file.
 *
 * The scanner only finds element boundaries (it tracks strings, escapes and nesting); `JSON.parse`
 * checks each element's syntax. Anything else (not an object, a repeated member, data after the
 * end, a file that stops early, an element over `maxEntryChars`) throws `JsonStreamError`.
 */

export class JsonStreamError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'JsonStreamError';
	}
}

export interface JsonStreamHandlers {
	/** A top-level member that is not an array. */
	onValue(key: string, value: unknown): void;
	/** One element of the top-level array member `key`. */
	onItem(key: string, index: number, value: unknown): void;
	/** The top-level array member `key` ended after `count` elements. */
	onArrayEnd?(key: string, count: number): void;
}

const enum S {
	BeforeRoot,
	KeyOrEnd,
	Key,
	InKey,
	Colon,
	Value,
	InValue,
	ItemOrEnd,
	Item,
	InItem,
	AfterValue,
	AfterRoot
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(c: number): boolean {
	return c === 32 || c === 10 || c === 13 || c === 9;
}

export class JsonObjectStream {
	private state = S.BeforeRoot;
	private inString = false;
	private escaped = false;
	private nesting = 0;
	private parts: string[] = [];
	private partChars = 0;
	private capturing = false;
	private key = '';
	private index = 0;
	private readonly seenKeys = new Set<string>();
	private offset = 0;

	constructor(
		private readonly handlers: JsonStreamHandlers,
		private readonly maxEntryChars = 2_000_000
	) {}

	/** Feeds the next piece of text. */
	write(chunk: string): void {
		let start = 0;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk.charCodeAt(i);
			switch (this.state) {
				case S.BeforeRoot:
					if (isSpace(c) || (c === 0xfeff && this.offset + i === 0)) break;
					if (c !== OPEN_BRACE) this.fail(c, i, 'the file must start with {');
					this.state = S.KeyOrEnd;
					break;
				case S.KeyOrEnd:
				case S.Key:
					if (isSpace(c)) break;
					if (c === CLOSE_BRACE && this.state === S.KeyOrEnd) {
						this.state = S.AfterRoot;
						break;
					}
					if (c !== QUOTE) this.fail(c, i, 'expected a member name');
					this.state = S.InKey;
					start = this.begin(i);
					break;
				case S.InKey:
					if (this.stringChar(c)) break;
					this.key = this.finish(chunk, start, i + 1) as string;
					if (this.seenKeys.has(this.key)) {
						throw new JsonStreamError(`member "${this.key}" appears twice`);
					}
					this.seenKeys.add(this.key);
					this.state = S.Colon;
					break;
				case S.Colon:
					if (isSpace(c)) break;
					if (c !== COLON) this.fail(c, i, 'expected :');
					this.state = S.Value;
					break;
				case S.Value:
					if (isSpace(c)) break;
					if (c === OPEN_BRACKET) {
						this.state = S.ItemOrEnd;
						this.index = 0;
						break;
					}
					this.state = S.InValue;
					start = this.begin(i);
					i = this.scanValue(chunk, i, start);
					break;
				case S.InValue:
					i = this.scanValue(chunk, i, start);
					break;
				case S.ItemOrEnd:
				case S.Item:
					if (isSpace(c)) break;
					if (c === CLOSE_BRACKET && this.state === S.ItemOrEnd) {
						this.handlers.onArrayEnd?.(this.key, this.index);
						this.state = S.AfterValue;
						break;
					}
					this.state = S.InItem;
					start = this.begin(i);
					i = this.scanItem(chunk, i, start);
					break;
				case S.InItem:
					i = this.scanItem(chunk, i, start);
					break;
				case S.AfterValue:
					if (isSpace(c)) break;
					if (c === COMMA) this.state = S.Key;
					else if (c === CLOSE_BRACE) this.state = S.AfterRoot;
					else this.fail(c, i, 'expected , or }');
					break;
				case S.AfterRoot:
					if (!isSpace(c)) this.fail(c, i, 'unexpected data after the end of the file');
					break;
			}
		}
		if (this.capturing) this.keep(chunk.slice(start));
		this.offset += chunk.length;
	}

	/** Call once all text was written. */
	end(): void {
		if (this.state !== S.AfterRoot) {
			throw new JsonStreamError('the file ends too early: it is truncated or not a backup');
		}
	}

	/** Inside a top-level member value: ends at `,` or `}` outside strings and nesting. */
	private scanValue(chunk: string, i: number, start: number): number {
		const end = this.scanEntry(chunk, i, CLOSE_BRACE);
		if (end === chunk.length) return end - 1;
		const c = chunk.charCodeAt(end);
		this.handlers.onValue(this.key, this.finish(chunk, start, end));
		this.state = c === COMMA ? S.Key : S.AfterRoot;
		return end;
	}

	/** Inside an array element: ends at `,` or `]` outside strings and nesting. */
	private scanItem(chunk: string, i: number, start: number): number {
		const end = this.scanEntry(chunk, i, CLOSE_BRACKET);
		if (end === chunk.length) return end - 1;
		const c = chunk.charCodeAt(end);
		this.handlers.onItem(this.key, this.index++, this.finish(chunk, start, end));
		if (c === COMMA) this.state = S.Item;
		else {
			this.handlers.onArrayEnd?.(this.key, this.index);
			this.state = S.AfterValue;
		}
		return end;
	}

	/**
	 * Scans an entry from `i`, tracking strings, escapes and nesting, up to the first `,` or `closer`
	 * outside them. Returns its index, or the chunk length when the entry goes on in the next chunk.
	 */
	private scanEntry(chunk: string, i: number, closer: number): number {
		let nesting = this.nesting;
		let inString = this.inString;
		let escaped = this.escaped;
		const n = chunk.length;
		for (; i < n; i++) {
			const c = chunk.charCodeAt(i);
			if (inString) {
				if (escaped) escaped = false;
				else if (c === BACKSLASH) escaped = true;
				else if (c === QUOTE) inString = false;
			} else if (c === QUOTE) inString = true;
			else if (c === OPEN_BRACE || c === OPEN_BRACKET) nesting++;
			else if (nesting > 0) {
				if (c === CLOSE_BRACE || c === CLOSE_BRACKET) nesting--;
			} else if (c === COMMA || c === closer) break;
		}
		this.nesting = nesting;
		this.inString = inString;
		this.escaped = escaped;
		return i;
	}

	/** Inside a string: returns false at its closing quote. */
	private stringChar(c: number): boolean {
		if (this.escaped) this.escaped = false;
		else if (c === BACKSLASH) this.escaped = true;
		else if (c === QUOTE) {
			this.inString = false;
			return false;
		}
		return true;
	}

	private begin(i: number): number {
		this.capturing = true;
		this.parts = [];
		this.partChars = 0;
		this.nesting = 0;
		this.inString = this.state === S.InKey;
		this.escaped = false;
		return i;
	}

	private keep(text: string): void {
		this.partChars += text.length;
		if (this.partChars > this.maxEntryChars) {
			throw new JsonStreamError(
				`an entry of "${this.key}" is larger than ${this.maxEntryChars} characters`
			);
		}
		this.parts.push(text);
	}

	private finish(chunk: string, start: number, end: number): unknown {
		this.keep(chunk.slice(start, end));
		this.capturing = false;
		const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
		this.parts = [];
		try {
			return JSON.parse(text);
		} catch (error) {
			const where = this.state === S.InKey ? 'a member name' : `"${this.key}"`;
			throw new JsonStreamError(`invalid JSON in ${where}: ${(error as Error).message}`);
		}
	}

	private fail(c: number, i: number, expected: string): never {
		const shown = JSON.stringify(String.fromCharCode(c));
		throw new JsonStreamError(`${expected}, found ${shown} at character ${this.offset + i}`);
	}
}
