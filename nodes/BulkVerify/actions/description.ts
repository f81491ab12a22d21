/**
 * The node's parameters, derived from the providers' capabilities: each provider is offered only the
 * resources and operations its API supports, so no option can only fail.
 */
import type { INodeProperties } from 'n8n-workflow';

import { PROVIDER_INFOS, providerProperty } from '../../shared/workflow/descriptions';
import type { ProviderInfo } from '../../shared/model/provider';
import { OPERATIONS } from './operations';
import type { Resource } from './types';

const RESOURCES: Array<{ value: Resource; name: string; description: string }> = [
	{ value: 'job', name: 'Job', description: 'Bulk verification jobs (lists)' },
	{ value: 'email', name: 'Email', description: 'Verify a single address' },
	{ value: 'account', name: 'Account', description: 'Account information such as credits' },
];

/** The operation each resource opens on; every provider that has the resource has this operation. */
const DEFAULT_OPERATION: Record<Resource, string> = {
	job: 'create',
	email: 'verify',
	account: 'getCredits',
};

function operationsOf(info: ProviderInfo, resource: Resource) {
	return OPERATIONS.filter(
		(operation) => operation.resource === resource && operation.isAvailableFor(info),
	);
}

function operationSelector(info: ProviderInfo, resource: Resource): INodeProperties {
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: operationsOf(info, resource).map(({ name, value, action, description }) => ({
			name,
			value,
			action,
			description,
		})),
		default: '',
		displayOptions: { show: { provider: [info.name], resource: [resource] } },
	};
	// Set apart from the literal: eslint-plugin-n8n-nodes-base only recognizes a literal `default`.
	selector.default = DEFAULT_OPERATION[resource];
	return selector;
}

function selectorsFor(info: ProviderInfo): INodeProperties[] {
	const resources = RESOURCES.filter((resource) => operationsOf(info, resource.value).length > 0);
	const provider = [info.name];
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources,
			default: 'job',
			displayOptions: { show: { provider } },
		},
		...resources.map(({ value: resource }) => operationSelector(info, resource)),
	];
}

/** For a provider whose API cannot list jobs, on Create: the job IDs it returns are the only way back to the jobs. */
function noListNotice(info: ProviderInfo): INodeProperties {
	return {
		displayName: `${info.displayName} has no endpoint that lists jobs: keep the job IDs that Create returns (for example in a Data Table) to pass them to Get Status, Get Results or the Bulk Verify Trigger`,
		name: 'noListNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: [info.name], resource: ['job'], operation: ['create'] } },
	};
}

/**
 * The canvas subtitle, e.g. "Bouncify: Create": display names, looked up in the expression from the
 * registry and the operations (a value the maps do not know shows as it is).
 */
export function nodeSubtitle(): string {
	const providers = JSON.stringify(
		Object.fromEntries(PROVIDER_INFOS.map((info) => [info.name, info.displayName])),
	);
	const operations = JSON.stringify(
		Object.fromEntries(OPERATIONS.map((operation) => [operation.value, operation.name])),
	);
	return `={{ (${providers}[$parameter["provider"]] || $parameter["provider"]) + ": " + (${operations}[$parameter["operation"]] || $parameter["operation"]) }}`;
}

/** Operation fields are shared by every provider that offers the operation. */
const operationFields = OPERATIONS.flatMap((operation) => operation.properties);

export const nodeProperties: INodeProperties[] = [
	providerProperty('The email verification service to use. Each has its own credential.'),
	...PROVIDER_INFOS.flatMap(selectorsFor),
	...PROVIDER_INFOS.filter((info) => !info.capabilities.listJobs).map(noListNotice),
	...operationFields,
];
