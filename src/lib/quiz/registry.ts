/** Every target of `TARGETS` (content) to its computation, by the book's section. */

import type { TargetName } from '../content/index.js';
import type { Computation } from './context.js';
import { CAUSAL_TARGETS } from './targets/causal.js';
import { MULTI_HEAD_TARGETS } from './targets/multi-head.js';
import { SIMPLE_TARGETS } from './targets/simple.js';
import { TRAINABLE_TARGETS } from './targets/trainable.js';

/** §3.3 simple attention, §3.4 trainable weights, §3.5 causal attention, §3.6 multi-head. */
export const TARGET_COMPUTATIONS: Record<TargetName, Computation> = {
	...SIMPLE_TARGETS,
	...TRAINABLE_TARGETS,
	...CAUSAL_TARGETS,
	...MULTI_HEAD_TARGETS
};
