/**
 * Opens the card details dialog. The study view and /progress's list of cards load this module with
 * `import()` when the learner asks for details; it has no static imports of its own, so the study
 * pages' first load carries only the button and a short import (not the list of the dialog's
 * chunks that a preload would need). The dialog is mounted into the page's `<main>` and unmounted
 * when it closes.
 */
import type { QuestionView } from '$lib/content/present';
import type { CardAction } from '$lib/scheduler';
import type { CardActionResult } from '$lib/progress/card-actions';
import type { StudySession } from './study-session.svelte';

export interface CardDetailsTarget {
	cardId: string;
	deckId: string;
	/** The question as plain text, or its rendered prompt (`promptHtml`). */
	prompt?: string;
	promptHtml?: string;
	onchanged?: (action: CardAction, result: CardActionResult) => void;
	/** After the dialog has closed and is gone (the browser has put focus back on its opener). */
	onclosed?: () => void;
}

export async function mountCardDetails(target: CardDetailsTarget): Promise<void> {
	const [{ mount, unmount }, { default: CardDetails }] = await Promise.all([
		import('svelte'),
		import('./card-details.svelte')
	]);
	const dialog: ReturnType<typeof mount> = mount(CardDetails, {
		target: document.querySelector('main') ?? document.body,
		props: {
			cardId: target.cardId,
			deckId: target.deckId,
			prompt: target.prompt,
			promptHtml: target.promptHtml,
			// after the close event has run its course
			onclose: () =>
				queueMicrotask(() => {
					void unmount(dialog);
					target.onclosed?.();
				}),
			onchanged: target.onchanged
		}
	});
}

/** Details of the study session's card on screen; an action on it updates the session. */
export function openCardDetails(session: StudySession, view: QuestionView): Promise<void> {
	return mountCardDetails({
		cardId: view.id,
		deckId: view.deck,
		promptHtml: view.promptHtml,
		onchanged: (action, result) =>
			session.cardChanged(
				view.id,
				result.card,
				action === 'suspend' || action === 'bury',
				Date.now()
			)
	});
}
