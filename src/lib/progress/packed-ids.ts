/**
 * A card log's text columns, packed. Review ids: 16 bytes each when all are lowercase UUIDs (what
 * the app writes; 36 characters as text), else, like the answers, one string with end offsets
 * (`packStrings`). A log record is rewritten on every answer and read whole by the statistics, so
 * its size is what they cost.
 */
export type PackedIds = { uuids: Uint8Array } | { text: string; ends: Uint32Array };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DASH = 45;
const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** 0-15 for a lowercase hex digit's character code (the caller checked the digits). */
function hexValue(code: number): number {
	return code <= 57 ? code - 48 : code - 87;
}

/** Writes the 16 bytes of a lowercase UUID at `offset`. */
export function writeUuid(id: string, out: { [i: number]: number }, offset: number): void {
	let k = offset;
	for (let i = 0; i < 36; i += 2) {
		if (id.charCodeAt(i) === DASH) i++;
		out[k++] = hexValue(id.charCodeAt(i)) * 16 + hexValue(id.charCodeAt(i + 1));
	}
}

/** The ASCII codes of each byte's two hex digits, for turning bytes back into UUID text. */
const HEX_CODES = HEX_PAIRS.map((pair) => [pair.charCodeAt(0), pair.charCodeAt(1)]);
/** Where each of a UUID's 16 bytes stands in its 36 characters. */
const BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const ascii = new TextDecoder('ascii');

/**
 * The UUIDs of bytes `[from, to)` (16 each) as text, decoded in one go: one string of all their
 * characters, cut into slices (cheap: a slice shares its parent's characters).
 */
function readUuids(bytes: Uint8Array, from: number, to: number): string[] {
	const count = (to - from) / 16;
	const chars = new Uint8Array(count * 36).fill(DASH);
	for (let n = 0; n < count; n++) {
		for (let k = 0; k < 16; k++) {
			const [hi, lo] = HEX_CODES[bytes[from + n * 16 + k]];
			chars[n * 36 + BYTE_AT[k]] = hi;
			chars[n * 36 + BYTE_AT[k] + 1] = lo;
		}
	}
	const text = ascii.decode(chars);
	return Array.from({ length: count }, (_, n) => text.slice(n * 36, n * 36 + 36));
}

/** The value of each ASCII code as a lowercase hex digit; -1 for anything else. */
const HEX_VALUE = Array.from({ length: 128 }, (_, c) =>
	c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1
);

/**
 * The 16 bytes of each id when every id is a lowercase UUID, else null. All ids are encoded in one
 * go (one ASCII byte per character) and checked while they are converted.
 */
function uuidBytes(ids: readonly string[]): Uint8Array | null {
	if (!ids.every((id) => id.length === 36)) return null;
	const chars = new TextEncoder().encode(ids.join(''));
	if (chars.length !== ids.length * 36) return null;
	const bytes = new Uint8Array(ids.length * 16);
	for (let n = 0; n < ids.length; n++) {
		const at = n * 36;
		if (chars[at + 8] !== DASH || chars[at + 13] !== DASH) return null;
		if (chars[at + 18] !== DASH || chars[at + 23] !== DASH) return null;
		for (let k = 0; k < 16; k++) {
			const hi = HEX_VALUE[chars[at + BYTE_AT[k]]] ?? -1;
			const lo = HEX_VALUE[chars[at + BYTE_AT[k] + 1]] ?? -1;
			if (hi < 0 || lo < 0) return null;
			bytes[n * 16 + k] = hi * 16 + lo;
		}
	}
	return bytes;
}

/**
 * Strings as one text and the end offset of each: structured cloning (how IndexedDB stores a
 * record) then copies one string and one typed array instead of allocating a string per row.
 */
export function packStrings(list: readonly string[]): { text: string; ends: Uint32Array } {
	const ends = new Uint32Array(list.length);
	let end = 0;
	list.forEach((item, i) => (ends[i] = end += item.length));
	return { text: list.join(''), ends };
}

/** The strings of `packStrings`' output (slices: they share the text's characters). */
export function unpackStrings(text: string, ends: ArrayLike<number>): string[] {
	const list = new Array<string>(ends.length);
	let start = 0;
	for (let i = 0; i < ends.length; i++) {
		list[i] = text.slice(start, ends[i]);
		start = ends[i];
	}
	return list;
}

export function packIds(ids: readonly string[]): PackedIds {
	const uuids = ids.length ? uuidBytes(ids) : null;
	return uuids ? { uuids } : packStrings(ids);
}

export function idCount(packed: PackedIds): number {
	return 'uuids' in packed ? packed.uuids.length / 16 : packed.ends.length;
}

export function idAt(packed: PackedIds, i: number): string {
	if ('uuids' in packed) return readUuids(packed.uuids, i * 16, i * 16 + 16)[0];
	return packed.text.slice(i > 0 ? packed.ends[i - 1] : 0, packed.ends[i]);
}

export function unpackIds(packed: PackedIds): string[] {
	if ('uuids' in packed) return readUuids(packed.uuids, 0, packed.uuids.length);
	return unpackStrings(packed.text, packed.ends);
}

/** `packed` with `id` added at the end (a non-UUID id turns UUID bytes into text). */
export function appendId(packed: PackedIds, id: string): PackedIds {
	if ('uuids' in packed && UUID.test(id)) {
		const uuids = new Uint8Array(packed.uuids.length + 16);
		uuids.set(packed.uuids);
		writeUuid(id, uuids, packed.uuids.length);
		return { uuids };
	}
	if ('uuids' in packed) return packIds([...unpackIds(packed), id]);
	const ends = new Uint32Array(packed.ends.length + 1);
	ends.set(packed.ends);
	const text = packed.text + id;
	ends[packed.ends.length] = text.length;
	return { text, ends };
}

/** Positions of the ids in `wanted`. */
export function positionsOf(packed: PackedIds, wanted: readonly string[]): number[] {
	if (wanted.length === 0) return [];
	const set = new Set(wanted);
	return unpackIds(packed).flatMap((id, i) => (set.has(id) ? [i] : []));
}
