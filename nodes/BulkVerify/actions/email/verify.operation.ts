import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { isSyntacticallyValidEmail } from '../../helpers/address';
import { resultToJson } from '../../../shared/workflow/output';
import {
	inputFieldsFrom,
	inputFieldsOptions,
	withInputFields,
} from '../../../shared/workflow/input-fields';
import type { NormalizedEmailResult } from '../../../shared/model/result';
import type { ProviderInfo } from '../../../shared/model/provider';
import { creditGuardOn, guardCredits } from '../../helpers/credit-guard';
import { forEachItem, providerForItem } from '../../helpers/items';
import { creditsFor } from '../../helpers/plan';
import { checkCreditsField, showFor } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'verify';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@example.com',
		default: '={{ $json.email }}',
		required: true,
		description:
			'The address to verify. Addresses that are not syntactically valid are answered without a paid call.',
		displayOptions: showFor([OPERATION]),
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			"Whether to return only the normalized fields, without the provider's raw response",
		displayOptions: showFor([OPERATION]),
	},
	checkCreditsField([OPERATION], 'every valid address of the input (one credit each)'),
	{
		displayName: 'Options',
		name: 'verifyOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor([OPERATION]),
		options: inputFieldsOptions(),
	},
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	// Each valid address is one paid call: the guard checks them all before the first.
	if (creditGuardOn(this, info)) {
		const paid = items.filter((_, itemIndex) =>
			isSyntacticallyValidEmail(emailOf(this, itemIndex)),
		).length;
		if (paid > 0) {
			await guardCredits(this, info, creditsFor(paid, info.capabilities), {
				needs: `Verifying ${paid} address${paid === 1 ? '' : 'es'} needs`,
				notDone: `No address was sent to ${info.displayName}`,
			});
		}
	}
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const email = String(this.getNodeParameter('email', itemIndex) ?? '').trim();
			const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
			const result: NormalizedEmailResult = isSyntacticallyValidEmail(email)
				? await providerForItem(this, info, itemIndex).verifySingle!(email)
				: {
						email,
						verdict: 'undeliverable',
						reason: 'invalid_syntax',
						providerStatus: 'not_submitted',
						providerReason: email === '' ? 'empty value' : 'not an email address',
						flags: { syntaxError: true },
						raw: null,
					};
			const json = resultToJson({ provider: info.name, jobId: '', result }, simplify);
			const inputFields = inputFieldsFrom(
				this.getNodeParameter('verifyOptions', itemIndex, {}) as IDataObject,
			);
			return [{ json: withInputFields(json, items[itemIndex].json, inputFields) }];
		},
		{
			verb: 'verified (and paid for)',
			describe: (item) => `${String(item.json.email)}: ${String(item.json.verdict)}`,
		},
	);
}

/** The item's address, trimmed (the pre-count of the guard: an expression's error is its item's to report). */
function emailOf(ctx: IExecuteFunctions, itemIndex: number): string {
	try {
		return String(ctx.getNodeParameter('email', itemIndex) ?? '').trim();
	} catch {
		return '';
	}
}

export const verify: Operation = {
	resource: 'email',
	value: OPERATION,
	name: 'Verify',
	action: 'Verify an email address',
	description: 'Verify one address right away (single-address API)',
	isAvailableFor: (info) => info.capabilities.singleVerify,
	properties,
	execute,
};
