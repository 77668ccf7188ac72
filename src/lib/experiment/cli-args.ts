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
	'--steps': 'steps',
	'--d-model': 'dModel',
	'--heads': 'heads',
	'--seed': 'seed',
	'--lr': 'lr',
	'--context': 'context',
	'--batch': 'batch',
	'--sample-length': 'sampleLength',
	'--temperature': 'temperature'
};

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
 * @throws CliError on an unknown flag, a missing value or a non-number
 */
export function parseCliArgs(argv: readonly string[]): CliOptions {
	const options: CliOptions = { json: false, help: false, config: {} };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] =
			arg.startsWith('--') && arg.includes('=')
				? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
				: [arg, undefined];
		if (flag === '--json' || flag === '--help' || flag === '-h') {
			if (inline !== undefined) throw new CliError(`${flag} takes no value`);
			if (flag === '--json') options.json = true;
			else options.help = true;
			continue;
		}
		const known =
			flag in NUMERIC_FLAGS || flag === '--corpus' || flag === '--backend' || flag === '--prompt';
		if (!known) throw new CliError(`unknown option ${JSON.stringify(arg)} (see --help)`);
		const value = inline ?? argv[++i];
		if (value === undefined) throw new CliError(`${flag}: missing value`);
		if (flag === '--corpus') options.corpusFile = value;
		else if (flag === '--prompt') options.config.prompt = value;
		else if (flag === '--backend') {
			if (value !== 'wasm' && value !== 'cpu')
				throw new CliError(`--backend: expected wasm or cpu, got ${JSON.stringify(value)}`);
			options.config.backend = value as BackendName;
		} else options.config[NUMERIC_FLAGS[flag]] = parseNumber(flag, value);
	}
	return options;
}
