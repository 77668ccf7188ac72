/**
 * The layout of both arms' weights side by side, in one flat vector: what lets pair.ts train the two
 * arms with one set of 2D matrix products (the wasm backend runs a batched, rank-3 matMul in a
 * scalar loop, several times slower than two plain products; a block-diagonal product of twice the
 * width runs in XNNPACK). Plain arrays only: no tfjs here.
 *
 * With A = ARMS arms, d = dModel, V = vocab, arm a's weight w_a sits in the stacked weight W as:
 * - tokEmb [V, A d], posEmb [positions, A d], bo [A d], bOut [A V]: W[., a d + j] = w_a[., j]
 *   (the arms side by side along the features);
 * - wq, wk, wv, wo [A d, A d], wOut [A d, A V]: block-diagonal, W[a d + i, a d' + j] = w_a[i, j],
 *   zero off the diagonal blocks. Those zeros stay exactly zero: their gradient is masked to 0
 *   (`structure`), so Adam's moments stay 0 and so does its update.
 * So a row of activations [A d] holds every arm's features, and heads split the features as
 * (arm, head, d_head): attention's groups are (window, arm, head).
 */
import {
	paramShapes,
	PARAM_NAMES,
	type InitialWeights,
	type ModelShape,
	type ParamName
} from './model.js';

/** Arm 0 trains with the causal mask (the "masked" arm), arm 1 without (the "peek" arm). */
export const ARMS = 2;

const BLOCK_DIAGONAL: ReadonlySet<ParamName> = new Set(['wq', 'wk', 'wv', 'wo', 'wOut']);

/** [rows, cols] of one arm's weight (a vector is one row). */
function armShape(shape: ModelShape, name: ParamName): [number, number] {
	const s = paramShapes(shape)[name];
	return s.length === 1 ? [1, s[0]] : [s[0], s[1]];
}

/** Shape of the stacked weight. */
export function stackedShape(shape: ModelShape, name: ParamName): number[] {
	const [r, c] = armShape(shape, name);
	if (BLOCK_DIAGONAL.has(name)) return [ARMS * r, ARMS * c];
	return paramShapes(shape)[name].length === 1 ? [ARMS * c] : [r, ARMS * c];
}

/** Offset and shape of each stacked weight in the flat vector, in PARAM_NAMES order; and its length. */
export function stackedLayout(shape: ModelShape): {
	at: Record<ParamName, { offset: number; shape: number[] }>;
	length: number;
} {
	const at = {} as Record<ParamName, { offset: number; shape: number[] }>;
	let offset = 0;
	for (const name of PARAM_NAMES) {
		const s = stackedShape(shape, name);
		at[name] = { offset, shape: s };
		offset += s.reduce((a, b) => a * b, 1);
	}
	return { at, length: offset };
}

/**
 * Visits every value of every arm's weights: `visit(arm, name, armIndex, flatIndex)`, where armIndex
 * indexes w_a (row-major) and flatIndex the stacked vector.
 */
function forEachPlace(
	shape: ModelShape,
	visit: (arm: number, name: ParamName, armIndex: number, flatIndex: number) => void
): void {
	const { at } = stackedLayout(shape);
	for (const name of PARAM_NAMES) {
		const [r, c] = armShape(shape, name);
		const { offset, shape: s } = at[name];
		const width = s[s.length - 1];
		const rowShift = BLOCK_DIAGONAL.has(name) ? r : 0;
		for (let a = 0; a < ARMS; a++)
			for (let i = 0; i < r; i++)
				for (let j = 0; j < c; j++)
					visit(a, name, i * c + j, offset + (a * rowShift + i) * width + a * c + j);
	}
}

/** The stacked flat vector of the given weights, one set per arm (zeros off the diagonal blocks). */
export function packArms(shape: ModelShape, arms: readonly InitialWeights[]): Float32Array {
	const out = new Float32Array(stackedLayout(shape).length);
	forEachPlace(shape, (a, name, i, f) => (out[f] = arms[a][name][i]));
	return out;
}

/** Each arm's weights out of the stacked flat vector. */
export function unpackArms(shape: ModelShape, flat: ArrayLike<number>): InitialWeights[] {
	const shapes = paramShapes(shape);
	const arms = Array.from({ length: ARMS }, () => {
		const w = {} as InitialWeights;
		for (const name of PARAM_NAMES)
			w[name] = new Float32Array(shapes[name].reduce((a, b) => a * b, 1));
		return w;
	});
	forEachPlace(shape, (a, name, i, f) => (arms[a][name][i] = flat[f]));
	return arms;
}

/**
 * Which arm each value of the flat vector belongs to, as a [length, ARMS] 0/1 matrix (rows off the
 * diagonal blocks are all 0): (g * g) @ membership is each arm's squared gradient norm in one product.
 */
export function membership(shape: ModelShape): Float32Array {
	const out = new Float32Array(stackedLayout(shape).length * ARMS);
	forEachPlace(shape, (a, _name, _i, f) => (out[f * ARMS + a] = 1));
	return out;
}

/** 1 where a value belongs to an arm, 0 off the diagonal blocks: the gradient's mask. */
export function structure(shape: ModelShape): Float32Array {
	const out = new Float32Array(stackedLayout(shape).length);
	forEachPlace(shape, (_a, _name, _i, f) => (out[f] = 1));
	return out;
}
