import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobToJson } from '../../../shared/workflow/output';
import type { ProviderInfo } from '../../../shared/model/provider';
import { forEachItem, jobIdsOfItem, providerForItem } from '../../helpers/items';
import { jobIdsField } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'start';

const properties: INodeProperties[] = [
	jobIdsField(
		[OPERATION],
		'The uploaded lists to start verifying. Starting spends credits and cannot be undone.',
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
				emit({ json: jobToJson(await provider.startJob!(jobId), true) });
		},
		{
			verb: 'started (which spends credits)',
			describe: (item) => `job ${String(item.json.jobId)}`,
		},
	);
}

export const start: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Start',
	action: 'Start a job',
	description: 'Start verifying an uploaded list (spends credits; cannot be stopped)',
	isAvailableFor: (info) => info.capabilities.explicitStart,
	properties,
	execute,
};
