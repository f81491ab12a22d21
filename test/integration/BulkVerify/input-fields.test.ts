/**
 * Include Input Fields (Result Options, and Verify's Options) through real n8n-core executions against
 * the simulators: each result item carries the fields of the input item it is paired with (all,
 * selected, or none by default), so a CRM record stays with its verdict.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PROVIDERS } from '../../../nodes/shared/providers';
import type { AllSimulators } from '../../simulators';
import { pairedIndexes, runNode, startNow } from '../../support/node-runs';
import { PROVIDER_NAMES, startSimulators } from '../../support/providers';

const FAST_POLL = { maxWaitMinutes: 1, pollIntervalSeconds: 1 };

/** Three CRM leads; the second and third share an address (de-duplicated before upload). */
const LEADS: INodeExecutionData[] = [
	{ json: { email: 'good.ana@example.com', name: 'Ana', company: 'Acme', crm: { id: 101 } } },
	{ json: { email: 'bad.bo@example.com', name: 'Bo', company: 'Bolt', crm: { id: 102 } } },
	{ json: { email: 'BAD.BO@example.com', name: 'Bo (again)', company: 'Bolt', crm: { id: 103 } } },
];

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startSimulators({
		jobDurationMs: 200,
		perEmailMs: 1,
		rateLimitPerMinute: Infinity,
	});
});

afterAll(async () => {
	await simulators.close();
});

function byEmail(items: INodeExecutionData[]): Record<string, INodeExecutionData> {
	return Object.fromEntries(items.map((item) => [String(item.json.email).toLowerCase(), item]));
}

async function createAndWait(provider: string, resultOptions: INodeParameters) {
	return await runNode(
		simulators,
		provider,
		{
			resource: 'job',
			operation: 'create',
			...startNow(provider),
			waitForCompletion: true,
			waitOptions: FAST_POLL,
			resultOptions,
		},
		{ inputItems: LEADS },
	);
}

describe.each(PROVIDER_NAMES)('%s: Create with Wait for Completion', (provider) => {
	it('by default a result carries only the verification fields', async () => {
		const result = await createAndWait(provider, {});
		expect(result.error).toBeUndefined();
		const ana = byEmail(result.items)['good.ana@example.com'];
		expect(ana.json).toMatchObject({ verdict: 'deliverable', provider });
		expect(ana.json).not.toHaveProperty('name');
		expect(ana.json).not.toHaveProperty('company');
	});

	it('All: each result carries its lead, the verification fields winning on a clash', async () => {
		const result = await createAndWait(provider, { includeInputFields: 'all' });
		expect(result.error).toBeUndefined();
		const rows = byEmail(result.items);
		expect(rows['good.ana@example.com'].json).toMatchObject({
			name: 'Ana',
			company: 'Acme',
			crm: { id: 101 },
			email: 'good.ana@example.com',
			verdict: 'deliverable',
		});
		expect(pairedIndexes(rows['good.ana@example.com'])).toEqual([0]);
		// The shared address is one result, paired with both leads, carrying the first one's fields.
		const bo = rows['bad.bo@example.com'];
		expect(pairedIndexes(bo)).toEqual([1, 2]);
		expect(bo.json).toMatchObject({ name: 'Bo', crm: { id: 102 }, verdict: 'undeliverable' });
	});

	it('Selected: only the named fields, nested ones by dot notation', async () => {
		const result = await createAndWait(provider, {
			includeInputFields: 'selected',
			inputFieldsToInclude: 'name, crm.id, missing',
		});
		expect(result.error).toBeUndefined();
		const ana = byEmail(result.items)['good.ana@example.com'].json;
		expect(ana).toMatchObject({ name: 'Ana', 'crm.id': 101, verdict: 'deliverable' });
		expect(ana).not.toHaveProperty('company');
		expect(ana).not.toHaveProperty('crm');
		expect(ana).not.toHaveProperty('missing');
	});
});

describe.each(PROVIDER_NAMES)('%s: Get Results fed by a Create', (provider) => {
	it('each result carries the fields of the item that brought its job ID', async () => {
		const job = simulators[provider].seedJob(['good.cy@example.com', 'bad.di@example.com']);
		const fromCreate: INodeExecutionData[] = [
			{ json: { jobId: job.id, campaign: 'November', owner: 'sales' } },
		];
		const result = await runNode(
			simulators,
			provider,
			{
				resource: 'job',
				operation: 'getResults',
				jobIds: '={{ $json.jobId }}',
				resultOptions: { includeInputFields: 'selected', inputFieldsToInclude: 'campaign' },
			},
			{ inputItems: fromCreate },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		for (const item of result.items) {
			expect(item.json).toMatchObject({ campaign: 'November', jobId: job.id });
			expect(item.json).not.toHaveProperty('owner');
			expect(pairedIndexes(item)).toEqual([0]);
		}
	});
});

describe.each(PROVIDER_NAMES.filter((name) => PROVIDERS[name].info.capabilities.singleVerify))(
	'%s: Verify',
	(provider) => {
		it('All: the verified address carries its lead', async () => {
			const result = await runNode(
				simulators,
				provider,
				{ resource: 'email', operation: 'verify', verifyOptions: { includeInputFields: 'all' } },
				{ inputItems: LEADS.slice(0, 1) },
			);
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json)).toEqual([
				expect.objectContaining({ name: 'Ana', company: 'Acme', verdict: 'deliverable', provider }),
			]);
		});
	},
);
