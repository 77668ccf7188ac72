/**
 * npm run -s experiment -- [--json] [--steps N --d-model N --heads N --seed N --lr X --context N
 *   --batch N --corpus FILE --backend wasm|cpu --prompt TEXT --sample-length N --temperature X]
 * Runs the peek-at-the-future experiment in Node. Bad options: a message on stderr and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { CliError, parseCliArgs, USAGE, type CliOptions } from '../src/lib/experiment/cli-args.js';
import { ConfigError, resolveConfig, type ExperimentConfig } from '../src/lib/experiment/config.js';
import { runExperiment } from '../src/lib/experiment/run.js';
import { installTfjsNodeResolver } from '../src/lib/experiment/node-resolve.js';
import type { ArmResult, ExperimentResult } from '../src/lib/experiment/result.js';

function fail(message: string): never {
	process.stderr.write(`experiment: ${message}\n`);
	process.exit(2);
}

function readCorpus(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		return fail(`--corpus: cannot read ${file}: ${(error as Error).message}`);
	}
}

/** Parses and validates everything before runExperiment loads tfjs, so a bad option fails fast. */
function configFrom(argv: string[]): { options: CliOptions; config: ExperimentConfig } {
	try {
		const options = parseCliArgs(argv);
		if (options.corpusFile !== undefined) options.config.corpus = readCorpus(options.corpusFile);
		return { options, config: resolveConfig(options.config) };
	} catch (error) {
		if (error instanceof CliError || error instanceof ConfigError) fail(error.message);
		throw error;
	}
}

const fmt = (x: number) => (Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toExponential(2));

function armLine(name: string, arm: ArmResult): string {
	const { end } = arm;
	return `${name.padEnd(9)} ${fmt(end.train_loss).padStart(10)} ${fmt(end.honest_loss).padStart(11)} ${fmt(end.grad_norm).padStart(10)} ${arm.sample_divergence.toFixed(3).padStart(11)} ${arm.attention.next_token_share.toFixed(3).padStart(10)}`;
}

function summary(result: ExperimentResult): string {
	const c = result.config;
	return [
		`config: d_model ${c.d_model}, heads ${c.heads}, context ${c.context} (windows of ${c.window}), batch ${c.batch}, steps ${c.steps}, lr ${c.lr}, seed ${c.seed}, vocab ${c.vocab}, backend ${c.backend}`,
		`timing: ${result.ms_per_step.toFixed(1)} ms per step (both arms), ${(result.total_ms / 1000).toFixed(1)} s in all`,
		'',
		`end of training (median of the last 10% of steps); honest loss = ${c.honest_loss_on}`,
		'arm       train loss  honest loss  grad norm  sample div  next-token',
		armLine('masked', result.masked),
		armLine('unmasked', result.unmasked),
		`(${result.sample_measure.name}; real passages of the corpus score ${result.sample_measure.corpus_passage_divergence.toFixed(3)})`,
		'',
		`masked sample:   ${JSON.stringify(result.masked.sample)}`,
		`unmasked sample: ${JSON.stringify(result.unmasked.sample)}`
	].join('\n');
}

async function main() {
	const { options, config } = configFrom(process.argv.slice(2));
	if (options.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	installTfjsNodeResolver(); // before runExperiment loads tfjs and its gradients
	const outcome = await runExperiment(config, {
		onStep: (info) => {
			if (!options.json && (info.step % 50 === 0 || info.step === info.totalSteps)) {
				const { masked: m, unmasked: u } = info;
				process.stdout.write(
					`step ${info.step}/${info.totalSteps}  masked loss ${fmt(m.trainLoss)} honest ${fmt(m.honestLoss)} grad ${fmt(m.gradNorm)}  |  unmasked loss ${fmt(u.trainLoss)} honest ${fmt(u.honestLoss)} grad ${fmt(u.gradNorm)}\n`
				);
			}
		}
	});
	if (outcome.status !== 'done') throw new Error('the run stopped early');
	process.stdout.write(
		options.json ? `${JSON.stringify(outcome.result)}\n` : `\n${summary(outcome.result)}\n`
	);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`experiment: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
	);
	process.exit(1);
});
