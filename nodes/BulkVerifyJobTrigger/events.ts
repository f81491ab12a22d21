/** The items an ended job becomes, and the test event of "Fetch Test Event". */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jobToJson, resultToJson } from '../shared/workflow/output';
import type { NormalizedJob } from '../shared/model/job';
import type { Provider } from '../shared/model/provider';
import { DEFAULT_JOBS_PER_PAGE } from '../shared/model/provider';
import { providerError } from '../shared/model/errors';
import { fetchResults, resultItems, streamResultFile } from '../shared/workflow/results';
import type { Settings } from './settings';

export function resultCalls(provider: Provider): number {
	return provider.info.capabilities.failedRows ? 2 : 1;
}

/** The item(s) one ended job produces: its status, and its results when asked for. */
export async function eventItems(
	ctx: IPollFunctions,
	settings: Settings,
	provider: Provider,
	job: NormalizedJob,
): Promise<INodeExecutionData[]> {
	const event = { ...jobToJson(job, settings.results.simplify), event: job.state };
	if (settings.include === 'job' || job.state !== 'completed') return [{ json: event }];
	if (settings.include === 'resultFile') {
		// Written while it downloads, where the provider streams it; else fetched, then written.
		const [file] =
			(await streamResultFile(ctx, provider, [job], settings.results, [])) ??
			(await resultItems(
				ctx,
				await fetchResults(ctx, provider, [job], settings.results, 0),
				settings.results,
				() => [],
				[],
			));
		return [{ json: { ...event, resultFile: file.json }, binary: file.binary }];
	}
	const rows = await fetchResults(ctx, provider, [job], settings.results, 0);
	// No rows (every address failed and failed rows are left out, or a verdict filter kept none):
	// the ending still fires, as its status item, rather than being recorded with nothing emitted.
	if (rows.length === 0) return [{ json: event }];
	return rows.map((row) => ({
		json: { ...resultToJson(row, settings.results.simplify), job: event },
	}));
}

/** "Fetch test event": the most recently ended watched job, without touching the trigger's memory. */
export async function sampleEvent(
	ctx: IPollFunctions,
	settings: Settings,
	provider: Provider,
): Promise<INodeExecutionData[][]> {
	const jobs =
		settings.watch === 'jobIds'
			? await provider.getStatus(settings.jobIds)
			: (
					await provider.listJobs!({
						page: 1,
						perPage: settings.info.capabilities.limits.jobsPerPage ?? DEFAULT_JOBS_PER_PAGE,
						sort: 'desc',
					})
				).jobs;
	const missing = jobs.find((job) => job.notFound);
	if (missing) throw notFoundError(ctx, provider, missing);
	const ended = jobs.filter((job) => job.isTerminal && settings.events.includes(job.state));
	const latest = ended.sort((a, b) => endTime(b) - endTime(a))[0];
	if (!latest) {
		throw new NodeOperationError(
			ctx.getNode(),
			`None of the watched ${settings.info.displayName} jobs has finished yet`,
			{
				description:
					'There is no finished job to show. Wait until a watched job ends (or watch one that has), then fetch a test event again to map its fields.',
			},
		);
	}
	return [await eventItems(ctx, settings, provider, latest)];
}

function endTime(job: NormalizedJob): number {
	const time = Date.parse(job.updatedAt ?? job.createdAt ?? '');
	return Number.isNaN(time) ? 0 : time;
}

export function notFoundError(
	ctx: IPollFunctions,
	provider: Provider,
	job: NormalizedJob,
): NodeApiError {
	return providerError(
		ctx.getNode(),
		`${provider.info.displayName} does not know the watched job "${job.jobId}"`,
		{
			description: `Remove it from the Job IDs field or correct it (${provider.info.jobIdHint}); it must come from a job created with the same account.`,
			details: { jobId: job.jobId },
		},
	);
}
