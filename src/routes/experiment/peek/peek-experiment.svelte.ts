/**
 * The peek-at-the-future experiment page's state: the form, the Web Worker, the live curves
 * (redrawn at most every FLUSH_MS), the result, and the saved runs.
 *
 * Only `config.ts` and `create-worker.browser.ts` are imported as values from the experiment layer:
 * the rest is types, so tfjs stays in the worker's bundle.
 */
import { DEFAULT_CONFIG } from '$lib/experiment/config';
import type { BackendName } from '$lib/experiment/config';
import { createPeekWorker } from '$lib/experiment/create-worker.browser';
import type { ExperimentResult } from '$lib/experiment/result';
import type { BackendBuild } from '$lib/experiment/tf';
import type { PeekResponse } from '$lib/experiment/worker-protocol';
import {
	addExperimentRun,
	listExperimentRuns,
	type ArmResult,
	type ExperimentRunRow,
	type ExperimentRunSummary
} from '$lib/progress';
import { m } from '$lib/paraglide/messages';
import { progressDb } from '$lib/state/progress-db.svelte';
import { formatSeconds } from '$lib/ui/format';
import {
	toConfig,
	validateForm,
	type CorpusKind,
	type FormErrors,
	type FormField,
	type PeekForm
} from './peek-form';

export { LIMITS, validateForm, type FormErrors, type FormField, type PeekForm } from './peek-form';

/** Charts, progress bar and tables follow the run at most this often. */
const FLUSH_MS = 200;

export interface ArmCurves {
	train: number[];
	honest: number[];
	norm: number[];
}

/** Per-step values of both arms; `steps[i]` is the step of every arm value at index i. */
export interface Curves {
	steps: number[];
	masked: ArmCurves;
	unmasked: ArmCurves;
}

export type Phase = 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';

const emptyArm = (): ArmCurves => ({ train: [], honest: [], norm: [] });
const emptyCurves = (): Curves => ({ steps: [], masked: emptyArm(), unmasked: emptyArm() });
const copyArm = (arm: ArmCurves): ArmCurves => ({
	train: arm.train.slice(),
	honest: arm.honest.slice(),
	norm: arm.norm.slice()
});

/** What a saved run keeps: the result's config and each arm's end values (no curves). */
function runRecord(
	result: ExperimentResult,
	corpusKind: CorpusKind,
	wallMs: number
): { config: Record<string, unknown>; summary: ExperimentRunSummary } {
	const arm = (a: ExperimentResult['masked']): ArmResult => ({
		train_loss: a.end.train_loss,
		honest_loss: a.end.honest_loss,
		grad_norm: a.end.grad_norm,
		sample_divergence: a.sample_divergence,
		next_token_share: a.attention.next_token_share
	});
	return {
		config: { ...result.config, corpus: corpusKind },
		summary: {
			masked: arm(result.masked),
			unmasked: arm(result.unmasked),
			corpus_passage_divergence: result.sample_measure.corpus_passage_divergence,
			total_ms: Math.round(result.total_ms),
			wall_ms: Math.round(wallMs)
		}
	};
}

export class PeekExperiment {
	form = $state<PeekForm>({
		steps: DEFAULT_CONFIG.steps,
		lr: DEFAULT_CONFIG.lr,
		dModel: DEFAULT_CONFIG.dModel,
		heads: DEFAULT_CONFIG.heads,
		corpusKind: 'builtin',
		pasted: ''
	});
	errors = $state<FormErrors>({});

	phase = $state<Phase>('idle');
	step = $state(0);
	totalSteps = $state(0);
	backend = $state<BackendName | null>(null);
	/** Which build of the backend the worker runs (wasm: SIMD, threads), from its first step. */
	build = $state.raw<BackendBuild | null>(null);
	/** Estimated time left in ms, null until two steps were measured. */
	etaMs = $state<number | null>(null);
	curves = $state.raw<Curves>(emptyCurves());
	result = $state.raw<ExperimentResult | null>(null);
	/** From pressing Run to the result (worker start, training, sampling). */
	wallMs = $state<number | null>(null);
	error = $state<string | null>(null);
	/** For the polite live region: progress every 10 %, the end of a run, saving. */
	announcement = $state('');

	runs = $state.raw<ExperimentRunRow[]>([]);
	runsError = $state<string | null>(null);

	private worker: Worker | null = null;
	private buffer = emptyCurves();
	private flushTimer: ReturnType<typeof setTimeout> | null = null;
	/** Run was pressed and the worker has not been sent 'start' yet. */
	private startPending = false;
	private startedAt = 0;
	private firstStepAt = 0;
	private lastDecile = 0;
	private corpusKind: CorpusKind = 'builtin';

