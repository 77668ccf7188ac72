/**
 * Opens the card details dialog for a study session's card. The study view loads this module with
 * `import()` when the learner asks for details; it has no static imports of its own, so the study
 * pages' first load carries only the button and a short import (not the list of the dialog's
 * chunks that a preload would need). The dialog is mounted into the page's `<main>` and unmounted
 * when it closes.
 */
import type { QuestionView } from '$lib/content/present';
import type { StudySession } from './study-session.svelte';

export async function openCardDetails(session: StudySession, view: QuestionView): Promise<void> {
	const [{ mount, unmount }, { default: CardDetails, promptText }] = await Promise.all([
		import('svelte'),
		import('./card-details.svelte')
	]);
	const target = document.querySelector('main') ?? document.body;
	const dialog: ReturnType<typeof mount> = mount(CardDetails, {
		target,
		props: {
			cardId: view.id,
			deckId: view.deck,
			prompt: promptText(view.promptHtml),
			// after the close event has run its course
			onclose: () => queueMicrotask(() => void unmount(dialog)),
			onchanged: (action, result) =>
				session.cardChanged(
					view.id,
					result.card,
					action === 'suspend' || action === 'bury',
					Date.now()
				)
		}
	});
}
