import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { providersWhere } from '../../../shared/workflow/descriptions';
import type { ProviderInfo } from '../../../shared/model/provider';
import { readCandidates } from '../../helpers/candidates';
import { readBalance } from '../../helpers/credit-guard';
import { checkCredits, notSubmittedOf, planList } from '../../helpers/plan';
import { emailSourceFields, showFor } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'estimate';

const properties: INodeProperties[] = [
	...emailSourceFields([OPERATION]),
	{
		displayName: 'Include Balance',
		name: 'includeBalance',
		type: 'boolean',
		default: true,
		description:
			"Whether to read the account's credit balance (a free call) and add creditsAvailable, creditsAfter and enoughCredits",
		displayOptions: showFor([OPERATION], {
			provider: providersWhere((info) => info.capabilities.credits),
		}),
	},
];

/**
 * What a Create of the same input would submit, as how many jobs, for how many credits (the same
 * computation as Create's, helpers/plan.ts), and whether the balance covers it: one item for the
 * whole input, paired with every input item, with flat fields for an IF node. No paid call is made.
 */
async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	const { list, jobs, creditsNeeded } = planList(
		await readCandidates(this, items),
		info.capabilities,
	);
	const withBalance =
		info.capabilities.credits && this.getNodeParameter('includeBalance', 0, true) === true;
	const check = withBalance
		? checkCredits(creditsNeeded, await readBalance(this, info, 'estimate'))
		: undefined;
	return [
		{
			json: {
				provider: info.name,
				values: list.emails.length + list.duplicates + list.rejected.length,
				addresses: list.emails.length,
				duplicates: list.duplicates,
				invalid: list.rejected.length,
				notSubmitted: notSubmittedOf(list),
				jobs: jobs.length,
				creditsNeeded,
				creditsAvailable: check?.available ?? null,
				creditsAfter: check?.after ?? null,
				enoughCredits: check?.enough ?? null,
			},
			pairedItem: items.map((_, item) => ({ item })),
		},
	];
}

export const estimate: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Estimate',
	action: 'Estimate the credits of a list',
	description:
		'Count what Create would submit from the same input, in how many jobs, for how many credits, without any paid call',
	isAvailableFor: () => true,
	properties,
	execute,
};
