import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { jobToJson } from '../../shared/output';
import type { NormalizedJob, Provider, Verdict } from '../../shared/providers/types';
import type { ResultOptions } from '../../shared/results';

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
