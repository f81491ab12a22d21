/**
 * How the Bulk Verify node fails (real n8n-core, real HTTP, manual-clock simulators): parameter
 * problems are NodeOperationErrors raised before any request, provider answers are NodeApiErrors that
 * name the job or the credential, "Continue On Fail" turns one bad item into one error item, and no
 * failure is ever a bare TypeError.
 */
import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PROVIDERS } from '../../../nodes/shared/providers';
import type { ProviderName } from '../../simulators';
import type { NodeRunResult } from '../../harness';
import type { AllSimulators } from '../../simulators';
import {
	emailItems,
	pairedIndexes,
	runNode,
	UNKNOWN_JOB_IDS,
	WRONG_FORM_JOB_IDS,
} from '../../support/node-runs';
import type { OperationName } from '../../support/profiles';
import { profileOf } from '../../support/profiles';
import { everythingIn, PROVIDER_NAMES, startManualSimulators } from '../../support/providers';

const WRONG_KEY = 'wrong-key-0123456789abcdef';

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

beforeEach(() => {
	for (const name of PROVIDER_NAMES) simulators[name].clearLog();
});

function expectNodeError(
	result: NodeRunResult,
	type: typeof NodeApiError | typeof NodeOperationError,
): void {
	expect(result.error).toBeInstanceOf(type);
	expect(result.error).not.toBeInstanceOf(TypeError);
	expect(result.executionError?.message).toBe(result.error?.message);
	expect(result.items).toEqual([]);
}

/** The providers whose API offers the operation (their test profiles). */
const offering = (operation: OperationName) =>
	PROVIDER_NAMES.filter((provider) => profileOf(provider).operations.includes(operation));

/** Operations that take job ids, per provider. */
const JOB_ID_OPERATIONS: Array<[ProviderName, string]> = [
	...PROVIDER_NAMES.flatMap((provider) => [
		[provider, 'getStatus'] as [ProviderName, string],
		[provider, 'getResults'] as [ProviderName, string],
	]),
	...offering('start').map((provider) => [provider, 'start'] as [ProviderName, string]),
	...offering('delete').map((provider) => [provider, 'delete'] as [ProviderName, string]),
];

describe('a job id of the wrong form for the provider', () => {
	it.each(JOB_ID_OPERATIONS)(
		'%s %s: NodeOperationError before any request',
		async (provider, operation) => {
			const wrong = WRONG_FORM_JOB_IDS[provider];
			const result = await runNode(simulators, provider, {
				resource: 'job',
				operation,
				jobIds: wrong,
			});
			expectNodeError(result, NodeOperationError);
			const { displayName, jobIdHint } = PROVIDERS[provider].info;
			expect(result.error?.message).toBe(`"${wrong}" is not a ${displayName} job ID`);
			expect(result.error?.description).toBe(`Check the Job IDs field: ${jobIdHint}.`);
			expect(result.error?.context.itemIndex).toBe(0);
			expect(simulators[provider].requests).toHaveLength(0);
		},
	);

	it('among several ids of one item: nothing is sent for that item', async () => {
		const good = simulators.whoisxml.seedJob(['good.a@example.com']);
		const result = await runNode(simulators, 'whoisxml', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: `${good.id}, not-a-number`,
		});
		expectNodeError(result, NodeOperationError);
		expect(result.error?.message).toBe('"not-a-number" is not a WhoisXML API job ID');
		expect(simulators.whoisxml.requests).toHaveLength(0);
	});

	it('on the second item: the error names item 1', async () => {
		const good = simulators.simplecold.seedJob(['good.a@example.com']);
		const result = await runNode(
			simulators,
			'simplecold',
			{ resource: 'job', operation: 'getStatus' },
			{ inputItems: [{ json: { jobId: good.id } }, { json: { jobId: '596' } }] },
		);
		expectNodeError(result, NodeOperationError);
		expect(result.error?.context.itemIndex).toBe(1);
	});

	it('no job id at all (the default {{ $json.jobId }} on an item without one)', async () => {
		const result = await runNode(
			simulators,
			'bouncify',
			{ resource: 'job', operation: 'getStatus' },
			{ inputItems: [{ json: { other: 1 } }] },
		);
		expectNodeError(result, NodeOperationError);
		expect(result.error?.message).toBe('No job ID given');
		expect(result.error?.description).toMatch(/\{\{ \$json\.jobId \}\}/);
		expect(simulators.bouncify.requests).toHaveLength(0);
	});

	it('ids given as an array of numbers by an expression are accepted', async () => {
		const first = simulators.whoisxml.seedJob(['good.a@example.com']);
		const second = simulators.whoisxml.seedJob(['good.b@example.com']);
		const result = await runNode(
			simulators,
			'whoisxml',
			{ resource: 'job', operation: 'getStatus', jobIds: '={{ $json.ids }}' },
			{ inputItems: [{ json: { ids: [Number(first.id), Number(second.id)] } }] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual([first.id, second.id]);
	});
});

describe('Continue On Fail in Get Status', () => {
	it.each(PROVIDER_NAMES)(
		'%s: one error item per bad item, paired with it; the good items go on',
		async (provider) => {
			const first = simulators[provider].seedJob(['good.a@example.com']);
			const second = simulators[provider].seedJob(['good.b@example.com'], { state: 'processing' });
			const result = await runNode(
				simulators,
				provider,
				{ resource: 'job', operation: 'getStatus' },
				{
					continueOnFail: true,
					inputItems: [
						{ json: { jobId: first.id } },
						{ json: { jobId: UNKNOWN_JOB_IDS[provider] } },
						{ json: { jobId: second.id } },
						{ json: { jobId: WRONG_FORM_JOB_IDS[provider] } },
					],
				},
			);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			expect(result.items.map(pairedIndexes)).toEqual([[0], [1], [2], [3]]);
			expect(result.items[0].json).toMatchObject({ jobId: first.id, state: 'completed' });
			expect(result.items[2].json).toMatchObject({ jobId: second.id, isTerminal: false });
			expect(result.items[1].json).toEqual({
				error: expect.stringContaining(UNKNOWN_JOB_IDS[provider]),
				description: expect.any(String),
			});
			expect(result.items[3].json).toEqual({
				error: `"${WRONG_FORM_JOB_IDS[provider]}" is not a ${PROVIDERS[provider].info.displayName} job ID`,
				description: expect.stringMatching(/^Check the Job IDs field/),
			});
			expect(everythingIn(result.items)).not.toContain(simulators[provider].apiKey);
		},
	);
});

describe('an unknown job id', () => {
	it.each(JOB_ID_OPERATIONS)('%s %s: NodeApiError naming the id', async (provider, operation) => {
		const id = UNKNOWN_JOB_IDS[provider];
		const result = await runNode(simulators, provider, { resource: 'job', operation, jobIds: id });
		expectNodeError(result, NodeApiError);
		expect(result.error?.message).toContain(`"${id}"`);
		expect(result.error?.message).toMatch(/does not know the job/);
		expect(result.error?.description).toMatch(/Check the job ID/);
		expect(result.error?.context.itemIndex).toBe(0);
		expect(everythingIn([result.error, result.executionError])).not.toContain(
			simulators[provider].apiKey,
		);
	});

	it('Check365 id containing "eperm": the message still names the id', async () => {
		const result = await runNode(simulators, 'check365', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: 'crm-eperm-7',
		});
		expectNodeError(result, NodeApiError);
		expect(result.error?.message).toContain('"crm-eperm-7"');
	});
});