	get busy(): boolean {
		return this.phase === 'running' || this.phase === 'stopping';
	}

	/** One line under the progress bar. */
	get statusText(): string {
		const { phase, result, wallMs } = this;
		if (phase === 'running' || phase === 'stopping') {
			const parts = [m.experiment_status_step({ step: this.step, total: this.totalSteps })];
			if (this.etaMs !== null) {
				parts.push(m.experiment_status_eta({ seconds: Math.ceil(this.etaMs / 1000) }));
			}
			if (phase === 'stopping') parts.push(m.experiment_status_stopping());
			return parts.join(' · ');
		}
		if (phase === 'done' && result && wallMs !== null) {
			const { steps, backend } = result.config;
			return m.experiment_status_done({
				steps,
				time: formatSeconds(wallMs, 1),
				ms: result.ms_per_step.toFixed(1),
				backend
			});
		}
		if (phase === 'stopped') {
			return m.experiment_status_stopped({ step: this.step, total: this.totalSteps });
		}
		return phase === 'failed' ? m.experiment_status_failed() : '';
	}

	/** "wasm, SIMD, 2 threads", "wasm, SIMD, single thread", …; '' until the worker said. */
	get buildText(): string {
		const build = this.build;
		if (!build) return '';
		if (build.backend !== 'wasm') return m.web_build_cpu();
		if (!build.simd) return m.web_build_wasm_plain();
		if (build.threads > 1) return m.web_build_wasm_threads({ threads: build.threads });
		return build.threaded ? m.web_build_wasm_threaded_one() : m.web_build_wasm_single();
	}

	/** Single-threaded wasm on an isolated page: too few cores for threads to help (tf-loader.ts). */
	get threadsNeedCores(): boolean {
		return (
			this.build?.backend === 'wasm' &&
			this.build.simd &&
			!this.build.threaded &&
			this.build.fewCores &&
			typeof crossOriginIsolated !== 'undefined' &&
			crossOriginIsolated
		);
	}

	/** Single-threaded wasm because the page is not cross-origin isolated (threads need it). */
	get threadsNeedIsolation(): boolean {
		return (
			this.build?.backend === 'wasm' &&
			this.build.simd &&
			!this.build.threaded &&
			typeof crossOriginIsolated !== 'undefined' &&
			!crossOriginIsolated
		);
	}

	/** Loads the saved runs (call from onMount: IndexedDB exists only in the browser). */
	async loadRuns(): Promise<void> {
		try {
			this.runs = await listExperimentRuns(await progressDb(), 20);
			this.runsError = null;
		} catch (error) {
			this.runsError = m.experiment_runs_read_error({ error: message(error) });
		}
	}

	/** Validates the form; starts a run when it is fine. Returns the first bad field otherwise. */
	run(): FormField | null {
		if (this.busy) return null;
		const form = $state.snapshot(this.form);
		this.errors = validateForm(form);
		const bad = Object.keys(this.errors)[0] as FormField | undefined;
		if (bad) {
			this.announcement = m.experiment_announce_invalid();
			return bad;
		}
		this.reset();
		this.corpusKind = form.corpusKind;
		this.totalSteps = form.steps;
		this.phase = 'running';
		this.startedAt = performance.now();
		this.announcement = m.experiment_announce_started({ steps: form.steps });
		const config = toConfig(form);
		// in a task of its own: creating the worker costs the main thread about 10 ms, which would
		// otherwise add to the task that handles Run and draws the progress section
		this.startPending = true;
		setTimeout(() => {
			if (this.phase !== 'running' || !this.startPending) return;
			this.startPending = false;
			try {
				this.ensureWorker().postMessage({ type: 'start', config });
			} catch (error) {
				this.fail(m.experiment_start_error({ error: message(error) }));
			}
		});
		return null;
	}

	stop(): void {
		if (this.phase !== 'running') return;
		if (this.startPending || !this.worker) {
			// Stop before the worker got 'start' (it is posted in a task of its own): nothing ran
			this.startPending = false;
			this.receive({ type: 'stopped', step: 0 });
			return;
		}
		this.phase = 'stopping';
		this.worker.postMessage({ type: 'stop' });
	}

	destroy(): void {
		this.worker?.terminate();
		this.worker = null;
		this.clearFlush();
	}

