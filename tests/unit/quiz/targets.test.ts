import { describe, expect, it } from 'vitest';
import { TARGET_NAMES, TARGETS } from '../../../src/lib/content/index.js';
import { CAUSAL_TARGETS } from '../../../src/lib/quiz/targets/causal.js';
import { MULTI_HEAD_TARGETS } from '../../../src/lib/quiz/targets/multi-head.js';
import { SIMPLE_TARGETS } from '../../../src/lib/quiz/targets/simple.js';
import { TRAINABLE_TARGETS } from '../../../src/lib/quiz/targets/trainable.js';

const BY_SECTION = {
	'3.3': SIMPLE_TARGETS,
	'3.4': TRAINABLE_TARGETS,
	'3.5': CAUSAL_TARGETS,
	'3.6': MULTI_HEAD_TARGETS
};

describe('target computations by book section', () => {
	it('each section file computes exactly the targets of its section', () => {
		for (const [section, targets] of Object.entries(BY_SECTION)) {
			const expected = TARGET_NAMES.filter(
				(name) =>
					TARGETS[name].section === section || TARGETS[name].section.startsWith(`${section}.`)
			);
			expect(Object.keys(targets).sort(), section).toEqual(expected.sort());
		}
	});

	it('every target is computed by one section file', () => {
		const computed = Object.values(BY_SECTION).flatMap((targets) => Object.keys(targets));
		expect(computed.sort()).toEqual([...TARGET_NAMES].sort());
	});
});
