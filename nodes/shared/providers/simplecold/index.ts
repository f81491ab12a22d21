import { collectHeaders, toCsv } from '../../csv/write';
import type {
	HttpContext,
	ProviderErrorProfile,
	TransportOptions,
	TransportRequest,
} from '../../http/options';
import { BODY_LIMITS } from '../../http/options';
import { Transport } from '../../http/transport';
import type { ProviderDefinition } from '../definition';
import { notFoundJob, statusOneByOne, UUID_PATTERN } from '../common';
import type {
	CreatedJob,
	CreateJobInput,
	Provider,
	ProviderCapabilities,
	ProviderInfo,
} from '../../model/provider';
import type { NormalizedEmailResult } from '../../model/result';
import type { NormalizedJob } from '../../model/job';
import {
	normalizeSimplecoldJob,
	normalizeSimplecoldResult,
	normalizeSimplecoldRow,
	simplecoldUploadedJobId,
} from './normalize';
import {
	extractErrorMessage,
	simplecoldColumnsSchema,
	simplecoldDownloadJsonSchema,
	simplecoldSingleSchema,
	simplecoldStatusSchema,
	simplecoldUploadSchema,
} from './schemas';
import { DEFAULT_BASE_URL } from '../../../../credentials/SimpleColdApi.credentials';

const capabilities: ProviderCapabilities = {
	listJobs: false,
	increasingJobIds: false,
	explicitStart: false,
	deleteJob: false,
	failedRows: false,
	singleVerify: true,
	// No credits endpoint (docs/provider-apis.md §3.2.7); `totalCreditsUsed` equals `totalEmails` (§3.2.5).
	credits: false,
	creditsPerEmail: 1,
	clientJobId: false,
	listName: true,
	limits: {
		maxUploadBytes: 7 * 1024 * 1024,
		requestsPerMinute: 10,
		// The docs advise polling every 10-30 s; 10 calls a minute is the whole key's budget.
		recommendedPollIntervalMs: 15_000,
		statusIdsPerCall: 1,
	},
};

export const simplecoldInfo: ProviderInfo = {
	name: 'simplecold',
	displayName: 'SimpleCold',
	credentialType: 'simpleColdApi',
	capabilities,
	jobIdHint: 'a SimpleCold job ID is a UUID such as 550e8400-e29b-41d4-a716-446655440000',
	isValidJobId: (jobId) => UUID_PATTERN.test(jobId),
};

const errorProfile: ProviderErrorProfile = {
	displayName: simplecoldInfo.displayName,
	credentialDisplayName: 'SimpleCold API',
	defaultBaseUrl: DEFAULT_BASE_URL,
	extractErrorMessage,
	classifyError(status, message = '') {
		if (status === 401) return 'auth';
		if (status === 429 || /rate limit/i.test(message)) return 'rateLimited';
		if (status === 404 || /job not found/i.test(message)) return 'unknownJob';
		if (/not (yet )?completed|in progress|still processing/i.test(message)) return 'notReady';
		return undefined;
	},
	failureInSuccessBody(body) {
		return (body as { status?: unknown }).status === 'FAILURE'
			? (extractErrorMessage(body) ?? 'FAILURE')
			: undefined;
	},
	rateLimitAdvice:
		'SimpleCold allows 10 bulk requests per minute per API key (uploads, status checks and downloads together). Poll less often, or spread jobs over fewer workflows.',
	// The window is a minute: waiting a few seconds would only be refused again.
	rateLimitBaseDelayMs: 6_000,
};

/** SimpleCold verifies a single address within its own time limit; allow for a slow mail server. */
const SINGLE_VERIFY_TIMEOUT_MS = 120_000;

export class SimpleColdProvider implements Provider {
	readonly info = simplecoldInfo;
	private readonly transport: Transport;

	constructor(ctx: HttpContext, options?: Partial<TransportOptions>) {
		this.transport = new Transport(ctx, simplecoldInfo.credentialType, errorProfile, options);
	}

	/** SimpleCold takes bulk lists only as a CSV file upload (multipart field `file`). */
	async createJob(input: CreateJobInput): Promise<CreatedJob> {
		const csv = toCsv(
			['email'],
			input.emails.map((email) => ({ email })),
		);
		const form = new FormData();
		form.append(
			'file',
			new Blob([csv], { type: 'text/csv' }),
			`${input.listName ?? 'n8n-bulk-verify'}.csv`,
		);
		const request = {
			method: 'POST' as const,
			url: '/api-validation/bulk',
			body: form,
			idempotent: false,
			action: 'upload a bulk verification list',
		};
		const body = await this.transport.json(request, simplecoldUploadSchema);
		return {
			provider: simplecoldInfo.name,
			jobId: simplecoldUploadedJobId(body),
			started: true,
			emailCount: input.emails.length,
			raw: body,
		};
	}

	async getStatus(jobIds: string[]): Promise<NormalizedJob[]> {
		return await statusOneByOne(jobIds, async (jobId) => {
			const body = await this.transport.jsonOrNotFound(
				{
					method: 'GET',
					url: `/api-validation/bulk/${encodeURIComponent(jobId)}/status`,
					idempotent: true,
					action: `get the status of job ${jobId}`,
					jobId,
				},
				simplecoldStatusSchema,
			);
			return body === undefined
				? notFoundJob(simplecoldInfo, jobId)
				: normalizeSimplecoldJob(body, { jobId });
		});
	}

	async getResults(jobId: string): Promise<NormalizedEmailResult[]> {
		const request: TransportRequest = {
			method: 'GET',
			url: `/api-validation/bulk/${encodeURIComponent(jobId)}/download-result`,
			qs: { output: 'json', verifiedOnly: 'false' },
			idempotent: true,
			action: `download the results of job ${jobId}`,
			jobId,
			maxBodyBytes: BODY_LIMITS.results,
		};
		const rows = await this.transport.json(request, simplecoldDownloadJsonSchema);
		if (rows.length === 0) return [];
		// Rows keep the uploaded file's own columns, so fields are found by name.
		const columns = simplecoldColumnsSchema.safeParse(collectHeaders(rows));
		if (!columns.success) {
			throw this.transport.failure('invalidResponse', request, columns.error.issues[0].message);
		}
		return rows.map((row) => normalizeSimplecoldRow(row, columns.data));
	}

	async verifySingle(email: string): Promise<NormalizedEmailResult> {
		const body = await this.transport.json(
			{
				method: 'GET',
				url: '/api-validation/single',
				qs: { email },
				idempotent: false,
				action: `verify ${email}`,
				timeoutMs: SINGLE_VERIFY_TIMEOUT_MS,
			},
			simplecoldSingleSchema,
		);
		return normalizeSimplecoldResult(body.payload);
	}
}

export const simplecold: ProviderDefinition = {
	info: simplecoldInfo,
	create: (ctx, options) => new SimpleColdProvider(ctx, options),
};
