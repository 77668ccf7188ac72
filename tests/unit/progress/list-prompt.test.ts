import { describe, expect, it } from 'vitest';
import { loadDecks } from '../../../src/lib/content/load.js';
import { markerNames } from '../../../src/lib/content/index.js';
import { listPrompt } from '../../../src/routes/progress/list-prompt.js';

describe('the /progress list of cards', () => {
	it('shows no {{marker}}: a cloze by its sentence with blanks (its blank names can give the answer away), an engine placeholder as ‹name›', async () => {
		const questions = (await loadDecks('content/en')).decks.flatMap((deck) => deck.questions);
		const cloze = questions.find((q) => q.kind === 'cloze' && markerNames(q.text).length > 1);
		const engine = questions.find((q) => q.kind !== 'cloze' && markerNames(q.prompt).length > 0);
		if (!cloze || cloze.kind !== 'cloze' || !engine) throw new Error('the course lacks the cases');
		for (const question of questions) expect(listPrompt(question)).not.toMatch(/\{\{/);
		const line = listPrompt(cloze);
		expect(line).toContain('___');
		for (const name of markerNames(cloze.text)) expect(line).not.toContain(`{{${name}}}`);
		expect(listPrompt(engine)).toContain(`‹${markerNames(engine.prompt)[0]}›`);
		expect(Math.max(...questions.map((q) => listPrompt(q).length))).toBeLessThanOrEqual(90);
	});
});
