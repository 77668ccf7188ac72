/**
 * The Export to Anki button's work: fetch the course's notes (prerendered at build time,
 * `anki-course.json`), load sql.js and its `.wasm` from the app's own assets, only now (dynamic
 * imports: no page's first load grows), write the `.apkg` and hand it over.
 */
import type { CollectionCounts } from '$lib/anki/apkg';
import type { AnkiCourse } from '$lib/anki/types';
import { m } from '$lib/paraglide/messages';
import { chooseDelivery, hasActivation, isLearnerClick } from './backup-download';
import { downloadBlob } from './settings-helpers';

export const ANKI_FILE_NAME = 'attentive.apkg';
export const ANKI_COURSE_URL = '/settings/anki-course.json';

async function loadSqlJs() {
	const [{ default: initSqlJs }, { default: wasmUrl }] = await Promise.all([
		import('sql.js'),
		import('sql.js/dist/sql-wasm-browser.wasm?url')
	]);
	return initSqlJs({ locateFile: () => wasmUrl });
}

async function fetchCourse(): Promise<AnkiCourse> {
	const response = await fetch(ANKI_COURSE_URL);
	if (!response.ok) throw new Error(`${ANKI_COURSE_URL}: HTTP ${response.status}`);
	return (await response.json()) as AnkiCourse;
}

export class AnkiExport {
	phase = $state<'idle' | 'loading' | 'writing' | 'done' | 'failed'>('idle');
	notes = $state(0);
	counts = $state<CollectionCounts | null>(null);
	error = $state<string | null>(null);
	/** A link to the file when the browser no longer credits the learner's click. */
	link = $state<string | null>(null);

	get busy(): boolean {
		return this.phase === 'loading' || this.phase === 'writing';
	}

	async run(event: Pick<Event, 'isTrusted'>): Promise<void> {
		if (this.busy) return;
		const learnerClick = isLearnerClick(event);
		this.phase = 'loading';
		this.error = null;
		this.counts = null;
		if (this.link) URL.revokeObjectURL(this.link);
		this.link = null;
		try {
			const [course, apkg, SQL] = await Promise.all([
				fetchCourse(),
				import('$lib/anki/apkg'),
				loadSqlJs()
			]);
			this.notes = course.notes.length;
			this.phase = 'writing';
			// let the page show "Writing…" before the synchronous work
			await new Promise((resolve) => setTimeout(resolve, 0));
			const { bytes, counts } = apkg.buildApkg(SQL, course);
			const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], {
				type: 'application/octet-stream'
			});
			if (chooseDelivery(learnerClick, hasActivation()) === 'download') {
				downloadBlob(blob, ANKI_FILE_NAME);
			} else {
				this.link = URL.createObjectURL(blob);
			}
			this.counts = counts;
			this.phase = 'done';
		} catch (error) {
			this.error = m.anki_failed({ error: error instanceof Error ? error.message : String(error) });
			this.phase = 'failed';
		}
	}
}
