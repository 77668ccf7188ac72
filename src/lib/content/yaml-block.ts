/** A YAML snippet of a deck (front matter or a quiz block) that knows the file lines of its nodes. */

import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ContentIssue } from './errors.js';

export type YamlPath = readonly (string | number)[];

export class YamlBlock {
	readonly data: unknown;
	readonly issues: ContentIssue[];
	private readonly doc: Document;
	private readonly lines = new LineCounter();

	/** `firstLine` is the file line of the snippet's first line. */
	constructor(
		text: string,
		readonly file: string,
		readonly firstLine: number
	) {
		this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
		this.issues = this.doc.errors.map((error) => ({
			file,
			line: this.lineAt(error.pos[0]),
			message: `invalid YAML: ${error.message.split('\n')[0]}`
		}));
		this.data = this.issues.length === 0 ? this.doc.toJS() : undefined;
	}

	/**
	 * File line of the node at `path` (of its key when `key` is set). A path that does not exist
	 * points at its deepest existing ancestor.
	 */
	lineOf(path: YamlPath, key = false): number {
		let node: unknown = this.doc.contents;
		let offset = rangeStart(node) ?? 0;
		for (let i = 0; i < path.length; i++) {
			const found = child(node, path[i]);
			if (!found) break;
			const last = i === path.length - 1;
			offset = rangeStart(last && key ? found.key : found.value) ?? offset;
			node = found.value;
		}
		return this.lineAt(offset);
	}

	private lineAt(offset: number): number {
		return this.lines.linePos(offset).line + this.firstLine - 1;
	}
}

function rangeStart(node: unknown): number | undefined {
	if (node && typeof node === 'object' && 'range' in node) {
		const range = (node as { range?: [number, number, number] | null }).range;
		return range?.[0];
	}
	return undefined;
}

function child(node: unknown, segment: string | number): { key: unknown; value: unknown } | null {
	if (isMap(node)) {
		const pair = node.items.find((item) => isPair(item) && keyName(item.key) === String(segment));
		return pair ? { key: pair.key, value: pair.value } : null;
	}
	if (isSeq(node) && typeof segment === 'number') {
		const item = node.items[segment];
		return item === undefined ? null : { key: item, value: item };
	}
	return null;
}

function keyName(key: unknown): string | undefined {
	return isScalar(key) ? String(key.value) : undefined;
}
