import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ProviderInfo } from '../../../shared/model/provider';
import { providerForList } from '../../helpers/items';
import type { Operation } from '../types';

const properties: INodeProperties[] = [];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	// The balance is the account's, not an item's: one call and one item for the whole input, paired
	// with every input item (12 leads are not 12 identical balances). A failure is handled by the
	// router like any whole-list error: one error item paired with every input item.
	const credits = await providerForList(this, info).getCredits!();
	return [
		{
			json: { provider: credits.provider, creditsRemaining: credits.creditsRemaining ?? null },
			pairedItem: items.map((_, item) => ({ item })),
		},
	];
}

export const getCredits: Operation = {
	resource: 'account',
	value: 'getCredits',
	name: 'Get Credits',
	action: 'Get the remaining credits',
	description:
		'Get the remaining verification credits of the account, once for the whole input (free call)',
	isAvailableFor: (info) => info.capabilities.credits,
	properties,
	execute,
};
