/**
 * Engine CLI (design.md): `npm run -s engine -- SPEC.json` (or `-` for stdin) prints
 * `{"context_vecs": ..., "attn_weights": ...}` on stdout. A bad spec exits with code 2 and one line
 * on stderr naming the field and what was expected; nothing goes to stdout.
 * Option: `--backend wasm|cpu` (default wasm, falling back to cpu).
 */
import { readFileSync } from 'node:fs';
import {
	initEngine,
	parseSpecJson,
	runSpec,
	SpecError,
	validateSpec,
	type EngineBackend
} from '../src/lib/engine/index.js';

const USAGE = 'usage: npm run -s engine -- [--backend wasm|cpu] SPEC.json (or - for stdin)';

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; backend: EngineBackend } {
	let backend: EngineBackend = 'wasm';
	const files: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--backend' || a.startsWith('--backend=')) {
			const v = a.includes('=') ? a.slice('--backend='.length) : argv[++i];
			if (v !== 'wasm' && v !== 'cpu')
				throw new UsageError(`--backend: expected wasm or cpu, got ${v ?? 'nothing'}`);
			backend = v;
		} else if (a.startsWith('--') && a !== '-') {
			throw new UsageError(`${a}: unknown option; ${USAGE}`);
		} else {
			files.push(a);
		}
	}
	if (files.length !== 1)
		throw new UsageError(`spec file: expected one path or -, got ${files.length}; ${USAGE}`);
	return { file: files[0], backend };
}

function readSpecText(file: string): string {
	try {
		return readFileSync(file === '-' ? 0 : file, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? 'read error';
		throw new SpecError('spec file', 'a readable JSON file', `${JSON.stringify(file)} (${code})`);
	}
}

function oneLine(message: string): string {
	return message.replace(/\s*\n\s*/g, ' ').trim();
}

async function main(argv: string[]): Promise<number> {
	let spec;
	let backend: EngineBackend;
	try {
		const args = parseArgs(argv);
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
