/**
 * The documents of the sync database (see README "Documents"): one immutable document per log row,
 * `r:<row id>`, never updated, so replication never meets a conflict; and one immutable document
 * per settings change, `s:<uuid>`, the newest by (time, id) winning (last writer wins).
 *
 * Everything that arrives from another device is checked with the rules of a backup import
 * (`checkReviewRow`, `settingsSchema`): an invalid document is reported and never stored in Dexie.
 */
import type { ReviewRow, Settings } from '../progress/index.js';
import { describeIssues, idSchema, settingsSchema } from '../progress/validate.js';
import { checkReviewRow } from '../progress/validate-rows.js';
import type { PouchDoc } from './pouch.js';

/** Document format version, in every document (a later format can tell old documents apart). */
export const DOC_VERSION = 1;
export const REVIEW_PREFIX = 'r:';
export const SETTINGS_PREFIX = 's:';

export interface ReviewDoc extends PouchDoc {
	type: 'review';
	v: typeof DOC_VERSION;
	/** The device that recorded or imported the row (its inbound pass skips its own documents). */
	device: string;
	row: ReviewRow;
}

export interface SettingsDoc extends PouchDoc {
	type: 'settings';
	v: typeof DOC_VERSION;
	device: string;
	/** When the learner saved them (epoch ms): the newest wins. */
	time: number;
	settings: Settings;
}

export const reviewDocId = (rowId: string): string => REVIEW_PREFIX + rowId;

export function reviewDoc(row: ReviewRow, device: string): ReviewDoc {
	const copy: ReviewRow = { ...row };
	if (copy.misconception === undefined) delete copy.misconception;
	if (copy.action === undefined) delete copy.action;
	if (copy.buriedUntil === undefined) delete copy.buriedUntil;
	return { _id: reviewDocId(row.id), type: 'review', v: DOC_VERSION, device, row: copy };
}

/** A document that did not pass the checks: its id and why (never stored in Dexie). */
export interface RejectedDoc {
	id: string;
	reason: string;
}

export type ParsedDoc =
	| { kind: 'review'; row: ReviewRow; device: string }
	| { kind: 'settings'; doc: SettingsDoc }
	| { kind: 'ignored' }
	| { kind: 'rejected'; rejected: RejectedDoc };

const reject = (id: string, reason: string): ParsedDoc => ({
	kind: 'rejected',
	rejected: { id, reason }
});

/** A document from the sync database, checked. Design documents (`_design/…`) are ignored. */
export function parseDoc(doc: PouchDoc): ParsedDoc {
	const id = String(doc._id);
	if (id.startsWith('_')) return { kind: 'ignored' };
	if (doc._deleted) return reject(id, 'deleted: log rows are never removed');
	if (doc.v !== DOC_VERSION) return reject(id, `v: expected ${DOC_VERSION}`);
	const device = idSchema.safeParse(doc.device);
	if (!device.success) return reject(id, describeIssues(device.error, 1, 'device'));
	if (id.startsWith(REVIEW_PREFIX) && doc.type === 'review') {
		const row = checkReviewRow(doc.row, 'row');
		if (typeof row === 'string') return reject(id, row);
		if (reviewDocId(row.id) !== id) return reject(id, 'row.id: does not match the document id');
		return { kind: 'review', row, device: device.data };
	}
	if (id.startsWith(SETTINGS_PREFIX) && doc.type === 'settings') {
		const settings = settingsSchema.safeParse(doc.settings);
		if (!settings.success) return reject(id, describeIssues(settings.error, 3, 'settings'));
		if (typeof doc.time !== 'number' || !Number.isFinite(doc.time)) {
			return reject(id, 'time: expected a number');
		}
		return {
			kind: 'settings',
			doc: { ...(doc as SettingsDoc), settings: settings.data, device: device.data }
		};
	}
	return reject(id, 'unknown document type');
}

export function settingsDoc(
	settings: Settings,
	time: number,
	device: string,
	id: string
): SettingsDoc {
	return { _id: SETTINGS_PREFIX + id, type: 'settings', v: DOC_VERSION, device, time, settings };
}

/** Last writer wins: the newest by time, ties broken by document id (every device agrees). */
export function newestSettings<T extends Pick<SettingsDoc, '_id' | 'time'>>(
	docs: readonly T[]
): T | undefined {
	let best: T | undefined;
	for (const doc of docs) {
		if (!best || doc.time > best.time || (doc.time === best.time && doc._id > best._id)) {
			best = doc;
		}
	}
	return best;
}