/** One call per provider operation that needs the key. */
const KEYED_CALLS: Array<[ProviderName, string, INodeParameters]> = [
	...PROVIDER_NAMES.map(
		(provider) =>
			[provider, 'create', { resource: 'job', operation: 'create', startNow: true }] as [
				ProviderName,
				string,
				INodeParameters,
			],
	),
	...PROVIDER_NAMES.map(
		(provider) =>
			[
				provider,
				'getStatus',
				{ resource: 'job', operation: 'getStatus', jobIds: UNKNOWN_JOB_IDS[provider] },
			] as [ProviderName, string, INodeParameters],
	),
	...offering('verify').map(
		(provider) =>
			[provider, 'verify', { resource: 'email', operation: 'verify' }] as [
				ProviderName,
				string,
				INodeParameters,
			],
	),
	...offering('getCredits').map(
		(provider) =>
			[provider, 'getCredits', { resource: 'account', operation: 'getCredits' }] as [
				ProviderName,
				string,
				INodeParameters,
			],
	),
	...offering('getMany').map(
		(provider) =>
			[provider, 'getMany', { resource: 'job', operation: 'getMany' }] as [
				ProviderName,
				string,
				INodeParameters,
			],
	),
];

describe('a wrong API key', () => {
	it.each(KEYED_CALLS)(
		'%s %s: NodeApiError telling to check the credential, no job created',
		async (provider, operation, parameters) => {
			const jobsBefore = simulators[provider].jobs.size;
			const result = await runNode(simulators, provider, parameters, {
				apiKeys: { [provider]: WRONG_KEY },
				inputItems: emailItems(['good.k@example.com']),
			});
			expectNodeError(result, NodeApiError);
			const { displayName } = PROVIDERS[provider].info;
			expect(result.error?.message).toMatch(
				new RegExp(`^${displayName} rejected the API key \\(HTTP 401\\) while trying to `),
			);
			expect(result.error?.description).toMatch(/^Open the .+ credential, paste the key again/);
			expect((result.error as NodeApiError).httpCode).toBe('401');
			// Create and Get Credits run once for the whole input, and so does Verify's credit check (its
			// first call where the provider has a balance): their errors name no item.
			const wholeList =
				operation === 'create' ||
				operation === 'getCredits' ||
				(operation === 'verify' && PROVIDERS[provider].info.capabilities.credits);
			expect(result.error?.context.itemIndex).toBe(wholeList ? undefined : 0);
			// Exactly one refused call: an auth failure is not retried.
			expect(simulators[provider].requests.map((request) => request.status)).toEqual([401]);
			expect(simulators[provider].jobs.size).toBe(jobsBefore);
			const seen = everythingIn([result.error, result.executionError, result.items]);
			expect(seen).not.toContain(WRONG_KEY);
			expect(seen).not.toContain(simulators[provider].apiKey);
		},
	);
});
