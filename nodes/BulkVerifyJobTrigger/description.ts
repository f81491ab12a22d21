import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import {
	canWatchEveryJob,
	providerProperty,
	providersWhere,
	verdictFilterOption,
} from '../shared/workflow/descriptions';
import { jobIdsProperty } from '../shared/workflow/job-ids';

/** Providers whose jobs the trigger can discover by listing them (Watch: Every Job). */
const withList = providersWhere(canWatchEveryJob);
const withFailedRows = providersWhere((info) => info.capabilities.failedRows);

function jobIdsField(displayOptions: IDisplayOptions): INodeProperties {
	return jobIdsProperty({
		default: '',
		description: 'The jobs to watch, separated by commas or new lines',
		displayOptions,
	});
}

export const triggerProperties: INodeProperties[] = [
	providerProperty('The email verification service whose jobs to watch'),
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Every Job in the Account',
				value: 'allJobs',
				description: 'Fires for any request that finishes',
			},
			{ name: 'Specific Jobs', value: 'jobIds', description: 'Fires for the listed job IDs only' },
		],
		default: 'allJobs',
		displayOptions: { show: { provider: withList } },
	},
	{
		displayName:
			'This API has no endpoint that lists jobs, so the trigger watches the job IDs you give it. Keep the IDs that Bulk Verify → Create returns, for example in a Data Table, and reference them here.',
		name: 'specificJobsNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { provider: withList } },
	},
	// Two fields of one name: providers with a list endpoint show it only when watching specific jobs,
	// the others always (their Watch field is hidden, so it cannot be used to hide this one).
	jobIdsField({ show: { provider: withList, watch: ['jobIds'] } }),
	jobIdsField({ hide: { provider: withList } }),
	{
		// Not "Trigger On"/"Events": n8n's add-node panel would list each ending as a trigger of its own
		// and then show this trigger under the node's name ("Bulk Verify"), beside the node itself.
		displayName: 'Fire On',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Job Completed', value: 'completed' },
			{ name: 'Job Failed', value: 'failed' },
			{ name: 'Job Cancelled', value: 'cancelled' },
		],
		default: ['completed', 'failed', 'cancelled'],
		description: 'Which endings to fire for. A job fires once, for the state it ended in.',
	},
	{
		displayName: 'Output',
		name: 'include',
		type: 'options',
		options: [
			{ name: 'Job Status Only', value: 'job', description: 'One item per finished job' },
			{
				name: 'Job and Results as Items',
				value: 'resultItems',
				description:
					'One item per email of each completed job, with the job under "job" (a job without results gives its status item)',
			},
			{
				name: 'Job and Results as CSV File',
				value: 'resultFile',
				description: 'One item per finished job, with its results as a binary CSV file',
			},
		],
		default: 'job',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Fire for Jobs Already Finished at Activation',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether the first poll also fires for watched jobs that had finished before the workflow was activated',
			},
			{
				displayName: 'Include Failed Rows',
				name: 'includeFailedRows',
				type: 'boolean',
				default: false,
				description: 'Whether results include the rows the provider could not process',
				displayOptions: { show: { '/provider': withFailedRows } },
			},
			verdictFilterOption,
			{
				displayName: 'Max Requests per Minute',
				name: 'maxRequestsPerMinute',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 10,
				description:
					"Upper bound on the trigger's calls to the provider. Without this option it uses the provider's documented rate limit, or 30 a minute where none is documented. Lower it if other workflows share the key. Many watched jobs are spread over successive polls.",
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { '/include': ['resultFile'] } },
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: "Whether to leave out the provider's raw data",
			},
		],
	},
];
