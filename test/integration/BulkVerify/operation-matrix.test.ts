/**
 * Every operation of the Bulk Verify node against every provider that offers it, run through real
 * n8n-core with real HTTP to the provider simulators (manual clock), and the operations a provider
 * lacks absent from the node's description (and refused by the router without any request).
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { BulkVerify } from '../../../nodes/BulkVerify/BulkVerify.node';
import { PROVIDERS } from '../../../nodes/shared/providers';
import type { ProviderName } from '../../simulators';
import type { AllSimulators } from '../../simulators';
import {
	emailItems,
	expectEveryItemPaired,
	expectedVerdicts,
	FOUR_CLASSES,
	pairedIndexes,
	requestsTo,
	runNode,
	startNow,
	verdictsOf,
} from '../../support/node-runs';
import type { OperationName } from '../../support/profiles';
import { profileOf } from '../../support/profiles';
import { everythingIn, PROVIDER_NAMES, startManualSimulators } from '../../support/providers';

const RESOURCE_OF: Record<OperationName, 'job' | 'email' | 'account'> = {
	create: 'job',
	estimate: 'job',
	secondOpinion: 'job',
	start: 'job',
	getStatus: 'job',
	getMany: 'job',
	getResults: 'job',
	delete: 'job',
	verify: 'email',
	getCredits: 'account',
};

const OPERATION_NAMES: OperationName[] = [
	'create',
	'estimate',
	'secondOpinion',
	'getStatus',
	'getResults',
	'start',
	'delete',
	'getCredits',
	'getMany',
	'verify',
];

/**
 * Which provider offers which operation: the providers' APIs (docs/provider-apis.md), as each test
 * profile writes them out (test/support/profiles), for every provider of the registry.
 */
const OFFERED = Object.fromEntries(
	OPERATION_NAMES.map((operation) => [
		operation,
		PROVIDER_NAMES.filter((provider) => profileOf(provider).operations.includes(operation)),
	]),
) as Record<OperationName, ProviderName[]>;

const DESCRIPTION = new BulkVerify().description;
const NODE = { typeVersion: 1 };
const properties: INodeProperties[] = DESCRIPTION.properties;

/**
 * The Resource or Operation dropdown the editor shows for this provider (and resource), with only the
 * options it shows that provider (n8n's display rules, option-level displayOptions included);
 * undefined when it shows none.
 */
function selectorFor(
	provider: ProviderName,
	name: 'resource' | 'operation',
	resource?: string,
): INodeProperties | undefined {
	const values = { provider, ...(resource !== undefined ? { resource } : {}) };
	const selector = properties.find(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameter(values, property, NODE, DESCRIPTION, values) &&
			(resource === undefined ||
				property.displayOptions?.show?.resource?.includes(resource) === true),
	);
	const options = (selector?.options ?? []).filter((option) =>
		NodeHelpers.displayParameter(values, option as INodePropertyOptions, NODE, DESCRIPTION, values),
	);
	return selector && options.length > 0 ? { ...selector, options } : undefined;
}

function optionValues(property: INodeProperties | undefined): unknown[] {
	return (property?.options ?? []).map((option) => ('value' in option ? option.value : undefined));
}

const cases = OPERATION_NAMES.flatMap((operation) =>
	PROVIDER_NAMES.map((provider) => ({
		operation,
		provider,
		offered: OFFERED[operation].includes(provider),
	})),
);

describe('the node description offers each provider exactly its operations', () => {
	it('shows each provider a Resource dropdown of its resources and an Operation dropdown for each of them', () => {
		for (const provider of PROVIDER_NAMES) {
			const resources = [
				...new Set(
					OPERATION_NAMES.filter((operation) => OFFERED[operation].includes(provider)).map(
						(operation) => RESOURCE_OF[operation],
					),
				),
			];
			expect(optionValues(selectorFor(provider, 'resource')).sort()).toEqual(resources.sort());
			for (const resource of ['job', 'email', 'account']) {
				const selector = selectorFor(provider, 'operation', resource);
				if (resources.includes(resource as 'job')) expect(selector).toBeDefined();
				else expect(selector).toBeUndefined();
			}
		}
	});

	it.each(cases.map((entry) => [entry.operation, entry.provider, entry.offered] as const))(
		'%s for %s: offered = %s',
		(operation, provider, offered) => {
			const values = optionValues(selectorFor(provider, 'operation', RESOURCE_OF[operation]));
			if (offered) expect(values).toContain(operation);
			else expect(values).not.toContain(operation);
		},
	);
});

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

