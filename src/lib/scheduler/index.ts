export {
	applyRating,
	DAY_MS,
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
	retrievability,
	type CardState,
	type Phase,
	type Rating,
	type RatingPreview,
	type ScheduleFields
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
	cardFlags,
	isHidden,
	sinceLastReset,
	type ActionEvent,
	type CardAction,
	type CardFlags
} from './card-actions.js';
export { CARD_ACTIONS, isLeech, LEECH_LAPSES } from './leech.js';
