import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { JobResult } from '../../shared/output';
import { countVerdicts, jobToJson, keepVerdicts, resultsToCsv, resultToJson } from '../../shared/output';
import type { NormalizedJob, Provider, Verdict } from '../../shared/providers/types';

export interface ResultOptions {
	simplify: boolean;
	output: 'items' | 'file';
	binaryPropertyName: string;
	fileName: string;
	verdicts: Verdict[];
	includeFailedRows: boolean;
}

export function readResultOptions(ctx: IExecuteFunctions, itemIndex: number): ResultOptions {
	const options = ctx.getNodeParameter('resultOptions', itemIndex, {}) as IDataObject;
	return {
		simplify: ctx.getNodeParameter('simplify', itemIndex, true) as boolean,
		output: ctx.getNodeParameter('resultsOutput', itemIndex, 'items') as 'items' | 'file',
		binaryPropertyName: (options.binaryPropertyName as string | undefined) ?? 'data',
		fileName: (options.fileName as string | undefined) ?? '',
		verdicts: (options.verdicts as Verdict[] | undefined) ?? [],
		includeFailedRows: (options.includeFailedRows as boolean | undefined) ?? false,
	};
}

/** Fetches the results of finished jobs; a job that failed, was cancelled or is not done is an error. */
export async function fetchResults(
	ctx: IExecuteFunctions,
	provider: Provider,
	jobs: NormalizedJob[],
	options: ResultOptions,
	itemIndex: number,
): Promise<JobResult[]> {
	const rows: JobResult[] = [];
	for (const job of jobs) {
		if (!job.resultsAvailable) throw jobNotReadyError(ctx, provider, job, itemIndex);
		const results = await provider.getResults(job.jobId, {
			includeFailed: options.includeFailedRows && provider.info.capabilities.failedRows,
		});
		for (const result of results) rows.push({ provider: provider.info.name, jobId: job.jobId, result });
	}
	return keepVerdicts(rows, options.verdicts);
}

function jobNotReadyError(ctx: IExecuteFunctions, provider: Provider, job: NormalizedJob, itemIndex: number): NodeApiError {
	const name = provider.info.displayName;
	const ended = job.state === 'failed' || job.state === 'cancelled';
	const message = ended
		? `${name} job ${job.jobId} ${job.state === 'failed' ? 'failed' : 'was cancelled'}, so it has no results`
		: `${name} job ${job.jobId} has not finished yet (status ${String(job.rawStatus)}${job.progressPercent !== undefined ? `, ${job.progressPercent}% done` : ''})`;
	const description = ended
		? `${job.message ? `${name} said: "${job.message}". ` : ''}Check the list and create a new job.`
		: job.awaitingStart
			? 'The job waits to be started: run the Start operation (it spends credits), then fetch the results when it is completed.'
			: 'Fetch the results once the status is completed: turn on "Wait for Completion", or start a second workflow from the Bulk Verify Trigger.';
	return new NodeApiError(ctx.getNode(), { message, jobId: job.jobId, status: String(job.rawStatus) }, { message, description, itemIndex });
}

/** Results as items (one per email) or as one CSV file; pairs each row with the item(s) it came from. */
export async function resultItems(
	ctx: IExecuteFunctions,
	rows: JobResult[],
	options: ResultOptions,
	pairedItemOf: (row: JobResult) => IPairedItemData | IPairedItemData[],
	allPaired: IPairedItemData[],
): Promise<INodeExecutionData[]> {
	if (options.output === 'items') {
		return rows.map((row) => ({ json: resultToJson(row, options.simplify), pairedItem: pairedItemOf(row) }));
	}
	const jobIds = [...new Set(rows.map((row) => row.jobId))];
	const fileName = options.fileName || `${rows[0]?.provider ?? 'bulk-verify'}-results-${jobIds.join('-').slice(0, 80) || 'empty'}.csv`;
	const binary = await ctx.helpers.prepareBinaryData(Buffer.from(resultsToCsv(rows), 'utf8'), fileName, 'text/csv');
	return [
		{
			json: { fileName, rows: rows.length, jobIds, counts: countVerdicts(rows.map((row) => row.result)) },
			binary: { [options.binaryPropertyName]: binary },
			pairedItem: allPaired,
		},
	];
}

export interface WaitOptions {
	maxWaitMs: number;
	pollIntervalMs: number;
}

export function readWaitOptions(ctx: IExecuteFunctions, itemIndex: number, provider: Provider): WaitOptions {
	const options = ctx.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
	const recommended = provider.info.capabilities.limits.recommendedPollIntervalMs;
	const pollSeconds = options.pollIntervalSeconds as number | undefined;
	return {
		maxWaitMs: ((options.maxWaitMinutes as number | undefined) ?? 5) * 60_000,
		pollIntervalMs: pollSeconds !== undefined ? pollSeconds * 1000 : recommended,
	};
}

export interface WaitOutcome {
	jobs: NormalizedJob[];
	/** The maximum wait ran out before every job ended. */
	timedOut: boolean;
}

/** Polls until every job has ended (or waits for a start that only the user can give), within the budget. */
export async function waitForJobs(provider: Provider, jobIds: string[], options: WaitOptions): Promise<WaitOutcome> {
	const deadline = Date.now() + options.maxWaitMs;
	for (;;) {
		const jobs = await provider.getStatus(jobIds);
		if (jobs.every((job) => job.isTerminal || job.notFound || job.awaitingStart)) return { jobs, timedOut: false };
		if (Date.now() + options.pollIntervalMs > deadline) return { jobs, timedOut: true };
		await sleep(options.pollIntervalMs);
	}
}

/** Status items for jobs still running when the wait ran out, flagged so an IF node can route them. */
export function timedOutItems(jobs: NormalizedJob[], pairedItem: IPairedItemData | IPairedItemData[]): INodeExecutionData[] {
	return jobs.map((job) => ({ json: { ...jobToJson(job, true), waitTimedOut: true }, pairedItem }));
}
