import type {
	HttpContext,
	ProviderErrorProfile,
	TransportOptions,
	TransportRequest,
} from '../../http/options';
import { BODY_LIMITS } from '../../http/options';
import { Transport } from '../../http/transport';
import { providerError } from '../../model/errors';
import { canonicalNumericId, exactNumericId } from '../../model/job-ids';
import type { ProviderDefinition } from '../definition';
import { notFoundJob } from '../common';
import type {
	CreatedJob,
	CreateJobInput,
	Credits,
	JobPage,
	ListJobsOptions,
	Provider,
	ProviderCapabilities,
	ProviderInfo,
	ResultsOptions,
} from '../../model/provider';
import type { NormalizedEmailResult } from '../../model/result';
import type { NormalizedJob } from '../../model/job';
import {
	normalizeWhoisxmlCompletedRow,
	normalizeWhoisxmlFailedRow,
	normalizeWhoisxmlJob,
	normalizeWhoisxmlSingleResult,
} from './normalize';
import {
	extractErrorMessage,
	whoisxmlCompletedSchema,
	whoisxmlCreateSchema,
	whoisxmlFailedSchema,
	whoisxmlListSchema,
	whoisxmlSingleSchema,
	whoisxmlStatusSchema,
} from './schemas';
import {
	DEFAULT_BASE_URL,
	USER_SERVICE_URL,
} from '../../../../credentials/WhoisXmlApi.credentials';
import { emailVerificationCredits, whoisxmlBalanceSchema } from './balance';

/** Ids per status call: WhoisXML takes an array; keep requests small (no documented maximum). */
const STATUS_BATCH_SIZE = 100;
/** The largest page of `/request/list` WhoisXML serves. */
const LIST_PAGE_SIZE = 50;

const capabilities: ProviderCapabilities = {
	listJobs: true,
	increasingJobIds: true,
	explicitStart: false,
	deleteJob: false,
	failedRows: true,
	singleVerify: true,
	// The Account Balance API of WhoisXML's user service (docs/provider-apis.md §7); 1 credit per email (§4.1).
	credits: true,
	creditsPerEmail: 1,
	clientJobId: false,
	listName: false,
	// WhoisXML documents no rate limit for Email Verification (docs/provider-apis.md §4.1).
	limits: {
		maxEmailsPerJob: 50_000,
		recommendedPollIntervalMs: 15_000,
		statusIdsPerCall: STATUS_BATCH_SIZE,
		jobsPerPage: LIST_PAGE_SIZE,
	},
};

export const whoisxmlInfo: ProviderInfo = {
	name: 'whoisxml',
	displayName: 'WhoisXML API',
	credentialType: 'whoisXmlApi',
	capabilities,
	jobIdHint: 'a WhoisXML API request ID is a whole number such as 596',
	// Any length: an id past 2^53 is kept as its exact digits, never read through a float.
	isValidJobId: (jobId) => /^\d{1,40}$/.test(jobId),
};

/** The user service's name among the credential's hosts (docs/provider-apis.md §7). */
const USER_SERVICE = 'userService';

const errorProfile: ProviderErrorProfile = {
	displayName: whoisxmlInfo.displayName,
	credentialDisplayName: 'WhoisXML Email Verification API',
	defaultBaseUrl: DEFAULT_BASE_URL,
	// Deliberately the one other host: the account balance, for the same key (docs/provider-apis.md §7).
	otherHosts: { [USER_SERVICE]: USER_SERVICE_URL },
	extractErrorMessage,
	classifyError(status, message = '', request) {
		// The user service documents no errors: a refused key is 401 or 403 in third-party code, and a
		// 404 is a route it (or a proxy at the Base URL) does not serve, not an unknown job (§7).
		if (request.host === USER_SERVICE) {
			if (status === 401 || status === 403) return 'auth';
			if (status === 404) return 'badRequest';
		}
		if (status === 401) return 'auth';
		if (status === 402 || /insufficient balance/i.test(message)) return 'credits';
		// 403 "the request doesn't belong to your account" and 422 "Wrong request id" (docs/provider-apis.md §4.1).
		if (status === 403 || status === 422 || /wrong request id/i.test(message)) return 'unknownJob';
		return undefined;
	},
	failureInSuccessBody(body) {
		const response = (body as { response?: unknown }).response;
		if (response === null || typeof response !== 'object' || Array.isArray(response))
			return undefined;
		return 'error' in response || 'errors' in response
			? (extractErrorMessage(body) ?? 'error')
			: undefined;
	},
	rateLimitAdvice:
		'WhoisXML API is rate-limiting this key. Run fewer executions at once or poll less often.',
};

const BULK_API = '/api/bevService';
/** The completed rows, validated and then normalized. */
const completedResults = whoisxmlCompletedSchema.transform((body) =>
	body.response.map((row) => normalizeWhoisxmlCompletedRow(row)),
);
/** The single API may take up to 2 minutes (docs/provider-apis.md §4.3). */
const SINGLE_VERIFY_TIMEOUT_MS = 130_000;

export class WhoisXmlProvider implements Provider {
	readonly info = whoisxmlInfo;
	private readonly transport: Transport;

	constructor(
		private readonly ctx: HttpContext,
		private readonly options?: Partial<TransportOptions>,
	) {
		this.transport = new Transport(ctx, whoisxmlInfo.credentialType, errorProfile, options);
	}

