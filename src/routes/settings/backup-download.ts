/**
 * When an export counts as a backup. Only a download the learner started counts (`markBackedUp`
 * clears the backup reminder): a click the browser produced (`isTrusted`; a script's `.click()` is
 * not), with the browser still crediting that gesture when the file is handed over. An export takes
 * a while, and once the gesture has expired (Safari: about a second) a browser may block or ask
 * about a download the page starts, so then the page offers a link instead, and the learner's own
 * click on it is what counts.
 */

/** Whether an event came from the learner (the browser), not from a script. */
export function isLearnerClick(event: Pick<Event, 'isTrusted'> | null | undefined): boolean {
	return event?.isTrusted === true;
}

/** Whether the browser still credits a recent learner gesture (transient user activation). */
export function hasActivation(
	nav: { userActivation?: { isActive: boolean } } | undefined = globalThis.navigator
): boolean {
	return nav?.userActivation?.isActive === true;
}

/**
 * `download`: the page starts the download now, and it counts as the learner's; `link`: the page
 * offers a link, and only the learner's click on it counts.
 */
export function chooseDelivery(learnerClick: boolean, activation: boolean): 'download' | 'link' {
	return learnerClick && activation ? 'download' : 'link';
}
