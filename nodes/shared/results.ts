/**
 * Fetching finished jobs' results and turning them into n8n items or one CSV file: the same code for
 * the Bulk Verify node and its trigger.
 */
import type { IExecuteFunctions, INodeExecutionData, IPairedItemData, IPollFunctions } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { JobResult } from './output';
import { countVerdicts, keepVerdicts, resultsToCsv, resultToJson } from './output';
import type { NormalizedJob, Provider, Verdict } from './providers/types';
import { providerError } from './transport';

export type OutputContext = IExecuteFunctions | IPollFunctions;

export interface ResultOptions {
	simplify: boolean;
	output: 'items' | 'file';
	binaryPropertyName: string;
	fileName: string;
	verdicts: Verdict[];
	includeFailedRows: boolean;
}

/** Fetches the results of finished jobs; a job that failed, was cancelled or is not done is an error. */
export async function fetchResults(
	ctx: OutputContext,
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

function jobNotReadyError(ctx: OutputContext, provider: Provider, job: NormalizedJob, itemIndex: number): NodeApiError {
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
	return providerError(ctx.getNode(), message, {
		description,
		itemIndex,
		details: { jobId: job.jobId, providerStatus: String(job.rawStatus) },
	});
}

/** Results as items (one per email) or as one CSV file; pairs each row with the item(s) it came from. */
export async function resultItems(
	ctx: OutputContext,
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
			binary: { [options.binaryPropertyName || 'data']: binary },
			pairedItem: allPaired,
		},
	];
}
