import { error } from '@sveltejs/kit';
import { course, deckView } from '$lib/server/course';
import type { EntryGenerator } from './$types';

export const entries: EntryGenerator = () => course().decks.map((deck) => ({ deck: deck.id }));

export function load({ params }) {
	const deck = deckView(params.deck);
	if (!deck) error(404, `No deck called “${params.deck}”`);
	return { deck: { id: deck.id, title: deck.title, order: deck.order }, questions: deck.questions };
}
