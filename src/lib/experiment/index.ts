/**
 * The peek-at-the-future experiment: public API. Safe to import anywhere: config, types and
 * protocol, and `runExperiment` (run.ts), which imports the model code, and tfjs with it, when a run
 * starts. The worker's own pieces (`createPeekHandler` in worker-protocol.ts, `yieldToEventLoop` and
 * `tailMedian`) load tfjs and are not re-exported here. Runs in Node (tsx: call
 * installTfjsNodeResolver() from ./node-resolve.js before a run), vitest and Vite (page or worker).
 * See README.md.
 */
export { runExperiment } from './run.js';
export type { ExperimentHooks, RunOutcome, StepInfo } from './experiment.js';
export type { ArmEnd, ArmResult, AttentionMap, ExperimentResult } from './result.js';
export type { ArmStepMetrics } from './arm.js';
export { ConfigError, DEFAULT_CONFIG, resolveConfig } from './config.js';
export type { BackendName, ExperimentConfig } from './config.js';
export { DEFAULT_CORPUS } from './corpus.js';
export type { PeekRequest, PeekResponse } from './worker-protocol.js';
