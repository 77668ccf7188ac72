export {
	applyRating,
	DAY_MS,
	DEFAULT_RETENTION,
	DEFAULT_SCHEDULER_PARAMS,
	formatInterval,
	HOUR_MS,
	isDue,
	isRating,
	MINUTE_MS,
	newCardState,
	PHASE,
	previewRatings,
	proposeRating,
	RATING_NAMES,
	RATINGS,
	RETENTION_LIMITS,
	retrievability,
	schedulerParamsKey,
	type CardState,
	type Phase,
	type Rating,
	type RatingPreview,
	type ScheduleFields,
	type SchedulerParams
} from './fsrs.js';
export {
	activeAnswers,
	compareEvents,
	isUndo,
	replay,
	replayLog,
	voidedIds,
	type ReplayResult,
	type ReviewEvent
} from './replay.js';
export {
	DayClock,
	dayToIso,
	isoToDay,
	isValidTimeZone,
	systemTimeZone,
	weekStartOf
} from './days.js';
export {
	buildQueue,
	countDoneToday,
	DEFAULT_LEARN_AHEAD_MS,
	type BuildQueueInput,
	type DoneToday,
	type Queue,
	type QueueCard,
	type QueueItem,
	type QueueKind
} from './queue.js';
export {
	cardRandom,
	DEFAULT_FIRST_ANSWER_RECALL,
	DEFAULT_FORECAST_RUNS,
	forecastWorkload,
	type Forecast,
	type ForecastDay,
	type ForecastInput
} from './forecast.js';
export {
	fsrsItems,
	packFsrsItems,
	type FsrsDataset,
	type FsrsItem,
	type FsrsItemInputRow,
	type FsrsItemReview,
	type FsrsItemsOptions,
	type PackedFsrsItems
} from './fsrs-items.js';
export {
	DEFAULT_FSRS_WEIGHTS,
	evaluateWeights,
	FSRS_WEIGHT_COUNT,
	lossMetrics,
	predictRecall,
	recallOutcomes,
	type WeightsEvaluation
} from './evaluate.js';
export {
	FitError,
	fitFsrsWeights,
	isFsrs6Weights,
	MIN_FIT_REVIEWS,
	reviewsNeeded,
	type ComputeWeights,
	type FitResult
} from './optimizer.js';
export {
	cardFlags,
	isHidden,
	sinceLastReset,
	type ActionEvent,
	type CardAction,
	type CardFlags
} from './card-actions.js';
export { CARD_ACTIONS, isLeech, LEECH_LAPSES } from './leech.js';
