/** `previewImport` can be cancelled through `signal` (the settings page's Cancel button). */
import { describe, expect, it } from 'vitest';
import {
	countReviews,
	exportBackupBlob,
	previewImport,
	ProgressError,
	recordReview
} from '../../../src/lib/progress/index.js';
import { freshDb } from './helpers.js';

const T0 = Date.UTC(2026, 0, 5, 15);

async function backupWithReviews(count: number): Promise<Blob> {
	const db = await freshDb();
	for (let i = 0; i < count; i++) {
		const time = T0 + i * 60_000;
		await recordReview(db, { cardId: `card-${i}`, deckId: 'deck', time, rating: 3 });
	}
	const blob = await exportBackupBlob(db, { now: T0 + 86_400_000 });
	db.close();
	return blob;
}

describe('previewImport signal', () => {
	it('rejects with ProgressError("aborted") when the signal is already aborted', async () => {
		const file = await backupWithReviews(2);
		const db = await freshDb();
		const controller = new AbortController();
		controller.abort();
		const error = await previewImport(db, file, { signal: controller.signal }).catch((e) => e);
		expect(error).toBeInstanceOf(ProgressError);
		expect((error as ProgressError).kind).toBe('aborted');
		expect(await countReviews(db)).toBe(0);
	});

	it('stops between chunks once aborted during the preview', async () => {
		const file = await backupWithReviews(3);
		// one chunk per few bytes, so the preview sees many chunks
		const text = await file.text();
		const pieces = text.match(/[\s\S]{1,40}/g) ?? [];
		const slow = {
			size: text.length,
			stream: () =>
				new ReadableStream<Uint8Array>({
					start(stream) {
						for (const piece of pieces) stream.enqueue(new TextEncoder().encode(piece));
						stream.close();
					}
				})
		} as unknown as Blob;
		const db = await freshDb();
		const controller = new AbortController();
		let calls = 0;
		const error = await previewImport(db, slow, {
			signal: controller.signal,
			onProgress: () => {
				if (++calls === 2) controller.abort();
			}
		}).catch((e) => e);
		expect((error as ProgressError).kind).toBe('aborted');
		expect(calls).toBe(2);
	});

	it('without a signal, previews as before', async () => {
		const file = await backupWithReviews(2);
		const db = await freshDb();
		const preview = await previewImport(db, file);
		expect(preview.ok).toBe(true);
		expect(preview.reviews).toMatchObject({ total: 2, new: 2, duplicate: 0, invalid: 0 });
	});
});
