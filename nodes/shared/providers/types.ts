import type { TextStream } from '../transport';

/**
 * The one seam of the package: every provider API sits behind `Provider`, and the Bulk Verify node and
 * the trigger only ever talk to this interface. Types here are provider-neutral (providers.md §6).
 */

export type ProviderName = 'bouncify' | 'check365' | 'simplecold' | 'whoisxml';

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

export type Verdict = 'deliverable' | 'undeliverable' | 'risky' | 'unknown';

export const VERDICTS: readonly Verdict[] = ['deliverable', 'undeliverable', 'risky', 'unknown'];

export type Reason =
	| 'accepted'
	| 'invalid_syntax'
	| 'invalid_domain'
	| 'no_mx'
	| 'mailbox_not_found'
	| 'smtp_rejected'
	| 'catch_all'
	| 'disposable'
	| 'role'
	| 'spamtrap'
	| 'unverifiable'
	| 'processing_failed'
	| 'other';

/** `undefined` means the provider did not report the flag, never "false". */
export interface EmailFlags {
	role?: boolean;
	free?: boolean;
	disposable?: boolean;
	catchAll?: boolean;
	syntaxError?: boolean;
	spamtrap?: boolean;
	hasMx?: boolean;
}

export interface NormalizedEmailResult {
	email: string;
	verdict: Verdict;
	reason?: Reason;
	/** The provider's own verdict/status token, untouched. */
	providerStatus: string;
	/** The provider's own reason (statusReason, failType, error, message). */
	providerReason?: string;
	safeToSend?: boolean;
	risk?: 'low' | 'medium' | 'high';
	flags: EmailFlags;
	mxRecords?: string[];
	emailProvider?: string;
	verifiedAt?: string;
	/** Pass-through user columns (Bouncify/SimpleCold CSV). */
	extra?: Record<string, unknown>;
	raw: unknown;
}

export interface ProviderLimits {
	/** Largest number of addresses one job may hold; undefined when the provider documents none. */
	maxEmailsPerJob?: number;
	/** Largest upload in bytes; undefined when undocumented. */
	maxUploadBytes?: number;
	/** Documented request budget per key; undefined when unknown. */
	requestsPerMinute?: number;
	/** The slowest poll interval a status loop should use by default. */
	recommendedPollIntervalMs: number;
}

export interface ProviderCapabilities {
	listJobs: boolean;
	/** Jobs need an explicit start call (which spends credits). */
	explicitStart: boolean;
	deleteJob: boolean;
	/** A separate download of rows that could not be processed. */
	failedRows: boolean;
	singleVerify: boolean;
	credits: boolean;
	/** Many job ids answered by one status call. */
	batchStatus: boolean;
	/** The caller chooses the job id when creating a job. */
	clientJobId: boolean;
	limits: ProviderLimits;
}

export interface CreateJobInput {
	/** Trimmed, de-duplicated, syntactically valid addresses. */
	emails: string[];
	/** Bouncify only: start verification (spends credits) right away. */
	startNow?: boolean;
	/** Check365 only: client-chosen id; generated when absent. */
	jobId?: string;
	/** A name for the upload where the provider keeps one (SimpleCold file name). */
	listName?: string;
}

export interface CreatedJob {
	provider: ProviderName;
	jobId: string;
	/** Whether verification was started (false only for a Bouncify list that waits for Start). */
	started: boolean;
	emailCount: number;
	message?: string;
	raw: unknown;
}

export interface ListJobsOptions {
	page: number;
	perPage: number;
	sort?: 'asc' | 'desc';
}

export interface JobPage {
	jobs: NormalizedJob[];
	page: number;
	lastPage: number;
	total?: number;
}

export interface ResultsOptions {
	/** WhoisXML: also fetch the rows that could not be processed. */
	includeFailed?: boolean;
}

export interface Credits {
	provider: ProviderName;
	creditsRemaining?: number;
	raw: unknown;
}

export interface DeletedJob {
	provider: ProviderName;
	jobId: string;
	deleted: true;
	message?: string;
}

/** One job's results while they download (`Provider.streamResults`). */
export interface ResultStream {
	/** The results in download order, a batch at a time. All rows of one stream have the same raw columns. */
	batches: AsyncIterable<NormalizedEmailResult[]>;
	/** Makes a Node byte stream for n8n's binary helpers (see `TextStream`); undefined when none can be made. */
	toReadable: TextStream['toReadable'];
}

/** What is known about a provider without calling it: used to build the node's UI and check input. */
export interface ProviderInfo {
	readonly name: ProviderName;
	readonly displayName: string;
	/** The n8n credential type that authenticates its requests. */
	readonly credentialType: string;
	readonly capabilities: ProviderCapabilities;
	/** Whether `jobId` has the form this provider issues; used to fail fast before any call. */
	isValidJobId(jobId: string): boolean;
	/** Says what a valid job id looks like, for error messages. */
	readonly jobIdHint: string;
}

export interface Provider {
	readonly info: ProviderInfo;

	createJob(input: CreateJobInput): Promise<CreatedJob>;
	/**
	 * One entry per requested id, in order. An id the provider does not know comes back with
	 * `notFound: true` rather than failing the others (WhoisXML answers many ids in one call).
	 */
	getStatus(jobIds: string[]): Promise<NormalizedJob[]>;
	getResults(jobId: string, options?: ResultsOptions): Promise<NormalizedEmailResult[]>;

	/**
	 * For downloads too big to hold (a 500,000-row CSV): hands one finished job's results to `consume`
	 * as they download, retrying the whole download (and `consume`) when it breaks. Resolves undefined
	 * when this download cannot be streamed with exactly the rows `getResults` would give (the caller
	 * then uses `getResults`).
	 */
	streamResults?<T>(jobId: string, options: ResultsOptions, consume: (stream: ResultStream) => Promise<T>): Promise<{ value: T } | undefined>;

	startJob?(jobId: string): Promise<NormalizedJob>;
	listJobs?(options: ListJobsOptions): Promise<JobPage>;
	deleteJob?(jobId: string): Promise<DeletedJob>;
	verifySingle?(email: string): Promise<NormalizedEmailResult>;
	getCredits?(): Promise<Credits>;
}
