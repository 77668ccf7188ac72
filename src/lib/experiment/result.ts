import type { Arm, ArmStepMetrics } from './arm.js';
import type { BackendName, ExperimentConfig } from './config.js';
import type { Vocab } from './data.js';
import { generate } from './generate.js';
import { passageDivergence, sampleDivergence } from './measure.js';
import { mulberry32 } from '../random/rng.js';
import type { tf } from './tf.js';

/** Each arm's attention on one window of the corpus, with its own training mask. */
export interface AttentionMap {
	tokens: string[];
	/** [heads][query position][key position]. */
	weights: number[][][];
	/** Mean weight a position gives the next one: ~1 when the arm copies, exactly 0 with the mask. */
	next_token_share: number;
}

/** Where a curve ends: the median of its last 10% of steps, robust to Adam's occasional spikes. */
export interface ArmEnd {
	train_loss: number;
	honest_loss: number;
	grad_norm: number;
}

export interface ArmResult {
	causal_mask: boolean;
	/** One value per step. */
	train_loss: number[];
	honest_loss: number[];
	grad_norm: number[];
	end: ArmEnd;
	ms_per_step: number;
	/** The prompt followed by the generated characters. */
	sample: string;
	/** Character-bigram JSD (bits) between the generated characters and the corpus; see sample_measure. */
	sample_divergence: number;
	attention: AttentionMap;
}

export interface ExperimentResult {
	config: {
		d_model: number;
		context: number;
		window: number;
		batch: number;
		steps: number;
		heads: number;
		vocab: number;
		lr: number;
		seed: number;
		backend: BackendName;
		corpus_chars: number;
		prompt: string;
		sample_length: number;
		temperature: number;
		honest_loss_on: string;
	};
	masked: ArmResult;
	unmasked: ArmResult;
	sample_measure: {
		name: string;
		/** The same measure for real passages of the corpus as long as a sample: the yardstick. */
		corpus_passage_divergence: number;
	};
	/** Mean wall time of one step of both arms. */
	ms_per_step: number;
	total_ms: number;
}

/** Per-arm history of the run. */
export interface Trace {
	train: number[];
	honest: number[];
	norm: number[];
	ms: number;
}

export const newTrace = (): Trace => ({ train: [], honest: [], norm: [], ms: 0 });

export function record(trace: Trace, metrics: ArmStepMetrics, ms: number) {
	trace.train.push(metrics.trainLoss);
	trace.honest.push(metrics.honestLoss);
	trace.norm.push(metrics.gradNorm);
	trace.ms += ms;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Median of the last ceil(10%) of the values. */
export function tailMedian(values: number[]): number {
	const tail = values.slice(-Math.max(1, Math.ceil(values.length / 10))).sort((a, b) => a - b);
	const mid = tail.length >> 1;
	return tail.length % 2 === 1 ? tail[mid] : (tail[mid - 1] + tail[mid]) / 2;
}

function attentionMap(arm: Arm, vocab: Vocab, window: Int32Array): AttentionMap {
	const weights = arm.attention(window);
	let share = 0;
	let count = 0;
	for (const head of weights) {
		for (let i = 0; i + 1 < head.length; i++, count++) share += head[i][i + 1];
	}
	return {
		tokens: Array.from(window, (id) => vocab.chars[id]),
		weights: weights.map((head) => head.map((row) => row.map((w) => round(w)))),
		next_token_share: count === 0 ? 0 : share / count
	};
}

/** What a finished run knows besides its traces. */
export interface RunContext {
	config: ExperimentConfig;
	backend: BackendName;
	vocab: Vocab;
	data: Int32Array;
	/** causalMask(context + 1): generation always uses it. */
	mask: tf.Tensor2D;
	/** Same seed for both arms, so their samples differ only by what the arms learned. */
	samplingSeed: number;
}

/** Maps attention, samples text and measures it, for both arms. */
export function summarise(
	{ config, backend, vocab, data, mask, samplingSeed }: RunContext,
	arms: { masked: Arm; unmasked: Arm },
	traces: { masked: Trace; unmasked: Trace }
): Omit<ExperimentResult, 'ms_per_step' | 'total_ms'> {
	const window = data.subarray(0, config.context + 1);
	const armResult = (arm: Arm, trace: Trace): ArmResult => {
		const sample = generate(arm.params, vocab, {
			prompt: config.prompt,
			length: config.sampleLength,
			window: config.context,
			temperature: config.temperature,
			heads: config.heads,
			mask,
			rng: mulberry32(samplingSeed)
		});
		const generated = sample.slice(config.prompt.length);
		return {
			causal_mask: arm.causal,
			train_loss: trace.train,
			honest_loss: trace.honest,
			grad_norm: trace.norm,
			end: {
				train_loss: tailMedian(trace.train),
				honest_loss: tailMedian(trace.honest),
				grad_norm: tailMedian(trace.norm)
			},
			ms_per_step: trace.ms / config.steps,
			sample,
			sample_divergence: sampleDivergence(config.corpus, generated),
			attention: attentionMap(arm, vocab, window)
		};
	};
	return {
		config: {
			d_model: config.dModel,
			context: config.context,
			window: config.context + 1,
			batch: config.batch,
			steps: config.steps,
			heads: config.heads,
			vocab: vocab.chars.length,
			lr: config.lr,
			seed: config.seed,
			backend,
			// characters as the vocabulary counts them: code points
			corpus_chars: Array.from(config.corpus).length,
			prompt: config.prompt,
			sample_length: config.sampleLength,
			temperature: config.temperature,
			honest_loss_on: 'the training batch, with the causal mask, before the update'
		},
		masked: armResult(arms.masked, traces.masked),
		unmasked: armResult(arms.unmasked, traces.unmasked),
		sample_measure: {
			name: 'sample_divergence: Jensen-Shannon divergence (bits, 0..1) between the character-pair frequencies of the generated text and of the corpus; lower is more like the corpus',
			corpus_passage_divergence: passageDivergence(config.corpus, config.sampleLength)
		}
	};
}
