/**
 * Browser entry of `npm run bench:progress`: the stress workload's `runBench` and the ratio
 * workload's `runRatios`, on `window` for the Playwright driver.
 */
import {
	runWorkload,
	type WorkloadOptions,
	type WorkloadResult
} from '../tests/fixtures/progress/bench-workload.js';
import { runRatios, type RatioOptions, type RatioResult } from './bench-progress-ratios.js';

interface BenchWindow {
	runBench: (options: WorkloadOptions) => Promise<WorkloadResult>;
	runRatios: (options: RatioOptions) => Promise<RatioResult>;
	benchLog: string[];
	gc?: () => void;
}

const page = window as unknown as BenchWindow;
const log = (line: string) => {
	page.benchLog.push(line);
	console.log(line);
};
page.benchLog = [];
page.runBench = (options) =>
	runWorkload(options, {
		heap: () =>
			(performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
		gc: page.gc,
		log
	});
page.runRatios = (options) => runRatios(options, { log });