	private reset(): void {
		this.clearFlush();
		this.buffer = emptyCurves();
		this.curves = emptyCurves();
		this.result = null;
		this.error = null;
		this.step = 0;
		this.etaMs = null;
		this.wallMs = null;
		this.backend = null;
		this.build = null;
		this.lastDecile = 0;
		this.firstStepAt = 0;
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = createPeekWorker();
		worker.onmessage = (event: MessageEvent<PeekResponse>) => this.receive(event.data);
		worker.onerror = (event) => {
			event.preventDefault();
			this.worker?.terminate();
			this.worker = null;
			this.fail(
				m.experiment_worker_error({ reason: event.message || m.experiment_worker_not_loaded() })
			);
		};
		this.worker = worker;
		return worker;
	}

	private receive(message: PeekResponse): void {
		switch (message.type) {
			case 'progress':
				this.onProgress(message);
				break;
			case 'done':
				void this.onDone(message.result);
				break;
			case 'stopped':
				this.flush();
				this.phase = 'stopped';
				this.etaMs = null;
				this.announcement = m.experiment_announce_stopped({
					step: message.step,
					total: this.totalSteps
				});
				break;
			case 'error':
				this.fail(message.message);
				break;
		}
	}

	private onProgress(message: Extract<PeekResponse, { type: 'progress' }>): void {
		const b = this.buffer;
		b.steps.push(message.step);
		for (const arm of ['masked', 'unmasked'] as const) {
			b[arm].train.push(message[arm].trainLoss);
			b[arm].honest.push(message[arm].honestLoss);
			b[arm].norm.push(message[arm].gradNorm);
		}
		const now = performance.now();
		if (message.step === 1) this.firstStepAt = now;
		else {
			const perStep = (now - this.firstStepAt) / (message.step - 1);
			this.etaMs = perStep * (message.totalSteps - message.step);
		}
		this.totalSteps = message.totalSteps;
		if (this.backend !== message.backend) this.backend = message.backend;
		if (message.build && !sameBuild(this.build, message.build)) this.build = message.build;
		const decile = Math.floor((10 * message.step) / message.totalSteps);
		if (decile > this.lastDecile && message.step < message.totalSteps) {
			this.lastDecile = decile;
			const progress = { percent: decile * 10, step: message.step, total: message.totalSteps };
			this.announcement =
				this.etaMs === null
					? m.experiment_announce_progress(progress)
					: m.experiment_announce_progress_eta({
							...progress,
							seconds: Math.ceil(this.etaMs / 1000)
						});
		}
		this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
	}

	/** Publishes the buffered steps (copies, so Chart.js never holds the arrays still growing). */
	private flush(): void {
		this.clearFlush();
		const b = this.buffer;
		this.step = b.steps.at(-1) ?? 0;
		this.curves = {
			steps: b.steps.slice(),
			masked: copyArm(b.masked),
			unmasked: copyArm(b.unmasked)
		};
	}

	private clearFlush(): void {
		if (this.flushTimer !== null) clearTimeout(this.flushTimer);
		this.flushTimer = null;
	}

	private async onDone(result: ExperimentResult): Promise<void> {
		this.clearFlush();
		const wallMs = performance.now() - this.startedAt;
		const steps = Array.from({ length: result.config.steps }, (_, i) => i + 1);
		const arm = (a: ExperimentResult['masked']): ArmCurves => ({
			train: a.train_loss,
			honest: a.honest_loss,
			norm: a.grad_norm
		});
		this.curves = { steps, masked: arm(result.masked), unmasked: arm(result.unmasked) };
		this.step = result.config.steps;
		this.backend = result.config.backend;
		this.etaMs = null;
		// the result's tables, maps and samples are drawn in a task of their own: together with the
		// full curves in one task they would block the page for too long on a slow machine
		await new Promise((resolve) => setTimeout(resolve));
		this.wallMs = wallMs;
		this.result = result;
		this.phase = 'done';
		const loss = (x: number) => x.toPrecision(2);
		this.announcement = m.experiment_announce_finished({
			time: formatSeconds(wallMs, 1),
			masked: loss(result.masked.end.train_loss),
			unmasked: loss(result.unmasked.end.train_loss)
		});
		try {
			const db = await progressDb();
			await addExperimentRun(db, {
				time: Date.now(),
				...runRecord(result, this.corpusKind, wallMs)
			});
			await this.loadRuns();
		} catch (error) {
			this.runsError = m.experiment_save_error({ error: message(error) });
		}
	}

	private fail(text: string): void {
		this.clearFlush();
		this.flush();
		this.phase = 'failed';
		this.etaMs = null;
		this.error = text;
		this.announcement = m.experiment_announce_failed({ error: text });
	}
}

function sameBuild(a: BackendBuild | null, b: BackendBuild): boolean {
	return (
		a !== null &&
		a.backend === b.backend &&
		a.simd === b.simd &&
		a.threaded === b.threaded &&
		a.threads === b.threads &&
		a.fewCores === b.fewCores
	);
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