	async createJob(input: CreateJobInput): Promise<CreatedJob> {
		const body = await this.transport.json(
			{
				method: 'POST',
				url: `${BULK_API}/request`,
				// v2 reached end of life in 2024; json is the one format every doc version accepts.
				body: { version: 3, emails: input.emails, format: 'json' },
				idempotent: false,
				action: 'create a bulk verification request',
			},
			whoisxmlCreateSchema,
		);
		return {
			provider: whoisxmlInfo.name,
			jobId: String(body.response.id),
			started: true,
			emailCount: input.emails.length,
			raw: body,
		};
	}

	/** One call answers many ids; ids WhoisXML does not know are simply missing from its answer. */
	async getStatus(jobIds: string[]): Promise<NormalizedJob[]> {
		const byId = new Map<string, NormalizedJob>();
		for (let start = 0; start < jobIds.length; start += STATUS_BATCH_SIZE) {
			const batch = jobIds.slice(start, start + STATUS_BATCH_SIZE);
			const body = await this.transport.json(
				{
					method: 'POST',
					url: `${BULK_API}/request/status`,
					body: { ids: batch.map(exactNumericId), format: 'json' },
					idempotent: true,
					action:
						batch.length === 1
							? `get the status of request ${batch[0]}`
							: `get the status of ${batch.length} requests`,
					jobId: batch.length === 1 ? batch[0] : undefined,
				},
				whoisxmlStatusSchema,
			);
			for (const entry of body.response) {
				const job = normalizeWhoisxmlJob(entry);
				byId.set(canonicalNumericId(job.jobId), job);
			}
		}
		return jobIds.map(
			(jobId) => byId.get(canonicalNumericId(jobId)) ?? notFoundJob(whoisxmlInfo, jobId),
		);
	}

	async listJobs(options: ListJobsOptions): Promise<JobPage> {
		const body = await this.transport.json(
			{
				method: 'POST',
				url: `${BULK_API}/request/list`,
				body: {
					page: options.page,
					perPage: options.perPage,
					sort: options.sort ?? 'desc',
					onlyIds: false,
					format: 'json',
				},
				idempotent: true,
				action: `list requests (page ${options.page})`,
			},
			whoisxmlListSchema,
		);
		const page = body.response;
		return {
			jobs: page.data.map((entry) => normalizeWhoisxmlJob(entry)),
			page: page.current_page ?? options.page,
			// Without last_page, a full page means there may be another.
			lastPage:
				page.last_page ?? (page.data.length < options.perPage ? options.page : options.page + 1),
			total: page.total,
		};
	}

	async getResults(jobId: string, options: ResultsOptions = {}): Promise<NormalizedEmailResult[]> {
		const results = await this.transport.json(
			{
				method: 'POST',
				url: `${BULK_API}/request/completed`,
				body: { id: exactNumericId(jobId), format: 'json' },
				idempotent: true,
				action: `download the results of request ${jobId}`,
				jobId,
				maxBodyBytes: BODY_LIMITS.results,
			},
			completedResults,
		);
		if (!options.includeFailed) return results;
		const failed = await this.transport.json(
			{
				method: 'POST',
				url: `${BULK_API}/request/failed`,
				body: { id: exactNumericId(jobId), format: 'json' },
				idempotent: true,
				action: `download the failed rows of request ${jobId}`,
				jobId,
				maxBodyBytes: BODY_LIMITS.results,
			},
			whoisxmlFailedSchema,
		);
		return results.concat(failed.response.map((row) => normalizeWhoisxmlFailedRow(row)));
	}

	async verifySingle(email: string): Promise<NormalizedEmailResult> {
		const body = await this.transport.json(
			{
				method: 'GET',
				url: '/api/v3',
				qs: { emailAddress: email, outputFormat: 'JSON' },
				idempotent: false,
				action: `verify ${email}`,
				timeoutMs: SINGLE_VERIFY_TIMEOUT_MS,
			},
			whoisxmlSingleSchema,
		);
		return normalizeWhoisxmlSingleResult(body);
	}

	/**
	 * The Email Verification credits, from the Account Balance API of the user service (§7). The whole
	 * list is asked for (no `productId`), so an answer without product 7 can name what it has instead.
	 */
	async getCredits(): Promise<Credits> {
		const request: TransportRequest = {
			method: 'GET',
			url: '/user-service/account-balance',
			host: USER_SERVICE,
			qs: { outputFormat: 'JSON' },
			idempotent: true,
			action: 'read the account balance',
		};
		const body = await this.transport.json(request, whoisxmlBalanceSchema);
		const reading = emailVerificationCredits(body);
		if ('problem' in reading) {
			throw providerError(this.ctx.getNode(), `WhoisXML API's account balance ${reading.problem}`, {
				description: `${reading.listed} This node takes the Email Verification credits from product 7, an id WhoisXML does not document (it comes from third-party code), so it reports no balance rather than another product's. The balance is on your WhoisXML API account page (My products).`,
				itemIndex: this.options?.itemIndex,
				details: { kind: 'invalidResponse', providerMessage: reading.problem },
			});
		}
		return { provider: whoisxmlInfo.name, creditsRemaining: reading.credits, raw: body };
	}
}

export const whoisxml: ProviderDefinition = {
	info: whoisxmlInfo,
	create: (ctx, options) => new WhoisXmlProvider(ctx, options),
};
