/**
 * Anki's note identity and checksum, computed with Web Crypto (Node 20+ and browsers alike).
 *
 * - `guid`: what Anki matches on when the same course is imported again (the note is updated, not
 *   copied): the first 8 bytes of SHA-256 of a stable key, written in Anki's base-91 alphabet
 *   (genanki's `guid_for`).
 * - `csum`: the duplicate check, the first 8 hex digits of SHA-1 of the stripped first field, as an
 *   integer: csum = int(sha1(strip(field₀))[0..8], 16).
 */

const BASE91 =
	'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';

async function digest(algorithm: 'SHA-1' | 'SHA-256', text: string): Promise<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, bytes));
}

/** A note's guid from a key that never changes (the language and the question's id). */
export async function noteGuid(key: string): Promise<string> {
	const hash = await digest('SHA-256', key);
	let value = 0n;
	for (const byte of hash.subarray(0, 8)) value = (value << 8n) + BigInt(byte);
	let out = '';
	while (value > 0n) {
		out = BASE91[Number(value % 91n)] + out;
		value /= 91n;
	}
	return out;
}

/** csum = int(first 8 hex digits of sha1(stripped first field)). */
export async function fieldChecksum(stripped: string): Promise<number> {
	const hash = await digest('SHA-1', stripped);
	return ((hash[0] << 24) >>> 0) + (hash[1] << 16) + (hash[2] << 8) + hash[3];
}
