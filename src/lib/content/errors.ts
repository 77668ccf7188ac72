/** One problem in a deck, always reported as `file:line: what is wrong`. */
export interface ContentIssue {
	file: string;
	/** 1-based. */
	line: number;
	message: string;
}

export function formatIssue(issue: ContentIssue): string {
	return `${issue.file}:${issue.line}: ${issue.message}`;
}

/** Thrown when one or more decks are invalid; `message` lists every issue, one per line. */
export class ContentError extends Error {
	readonly issues: ContentIssue[];

	constructor(issues: ContentIssue[]) {
		super(issues.map(formatIssue).join('\n'));
		this.name = 'ContentError';
		this.issues = issues;
	}
}
