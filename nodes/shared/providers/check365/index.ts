import type {
	HttpContext,
	ProviderErrorProfile,
	TransportOptions,
	TransportRequest,
} from '../../http/options';
import { BODY_LIMITS } from '../../http/options';
import { Transport } from '../../http/transport';
import type { ProviderDefinition } from '../definition';
import { notFoundJob, statusOneByOne } from '../common';
import type {
	CreatedJob,
	CreateJobInput,
	Provider,
	ProviderCapabilities,
	ProviderInfo,
} from '../../model/provider';
import type { NormalizedEmailResult } from '../../model/result';
import type { NormalizedJob } from '../../model/job';
import { normalizeCheck365Job, normalizeCheck365Result } from './normalize';
import { check365StatusSchema, check365CreateSchema, extractErrorMessage } from './schemas';
import { DEFAULT_BASE_URL } from '../../../../credentials/Check365Api.credentials';

const capabilities: ProviderCapabilities = {
	listJobs: false,
	increasingJobIds: false,
	explicitStart: false,
	deleteJob: false,
	failedRows: false,
	singleVerify: false,
	// No balance endpoint (docs/provider-apis.md §2.2.3). The price per address is UNKNOWN (the docs'
	// example charges 12 credits for 2 addresses, §2.2.2): Estimate counts one per address.
	credits: false,
	creditsPerEmail: 1,
	clientJobId: true,
	listName: false,
	// Check365 documents no size limit and no rate limit (docs/provider-apis.md §2.1).
	limits: { recommendedPollIntervalMs: 15_000, statusIdsPerCall: 1 },
};

export const check365Info: ProviderInfo = {
	name: 'check365',
	displayName: 'Check365',
	credentialType: 'check365Api',
	capabilities,
	jobIdHint:
		'a Check365 job ID is the ID given when the job was created (letters, digits, "-", "_", "." or ":")',
	isValidJobId: (jobId) => /^[A-Za-z0-9._:-]{1,128}$/.test(jobId),
};

const errorProfile: ProviderErrorProfile = {
	displayName: check365Info.displayName,
	credentialDisplayName: 'Check365 API',
	defaultBaseUrl: DEFAULT_BASE_URL,
	extractErrorMessage,
	// Check365's error codes page could not be read (docs/provider-apis.md §2.1): classify by wording too.
	classifyError(status, message = '') {
		if (status === 401 || /invalid api[ _]?key|unauthori[sz]ed/i.test(message)) return 'auth';
		if (status === 402 || /insufficient|credits/i.test(message)) return 'credits';
		if (/not found|no job|unknown job/i.test(message)) return 'unknownJob';
		return undefined;
	},
	failureInSuccessBody(body) {
		const success = (body as { success?: unknown }).success;
		return success === false || success === 'false'
			? (extractErrorMessage(body) ?? 'success: false')
			: undefined;
	},
	rateLimitAdvice:
		'Check365 documents no rate limit, but it is refusing requests: run fewer executions at once or poll less often.',
};

export class Check365Provider implements Provider {
	readonly info = check365Info;
	private readonly transport: Transport;

	constructor(ctx: HttpContext, options?: Partial<TransportOptions>) {
		this.transport = new Transport(ctx, check365Info.credentialType, errorProfile, options);
	}

	async createJob(input: CreateJobInput): Promise<CreatedJob> {
		// Check365 lets the client choose the job id; a fresh UUID avoids reusing one (reuse is undocumented).
		const jobId = input.jobId ?? crypto.randomUUID();
		const body = await this.transport.json(
			{
				method: 'POST',
				url: '/bulk-upload',
				body: { emails: input.emails, job_id: jobId },
				idempotent: false,
				action: 'upload a bulk verification job',
				jobId,
			},
			check365CreateSchema,
		);
		return {
			provider: check365Info.name,
			jobId: body.job_id ?? jobId,
			started: true,
			emailCount: input.emails.length,
			message: body.message,
			raw: body,
		};
	}

	async getStatus(jobIds: string[]): Promise<NormalizedJob[]> {
		return await statusOneByOne(jobIds, async (jobId) => {
			const body = await this.transport.jsonOrNotFound(
				this.statusRequest(jobId, 'get the status of'),
				check365StatusSchema,
			);
			return body === undefined
				? notFoundJob(check365Info, jobId)
				: normalizeCheck365Job(body, { jobId });
		});
	}

	/** Check365 returns results inline in the status response: there is no separate download. */
	async getResults(jobId: string): Promise<NormalizedEmailResult[]> {
		const request = this.statusRequest(jobId, 'get the results of');
		const body = await this.transport.json(request, check365StatusSchema);
		const job = normalizeCheck365Job(body, { jobId });
		if (!job.resultsAvailable) {
			throw this.transport.failure(
				'notReady',
				request,
				`job status is ${String(job.rawStatus)} (${job.progressPercent ?? 0}% done)`,
			);
		}
		return (body.data.results ?? []).map((row) => normalizeCheck365Result(row));
	}

	private statusRequest(jobId: string, verb: string): TransportRequest {
		return {
			method: 'GET',
			url: '/bulk-status',
			qs: { job_id: jobId },
			idempotent: true,
			action: `${verb} job ${jobId}`,
			jobId,
			// The status answer carries the job's results inline.
			maxBodyBytes: BODY_LIMITS.results,
		};
	}
}

export const check365: ProviderDefinition = {
	info: check365Info,
	create: (ctx, options) => new Check365Provider(ctx, options),
};
