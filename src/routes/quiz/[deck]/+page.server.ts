import { error } from '@sveltejs/kit';
import { course, deckView } from '$lib/server/course';
import { m } from '$lib/paraglide/messages';
import type { EntryGenerator } from './$types';

export const entries: EntryGenerator = () => course().decks.map((deck) => ({ deck: deck.id }));

export function load({ params }) {
	const deck = deckView(params.deck);
	if (!deck) error(404, m.study_no_deck({ deck: params.deck }));
	return { deck: { id: deck.id, title: deck.title, order: deck.order }, questions: deck.questions };
}
