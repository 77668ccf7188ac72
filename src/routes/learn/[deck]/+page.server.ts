import { error } from '@sveltejs/kit';
import { course, deckView } from '$lib/server/course';
import { m } from '$lib/paraglide/messages';
import type { EntryGenerator } from './$types';

export const entries: EntryGenerator = () => course().decks.map((deck) => ({ deck: deck.id }));

export function load({ params }) {
	const deck = deckView(params.deck);
	if (!deck) error(404, m.study_no_lesson({ deck: params.deck }));
	const decks = course().decks;
	const at = decks.findIndex((d) => d.id === deck.id);
	const neighbour = (i: number) => (decks[i] ? { id: decks[i].id, title: decks[i].title } : null);
	return { deck, previous: neighbour(at - 1), next: neighbour(at + 1) };
}
