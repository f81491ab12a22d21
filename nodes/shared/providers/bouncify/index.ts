import { sleep } from 'n8n-workflow';

import type {
	HttpContext,
	ProviderErrorProfile,
	TransportOptions,
	TransportRequest,
} from '../../http/options';
import { BODY_LIMITS } from '../../http/options';
import { findInCauses } from '../../model/errors';
import { Transport } from '../../http/transport';
import { UnusableBody } from '../../http/body-stream';
import type { ProviderDefinition } from '../definition';
import { notFoundJob, statusOneByOne } from '../common';
import type {
	CreatedJob,
	CreateJobInput,
	Credits,
	DeletedJob,
	Provider,
	ProviderCapabilities,
	ProviderInfo,
	ResultsOptions,
	ResultStream,
	StartJobOptions,
} from '../../model/provider';
import type { NormalizedEmailResult } from '../../model/result';
import type { NormalizedJob } from '../../model/job';
import { CsvStreamReader, parseCsv } from '../../csv/read';
import {
	normalizeBouncifyCsvRow,
	normalizeBouncifyJob,
	normalizeBouncifySingleResult,
} from './normalize';
import type { BouncifyCsvColumns } from './schemas';
import {
	bouncifyCreateSchema,
	bouncifyCreditsSchema,
	bouncifyCsvColumnsSchema,
	bouncifyDeleteSchema,
	bouncifySingleSchema,
	bouncifyStartSchema,
	bouncifyStatusSchema,
	extractErrorMessage,
} from './schemas';
import { DEFAULT_BASE_URL } from '../../../../credentials/BouncifyApi.credentials';

const capabilities: ProviderCapabilities = {
	listJobs: false,
	increasingJobIds: false,
	explicitStart: true,
	deleteJob: true,
	failedRows: false,
	singleVerify: true,
	credits: true,
	// Credits are spent per address when a list starts (docs/provider-apis.md §1.2.3).
	creditsPerEmail: 1,
	clientJobId: false,
	listName: false,
	limits: {
		maxEmailsPerJob: 500_000,
		maxUploadBytes: 10 * 1024 * 1024,
		requestsPerMinute: 120,
		recommendedPollIntervalMs: 5_000,
		statusIdsPerCall: 1,
	},
};

export const bouncifyInfo: ProviderInfo = {
	name: 'bouncify',
	displayName: 'Bouncify',
	credentialType: 'bouncifyApi',
	capabilities,
	jobIdHint: 'a Bouncify job ID is a string of about 36 lower-case letters and digits',
	isValidJobId: (jobId) => /^[a-z0-9]{16,64}$/i.test(jobId),
};

const errorProfile: ProviderErrorProfile = {
	displayName: bouncifyInfo.displayName,
	credentialDisplayName: 'Bouncify API',
	defaultBaseUrl: DEFAULT_BASE_URL,
	extractErrorMessage,
	// Bouncify answers most failures with HTTP 400 and a sentence in `result` (docs/provider-apis.md §1.2).
	classifyError(status, message = '') {
		if (status === 401 || /invalid api key/i.test(message)) return 'auth';
		if (status === 402 || /insufficient .*credits/i.test(message)) return 'credits';
		if (/job not found|invalid jobid|list not found/i.test(message)) return 'unknownJob';
		if (
			/being verified|ready for verification|not ready|being prepared|being processed/i.test(
				message,
			)
		) {
			return 'notReady';
		}
		return undefined;
	},
	failureInSuccessBody(body) {
		const success = (body as { success?: unknown }).success;
		return success === false || success === 'false'
			? (extractErrorMessage(body) ?? 'success: false')
			: undefined;
	},
	notReadyAdvice: 'A Start needs the list to have finished preparing (status "ready").',
	rateLimitAdvice:
		'Bouncify allows about 120 requests a minute per account. Run fewer Bulk Verify executions at once or poll less often.',
	// A 429 means the account's 120 requests of this minute are spent (Bouncify sends no Retry-After):
	// the retries wait 5–10, 10–20, 15–30 s, so the last ones land in the next minute's window.
	rateLimitBaseDelayMs: 10_000,
};

