import { register } from 'node:module';

/**
 * Node-only. tfjs-core ships its gradients only as ESM sources with extensionless imports such as
 * `from '../gradients'`, where both gradients.js and a gradients/ folder exist; Node (and tsx) then
 * fail with ERR_UNSUPPORTED_DIR_IMPORT. This resolve hook tries `<specifier>.js` first for relative
 * imports inside tfjs-core's dist. Call it before the first run: the shared tfjs loader
 * ($lib/engine/tf-loader) imports the gradients when `setupBackend` asks for them.
 */
const HOOK = `
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
	const parent = context.parentURL ?? '';
	if (specifier.startsWith('.') && parent.includes('/@tensorflow/tfjs-core/dist/') && !/\\.[cm]?js$/.test(specifier)) {
		const url = new URL(specifier + '.js', parent);
		if (existsSync(fileURLToPath(url))) return next(url.href, context);
	}
	return next(specifier, context);
}`;

let installed = false;

export function installTfjsNodeResolver(): void {
	if (installed) return;
	register('data:text/javascript,' + encodeURIComponent(HOOK));
	installed = true;
}
