import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ProviderInfo } from '../../../shared/model/provider';
import { forEachItem, jobIdsOfItem, providerForItem } from '../../helpers/items';
import { jobIdsField } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'delete';

const properties: INodeProperties[] = [
	jobIdsField(
		[OPERATION],
		'The lists to delete (only lists that are ready or completed can be deleted). Deleting cannot be undone.',
	),
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (itemIndex, emit) => {
			const provider = providerForItem(this, info, itemIndex);
			for (const jobId of jobIdsOfItem(this, info, itemIndex))
				emit({ json: { ...(await provider.deleteJob!(jobId)) } });
		},
		{ verb: 'deleted', describe: (item) => `job ${String(item.json.jobId)}` },
	);
}

export const deleteJob: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Delete',
	action: 'Delete a job',
	description: 'Delete a list and its results',
	isAvailableFor: (info) => info.capabilities.deleteJob,
	properties,
	execute,
};
