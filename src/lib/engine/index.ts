/**
 * The attention engine's public API (see README.md). tfjs is loaded lazily by `initEngine`;
 * everything that computes is synchronous afterwards and returns plain arrays.
 */
export {
	initEngine,
	isEngineReady,
	engineBackend,
	engineMemory,
	type EngineBackend,
	type InitOptions
} from './backend.js';
export type { Vector, Matrix, Tensor3, NestedArray } from './ndarray.js';
export { shapeOfRect } from './ndarray.js';
export { BOOK_INPUTS, BOOK_SEED, BOOK_TOKENS } from './book.js';
export {
	MT19937,
	Generator,
	DEFAULT_SEED,
	manualSeed,
	defaultGenerator,
	seedLow32,
	fma32,
	kaimingUniformBound,
	linearBiasBound,
	linearInit,
	linearInitData,
	type LinearData
} from './rng.js';
export {
	dot,
	attentionScores,
	allAttentionScores,
	naiveNormalize,
	naiveSoftmax,
	softmax,
	softmaxRows,
	contextVector,
	contextVectors,
	matmul,
	transpose,
	sum,
	batchedMatmul,
	transposeLastTwo,
	projectQKV,
	scaledAttentionWeights,
	causalMask,
	maskAndRenormalize,
	maskWithNegInf,
	causalAttentionWeights,
	dropout
} from './steps.js';
export {
	SelfAttention_v1,
	SelfAttention_v2,
	CausalAttention,
	MultiHeadAttentionWrapper,
	MultiHeadAttention,
	type ModuleOptions,
	type SelfAttentionSteps,
	type CausalAttentionSteps,
	type WrapperSteps,
	type MultiHeadAttentionSteps
} from './modules.js';
export {
	runPipeline,
	PIPELINE_MODULES,
	MASK_MODES,
	type PipelineModule,
	type MaskMode,
	type PipelineConfig,
	type PipelineHead,
	type PipelineResult
} from './pipeline.js';
export { plainLinear, plainMultiHeadAttention, type PlainMhaParams } from './plain.js';
export {
	runSpec,
	validateSpec,
	parseSpecJson,
	jsonDepth,
	SpecError,
	SPEC_LIMITS,
	MODULE_NAMES,
	type AttentionSpec,
	type ModuleName,
	type SpecResult
} from './spec.js';
