/**
 * The playground's state layer (see README.md): what the learner edits, the link that carries it and
 * the rules it must obey. Framework-free; imports only the engine.
 */
export {
	COMPARISONS,
	LIMITS,
	MASK_MODES,
	PLAYGROUND_MODULES,
	bookState,
	moduleDefaults,
	type Comparison,
	type MaskMode,
	type PlaygroundModule,
	type PlaygroundState
} from './state.js';
export { checkState, decodeState, encodeState, type DecodedState } from './url.js';
