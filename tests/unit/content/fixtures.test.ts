import { describe, expect, it } from 'vitest';
import { formatIssue, TARGET_NAMES } from '../../../src/lib/content/index.js';
import { checkDeckDir, loadDecks } from '../../../src/lib/content/load.js';

const dir = 'tests/fixtures/content';

/** Each broken fixture folder and the one error it must produce, exactly. */
const expected: Record<string, string> = {
	'broken-missing-title': `${dir}/broken-missing-title/01-missing-title.md:1: Missing title in front matter`,
	'broken-front-matter-yaml': `${dir}/broken-front-matter-yaml/01-front-matter-yaml.md:5: front matter: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
	'broken-duplicate-id': `${dir}/broken-duplicate-id/01-duplicate-id.md:21: duplicate question id "q-scale" (first seen at ${dir}/broken-duplicate-id/01-duplicate-id.md:11)`,
	'broken-unknown-kind': `${dir}/broken-unknown-kind/01-unknown-kind.md:11: question "fixture-essay": unknown kind "essay" (expected one of flashcard, multiple-choice, cloze, number, vector, matrix)`,
	'broken-quiz-yaml': `${dir}/broken-quiz-yaml/01-quiz-yaml.md:16: quiz block: invalid YAML: Missing closing "quote`,
	'broken-engine-answer': `${dir}/broken-engine-answer/01-engine-answer.md:19: question "fixture-stored-answer": an engine-checked question must not store its answer ("answer"): the engine computes it`,
	'broken-unknown-target': `${dir}/broken-unknown-target/01-unknown-target.md:14: question "fixture-magic": unknown compute target "attention-magic" (known targets: ${TARGET_NAMES.join(', ')})`,
	'broken-missing-explanation': `${dir}/broken-missing-explanation/01-missing-explanation.md:11: question "fixture-no-why": missing "explanation"`
};

describe('broken deck fixtures', () => {
	for (const [folder, message] of Object.entries(expected)) {
		it(`${folder} fails with its file:line error`, async () => {
			const { decks, issues } = await checkDeckDir(`${dir}/${folder}`);
			expect(issues.map(formatIssue)).toEqual([message]);
			expect(decks).toEqual([]);
		});

		it(`${folder} makes loadDecks throw`, async () => {
			await expect(loadDecks(`${dir}/${folder}`)).rejects.toThrow(message);
		});
	}
});
