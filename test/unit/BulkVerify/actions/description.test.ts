// Tests nodes/BulkVerify/actions/description.ts: what the node panel shows, evaluated with n8n's own
// display rules (NodeHelpers), for every provider and operation it offers.
import type { INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { BulkVerify } from '../../../../nodes/BulkVerify/BulkVerify.node';
import { nodeSubtitle } from '../../../../nodes/BulkVerify/actions/description';
import { OPERATIONS } from '../../../../nodes/BulkVerify/actions/operations';
import { PROVIDERS, PROVIDER_NAMES } from '../../../../nodes/shared/providers';

const description = new BulkVerify().description;
const NODE = { typeVersion: 1 };

/** Every (provider, resource, operation) the panel can be set to. */
const SETTINGS = PROVIDER_NAMES.flatMap((provider) =>
	OPERATIONS.filter((operation) => operation.isAvailableFor(PROVIDERS[provider].info)).map(
		(operation) => ({ provider, resource: operation.resource, operation: operation.value }),
	),
);

/** The parameters n8n shows for these values, with the defaults it fills in. */
function shown(values: INodeParameters): {
	values: INodeParameters;
	properties: INodeProperties[];
} {
	const resolved =
		NodeHelpers.getNodeParameters(description.properties, values, true, false, NODE, description) ??
		{};
	const properties = description.properties.filter((property) =>
		NodeHelpers.displayParameter(resolved, property, NODE, description, resolved),
	);
	return { values: resolved, properties };
}

/** Turns on what a setting's switches hide (Wait for Completion), so every collection gets looked at. */
const SWITCHES: INodeParameters[] = [{}, { waitForCompletion: true }];

describe('the node panel', () => {
	it('has settings to check', () => {
		expect(SETTINGS.length).toBeGreaterThan(15);
	});

	it.each(SETTINGS)(
		'$provider $operation: every collection shown has an option to add',
		({ provider, resource, operation }) => {
			for (const switches of SWITCHES) {
				const { values, properties } = shown({ provider, resource, operation, ...switches });
				for (const collection of properties.filter((property) => property.type === 'collection')) {
					const options = (collection.options ?? []) as INodeProperties[];
					const offered = options.filter((option) =>
						NodeHelpers.displayParameter({}, option, NODE, description, values),
					);
					// Named in the comparison, so a failure says which collection is empty.
					expect({ collection: collection.name, hasOptions: offered.length > 0 }).toEqual({
						collection: collection.name,
						hasOptions: true,
					});
				}
			}
		},
	);

	it('shows Job Options on Create only for providers that have one of them', () => {
		const withOptions = PROVIDER_NAMES.filter((provider) =>
			shown({ provider, resource: 'job', operation: 'create' }).properties.some(
				(property) => property.name === 'jobOptions',
			),
		);
		const expected = PROVIDER_NAMES.filter((provider) => {
			const { clientJobId, listName } = PROVIDERS[provider].info.capabilities;
			return clientJobId || listName;
		});
		expect(withOptions).toEqual(expected);
		expect(withOptions).not.toContain('bouncify');
	});

	it('shows Check Credits First on the paid operations only for providers with a balance endpoint', () => {
		const withBalance = PROVIDER_NAMES.filter(
			(provider) => PROVIDERS[provider].info.capabilities.credits,
		);
		expect(withBalance.length).toBeGreaterThan(0);
		expect(withBalance.length).toBeLessThan(PROVIDER_NAMES.length);
		for (const setting of SETTINGS) {
			const guard = shown(setting).properties.find((property) => property.name === 'checkCredits');
			const paid = ['create', 'secondOpinion', 'start', 'verify'].includes(setting.operation);
			expect({ ...setting, shown: guard !== undefined }).toEqual({
				...setting,
				shown: paid && withBalance.includes(setting.provider),
			});
			if (guard) expect(shown(setting).values.checkCredits).toBe(true);
		}
	});

	it('gives Estimate the input fields of Create, and Include Balance where there is a balance', () => {
		const inputs = (provider: string, operation: string, inputSource: string) =>
			shown({ provider, resource: 'job', operation, inputSource })
				.properties.map((property) => property.name)
				.filter((name) =>
					['inputSource', 'emailField', 'binaryPropertyName', 'csvColumn'].includes(name),
				);
		for (const provider of PROVIDER_NAMES) {
			for (const inputSource of ['items', 'binary'])
				expect(inputs(provider, 'estimate', inputSource)).toEqual(
					inputs(provider, 'create', inputSource),
				);
			const { values, properties } = shown({ provider, resource: 'job', operation: 'estimate' });
			const balance = properties.some((property) => property.name === 'includeBalance');
			expect(balance).toBe(PROVIDERS[provider].info.capabilities.credits);
			if (balance) expect(values.includeBalance).toBe(true);
		}
		expect(inputs('bouncify', 'estimate', 'binary')).toEqual([
			'inputSource',
			'binaryPropertyName',
			'csvColumn',
		]);
	});

	it('speaks in a notice of the selected provider only: no list on Create, no balance on Estimate', () => {
		for (const provider of PROVIDER_NAMES) {
			const { displayName, capabilities } = PROVIDERS[provider].info;
			for (const operation of ['create', 'estimate', 'getStatus']) {
				const notices = shown({ provider, resource: 'job', operation }).properties.filter(
					(property) => property.type === 'notice',
				);
				const others = PROVIDER_NAMES.filter((name) => name !== provider).map(
					(name) => PROVIDERS[name].info.displayName,
				);
				for (const notice of notices) {
					for (const other of others) expect(notice.displayName).not.toContain(other);
				}
				const expected =
					operation === 'create' && !capabilities.listJobs
						? [`${displayName} has no endpoint that lists jobs`]
						: operation === 'estimate' && !capabilities.credits
							? [`${displayName} has no endpoint for the account's balance`]
							: [];
				expect(
					notices.map((notice) => notice.displayName.slice(0, expected[0]?.length ?? 0)),
				).toEqual(expected);
			}
		}
	});
});

describe('the canvas subtitle', () => {
	/** The subtitle's expression, run on the given parameters. */
	function subtitleFor(parameter: Record<string, string>): string {
		const expression = nodeSubtitle()
			.replace(/^=\{\{/, '')
			.replace(/\}\}$/, '');
		return new Function('$parameter', `return ${expression};`)(parameter) as string;
	}

	it('is the node setting', () => {
		expect(description.subtitle).toBe(nodeSubtitle());
	});

	it('names the provider and the operation as the panel does', () => {
		expect(subtitleFor({ provider: 'bouncify', operation: 'create' })).toBe('Bouncify: Create');
		expect(subtitleFor({ provider: 'whoisxml', operation: 'getMany' })).toBe(
			'WhoisXML API: Get Many',
		);
		expect(subtitleFor({ provider: 'check365', operation: 'getResults' })).toBe(
			'Check365: Get Results',
		);
	});

	it('shows a value it does not know as it is', () => {
		expect(subtitleFor({ provider: 'acme', operation: 'archive' })).toBe('acme: archive');
	});
});

describe("the add-node panel's actions", () => {
	/**
	 * The actions n8n's node creator lists, built as its useActionsGeneration does: every property
	 * named `resource`, each of its options, the first `operation` property shown for that resource,
	 * that property's options; the heading is the resource's name.
	 */
	function panelActions(): Array<{ heading: string; action: string; value: string }> {
		const all = description.properties;
		return all
			.filter((property) => property.name === 'resource')
			.flatMap((resource) =>
				((resource.options ?? []) as INodePropertyOptions[]).flatMap((option) => {
					const operations = all.find(
						(property) =>
							property.name === 'operation' &&
							property.displayOptions?.show?.resource?.includes(option.value) === true,
					);
					return ((operations?.options ?? []) as INodePropertyOptions[]).map((operation) => ({
						heading: option.name,
						action: operation.action ?? operation.name,
						value: String(operation.value),
					}));
				}),
			);
	}

	it('lists every operation exactly once, under its own resource', () => {
		const actions = panelActions();
		expect(actions.map((entry) => entry.value).sort()).toEqual(
			OPERATIONS.map((operation) => operation.value).sort(),
		);
		const headingOf = { job: 'Job', email: 'Email', account: 'Account' };
		for (const operation of OPERATIONS) {
			expect(actions.find((entry) => entry.value === operation.value)?.heading).toBe(
				headingOf[operation.resource],
			);
		}
	});

	it('names the providers in an action that not every provider has', () => {
		for (const operation of OPERATIONS) {
			const action = panelActions().find((entry) => entry.value === operation.value)!.action;
			const having = PROVIDER_NAMES.filter((name) =>
				operation.isAvailableFor(PROVIDERS[name].info),
			);
			if (having.length === PROVIDER_NAMES.length) expect(action).toBe(operation.action);
			else
				expect(action).toBe(
					`${operation.action} (${having.map((name) => PROVIDERS[name].info.displayName).join(', ')})`,
				);
		}
		expect(panelActions().find((entry) => entry.value === 'start')!.action).toBe(
			'Start a job (Bouncify)',
		);
	});
});
