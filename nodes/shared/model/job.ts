/** The provider-neutral job: its states, counters and the builder every adapter uses. */
import type { ProviderName } from './provider';
import { withoutUndefined } from './values';

export type JobState = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export const TERMINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface JobCounts {
	deliverable?: number;
	undeliverable?: number;
	risky?: number;
	unknown?: number;
	/** Rejected before verification (bad format), where the provider reports it. */
	invalid?: number;
	/** Could not be processed, where the provider reports it. */
	failed?: number;
}

export interface NormalizedJob {
	provider: ProviderName;
	jobId: string;
	state: JobState;
	isTerminal: boolean;
	/** Bouncify `ready`: the list waits for an explicit start (which spends credits). */
	awaitingStart: boolean;
	/** SimpleCold `CANCELING`. */
	cancelRequested: boolean;
	/** True only when results can be fetched now. */
	resultsAvailable: boolean;
	total?: number;
	processed?: number;
	pending?: number;
	progressPercent?: number;
	creditsUsed?: number;
	counts?: JobCounts;
	/** ISO 8601 when the provider's value could be parsed, else the provider's own string. */
	createdAt?: string;
	updatedAt?: string;
	message?: string;
	/** The provider does not know this job id (the other fields are then empty). */
	notFound?: boolean;
	rawStatus: string | number | null;
	raw: unknown;
}

export function isTerminalState(state: JobState): boolean {
	return TERMINAL_JOB_STATES.includes(state);
}

type NormalizedJobFields = Omit<
	NormalizedJob,
	'isTerminal' | 'awaitingStart' | 'cancelRequested' | 'resultsAvailable'
> &
	Partial<Pick<NormalizedJob, 'awaitingStart' | 'cancelRequested' | 'resultsAvailable'>>;

/** Fills the derived job fields: terminal flag, results availability, 100% once completed, empty counts dropped. */
export function makeNormalizedJob(fields: NormalizedJobFields): NormalizedJob {
	const counts =
		fields.counts === undefined ? undefined : withoutUndefined<JobCounts>(fields.counts);
	return withoutUndefined<NormalizedJob>({
		...fields,
		isTerminal: isTerminalState(fields.state),
		awaitingStart: fields.awaitingStart ?? false,
		cancelRequested: fields.cancelRequested ?? false,
		resultsAvailable: fields.resultsAvailable ?? fields.state === 'completed',
		progressPercent: fields.state === 'completed' ? 100 : fields.progressPercent,
		counts: counts !== undefined && Object.keys(counts).length > 0 ? counts : undefined,
	});
}
