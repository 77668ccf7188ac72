/** Plain-array types and helpers. Nothing here touches tfjs. */

export type Vector = number[];
export type Matrix = number[][];
export type Tensor3 = number[][][];
export type NestedArray = number | NestedArray[];

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
	return shape.reduce((n, d) => n * d, 1);
}

export type ShapeError = { kind: 'type' | 'empty' | 'ragged'; message: string };

/**
 * Shape of a rectangular nested array, or why it is not one: a leaf that is not a number
 * (`type`), an empty list (`empty`), or sibling lists of different shapes (`ragged`).
 */
export function shapeOf(x: unknown): { shape: number[] } | { error: ShapeError } {
	if (typeof x === 'number') return { shape: [] };
	if (!Array.isArray(x)) return { error: { kind: 'type', message: `numbers, got ${describe(x)}` } };
	if (x.length === 0) return { error: { kind: 'empty', message: 'a non-empty array, got []' } };
	const first = shapeOf(x[0]);
	if ('error' in first) return first;
	for (let i = 1; i < x.length; i++) {
		const other = shapeOf(x[i]);
		if ('error' in other) return other;
		if (other.shape.join('x') !== first.shape.join('x')) {
			return {
				error: {
					kind: 'ragged',
					message: `a rectangular array, got ragged rows (element ${i} differs from element 0)`
				}
			};
		}
	}
	return { shape: [x.length, ...first.shape] };
}

/** The shape of a nested array the engine produced (rectangular by construction); throws if not. */
export function shapeOfRect(x: unknown): number[] {
	const result = shapeOf(x);
	if ('error' in result) throw new Error(`Expected ${result.error.message}`);
	return result.shape;
}

/** Short description of a JSON-ish value for error messages. */
export function describe(x: unknown): string {
	if (x === null) return 'null';
	if (x === undefined) return 'nothing';
	if (Array.isArray(x)) return `an array of length ${x.length}`;
	if (typeof x === 'string') return `"${x.length > 30 ? x.slice(0, 30) + '...' : x}"`;
	if (typeof x === 'number' || typeof x === 'boolean') return String(x);
	return typeof x;
}

/** Row-major float32 copy of a rectangular nested array (no shape check: see `shapeOf`). */
export function flatten(x: NestedArray, size?: number): Float32Array {
	const out = new Float32Array(size ?? countLeaves(x));
	let k = 0;
	const walk = (v: NestedArray): void => {
		if (typeof v === 'number') out[k++] = v;
		else for (const c of v) walk(c);
	};
	walk(x);
	return out;
}

function countLeaves(x: NestedArray): number {
	if (typeof x === 'number') return 1;
	let n = 0;
	for (const c of x) n += countLeaves(c);
	return n;
}

/** Nested array of the given shape from row-major data (numbers are copied out as plain numbers). */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): NestedArray {
	if (shape.length === 0) return data[0];
	const build = (offset: number, dim: number): NestedArray[] | number[] => {
		const n = shape[dim];
		if (dim === shape.length - 1) {
			const row = new Array<number>(n);
			for (let i = 0; i < n; i++) row[i] = data[offset + i];
			return row;
		}
		const stride = sizeOf(shape.slice(dim + 1));
		const rows = new Array<NestedArray>(n);
		for (let i = 0; i < n; i++) rows[i] = build(offset + i * stride, dim + 1);
		return rows;
	};
	return build(0, 0);
}

export function toVector(data: ArrayLike<number>): Vector {
	return Array.from(data);
}

export function toMatrix(data: ArrayLike<number>, rows: number, cols: number): Matrix {
	return toNested(data, [rows, cols]) as Matrix;
}

export function toTensor3(data: ArrayLike<number>, a: number, b: number, c: number): Tensor3 {
	return toNested(data, [a, b, c]) as Tensor3;
}
