import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ProviderInfo } from '../../shared/model/provider';

export type Resource = 'job' | 'email' | 'account';

/** One operation of the node: its place in the UI, the providers that have it, its fields and its run. */
export interface Operation {
	resource: Resource;
	value: string;
	name: string;
	action: string;
	description: string;
	/** Whether this provider's API can do it: an operation that can only fail is not offered. */
	isAvailableFor(info: ProviderInfo): boolean;
	properties: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		info: ProviderInfo,
	): Promise<INodeExecutionData[]>;
}
