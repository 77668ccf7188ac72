/**
 * The summary a saved run of the peek-at-the-future experiment keeps (`ExperimentRunRow.summary`):
 * where each model's curves ended, and how long the run took. The experiment page writes an
 * `ExperimentRunSummary`; what is stored is a `SavedRunSummary`, the same fields with each one
 * optional and other fields kept, because runs imported from a backup or saved by an older version
 * may lack fields or hold others. `readRunSummary` reads any stored value as one, never failing.
 */
import * as z from 'zod/mini';

/** One model's values at the end of the run. */
const armResultSchema = z.object({
	train_loss: z.number(),
	honest_loss: z.number(),
	grad_norm: z.number(),
	sample_divergence: z.number(),
	/** Share of attention on the next token (what the unmasked model learns to peek at). */
	next_token_share: z.number()
});

/** What a run of the experiment saves: the model with the causal mask and the one without. */
export const experimentRunSummarySchema = z.object({
	masked: armResultSchema,
	unmasked: armResultSchema,
	/** The divergence between two passages of the real text: the reference for the samples'. */
	corpus_passage_divergence: z.number(),
	/** Training and sampling, in the worker (ms). */
	total_ms: z.number(),
	/** From pressing Run to the result (ms). */
	wall_ms: z.number()
});

export type ArmResult = z.infer<typeof armResultSchema>;
export type ExperimentRunSummary = z.infer<typeof experimentRunSummarySchema>;

const savedArmSchema = z.partial(z.looseObject(armResultSchema.shape));

/** A stored summary: the fields of `ExperimentRunSummary`, each optional, and any others. */
export const savedRunSummarySchema = z.looseObject({
	masked: z.optional(savedArmSchema),
	unmasked: z.optional(savedArmSchema),
	corpus_passage_divergence: z.optional(z.number()),
	total_ms: z.optional(z.number()),
	wall_ms: z.optional(z.number())
});

export type SavedRunSummary = z.infer<typeof savedRunSummarySchema>;

/**
 * Any stored summary as a `SavedRunSummary`: a known field whose value does not fit (a run stored
 * before summaries were checked) is left out; everything else is kept as stored.
 */
export function readRunSummary(stored: unknown): SavedRunSummary {
	let value: unknown = isRecord(stored) ? stored : {};
	// each round removes the values the issues point at (an arm's field, else the field itself)
	for (let round = 0; round < 3; round++) {
		const parsed = savedRunSummarySchema.safeParse(value);
		if (parsed.success) return parsed.data;
		value = without(value as Record<string, unknown>, parsed.error.issues);
	}
	return {};
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `value` without what the issues' paths point at. */
function without(
	value: Record<string, unknown>,
	issues: readonly { path: PropertyKey[] }[]
): Record<string, unknown> {
	const copy = { ...value };
	for (const { path } of issues) {
		const [key, inner] = path.map(String);
		const arm = copy[key];
		if (inner !== undefined && isRecord(arm)) {
			const { [inner]: _dropped, ...rest } = arm;
			copy[key] = rest;
		} else if (key !== undefined) {
			delete copy[key];
		}
	}
	return copy;
}
