import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobToJson } from '../../../shared/workflow/output';
import type { ProviderInfo } from '../../../shared/model/provider';
import { forEachItem, jobIdsOfItem, providerForItem, throwIfNotFound } from '../../helpers/items';
import { fetchResults, resultItems } from '../../../shared/workflow/results';
import { readResultOptions, readWaitOptions } from '../../helpers/parameters';
import { timedOutItems, waitForJobs } from '../../helpers/wait';
import { jobIdsField, showFor, waitFields } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'getStatus';

const properties: INodeProperties[] = [
	jobIdsField([OPERATION], 'The jobs to check.'),
	{
		displayName: 'Include Raw Response',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add the provider's own status body under raw",
		displayOptions: showFor([OPERATION], { waitForCompletion: [false] }),
	},
	...waitFields([OPERATION]),
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const jobIds = jobIdsOfItem(this, info, itemIndex);
		const provider = providerForItem(this, info, itemIndex);
		if (!(this.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) {
			const jobs = await provider.getStatus(jobIds);
			throwIfNotFound(this, jobs, itemIndex);
			const includeRaw = this.getNodeParameter('includeRaw', itemIndex, false) as boolean;
			return jobs.map((job) => ({ json: jobToJson(job, !includeRaw) }));
		}
		const pairedItem = { item: itemIndex };
		const outcome = await waitForJobs(provider, jobIds, readWaitOptions(this, itemIndex, provider));
		throwIfNotFound(this, outcome.jobs, itemIndex);
		if (outcome.timedOut) return timedOutItems(outcome.jobs, pairedItem);
		const options = readResultOptions(this, itemIndex);
		const rows = await fetchResults(this, provider, outcome.jobs, options, itemIndex);
		return await resultItems(this, rows, options, () => pairedItem, [pairedItem]);
	});
}

export const getStatus: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Get Status',
	action: 'Get the status of a job',
	description: 'Get the normalized status, progress and counts of one or more jobs',
	isAvailableFor: () => true,
	properties,
	execute,
};
