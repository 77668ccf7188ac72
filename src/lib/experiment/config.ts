import { DEFAULT_CORPUS } from './corpus.js';

export type BackendName = 'wasm' | 'cpu';

/** Everything that defines one run. Same config + same backend = same numbers. */
export interface ExperimentConfig {
	/** Width of embeddings and of the attention layer. */
	dModel: number;
	/** Attention heads; dModel must be divisible by it. */
	heads: number;
	/** T: positions that get a prediction. Each window holds T + 1 characters (see data.ts). */
	context: number;
	/** Windows per training step. */
	batch: number;
	steps: number;
	/** Adam learning rate. */
	lr: number;
	/** Seeds initial weights, batch sampling and text sampling. */
	seed: number;
	/** Training text; the built-in essay when omitted. */
	corpus: string;
	/** Preferred backend; falls back to cpu when wasm cannot start. */
	backend: BackendName;
	/** Start of the generated samples; must use only characters of the corpus. */
	prompt: string;
	/** Characters generated after the prompt. */
	sampleLength: number;
	/** Softmax temperature when sampling. */
	temperature: number;
}

export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze({
	dModel: 32,
	heads: 1,
	context: 32,
	batch: 32,
	steps: 300,
	lr: 0.01,
	seed: 123,
	corpus: DEFAULT_CORPUS,
	backend: 'wasm',
	prompt: 'The ',
	sampleLength: 400,
	temperature: 1
});

/** A bad option: names the field and what was expected. */
export class ConfigError extends Error {
	constructor(
		readonly field: string,
		expected: string
	) {
		super(`${field}: expected ${expected}`);
		this.name = 'ConfigError';
	}
}

function checkInt(
	config: ExperimentConfig,
	field: keyof ExperimentConfig,
	min: number,
	max: number
) {
	const value = config[field];
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new ConfigError(field, `an integer from ${min} to ${max}, got ${String(value)}`);
	}
}

function checkNumber(
	config: ExperimentConfig,
	field: keyof ExperimentConfig,
	min: number,
	max: number
) {
	const value = config[field];
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= min || value > max) {
		throw new ConfigError(field, `a number > ${min} and <= ${max}, got ${String(value)}`);
	}
}

/**
 * The corpus as the model reads it: NFC (a letter and its accent typed as two code points become
 * one character) and line breaks as LF. `resolveConfig` applies it to the corpus and the prompt.
 */
export function normalizeCorpus(text: string): string {
	return text.normalize('NFC').replace(/\r\n?/g, '\n');
}

/**
 * Characters as the model counts them: code points (`buildVocab` and `encode` iterate the text by
 * code point), so an emoji is one character, not its two UTF-16 units (`text.length`). Pass
 * normalised text.
 */
export function corpusLength(text: string): number {
	let count = 0;
	for (const _ of text) count++;
	return count;
}

/**
 * Fills defaults, normalises the corpus and the prompt (`normalizeCorpus`) and checks every field. The prompt defaults to "The " when the corpus has those
 * characters, else to the corpus's first character.
 * @throws ConfigError naming the first bad field
 */
export function resolveConfig(partial: Partial<ExperimentConfig> = {}): ExperimentConfig {
	const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
	const config: ExperimentConfig = { ...DEFAULT_CONFIG, ...defined };
	if (typeof config.corpus === 'string') config.corpus = normalizeCorpus(config.corpus);
	if (partial.prompt === undefined) config.prompt = defaultPrompt(config.corpus);
	else if (typeof config.prompt === 'string') config.prompt = normalizeCorpus(config.prompt);
	checkInt(config, 'dModel', 1, 512);
	checkInt(config, 'heads', 1, 64);
	if (config.dModel % config.heads !== 0) {
		throw new ConfigError('heads', `a divisor of dModel (${config.dModel}), got ${config.heads}`);
	}
	checkInt(config, 'context', 1, 512);
	checkInt(config, 'batch', 1, 1024);
	checkInt(config, 'steps', 1, 100_000);
	checkNumber(config, 'lr', 0, 1);
	checkInt(config, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
	checkInt(config, 'sampleLength', 0, 10_000);
	checkNumber(config, 'temperature', 0, 100);
	if (config.backend !== 'wasm' && config.backend !== 'cpu') {
		throw new ConfigError('backend', `"wasm" or "cpu", got ${String(config.backend)}`);
	}
	checkCorpus(config);
	return config;
}

function defaultPrompt(corpus: unknown): string {
	if (typeof corpus !== 'string' || corpus.length === 0) return '';
	// the first code point, not corpus[0]: that would be half of an emoji
	return [...'The '].every((c) => corpus.includes(c)) ? 'The ' : [...corpus.slice(0, 2)][0];
}

function checkCorpus(config: ExperimentConfig) {
	const { corpus, context, prompt } = config;
	// windows are context + 1 characters of the encoded text (data.ts): count what it encodes
	const length = typeof corpus === 'string' ? corpusLength(corpus) : 0;
	if (length < context + 2) {
		throw new ConfigError(
			'corpus',
			`text of at least context + 2 = ${context + 2} characters (code points), got ${length}`
		);
	}
	if (new Set(corpus).size < 2) {
		throw new ConfigError('corpus', 'text with at least 2 distinct characters');
	}
	if (typeof prompt !== 'string' || prompt.length === 0) {
		throw new ConfigError('prompt', 'a non-empty string');
	}
	const unknown = [...new Set(prompt)].filter((c) => !corpus.includes(c));
	if (unknown.length > 0) {
		throw new ConfigError(
			'prompt',
			`only characters of the corpus, got ${JSON.stringify(unknown.join(''))}`
		);
	}
}