function expectNoKeyIn(provider: ProviderName, value: unknown): void {
	expect(everythingIn(value)).not.toContain(simulators[provider].apiKey);
}

/** Whether the provider has any operation of this resource (else the editor hides the whole resource). */
function hasResource(provider: ProviderName, resource: string): boolean {
	return OPERATION_NAMES.some(
		(operation) => RESOURCE_OF[operation] === resource && OFFERED[operation].includes(provider),
	);
}

async function runUnoffered(operation: OperationName, provider: ProviderName) {
	const simulator = simulators[provider];
	simulator.clearLog();
	const result = await runNode(simulators, provider, {
		resource: RESOURCE_OF[operation],
		operation,
		jobIds: '596',
		email: 'good.ana@example.com',
	});
	return { result, requests: simulator.requests.length };
}

const unoffered = cases.filter((entry) => !entry.offered);

describe('an operation a provider lacks is refused before any request', () => {
	it.each(
		unoffered
			.filter((entry) => hasResource(entry.provider, RESOURCE_OF[entry.operation]))
			.map((entry) => [entry.operation, entry.provider] as const),
	)('%s for %s', async (operation, provider) => {
		const { result, requests } = await runUnoffered(operation, provider);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe(
			`${PROVIDERS[provider].info.displayName} does not support the operation "${operation}"`,
		);
		expect(result.items).toEqual([]);
		expect(requests).toBe(0);
	});

	it.each(
		unoffered
			.filter((entry) => !hasResource(entry.provider, RESOURCE_OF[entry.operation]))
			.map((entry) => [entry.operation, entry.provider] as const),
	)(
		'%s for %s (a resource the provider lacks): a NodeOperationError naming the provider',
		async (operation, provider) => {
			const { result, requests } = await runUnoffered(operation, provider);
			expect(requests).toBe(0);
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toContain(PROVIDERS[provider].info.displayName);
		},
	);
});

