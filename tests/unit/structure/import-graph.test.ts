/**
 * The source tree's import graph, type-only imports included (ESLint's import-x/no-cycle skips
 * those): no module may reach itself through its imports, and src/lib never imports a route.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

const SPECIFIER =
	/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Local modules `file` imports (relative and `$lib/` specifiers that resolve to a file). */
function localImports(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const found: string[] = [];
	for (const match of text.matchAll(SPECIFIER)) {
		const spec = match[1] ?? match[2];
		let base: string;
		if (spec.startsWith('$lib/')) base = join(src, 'lib', spec.slice(5));
		else if (spec.startsWith('.')) base = resolve(dirname(file), spec);
		else continue;
		const stem = base.replace(/\.js$/, '');
		const candidates = [
			base,
			`${stem}.ts`,
			`${stem}.svelte`,
			`${stem}.svelte.ts`,
			join(base, 'index.ts')
		];
		const hit = candidates.find((path) => existsSync(path) && statSync(path).isFile());
		if (hit) found.push(hit);
	}
	return found;
}

const files = sourceFiles(src);
const graph = new Map(files.map((file) => [file, localImports(file)]));

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cycles(): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string) => {
		index.set(node, counter);
		low.set(node, counter++);
		stack.push(node);
		onStack.add(node);
		for (const next of graph.get(node) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) {
				low.set(node, Math.min(low.get(node)!, index.get(next)!));
			}
		}
		if (low.get(node) === index.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(relative(root, member));
			} while (member !== node);
			if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
		}
	};
	for (const file of files) if (!index.has(file)) visit(file);
	return found;
}

describe('import graph', () => {
	it('reads the imports it checks (the scan is not silently empty)', () => {
		expect(files.length).toBeGreaterThan(50);
		const page = join(src, 'routes/progress/+page.svelte');
		expect(graph.get(page)?.length).toBeGreaterThan(2);
	});

	it('has no import cycle, type-only imports included', () => {
		expect(cycles()).toEqual([]);
	});

	it('keeps src/lib free of route imports', () => {
		const offenders = [...graph]
			.filter(([file]) => file.startsWith(join(src, 'lib')))
			.flatMap(([file, imports]) =>
				imports
					.filter((target) => target.startsWith(join(src, 'routes')))
					.map((target) => `${relative(root, file)} -> ${relative(root, target)}`)
			);
		expect(offenders).toEqual([]);
	});

	it("keeps each page's parts to its own folder (no route imports another route's files)", () => {
		const routes = join(src, 'routes');
		/** The folder of the page or layout a file belongs to: its nearest folder with a +page or +layout. */
		const routeOf = (file: string): string => {
			let dir = dirname(file);
			while (dir !== routes) {
				if (readdirSync(dir).some((name) => /^\+(page|layout)\./.test(name))) return dir;
				dir = dirname(dir);
			}
			return routes;
		};
		const offenders = [...graph]
			.filter(([file]) => file.startsWith(routes))
			.flatMap(([file, imports]) =>
				imports
					.filter((target) => target.startsWith(routes) && routeOf(target) !== routeOf(file))
					.map((target) => `${relative(root, file)} -> ${relative(root, target)}`)
			);
		expect(offenders).toEqual([]);
	});
});
