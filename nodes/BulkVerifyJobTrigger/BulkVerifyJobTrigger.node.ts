import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { asNodeError } from '../shared/model/errors';
import {
	providerCredentials,
	providerDisplayNameExpression,
	serviceNamed,
} from '../shared/workflow/descriptions';
import { safeToShow } from '../shared/workflow/safe-error';
import { triggerProperties } from './description';
import { pollJobs } from './poll';

export class BulkVerifyJobTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: serviceNamed('Bulk Verify Trigger'),
		name: 'bulkVerifyJobTrigger',
		icon: {
			light: 'file:../../icons/bulkVerify.svg',
			dark: 'file:../../icons/bulkVerify.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${providerDisplayNameExpression()} }}`,
		description: 'Starts the workflow when a bulk email verification job finishes',
		defaults: { name: serviceNamed('Bulk Verify Trigger') },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: providerCredentials,
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await pollJobs(this);
		} catch (error) {
			throw await safeToShow(this, asNodeError(this.getNode(), error));
		}
	}
}