describe.each(PROVIDER_NAMES)('%s: the operations it offers', (provider) => {
	const info = PROVIDERS[provider].info;

	it('create: one job item with provider, jobId, counts and the input items it came from', async () => {
		const simulator = simulators[provider];
		simulator.clearLog();
		const result = await runNode(
			simulators,
			provider,
			{ resource: 'job', operation: 'create', ...startNow(provider) },
			{ inputItems: emailItems(FOUR_CLASSES) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const job = result.items[0].json;
		expect(job).toMatchObject({
			provider,
			started: true,
			emailCount: 4,
			submitted: 4,
			jobCount: 1,
			part: 1,
			duplicatesRemoved: 0,
			notSubmitted: [],
		});
		expect(info.isValidJobId(job.jobId as string)).toBe(true);
		expect(pairedIndexes(result.items[0])).toEqual([0, 1, 2, 3]);
		expect(simulator.jobs.get(job.jobId as string)?.emails).toEqual(FOUR_CLASSES);
		expect(requestsTo(simulator, 'create')).toHaveLength(1);
		expectNoKeyIn(provider, result.items);
	});

	it('estimate: one item with what Create would submit and its credits, paired with every input item, nothing paid', async () => {
		const simulator = simulators[provider];
		simulator.clearLog();
		const jobsBefore = simulator.jobs.size;
		const hasBalance = OFFERED.getCredits.includes(provider);
		if (hasBalance) simulator.setCredits(1_000);
		const result = await runNode(
			simulators,
			provider,
			{ resource: 'job', operation: 'estimate' },
			{ inputItems: emailItems([...FOUR_CLASSES, ' GOOD.ANA@example.com', 'nope']) },
		);
		expect(result.error).toBeUndefined();
		const needed = 4 * profileOf(provider).creditsPerEmail;
		expect(result.items.map((item) => item.json)).toEqual([
			{
				provider,
				values: 6,
				addresses: 4,
				duplicates: 1,
				invalid: 1,
				notSubmitted: [{ value: 'nope', itemIndex: 5, reason: 'invalid_syntax' }],
				jobs: 1,
				creditsNeeded: needed,
				creditsAvailable: hasBalance ? 1_000 : null,
				creditsAfter: hasBalance ? 1_000 - needed : null,
				enoughCredits: hasBalance ? true : null,
			},
		]);
		expect(pairedIndexes(result.items[0])).toEqual([0, 1, 2, 3, 4, 5]);
		// The balance is the only call (a free one), where the provider has it.
		expect(simulator.requests.map((request) => request.route)).toEqual(
			hasBalance ? ['credits'] : [],
		);
		expect(simulator.jobs.size).toBe(jobsBefore);
		if (hasBalance) simulator.setCredits(1_000_000);
	});

	it('getStatus: the normalized status of each job id, paired with its item', async () => {
		const simulator = simulators[provider];
		const done = simulator.seedJob(FOUR_CLASSES);
		const running = simulator.seedJob(FOUR_CLASSES, { state: 'queued' });
		const result = await runNode(
			simulators,
			provider,
			{ resource: 'job', operation: 'getStatus' },
			{ inputItems: [{ json: { jobId: done.id } }, { json: { jobId: running.id } }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				provider,
				jobId: done.id,
				state: 'completed',
				isTerminal: true,
				resultsAvailable: true,
				progressPercent: 100,
			}),
			expect.objectContaining({
				provider,
				jobId: running.id,
				isTerminal: false,
				resultsAvailable: false,
			}),
		]);
		expect(result.items.map(pairedIndexes)).toEqual([[0], [1]]);
		for (const item of result.items) expect(item.json.raw).toBeUndefined();

		const withRaw = await runNode(simulators, provider, {
			resource: 'job',
			operation: 'getStatus',
			jobIds: done.id,
			includeRaw: true,
		});
		expect(withRaw.items[0].json.raw).toEqual(expect.any(Object));
		expectNoKeyIn(provider, [result.items, withRaw.items]);
	});

	it('getResults: one item per email with the verdict the simulator rule gives', async () => {
		const simulator = simulators[provider];
		const job = simulator.seedJob(FOUR_CLASSES);
		const result = await runNode(simulators, provider, {
			resource: 'job',
			operation: 'getResults',
			jobIds: job.id,
		});
		expect(result.error).toBeUndefined();
		expect(verdictsOf(result.items)).toEqual(expectedVerdicts(provider));
		for (const item of result.items) {
			expect(item.json).toMatchObject({
				provider,
				jobId: job.id,
				providerStatus: expect.any(String),
				flags: expect.any(Object),
			});
			expect(item.json.raw).toBeUndefined();
		}
		expect(result.items.map(pairedIndexes)).toEqual([[0], [0], [0], [0]]);
		expectNoKeyIn(provider, result.items);
	});

	if (OFFERED.verify.includes(provider)) {
		it('verify: one result per item, invalid addresses answered without a call', async () => {
			const simulator = simulators[provider];
			simulator.clearLog();
			const result = await runNode(
				simulators,
				provider,
				{ resource: 'email', operation: 'verify' },
				{ inputItems: emailItems([...FOUR_CLASSES, ' not an address ']) },
			);
			expect(result.error).toBeUndefined();
			expect(verdictsOf(result.items)).toEqual({
				...expectedVerdicts(provider),
				'not an address': 'undeliverable',
			});
			expect(result.items[4].json).toMatchObject({
				provider,
				jobId: '',
				reason: 'invalid_syntax',
				providerStatus: 'not_submitted',
			});
			for (const item of result.items) expect(item.json.provider).toBe(provider);
			expect(result.items.map(pairedIndexes)).toEqual([[0], [1], [2], [3], [4]]);
			expect(requestsTo(simulator, 'single')).toHaveLength(4);
			expect(
				simulator.requests.some(
					(request) =>
						request.path.includes('not') || JSON.stringify(request.query).includes('not an'),
				),
			).toBe(false);

			const raw = await runNode(simulators, provider, {
				resource: 'email',
				operation: 'verify',
				email: 'good.ana@example.com',
				simplify: false,
			});
			expect(raw.items[0].json.raw).toEqual(expect.any(Object));
			expectNoKeyIn(provider, [result.items, raw.items]);
		});
	}

	if (OFFERED.start.includes(provider)) {
		it('start: a list waiting for Start begins verifying', async () => {
			const simulator = simulators[provider];
			const facts = profileOf(provider).start!;
			const job = simulator.seedJob(FOUR_CLASSES, { state: 'waiting' });
			const result = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'start',
				jobIds: job.id,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json).toMatchObject({
				provider,
				jobId: job.id,
				state: 'processing',
				awaitingStart: false,
				rawStatus: facts.startedRawStatus,
			});
			expect(result.items[0].json.raw).toBeUndefined();
			expect(pairedIndexes(result.items[0])).toEqual([0]);
			const last = requestsTo(simulator, 'start').at(-1);
			expect(last && facts.jobIdOf(last)).toBe(job.id);
		});
	}

	if (OFFERED.delete.includes(provider)) {
		it('delete: each job id is deleted and reported', async () => {
			const simulator = simulators[provider];
			const first = simulator.seedJob(FOUR_CLASSES);
			const second = simulator.seedJob(FOUR_CLASSES);
			const result = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'delete',
				jobIds: `${first.id}, ${second.id}`,
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json)).toEqual([
				expect.objectContaining({ provider, jobId: first.id, deleted: true }),
				expect.objectContaining({ provider, jobId: second.id, deleted: true }),
			]);
			expectEveryItemPaired(result.items, 1);
			expect(simulator.jobs.has(first.id)).toBe(false);
			expect(simulator.jobs.has(second.id)).toBe(false);
		});
	}

	if (OFFERED.getCredits.includes(provider)) {
		it('getCredits: the remaining balance', async () => {
			simulators[provider].setCredits(4321);
			const result = await runNode(simulators, provider, {
				resource: 'account',
				operation: 'getCredits',
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json)).toEqual([{ provider, creditsRemaining: 4321 }]);
			expect(pairedIndexes(result.items[0])).toEqual([0]);
		});
	}

	if (OFFERED.getMany.includes(provider)) {
		it('getMany: pages through the requests, limited or all, newest or oldest first', async () => {
			const simulator = simulators[provider];
			const listing = profileOf(provider).listing!;
			for (let index = 0; index < 55; index++) simulator.seedJob([`good.${index}@example.com`]);
			const total = simulator.jobs.size;

			const limited = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getMany',
				limit: 3,
			});
			expect(limited.error).toBeUndefined();
			expect(limited.items).toHaveLength(3);
			for (const item of limited.items) {
				expect(item.json).toMatchObject({
					provider,
					jobId: expect.stringMatching(listing.jobIdPattern),
				});
				expect(item.json.raw).toBeUndefined();
			}
			expectEveryItemPaired(limited.items, 1);

			simulator.clearLog();
			const all = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getMany',
				returnAll: true,
				sort: 'asc',
				includeRaw: true,
			});
			expect(all.error).toBeUndefined();
			const ids = all.items.map((item) => Number(item.json.jobId));
			expect(ids).toHaveLength(total);
			expect(new Set(ids).size).toBe(total);
			expect(ids).toEqual([...ids].sort((a, b) => a - b));
			expect(all.items[0].json.raw).toEqual(expect.any(Object));
			expect(requestsTo(simulator, listing.route).length).toBe(Math.ceil(total / listing.pageSize));

			const newest = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getMany',
				limit: 1,
				sort: 'desc',
			});
			expect(newest.items[0].json.jobId).toBe(String(Math.max(...ids)));
			expectNoKeyIn(provider, [limited.items, all.items]);
		});
	}
});