const ALL_RESULT_FILTERS = ['deliverable', 'undeliverable', 'accept_all', 'unknown'];

/** How long Start waits for a freshly uploaded list to finish preparing: up to 10 checks, 3 s apart. */
const PREPARING_CHECKS = 10;
const PREPARING_WAIT_MS = 3_000;

/** Single verification may take up to 180 s on Bouncify's side (its `timeout` parameter). */
const SINGLE_VERIFY_TIMEOUT_MS = 190_000;

const CUT_OFF = 'the CSV download was cut off before its end';

function downloadRequest(jobId: string): TransportRequest {
	return {
		method: 'POST',
		url: '/download',
		qs: { jobId },
		body: { filterResult: ALL_RESULT_FILTERS },
		idempotent: true,
		action: `download the results of job ${jobId}`,
		jobId,
		maxBodyBytes: BODY_LIMITS.results,
	};
}

/** A streamed result CSV had a record longer than its header (see `streamResults`). */
class WiderThanHeader extends Error {
	constructor() {
		super('a result CSV record is wider than its header');
		this.name = 'WiderThanHeader';
	}
}

export class BouncifyProvider implements Provider {
	readonly info = bouncifyInfo;
	private readonly transport: Transport;

	constructor(ctx: HttpContext, options?: Partial<TransportOptions>) {
		this.transport = new Transport(ctx, bouncifyInfo.credentialType, errorProfile, options);
	}

	async createJob(input: CreateJobInput): Promise<CreatedJob> {
		const startNow = input.startNow === true;
		const body = await this.transport.json(
			{
				method: 'POST',
				url: '/bulk',
				body: { auto_verify: startNow, emails: input.emails.map((email) => ({ email })) },
				idempotent: false,
				action: 'create a bulk verification list',
			},
			bouncifyCreateSchema,
		);
		return {
			provider: bouncifyInfo.name,
			jobId: body.job_id,
			started: startNow,
			emailCount: input.emails.length,
			message: body.message,
			raw: body,
		};
	}

	async startJob(jobId: string, options: StartJobOptions = {}): Promise<NormalizedJob> {
		// A new list spends a few seconds "preparing", and Start is refused until it is "ready".
		let checked: NormalizedJob | undefined;
		for (let check = 1; check <= PREPARING_CHECKS; check++) {
			[checked] = await this.getStatus([jobId]);
			if (checked.notFound || checked.rawStatus !== 'preparing' || check === PREPARING_CHECKS)
				break;
			await sleep(PREPARING_WAIT_MS);
		}
		if (checked !== undefined) await options.beforeStart?.(checked);
		await this.transport.json(
			{
				method: 'PATCH',
				url: '/bulk',
				qs: { job_id: jobId },
				body: { action: 'start' },
				idempotent: false,
				action: `start verifying job ${jobId}`,
				jobId,
			},
			bouncifyStartSchema,
		);
		const [job] = await this.getStatus([jobId]);
		return job;
	}

	async getStatus(jobIds: string[]): Promise<NormalizedJob[]> {
		return await statusOneByOne(jobIds, async (jobId) => {
			const body = await this.transport.jsonOrNotFound(
				{
					method: 'GET',
					url: '/bulk',
					qs: { job_id: jobId },
					idempotent: true,
					action: `get the status of job ${jobId}`,
					jobId,
				},
				bouncifyStatusSchema,
			);
			return body === undefined
				? notFoundJob(bouncifyInfo, jobId)
				: normalizeBouncifyJob(body, { jobId });
		});
	}

	async getResults(jobId: string): Promise<NormalizedEmailResult[]> {
		const request = downloadRequest(jobId);
		const csv = await this.transport.text<ReturnType<typeof parseCsv>>(request, (text) => {
			const parsed = parseCsv(text);
			return parsed.complete ? { value: parsed } : { problem: CUT_OFF };
		});
		if (csv.rows.length === 0) return [];
		// Columns are found by header name: their order differs between the docs and real files.
		const columns = bouncifyCsvColumnsSchema.safeParse(csv.headers);
		if (!columns.success) {
			throw this.transport.failure('invalidResponse', request, columns.error.issues[0].message);
		}
		return csv.rows.map((row) => normalizeBouncifyCsvRow(row, columns.data));
	}

