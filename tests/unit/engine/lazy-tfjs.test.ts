/**
 * The engine and experiment barrels are safe to import from any page: tfjs enters only through
 * src/lib/engine/tf-loader.ts (tf-training.ts for the experiment), which they reach only through a
 * dynamic import, when an engine answer or an experiment run needs it. Two independent checks: a
 * scan of each barrel's static import graph (what a bundler puts in the importing page's chunk), and
 * importing the barrels with every tfjs package mocked to record it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from './helpers.js';

const evaluated = vi.hoisted(() => [] as string[]);
vi.mock('@tensorflow/tfjs-core', () => (evaluated.push('@tensorflow/tfjs-core'), {}));
vi.mock(
	'@tensorflow/tfjs-core/dist/register_all_gradients',
	() => (evaluated.push('@tensorflow/tfjs-core/dist/register_all_gradients'), {})
);
vi.mock('@tensorflow/tfjs-backend-cpu', () => (evaluated.push('@tensorflow/tfjs-backend-cpu'), {}));
vi.mock(
	'@tensorflow/tfjs-backend-wasm',
	() => (evaluated.push('@tensorflow/tfjs-backend-wasm'), {})
);
vi.mock(
	'@tensorflow/tfjs-backend-webgl',
	() => (evaluated.push('@tensorflow/tfjs-backend-webgl'), {})
);

const BARRELS = ['src/lib/engine/index.ts', 'src/lib/experiment/index.ts'];

/**
 * Specifiers a module imports in a way that evaluates them: `import`, `import '…'` and
 * `export … from`, but not `import type` / `export type` (erased) nor dynamic `import()` (lazy).
 * `import { type A } from` counts: with verbatimModuleSyntax it stays as `import '…'`.
 */
function staticImports(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
	const found: string[] = [];
	for (const node of source.statements) {
		if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
			found.push((node.moduleSpecifier as ts.StringLiteral).text);
		} else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
			found.push((node.moduleSpecifier as ts.StringLiteral).text);
		}
	}
	return found;
}

/** The file a local specifier names (`./x.js` → x.ts, `$lib/x` → src/lib/x.ts or x/index.ts). */
function resolveLocal(from: string, specifier: string): string | null {
	let base: string;
	if (specifier.startsWith('$lib/')) base = path.join(repoRoot, 'src/lib', specifier.slice(5));
	else if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
	else return null;
	const stem = base.replace(/\.js$/, '');
	const candidates = [`${stem}.ts`, base, path.join(base, 'index.ts')];
	const hit = candidates.find((file) => existsSync(file) && statSync(file).isFile());
	if (!hit) throw new Error(`${path.relative(repoRoot, from)}: cannot resolve ${specifier}`);
	return hit;
}

/** Every package specifier in `entry`'s static graph, each with the import chain that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
	const packages = new Map<string, string[]>();
	const seen = new Set<string>();
	const visit = (file: string, chain: string[]) => {
		if (seen.has(file)) return;
		seen.add(file);
		const here = [...chain, path.relative(repoRoot, file)];
		for (const specifier of staticImports(file)) {
			const local = resolveLocal(file, specifier);
			if (local) visit(local, here);
			else if (!packages.has(specifier)) packages.set(specifier, here);
		}
	};
	visit(path.join(repoRoot, entry), []);
	return packages;
}

describe('importing the engine and experiment barrels loads no tfjs', () => {
	it.each(BARRELS)('%s: no @tensorflow/* module in its static import graph', (barrel) => {
		const tfjs = [...staticPackages(barrel)]
			.filter(([specifier]) => specifier.startsWith('@tensorflow/'))
			.map(([specifier, chain]) => `${chain.join(' -> ')} -> ${specifier}`);
		expect(tfjs).toEqual([]);
	});

	it('the scan does see static tfjs imports (the loaders, which the barrels reach lazily)', () => {
		for (const loader of ['src/lib/engine/tf-loader.ts', 'src/lib/engine/tf-training.ts']) {
			const packages = [...staticPackages(loader).keys()];
			expect(packages, loader).toContain('@tensorflow/tfjs-core');
		}
	});

	it('evaluating both barrels evaluates no tfjs package', async () => {
		const engine = await import('../../../src/lib/engine/index.js');
		const experiment = await import('../../../src/lib/experiment/index.js');
		expect(typeof engine.initEngine).toBe('function');
		expect(typeof experiment.runExperiment).toBe('function');
		expect(evaluated).toEqual([]);
		// the mocks do record a load (so the empty list above means something)
		await import('@tensorflow/tfjs-core');
		expect(evaluated).toEqual(['@tensorflow/tfjs-core']);
	});
});
