import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isProviderName, PROVIDERS } from '../../shared/providers';
import { safeToShow } from '../../shared/workflow/safe-error';
import { asNodeError } from '../../shared/model/errors';
import { errorItem } from '../helpers/items';
import { OPERATIONS } from './operations';

/**
 * The only dispatch point: the provider's facts and the operation module, nothing provider-specific.
 * An error that escapes an operation (whole-list operations such as Create fail as one) becomes, with
 * On Error → Continue, one error item paired with every input item: n8n itself would pass the input
 * through unchanged, and the error would be invisible downstream. Such an error names no item (no
 * itemIndex): it is about the whole input, and n8n's editor would add "[item 0]", blaming the first.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	try {
		return [await dispatch.call(this, items)];
	} catch (error) {
		const nodeError = await safeToShow(this, asNodeError(this.getNode(), error));
		if (!this.continueOnFail()) throw nodeError;
		return [
			[
				errorItem(
					nodeError,
					items.map((_, item) => ({ item })),
				),
			],
		];
	}
}

async function dispatch(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const providerName = this.getNodeParameter('provider', 0);
	if (!isProviderName(providerName)) {
		throw new NodeOperationError(this.getNode(), `Unknown provider "${String(providerName)}"`, {
			description: 'Choose one of the providers in the Provider field.',
		});
	}
	const info = PROVIDERS[providerName].info;
	// n8n drops a hidden `operation` (e.g. a resource kept from another provider): read it leniently.
	const operationName = this.getNodeParameter('operation', 0, '') as string;
	const resource = this.getNodeParameter('resource', 0, 'job') as string;
	if (operationName === '') {
		throw new NodeOperationError(
			this.getNode(),
			`${info.displayName} has no "${resource}" operations`,
			{
				description: `Choose another resource: the ${info.displayName} API has no endpoint for this one.`,
			},
		);
	}
	const operation = OPERATIONS.find(
		(candidate) => candidate.value === operationName && candidate.isAvailableFor(info),
	);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`${info.displayName} does not support the operation "${operationName}"`,
			{
				description: `Pick another operation: the ${info.displayName} API has no endpoint for this one.`,
			},
		);
	}
	return await operation.execute.call(this, items, info);
}
