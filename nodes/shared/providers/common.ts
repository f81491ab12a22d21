import type { NormalizedJob } from '../model/job';
import type { ProviderInfo } from '../model/provider';

/** The status entry for an id the provider does not know. */
export function notFoundJob(info: ProviderInfo, jobId: string): NormalizedJob {
	return {
		provider: info.name,
		jobId,
		state: 'unknown',
		isTerminal: false,
		awaitingStart: false,
		cancelRequested: false,
		resultsAvailable: false,
		notFound: true,
		message: `${info.displayName} does not know the job "${jobId}". Check the job ID (${info.jobIdHint}); it must come from a job created with this account.`,
		rawStatus: null,
		raw: null,
	};
}

/** Status of several jobs for APIs that take one id per call; sequential to stay within rate limits. */
export async function statusOneByOne(
	jobIds: string[],
	fetchOne: (jobId: string) => Promise<NormalizedJob>,
): Promise<NormalizedJob[]> {
	const jobs: NormalizedJob[] = [];
	for (const jobId of jobIds) jobs.push(await fetchOne(jobId));
	return jobs;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
