/** The Job IDs field of the node and the trigger, and the check of what a user typed into it. */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ProviderInfo } from '../model/provider';

export function jobIdsProperty(
	field: Pick<INodeProperties, 'default' | 'description' | 'displayOptions'>,
): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Job IDs',
		name: 'jobIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 596, 597',
	};
	return { ...property, ...field };
}

/**
 * Fails fast, before any call, when no id is given (with the caller's words for that) or an id does
 * not have the form the provider issues.
 */
export function checkJobIds(
	node: INode,
	info: ProviderInfo,
	ids: string[],
	context: { none: { message: string; description: string }; itemIndex?: number },
): void {
	const where = context.itemIndex !== undefined ? { itemIndex: context.itemIndex } : {};
	if (ids.length === 0) {
		throw new NodeOperationError(node, context.none.message, {
			...where,
			description: context.none.description,
		});
	}
	const wrong = ids.find((id) => !info.isValidJobId(id));
	if (wrong !== undefined) {
		throw new NodeOperationError(node, `"${wrong}" is not a ${info.displayName} job ID`, {
			...where,
			description: `Check the Job IDs field: ${info.jobIdHint}.`,
		});
	}
}
