import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jobToJson } from '../../../shared/workflow/output';
import type { NormalizedJob } from '../../../shared/model/job';
import type { ProviderInfo } from '../../../shared/model/provider';
import { DEFAULT_JOBS_PER_PAGE } from '../../../shared/model/provider';
import { forEachItem, providerForItem } from '../../helpers/items';
import { showFor } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'getMany';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor([OPERATION]),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: showFor([OPERATION], { returnAll: [false] }),
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		options: [
			{ name: 'Newest First', value: 'desc' },
			{ name: 'Oldest First', value: 'asc' },
		],
		default: 'desc',
		displayOptions: showFor([OPERATION]),
	},
	{
		displayName: 'Include Raw Response',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add the provider's own entry under raw",
		displayOptions: showFor([OPERATION]),
	},
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const provider = providerForItem(this, info, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
		const sort = this.getNodeParameter('sort', itemIndex) as 'asc' | 'desc';
		const includeRaw = this.getNodeParameter('includeRaw', itemIndex, false) as boolean;
		const perPage = info.capabilities.limits.jobsPerPage ?? DEFAULT_JOBS_PER_PAGE;
		const jobs: NormalizedJob[] = [];
		for (let page = 1; jobs.length < limit; page++) {
			const result = await provider.listJobs!({ page, perPage, sort });
			jobs.push(...result.jobs);
			if (result.jobs.length === 0 || result.page >= result.lastPage) break;
		}
		return jobs.slice(0, limit).map((job) => ({ json: jobToJson(job, !includeRaw) }));
	});
}

export const getMany: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Get Many',
	action: 'Get many jobs',
	description: "List the verification requests of the account, where the provider's API lists them",
	isAvailableFor: (info) => info.capabilities.listJobs,
	properties,
	execute,
};
