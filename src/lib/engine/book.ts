/**
 * The book's running example (chapter 3), kept once here: every layer that shows or computes it
 * (lesson figures, deck validation, quizzes) imports it from `$lib/engine`.
 */
import type { Matrix } from './ndarray.js';

/** Words of the book's running example, "Your journey starts with one step" (§3.3). */
export const BOOK_TOKENS = ['Your', 'journey', 'starts', 'with', 'one', 'step'] as const;

/** The book's 3-dimensional embeddings of {@link BOOK_TOKENS}, one row per token (§3.3.1). */
export const BOOK_INPUTS: Matrix = [
	[0.43, 0.15, 0.89],
	[0.55, 0.87, 0.66],
	[0.57, 0.85, 0.64],
	[0.22, 0.58, 0.33],
	[0.77, 0.25, 0.1],
	[0.05, 0.8, 0.55]
];

/**
 * The book's `torch.manual_seed(123)`: it draws W_query, W_key and W_value with `torch.rand` (§3.4.1)
 * and seeds the module classes' examples (§3.4.2–§3.6). Questions that name no seed use it.
 */
export const BOOK_SEED = 123;
