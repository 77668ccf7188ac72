/**
 * Bundles tests/browser/engine-entry.ts with esbuild into a folder with an index.html and the
 * tfjs wasm binaries, and serves that folder on 127.0.0.1. Used by the browser test
 * (tests/e2e/engine-backends.spec.ts) and the benchmark (scripts/bench-engine.ts); independent of
 * the app's pages.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Vite's `?url` imports: copy the file next to the bundle and import its relative URL. */
function urlImports(outdir: string): Plugin {
	return {
		name: 'url-imports',
		setup(b) {
			b.onResolve({ filter: /\?url$/ }, (args) => ({
				path: require.resolve(args.path.slice(0, -'?url'.length), { paths: [args.resolveDir] }),
				namespace: 'asset-url'
			}));
			b.onLoad({ filter: /.*/, namespace: 'asset-url' }, (args) => {
				const name = path.basename(args.path);
				copyFileSync(args.path, path.join(outdir, name));
				return { contents: `export default ${JSON.stringify('./' + name)};`, loader: 'js' };
			});
		}
	};
}

const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>engine test page</title></head>
<body><p>attention engine test page</p><script type="module" src="./engine-entry.js"></script></body></html>
`;

/** Builds the test page into `outdir` (created if needed). */
export async function buildEnginePage(outdir: string): Promise<void> {
	mkdirSync(outdir, { recursive: true });
	await build({
		entryPoints: [path.join(here, 'engine-entry.ts')],
		outdir,
		bundle: true,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		splitting: true,
		minify: false,
		logLevel: 'error',
		define: { 'process.env.NODE_ENV': '"production"' },
		plugins: [urlImports(outdir)]
	});
	writeFileSync(path.join(outdir, 'index.html'), INDEX_HTML);
}

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.wasm': 'application/wasm',
	'.map': 'application/json'
};

/** Serves `root` on 127.0.0.1 on a free port; resolves to the base URL and the server. */
export function serveFolder(root: string): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
		if (!file.startsWith(root + path.sep)) {
			res.writeHead(403).end();
			return;
		}
		try {
			const body = readFileSync(file);
			res.writeHead(200, {
				'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
				'cache-control': 'no-store'
			});
			res.end(body);
		} catch {
			res.writeHead(404).end('not found');
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve({ url: `http://127.0.0.1:${port}/`, server });
		});
	});
}
