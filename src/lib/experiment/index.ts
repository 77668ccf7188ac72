/**
 * The peek-at-the-future experiment: public API. Safe to import anywhere: no module behind it imports
 * tfjs statically; `runExperiment` loads it (through $lib/engine's tf-loader) when a run starts.
 * Runs in Node (tsx: call installTfjsNodeResolver() from ./node-resolve.js before a run), vitest and
 * Vite (page or worker). See README.md.
 */
export { runExperiment, yieldToEventLoop } from './experiment.js';
export type { ExperimentHooks, RunOutcome, StepInfo } from './experiment.js';
export { tailMedian } from './result.js';
export type { ArmEnd, ArmResult, AttentionMap, ExperimentResult } from './result.js';
export type { ArmStepMetrics } from './arm.js';
export { ConfigError, DEFAULT_CONFIG, resolveConfig } from './config.js';
export type { BackendName, ExperimentConfig } from './config.js';
export { DEFAULT_CORPUS } from './corpus.js';
export { createPeekHandler } from './worker-protocol.js';
export type { PeekRequest, PeekResponse } from './worker-protocol.js';
