/** The experiment form: its limits, its checks (with messages in the page's language) and the run config it makes. */
import {
	ConfigError,
	corpusLength,
	normalizeCorpus,
	resolveConfig,
	type ExperimentConfig
} from '$lib/experiment/config';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export const LIMITS = {
	steps: { min: 10, max: 2000 },
	lr: { min: 0.0001, max: 0.1 },
	dModel: [8, 16, 32, 64, 128],
	heads: [1, 2, 4, 8],
	/** A pasted text needs enough character pairs to learn from, and must stay quick to train. */
	corpusChars: { min: 500, max: 100_000 },
	corpusDistinct: 150
} as const;

export type CorpusKind = 'builtin' | 'pasted';

export interface PeekForm {
	steps: number;
	lr: number;
	dModel: number;
	heads: number;
	corpusKind: CorpusKind;
	pasted: string;
}

export type FormField = 'steps' | 'lr' | 'dModel' | 'heads' | 'pasted';
export type FormErrors = Partial<Record<FormField, string>>;

/** Checks the form against LIMITS and the experiment's own rules; returns one message per bad field. */
export function validateForm(form: PeekForm): FormErrors {
	const errors: FormErrors = {};
	const { steps, lr } = LIMITS;
	if (!Number.isInteger(form.steps) || form.steps < steps.min || form.steps > steps.max) {
		errors.steps = m.experiment_error_steps({ min: steps.min, max: steps.max });
	}
	if (!Number.isFinite(form.lr) || form.lr < lr.min || form.lr > lr.max) {
		errors.lr = m.experiment_error_lr({ min: lr.min, max: lr.max });
	}
	if (!(LIMITS.dModel as readonly number[]).includes(form.dModel)) {
		const values = LIMITS.dModel.join(getLocale() === 'zh' ? '、' : ', ');
		errors.dModel = m.experiment_error_d_model({ values });
	}
	if (!(LIMITS.heads as readonly number[]).includes(form.heads) || form.dModel % form.heads !== 0) {
		errors.heads = m.experiment_error_heads({ dModel: form.dModel });
	}
	if (form.corpusKind === 'pasted') {
		// counted as the model will read it: normalised, in code points (an emoji is one character)
		const text = normalizeCorpus(form.pasted);
		const count = corpusLength(text);
		const { min, max } = LIMITS.corpusChars;
		const distinct = new Set(text).size;
		if (text.trim().length === 0) {
			errors.pasted = m.experiment_error_pasted_empty({ min });
		} else if (count < min) {
			errors.pasted = m.experiment_error_pasted_short({ count, min });
		} else if (count > max) {
			errors.pasted = m.experiment_error_pasted_long({ count, max });
		} else if (distinct > LIMITS.corpusDistinct) {
			errors.pasted = m.experiment_error_pasted_distinct({
				count: distinct,
				max: LIMITS.corpusDistinct
			});
		}
	}
	if (Object.keys(errors).length === 0) {
		try {
			resolveConfig(toConfig(form));
		} catch (error) {
			if (!(error instanceof ConfigError)) throw error;
			const field: FormField =
				error.field === 'corpus' || error.field === 'prompt' ? 'pasted' : 'steps';
			// the detail is the experiment layer's own (technical, English) wording
			errors[field] = m.experiment_error_rejected({ detail: error.message });
		}
	}
	return errors;
}

export function toConfig(form: PeekForm): Partial<ExperimentConfig> {
	return {
		steps: form.steps,
		lr: form.lr,
		dModel: form.dModel,
		heads: form.heads,
		...(form.corpusKind === 'pasted' ? { corpus: form.pasted } : {})
	};
}
