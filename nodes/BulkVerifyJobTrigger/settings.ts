/** The trigger's parameters, read and checked once per poll. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isProviderName, PROVIDERS } from '../shared/providers';
import type { JobState } from '../shared/model/job';
import type { ProviderInfo } from '../shared/model/provider';
import { parseJobIds } from '../shared/model/job-ids';
import { canWatchEveryJob } from '../shared/workflow/descriptions';
import { checkJobIds } from '../shared/workflow/job-ids';
import type { ResultOptions } from '../shared/workflow/results';
import { resultOptionsFrom } from '../shared/workflow/results';

export type Include = 'job' | 'resultItems' | 'resultFile';

export interface Settings {
	info: ProviderInfo;
	watch: 'jobIds' | 'allJobs';
	jobIds: string[];
	events: JobState[];
	include: Include;
	includeExisting: boolean;
	requestsPerMinute: number;
	/** The per-minute rate is a limit someone enforces (documented by the provider, or the user's cap). */
	strictRate: boolean;
	results: ResultOptions;
}

/** Where the provider documents no rate, the trigger keeps to this many calls a minute. */
const DEFAULT_REQUESTS_PER_MINUTE = 30;

export function readSettings(ctx: IPollFunctions): Settings {
	const provider = ctx.getNodeParameter('provider');
	if (!isProviderName(provider)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown provider "${String(provider)}"`, {
			description: 'Choose one of the providers in the Provider field.',
		});
	}
	const info = PROVIDERS[provider].info;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const watch = canWatchEveryJob(info)
		? (ctx.getNodeParameter('watch', 'allJobs') as Settings['watch'])
		: 'jobIds';
	const providerRate = info.capabilities.limits.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
	const asked = options.maxRequestsPerMinute as number | undefined;
	const include = ctx.getNodeParameter('include', 'job') as Include;
	return {
		info,
		watch,
		jobIds: watch === 'jobIds' ? parseJobIds(ctx.getNodeParameter('jobIds', '')) : [],
		events: ctx.getNodeParameter('events', []) as JobState[],
		include,
		includeExisting: (options.includeExisting as boolean | undefined) ?? false,
		requestsPerMinute: Math.max(1, Math.min(providerRate, asked ?? providerRate)),
		strictRate: info.capabilities.limits.requestsPerMinute !== undefined || asked !== undefined,
		// The trigger names its files itself: a File Name option is the node's.
		results: resultOptionsFrom(
			{ ...options, fileName: undefined },
			{
				simplify: (options.simplify as boolean | undefined) ?? true,
				output: include === 'resultFile' ? 'file' : 'items',
			},
		),
	};
}

export function checkWatchedJobIds(ctx: IPollFunctions, settings: Settings): void {
	if (settings.watch !== 'jobIds') return;
	checkJobIds(ctx.getNode(), settings.info, settings.jobIds, {
		none: {
			message: 'No job IDs to watch',
			description: 'Enter the IDs of the jobs to watch in the Job IDs field.',
		},
	});
}
