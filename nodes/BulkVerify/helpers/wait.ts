import type { INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { jobToJson } from '../../shared/workflow/output';
import type { NormalizedJob } from '../../shared/model/job';
import type { Provider, ProviderLimits } from '../../shared/model/provider';
import { errorKindOf } from '../../shared/model/errors';
import type { WaitOptions } from './parameters';

export interface WaitOutcome {
	jobs: NormalizedJob[];
	/** The maximum wait ran out before every job ended. */
	timedOut: boolean;
}

/**
 * The time between status checks: the user's (or the provider's recommended) interval, lengthened
 * where one check of these jobs would otherwise spend more than the provider's documented budget.
 */
export function pollIntervalFor(limits: ProviderLimits, jobCount: number, askedMs: number): number {
	if (limits.requestsPerMinute === undefined) return askedMs;
	const callsPerCheck = Math.max(1, Math.ceil(jobCount / limits.statusIdsPerCall));
	return Math.max(askedMs, Math.ceil((callsPerCheck * 60_000) / limits.requestsPerMinute));
}

/** Polls until every job has ended (or waits for a start that only the user can give), within the budget. */
export async function waitForJobs(
	provider: Provider,
	jobIds: string[],
	waitOptions: WaitOptions,
): Promise<WaitOutcome> {
	const options = {
		...waitOptions,
		pollIntervalMs: pollIntervalFor(
			provider.info.capabilities.limits,
			jobIds.length,
			waitOptions.pollIntervalMs,
		),
	};
	const deadline = Date.now() + options.maxWaitMs;
	for (;;) {
		// Many executions sharing one account can spend its per-minute budget: a status check still
		// rate-limited after its retries is a missed poll, not a failed job, while the wait has time left.
		const jobs = await provider.getStatus(jobIds).catch((error: unknown) => {
			if (errorKindOf(error) === 'rateLimited' && Date.now() + options.pollIntervalMs <= deadline)
				return undefined;
			throw error;
		});
		if (jobs === undefined) {
			await sleep(options.pollIntervalMs);
			continue;
		}
		if (jobs.every((job) => job.isTerminal || job.notFound || job.awaitingStart))
			return { jobs, timedOut: false };
		if (Date.now() + options.pollIntervalMs > deadline) return { jobs, timedOut: true };
		await sleep(options.pollIntervalMs);
	}
}

/** Status items for jobs still running when the wait ran out, flagged so an IF node can route them. */
export function timedOutItems(
	jobs: NormalizedJob[],
	pairedItem: IPairedItemData | IPairedItemData[],
): INodeExecutionData[] {
	return jobs.map((job) => ({ json: { ...jobToJson(job, true), waitTimedOut: true }, pairedItem }));
}
