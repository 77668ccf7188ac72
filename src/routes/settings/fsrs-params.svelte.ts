/**
 * /settings → FSRS parameters: how many answers the history holds, fitting the weights to it in a
 * Web Worker (started only when the learner asks: the optimizer's wasm loads with it), the fit's
 * metrics against the defaults', accepting it as a new version, and the versions (revert).
 */
import { m } from '$lib/paraglide/messages';
import {
	acceptFsrsParameters,
	ensureScheduling,
	activateFsrsParameters,
	getFsrsParameters,
	getSettings,
	readAllReviews,
	type FsrsParameters
} from '$lib/progress';
import { fsrsItems, type FsrsItemInputRow } from '$lib/scheduler/fsrs-items';
import { reviewsNeeded, type FitResult } from '$lib/scheduler/optimizer';
import { progressDb } from '$lib/state/progress-db.svelte';
import { createFitWorker } from './create-fit-worker';
import type { FitRequest, FitResponse, FitStage } from './fsrs-fit-protocol';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class FsrsParamsState {
	phase = $state<'loading' | 'ready' | 'fitting' | 'fitted' | 'failed'>('loading');
	/** Answers that count in the history (null until counted). */
	answers = $state<number | null>(null);
	stage = $state<FitStage | null>(null);
	epoch = $state(0);
	epochs = $state(5);
	fit = $state.raw<{ result: FitResult; ms: number } | null>(null);
	/** The version the shown fit was stored as, once accepted (the table stays for reference). */
	acceptedVersion = $state<number | null>(null);
	params = $state.raw<FsrsParameters>({ active: null, versions: [] });
	/** What went wrong (shown as an alert). */
	error = $state<string | null>(null);
	/** What the live region says after an action. */
	announcement = $state('');
	busy = $state(false);
	private worker: Worker | null = null;

	get needed(): number {
		return this.answers === null ? 0 : reviewsNeeded(this.answers);
	}

	async load(): Promise<void> {
		try {
			const db = await progressDb();
			const [{ rows, timeZone, dayStartHour }, params] = await Promise.all([
				this.readLog(),
				getFsrsParameters(db)
			]);
			this.answers = fsrsItems(rows, { timeZone, dayStartHour }).answers;
			this.params = params;
			if (this.phase === 'loading') this.phase = 'ready';
		} catch (error) {
			this.error = m.optimizer_failed({ error: messageOf(error) });
			this.phase = 'failed';
		}
	}

	/** Reads the log afresh (answers may have come since the page opened) and fits in a worker. */
	async start(): Promise<void> {
		if (this.phase === 'fitting') return;
		this.phase = 'fitting';
		this.error = null;
		this.fit = null;
		this.acceptedVersion = null;
		this.announcement = '';
		this.stage = 'preparing';
		this.epoch = 0;
		let request: FitRequest;
		try {
			const { rows, timeZone, dayStartHour } = await this.readLog();
			this.answers = fsrsItems(rows, { timeZone, dayStartHour }).answers;
			request = { type: 'fit', rows, timeZone, dayStartHour };
		} catch (error) {
			this.fail(m.optimizer_failed({ error: messageOf(error) }));
			return;
		}
		if (this.phase !== 'fitting') return; // cancelled while reading
		const worker = createFitWorker();
		this.worker = worker;
		worker.onmessage = (event: MessageEvent<FitResponse>) => this.receive(event.data);
		worker.onerror = (event) => {
			event.preventDefault();
			this.fail(m.optimizer_unavailable({ error: event.message || 'worker error' }));
		};
		worker.postMessage(request);
	}

	/** Stops the fit at once (the optimizer is one wasm call: the worker is ended). */
	cancel(): void {
		if (this.phase !== 'fitting') return;
		this.stopWorker();
		this.phase = 'ready';
		this.stage = null;
		this.announcement = m.optimizer_cancelled();
	}

	async accept(now: number): Promise<void> {
		const fit = this.fit;
		if (!fit || this.acceptedVersion !== null) return;
		await this.change(async (db) => {
			const { result } = fit;
			const added = await acceptFsrsParameters(db, result, now);
			this.acceptedVersion = added.version;
			this.announcement = m.optimizer_accepted({ version: added.version });
		});
	}

	/** Makes an earlier version the one in use, or the defaults (null). */
	async activate(version: number | null): Promise<void> {
		await this.change(async (db) => {
			await activateFsrsParameters(db, version);
			this.announcement =
				version === null ? m.optimizer_reverted() : m.optimizer_activated({ version });
		});
	}

	destroy(): void {
		this.stopWorker();
	}

	private async change(
		work: (db: Awaited<ReturnType<typeof progressDb>>) => Promise<void>
	): Promise<void> {
		this.busy = true;
		this.error = null;
		try {
			const db = await progressDb();
			await work(db);
			// the weights in use changed: every studied card is rescheduled with them
			await ensureScheduling(db);
			this.params = await getFsrsParameters(db);
		} catch (error) {
			this.error = m.optimizer_failed({ error: messageOf(error) });
		} finally {
			this.busy = false;
		}
	}

	private receive(message: FitResponse): void {
		if (this.phase !== 'fitting') return;
		if (message.type === 'progress') {
			this.stage = message.stage;
			this.epoch = message.epoch;
			this.epochs = message.epochs;
			return;
		}
		this.stopWorker();
		this.stage = null;
		if (message.type === 'done') {
			this.fit = { result: message.result, ms: message.ms };
			this.phase = 'fitted';
			return;
		}
		const error = message.message;
		this.fail(
			{
				unavailable: () => m.optimizer_unavailable({ error }),
				'too-few': () => m.optimizer_too_few({ error }),
				'no-items': () => m.optimizer_no_items(),
				'bad-weights': () => m.optimizer_failed({ error }),
				failed: () => m.optimizer_failed({ error })
			}[message.kind]()
		);
	}

	private fail(text: string): void {
		this.stopWorker();
		this.stage = null;
		this.error = text;
		this.phase = 'ready';
	}

	private stopWorker(): void {
		this.worker?.terminate();
		this.worker = null;
	}

	private async readLog(): Promise<{
		rows: FsrsItemInputRow[];
		timeZone: string;
		dayStartHour: number;
	}> {
		const db = await progressDb();
		const [all, settings] = await Promise.all([readAllReviews(db), getSettings(db)]);
		// only what the items read (the worker gets a copy): a reset row starts a card again
		const rows = all.map(({ id, cardId, time, rating, undoes, action }) =>
			action === undefined
				? { id, cardId, time, rating, undoes }
				: { id, cardId, time, rating, undoes, action }
		);
		return { rows, timeZone: settings.timeZone, dayStartHour: settings.dayStartHour };
	}
}
