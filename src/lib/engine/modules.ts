/**
 * The book's attention modules (§3.4.2–§3.6.2) with the book's names, arguments and random-draw
 * order. Constructors draw weights like PyTorch's constructors; dropout draws happen in `forward`,
 * in the order the book's forward runs them. Weights live in Float32Arrays; each forward uploads
 * them inside one `tf.tidy` and reads back plain arrays.
 *
 * One file a module family: `self-attention.ts` (§3.4.2), `causal-attention.ts` (§3.5.3, §3.6.1),
 * `multi-head-attention.ts` (§3.6.2); what they share is in `attention-core.ts`.
 */
export type { ModuleOptions } from './attention-core.js';
export { SelfAttention_v1, SelfAttention_v2, type SelfAttentionSteps } from './self-attention.js';
export {
	CausalAttention,
	MultiHeadAttentionWrapper,
	type CausalAttentionSteps,
	type WrapperSteps
} from './causal-attention.js';
export { MultiHeadAttention, type MultiHeadAttentionSteps } from './multi-head-attention.js';
