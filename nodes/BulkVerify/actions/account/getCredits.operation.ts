import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ProviderInfo } from '../../../shared/model/provider';
import { forEachItem, providerForItem } from '../../helpers/items';
import type { Operation } from '../types';

const properties: INodeProperties[] = [];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const credits = await providerForItem(this, info, itemIndex).getCredits!();
		return [
			{ json: { provider: credits.provider, creditsRemaining: credits.creditsRemaining ?? null } },
		];
	});
}

export const getCredits: Operation = {
	resource: 'account',
	value: 'getCredits',
	name: 'Get Credits',
	action: 'Get the remaining credits',
	description: 'Get the remaining verification credits of the account (free call)',
	isAvailableFor: (info) => info.capabilities.credits,
	properties,
	execute,
};
