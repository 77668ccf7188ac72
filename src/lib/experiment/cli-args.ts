import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BackendName, ExperimentConfig } from './config.js';

/** What the experiment CLI was asked to do (corpus still a path: the CLI reads it). */
export interface CliOptions {
	json: boolean;
	help: boolean;
	corpusFile?: string;
	config: Partial<ExperimentConfig>;
}

/** A bad command line; the CLI prints the message and exits with code 2. */
export class CliError extends Error {
	override name = 'CliError';
}

type NumericKey =
	| 'steps'
	| 'dModel'
	| 'heads'
	| 'seed'
	| 'lr'
	| 'context'
	| 'batch'
	| 'sampleLength'
	| 'temperature';

const NUMERIC_FLAGS: Record<string, NumericKey> = {
	steps: 'steps',
	'd-model': 'dModel',
	heads: 'heads',
	seed: 'seed',
	lr: 'lr',
	context: 'context',
	batch: 'batch',
	'sample-length': 'sampleLength',
	temperature: 'temperature'
};

/** Every flag; values stay strings here (parseNumber and resolveConfig check them). */
const OPTIONS = {
	json: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
	corpus: { type: 'string' },
	backend: { type: 'string' },
	prompt: { type: 'string' },
	...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((name) => [name, { type: 'string' }]))
} satisfies ParseArgsConfig['options'];

export const USAGE = `Usage: npm run -s experiment -- [--json] [options]

Trains one tiny character model twice (causal mask on / off) from the same weights on the same
batches, and reports training loss, honest loss, gradient norm, attention and samples.

  --json                 print one JSON object as the last line
  --steps N              training steps (default 300)
  --d-model N            model width (default 32)
  --heads N              attention heads, dividing d-model (default 1)
  --context N            positions predicted per window (default 32)
  --batch N              windows per step (default 32)
  --lr X                 Adam learning rate (default 0.01)
  --seed N               seed of weights, batches and sampling (default 123)
  --corpus FILE          train on this UTF-8 text instead of the built-in essay
  --backend wasm|cpu     tfjs backend (default wasm, falls back to cpu)
  --prompt TEXT          start of the generated samples (default "The ")
  --sample-length N      generated characters per arm (default 400)
  --temperature X        sampling temperature (default 1)
  --help                 this text`;

function parseNumber(flag: string, raw: string): number {
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(value)) {
		throw new CliError(`${flag}: expected a number, got ${JSON.stringify(raw)}`);
	}
	return value;
}

/**
 * Parses argv (without node and script). Checks syntax only; resolveConfig checks ranges.
 * `parseArgs` runs non-strict so that each mistake gets this CLI's own one-line message.
 * @throws CliError on an unknown flag or argument, a missing value or a non-number
 */
export function parseCliArgs(argv: readonly string[]): CliOptions {
	const { tokens } = parseArgs({
		args: [...argv],
		options: OPTIONS,
		strict: false,
		allowPositionals: true,
		tokens: true
	});
	const options: CliOptions = { json: false, help: false, config: {} };
	for (const token of tokens) {
		if (token.kind === 'option-terminator') continue;
		if (token.kind === 'positional' || !Object.hasOwn(OPTIONS, token.name)) {
			throw new CliError(`unknown option ${JSON.stringify(argv[token.index])} (see --help)`);
		}
		const { name, rawName: flag, value } = token;
		if (name === 'json' || name === 'help') {
			if (value !== undefined) throw new CliError(`${flag} takes no value`);
			options[name] = true;
			continue;
		}
		if (value === undefined) throw new CliError(`${flag}: missing value`);
		if (name === 'corpus') options.corpusFile = value;
		else if (name === 'prompt') options.config.prompt = value;
		else if (name === 'backend') {
			if (value !== 'wasm' && value !== 'cpu')
				throw new CliError(`--backend: expected wasm or cpu, got ${JSON.stringify(value)}`);
			options.config.backend = value as BackendName;
		} else options.config[NUMERIC_FLAGS[name]] = parseNumber(flag, value);
	}
	return options;
}