	/**
	 * The download of `getResults`, normalized while it arrives, in the same order, with the same checks
	 * (a cut-off file is retried, a file without the Email or Verification Result column fails once the
	 * file has been read whole). A record wider than the header would add columns that earlier rows
	 * lack: then this gives up (undefined) and the caller downloads again with `getResults`.
	 */
	async streamResults<T>(
		jobId: string,
		_options: ResultsOptions,
		consume: (stream: ResultStream) => Promise<T>,
	): Promise<{ value: T } | undefined> {
		const request = downloadRequest(jobId);
		let value: T | undefined;
		let failure: { error: unknown } | undefined;
		try {
			value = await this.transport.streamText(
				request,
				async ({ blocks, toReadable }) =>
					await consume({ batches: this.resultBatches(blocks, request), toReadable }),
			);
		} catch (error) {
			failure = { error };
		}
		if (failure === undefined) return { value: value as T };
		if (findInCauses(failure.error, WiderThanHeader)) return undefined;
		throw failure.error;
	}

	private async *resultBatches(
		blocks: AsyncIterable<string>,
		request: TransportRequest,
	): AsyncGenerator<NormalizedEmailResult[]> {
		const reader = new CsvStreamReader();
		let columns: BouncifyCsvColumns | undefined;
		let columnsProblem: string | undefined;
		const normalized = (
			rows: Array<Record<string, string>>,
		): NormalizedEmailResult[] | undefined => {
			if (reader.widened) throw new WiderThanHeader();
			if (rows.length === 0 || columnsProblem !== undefined) return undefined;
			if (columns === undefined) {
				const parsed = bouncifyCsvColumnsSchema.safeParse(reader.headers);
				if (!parsed.success) {
					columnsProblem = parsed.error.issues[0].message;
					return undefined;
				}
				columns = parsed.data;
			}
			const map = columns;
			return rows.map((row) => normalizeBouncifyCsvRow(row, map));
		};
		for await (const block of blocks) {
			const batch = normalized(reader.push(block));
			if (batch) yield batch;
		}
		const { rows, complete } = reader.end();
		if (reader.widened) throw new WiderThanHeader();
		if (!complete) throw new UnusableBody(CUT_OFF);
		const last = normalized(rows);
		if (columnsProblem !== undefined)
			throw this.transport.failure('invalidResponse', request, columnsProblem);
		if (last) yield last;
	}

	async deleteJob(jobId: string): Promise<DeletedJob> {
		const body = await this.transport.json(
			{
				method: 'DELETE',
				url: '/bulk',
				qs: { job_id: jobId },
				idempotent: false,
				action: `delete job ${jobId}`,
				jobId,
			},
			bouncifyDeleteSchema,
		);
		return { provider: bouncifyInfo.name, jobId, deleted: true, message: body.message };
	}

	async verifySingle(email: string): Promise<NormalizedEmailResult> {
		const body = await this.transport.json(
			{
				method: 'GET',
				url: '/verify',
				qs: { email },
				idempotent: false,
				action: `verify ${email}`,
				timeoutMs: SINGLE_VERIFY_TIMEOUT_MS,
			},
			bouncifySingleSchema,
		);
		return normalizeBouncifySingleResult(body);
	}

	async getCredits(): Promise<Credits> {
		const body = await this.transport.json(
			{ method: 'GET', url: '/info', idempotent: true, action: 'read the credit balance' },
			bouncifyCreditsSchema,
		);
		return {
			provider: bouncifyInfo.name,
			creditsRemaining: body.credits_info.credits_remaining,
			raw: body,
		};
	}
}

export const bouncify: ProviderDefinition = {
	info: bouncifyInfo,
	create: (ctx, options) => new BouncifyProvider(ctx, options),
};
