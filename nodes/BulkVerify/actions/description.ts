/**
 * The node's parameters, derived from the providers' capabilities: each provider is offered only the
 * resources and operations its API supports, so no option can only fail.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	PROVIDER_INFOS,
	providerDisplayNameExpression,
	providerProperty,
} from '../../shared/workflow/descriptions';
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

/**
 * The operations some provider of the registry has: in a single-service package (one provider) an
 * operation its API lacks is left out, rather than listed in the add-node panel for no provider.
 */
const OFFERED = OPERATIONS.filter((operation) =>
	PROVIDER_INFOS.some((info) => operation.isAvailableFor(info)),
);

/** The resources with an offered operation. */
const OFFERED_RESOURCES = RESOURCES.filter(({ value }) =>
	OFFERED.some((operation) => operation.resource === value),
);

/** The providers for which `available` holds; undefined when every provider qualifies. */
function onlyFor(available: (info: ProviderInfo) => boolean): ProviderInfo[] | undefined {
	const providers = PROVIDER_INFOS.filter(available);
	return providers.length < PROVIDER_INFOS.length ? providers : undefined;
}

/** Shown for these providers only (option-level displayOptions, which the editor's dropdowns honour). */
function shownFor(
	providers: ProviderInfo[] | undefined,
): Pick<INodePropertyOptions, 'displayOptions'> {
	return providers
		? { displayOptions: { show: { provider: providers.map((info) => info.name) } } }
		: {};
}

/**
 * ONE operation selector per resource, shared by every provider: n8n's add-node panel lists each
 * action once under its resource (it reads the first `operation` property of each resource, so a
 * selector per provider listed every action four times). An operation only some providers have is
 * shown for those only, and its action names them; the router refuses it for any other.
 */
function operationSelector(resource: Resource): INodeProperties {
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: OFFERED.filter((operation) => operation.resource === resource).map((operation) => {
			const providers = onlyFor((info) => operation.isAvailableFor(info));
			const names = providers?.map((info) => info.displayName).join(', ');
			return {
				name: operation.name,
				value: operation.value,
				action: names === undefined ? operation.action : `${operation.action} (${names})`,
				description: operation.description,
				...shownFor(providers),
			};
		}),
		default: '',
		displayOptions: { show: { resource: [resource] } },
	};
	// Set apart from the literal: eslint-plugin-n8n-nodes-base only recognizes a literal `default`.
	selector.default = DEFAULT_OPERATION[resource];
	return selector;
}

/** ONE resource selector shared by every provider; a resource only some providers have is shown for those. */
const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: OFFERED_RESOURCES.map((resource) => ({
		...resource,
		...shownFor(
			onlyFor((info) =>
				OFFERED.some(
					(operation) => operation.resource === resource.value && operation.isAvailableFor(info),
				),
			),
		),
	})),
	default: 'job',
};

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

/** For a provider without a balance endpoint, on Estimate: it counts the credits, not what the account has. */
function noBalanceNotice(info: ProviderInfo): INodeProperties {
	return {
		displayName: `${info.displayName} has no endpoint for the account's balance: Estimate counts what the list needs, but cannot say what the account has, and the node cannot check credits before a paid call`,
		name: 'noBalanceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: [info.name], resource: ['job'], operation: ['estimate'] } },
	};
}

/**
 * The canvas subtitle, e.g. "Bouncify: Create": display names, looked up in the expression from the
 * registry and the operations (a value the maps do not know shows as it is).
 */
export function nodeSubtitle(): string {
	const operations = JSON.stringify(
		Object.fromEntries(OPERATIONS.map((operation) => [operation.value, operation.name])),
	);
	return `={{ ${providerDisplayNameExpression()} + ": " + (${operations}[$parameter["operation"]] || $parameter["operation"]) }}`;
}

/** Operation fields are shared by every provider that offers the operation. */
const operationFields = OFFERED.flatMap((operation) => operation.properties);

export const nodeProperties: INodeProperties[] = [
	providerProperty('The email verification service to use. Each has its own credential.'),
	resourceSelector,
	...OFFERED_RESOURCES.map(({ value }) => operationSelector(value)),
	...PROVIDER_INFOS.filter((info) => !info.capabilities.listJobs).map(noListNotice),
	...PROVIDER_INFOS.filter((info) => !info.capabilities.credits).map(noBalanceNotice),
	...operationFields,
];
