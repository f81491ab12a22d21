import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	providerCredentials,
	providerNamesText,
	serviceNamed,
} from '../shared/workflow/descriptions';
import { nodeProperties, nodeSubtitle } from './actions/description';
import { router } from './actions/router';

export class BulkVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: serviceNamed('Bulk Verify'),
		name: 'bulkVerify',
		icon: {
			light: 'file:../../icons/bulkVerify.svg',
			dark: 'file:../../icons/bulkVerify.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle(),
		description: `Verify email lists in bulk with ${providerNamesText()}`,
		defaults: { name: serviceNamed('Bulk Verify') },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials,
		properties: nodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
