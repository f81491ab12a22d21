/**
 * The one seam of the package: every provider API sits behind `Provider`, and the Bulk Verify node and
 * the trigger only ever talk to this interface and the model beside it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { NormalizedJob } from './job';
import type { NormalizedEmailResult } from './result';

/** A provider's key in the registry (`providers/index.ts`), e.g. "bouncify": no list of them lives here. */
export type ProviderName = string;

/** What n8n's `prepareBinaryData` takes: a Buffer or a Node readable stream. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Makes a Node byte stream from bytes, for n8n's binary helpers. */
export type ReadableMaker = (source: AsyncIterable<Uint8Array>) => BinarySource;

export interface ProviderLimits {
	/** Largest number of addresses one job may hold; undefined when the provider documents none. */
	maxEmailsPerJob?: number;
	/** Largest upload in bytes; undefined when undocumented. */
	maxUploadBytes?: number;
	/** Documented request budget per key; undefined when unknown. */
	requestsPerMinute?: number;
	/** The slowest poll interval a status loop should use by default. */
	recommendedPollIntervalMs: number;
	/** Job ids one status call answers (1 where the API takes one id per call). */
	statusIdsPerCall: number;
	/** The largest page of a job listing, where the provider lists jobs (else `DEFAULT_JOBS_PER_PAGE`). */
	jobsPerPage?: number;
}

/** The page size asked for where a provider that lists jobs documents no largest page. */
export const DEFAULT_JOBS_PER_PAGE = 50;

export interface ProviderCapabilities {
	/** The account's jobs can be listed, newest first. */
	listJobs: boolean;
	/**
	 * Job ids are whole numbers that grow with every new job, so a listing newest first can stop at the
	 * newest id already seen (the trigger's "Every Job" mode keeps that id as its watermark).
	 */
	increasingJobIds: boolean;
	/** Jobs need an explicit start call (which spends credits). */
	explicitStart: boolean;
	deleteJob: boolean;
	/** A separate download of rows that could not be processed. */
	failedRows: boolean;
	singleVerify: boolean;
	/**
	 * A free balance endpoint (`Provider.getCredits`): Account → Get Credits, the credit guard before
	 * paid calls (Check Credits First) and the balance in Job → Estimate.
	 */
	credits: boolean;
	/**
	 * Credits one verified address costs (a job of n addresses costs n × this): what the credit guard
	 * and Job → Estimate count with. 1 where the provider charges per address.
	 */
	creditsPerEmail: number;
	/** The caller chooses the job id when creating a job. */
	clientJobId: boolean;
	/** The upload can be given a name the provider shows (SimpleCold's file name). */
	listName: boolean;
	limits: ProviderLimits;
}

export interface CreateJobInput {
	/** Trimmed, de-duplicated, syntactically valid addresses. */
	emails: string[];
	/** Bouncify only: start verification (spends credits) right away. */
	startNow?: boolean;
	/** Check365 only: client-chosen id; generated when absent. */
	jobId?: string;
	/** A name for the upload, where `capabilities.listName` says the provider keeps one. */
	listName?: string;
}

/** What a caller of `startJob` can do between the provider's checks and the paid start call. */
export interface StartJobOptions {
	/**
	 * Called with the job's status just before the call that starts it (and spends credits); what it
	 * throws stops the start, with nothing sent.
	 */
	beforeStart?(job: NormalizedJob): Promise<void> | void;
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
	/** The verification credits left; undefined when the provider's answer did not say. */
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
	/** Makes a Node byte stream for n8n's binary helpers; undefined when none can be made. */
	toReadable: ReadableMaker | undefined;
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
	streamResults?<T>(
		jobId: string,
		options: ResultsOptions,
		consume: (stream: ResultStream) => Promise<T>,
	): Promise<{ value: T } | undefined>;

	startJob?(jobId: string, options?: StartJobOptions): Promise<NormalizedJob>;
	listJobs?(options: ListJobsOptions): Promise<JobPage>;
	deleteJob?(jobId: string): Promise<DeletedJob>;
	verifySingle?(email: string): Promise<NormalizedEmailResult>;
	getCredits?(): Promise<Credits>;
}
