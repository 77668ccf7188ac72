/** Problems of one ```quiz block, reported at their file line. */
import type { z } from 'zod';
import type { ContentIssue } from './errors.js';
import { schemaProblems } from './schema.js';
import type { YamlBlock, YamlPath } from './yaml-block.js';

/** Reports problems for one block; `ctx` names the question in messages. */
export class Reporter {
	ctx = 'question';

	constructor(
		readonly block: YamlBlock,
		/** The line of the opening fence. */
		readonly openingLine: number,
		readonly issues: ContentIssue[]
	) {}

	at(path: YamlPath, message: string, key = false): void {
		this.atLine(this.block.lineOf(path, key), message);
	}

	atLine(line: number, message: string): void {
		this.issues.push({ file: this.block.file, line, message: `${this.ctx}: ${message}` });
	}

	/** Missing top-level fields point at the fence; deeper ones at their nearest ancestor. */
	schema(error: z.ZodError, data: unknown): void {
		for (const { path, atKey, missing, message } of schemaProblems(error, data)) {
			if (missing && path.length === 1) this.atLine(this.openingLine, message);
			else this.at(path, message, atKey);
		}
	}
}
