/**
 * The node's and the trigger's descriptions with a registry of one provider, as in a single-service
 * package (scripts/single-packages.js generates its list module): named after the service, and
 * offering only what that provider's API has. With the whole registry they stay as they are.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import type { ProviderDefinition } from '../../../../nodes/shared/providers';
import { PROVIDER_LIST } from '../../../../nodes/shared/providers/list';

interface Described {
	node: INodeTypeDescription;
	trigger: INodeTypeDescription;
}

/** The node's and the trigger's descriptions, built with `list` as the registry's list. */
function describedWith(list: readonly ProviderDefinition[]): Described {
	let described: Described | undefined;
	jest.isolateModules(() => {
		jest.doMock('../../../../nodes/shared/providers/list', () => ({ PROVIDER_LIST: list }));
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { BulkVerify } =
			require('../../../../nodes/BulkVerify/BulkVerify.node') as typeof import('../../../../nodes/BulkVerify/BulkVerify.node');
		const { BulkVerifyJobTrigger } =
			require('../../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node') as typeof import('../../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node');
		/* eslint-enable @typescript-eslint/no-require-imports */
		described = {
			node: new BulkVerify().description,
			trigger: new BulkVerifyJobTrigger().description,
		};
	});
	jest.dontMock('../../../../nodes/shared/providers/list');
	if (described === undefined) throw new Error('descriptions not built');
	return described;
}

const optionsOf = (description: INodeTypeDescription, name: string) =>
	description.properties
		.filter((property: INodeProperties) => property.name === name)
		.flatMap((property) => property.options ?? []) as Array<{
		name: string;
		value: string;
		action?: string;
		displayOptions?: { show?: { provider?: string[] } };
	}>;

describe('a registry of one provider (a single-service package)', () => {
	it.each(PROVIDER_LIST.map((definition) => [definition.info.name, definition] as const))(
		'%s: the node and the trigger are named after it and offer only its operations',
		(_name, definition) => {
			const { info } = definition;
			const { node, trigger } = describedWith([definition]);

			expect(node.displayName).toBe(`${info.displayName} Bulk Verify`);
			expect(node.defaults.name).toBe(`${info.displayName} Bulk Verify`);
			expect(node.description).toBe(`Verify email lists in bulk with ${info.displayName}`);
			expect(trigger.displayName).toBe(`${info.displayName} Bulk Verify Trigger`);
			for (const description of [node, trigger]) {
				expect(description.credentials?.map((credential) => credential.name)).toEqual([
					info.credentialType,
				]);
				expect(optionsOf(description, 'provider').map((option) => option.value)).toEqual([
					info.name,
				]);
			}

			const operations = optionsOf(node, 'operation');
			expect(operations.length).toBeGreaterThan(0);
			for (const operation of operations) {
				// Offered to this provider, and its action names no provider list (the only one).
				expect(operation.displayOptions?.show?.provider ?? [info.name]).toContain(info.name);
				expect(operation.action).not.toMatch(/\(/);
			}
			const values = operations.map((operation) => operation.value);
			expect(values.includes('start')).toBe(info.capabilities.explicitStart);
			expect(values.includes('delete')).toBe(info.capabilities.deleteJob);
			expect(values.includes('getMany')).toBe(info.capabilities.listJobs);
			expect(values.includes('verify')).toBe(info.capabilities.singleVerify);
			expect(values.includes('getCredits')).toBe(info.capabilities.credits);
			// A resource is offered when it has an operation for this provider.
			const resources = optionsOf(node, 'resource').map((option) => option.value);
			expect(resources.includes('email')).toBe(info.capabilities.singleVerify);
			expect(resources.includes('account')).toBe(info.capabilities.credits);
		},
	);
});

describe('the whole registry (the all-in-one package)', () => {
	it('keeps the names "Bulk Verify" and "Bulk Verify Trigger" and every operation', () => {
		const { node, trigger } = describedWith(PROVIDER_LIST);

		expect(node.displayName).toBe('Bulk Verify');
		expect(node.defaults.name).toBe('Bulk Verify');
		expect(trigger.displayName).toBe('Bulk Verify Trigger');
		expect(trigger.defaults.name).toBe('Bulk Verify Trigger');
		expect(optionsOf(node, 'operation').map((operation) => operation.value)).toEqual(
			expect.arrayContaining(['create', 'delete', 'getMany', 'getResults', 'getStatus', 'start']),
		);
		expect(optionsOf(node, 'resource').map((option) => option.value)).toEqual([
			'job',
			'email',
			'account',
		]);
	});
});
