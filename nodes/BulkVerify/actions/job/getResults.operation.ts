import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ProviderInfo } from '../../../shared/model/provider';
import { forEachItem, jobIdsOfItem, providerForItem, throwIfNotFound } from '../../helpers/items';
import { fetchResults, resultItems, streamResultFile } from '../../../shared/workflow/results';
import { readResultOptions } from '../../helpers/parameters';
import { jobIdsField, resultFields, showFor } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'getResults';

const properties: INodeProperties[] = [
	jobIdsField(
		[OPERATION],
		'The finished jobs to fetch results of; results of several jobs are merged.',
	),
	...resultFields(showFor([OPERATION])),
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const jobIds = jobIdsOfItem(this, info, itemIndex);
		const provider = providerForItem(this, info, itemIndex);
		// Status first: results of an unfinished job are partial or refused, and the message should say why.
		const jobs = await provider.getStatus(jobIds);
		throwIfNotFound(this, jobs, itemIndex);
		const options = readResultOptions(this, itemIndex);
		const pairedItem = { item: itemIndex };
		// One job's CSV file is written while it downloads; everything else is fetched, then shaped.
		const streamed = await streamResultFile(this, provider, jobs, options, [pairedItem]);
		if (streamed) return streamed;
		const rows = await fetchResults(this, provider, jobs, options, itemIndex);
		return await resultItems(this, rows, options, () => pairedItem, [pairedItem]);
	});
}

export const getResults: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Get Results',
	action: 'Get the results of a job',
	description: 'Get the verdict of every email of finished jobs, as items or as one CSV file',
	isAvailableFor: () => true,
	properties,
	execute,
};
