/**
 * The tfjs loader for training: tf-loader.ts plus every kernel's gradient (tfjs-core's
 * `register_all_gradients`). The experiment imports this one; the engine, which runs forward passes
 * only, imports tf-loader.ts and so never downloads the gradients. Same rule as tf-loader.ts: import
 * it only lazily. In Node under tsx the gradients are tfjs-core's ESM sources, which need
 * `installTfjsNodeResolver()` (experiment/node-resolve.ts) before this module is imported; Vite and
 * vitest need nothing.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from './tf-loader.js';
