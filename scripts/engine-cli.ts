/**
 * Engine CLI (design.md): `npm run -s engine -- SPEC.json` (or `-` for stdin) prints
 * `{"context_vecs": ..., "attn_weights": ...}` on stdout. A bad spec exits with code 2 and one line
 * on stderr naming the field and what was expected; nothing goes to stdout. So does a spec over the
 * engine's limits (`SPEC_LIMITS`: tensor sizes, JSON size and nesting), before anything is built.
 * Option: `--backend wasm|cpu` (default wasm, falling back to cpu).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
	initEngine,
	parseSpecJson,
	runSpec,
	SpecError,
	SPEC_LIMITS,
	validateSpec,
	type EngineBackend
} from '../src/lib/engine/index.js';

const USAGE = 'usage: npm run -s engine -- [--backend wasm|cpu] SPEC.json (or - for stdin)';

class UsageError extends Error {}

function parseCli(argv: string[]): { file: string; backend: EngineBackend } {
	// non-strict, so that each mistake gets this CLI's own one-line message
	const { values, positionals, tokens } = parseArgs({
		args: argv,
		options: { backend: { type: 'string' } },
		strict: false,
		allowPositionals: true,
		tokens: true
	});
	const unknown = tokens.find((t) => t.kind === 'option' && t.name !== 'backend');
	if (unknown?.kind === 'option')
		throw new UsageError(`${unknown.rawName}: unknown option; ${USAGE}`);
	const backend = values.backend ?? 'wasm';
	if (backend !== 'wasm' && backend !== 'cpu')
		throw new UsageError(
			`--backend: expected wasm or cpu, got ${backend === true ? 'nothing' : backend}`
		);
	if (positionals.length !== 1)
		throw new UsageError(`spec file: expected one path or -, got ${positionals.length}; ${USAGE}`);
	return { file: positionals[0], backend };
}

/**
 * The spec's text, read in chunks and refused as soon as it is over `SPEC_LIMITS.maxJsonChars`
 * bytes (a huge file or endless stdin never fills the memory).
 */
function readSpecText(file: string): string {
	const limit = SPEC_LIMITS.maxJsonChars;
	let fd: number | undefined;
	try {
		fd = file === '-' ? 0 : openSync(file, 'r');
		const chunks: Buffer[] = [];
		let total = 0;
		const chunk = Buffer.alloc(1 << 20);
		for (;;) {
			let n: number;
			try {
				n = readSync(fd, chunk, 0, chunk.length, null);
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue; // non-blocking stdin
				if ((e as NodeJS.ErrnoException).code === 'EOF') break;
				throw e;
			}
			if (n === 0) break;
			total += n;
			if (total > limit) {
				throw new SpecError('spec', `at most ${limit} bytes of JSON`, `more (engine limit)`);
			}
			chunks.push(Buffer.from(chunk.subarray(0, n)));
		}
		return Buffer.concat(chunks).toString('utf8');
	} catch (e) {
		if (e instanceof SpecError) throw e;
		const code = (e as NodeJS.ErrnoException).code ?? 'read error';
		throw new SpecError('spec file', 'a readable JSON file', `${JSON.stringify(file)} (${code})`);
	} finally {
		if (fd !== undefined && fd !== 0) closeSync(fd);
	}
}

function oneLine(message: string): string {
	return message.replace(/\s*\n\s*/g, ' ').trim();
}

async function main(argv: string[]): Promise<number> {
	let spec;
	let backend: EngineBackend;
	try {
		const args = parseCli(argv);
		backend = args.backend;
		spec = validateSpec(parseSpecJson(readSpecText(args.file)));
	} catch (e) {
		if (e instanceof SpecError || e instanceof UsageError) {
			process.stderr.write(oneLine(e.message) + '\n');
			return 2;
		}
		throw e;
	}
	await initEngine(backend);
	const result = runSpec(spec);
	process.stdout.write(JSON.stringify(result) + '\n');
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(e: unknown) => {
		process.stderr.write(oneLine(`engine: ${e instanceof Error ? e.message : String(e)}`) + '\n');
		process.exitCode = 1;
	}
);
