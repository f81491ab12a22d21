/**
 * Job → Estimate through the Bulk Verify node (real n8n-core, real HTTP, manual-clock simulators): from
 * the same input as Create (items or CSV files), one item with what Create would submit, in how many
 * jobs, for how many credits, and the balance where the provider has one, without any paid call; and
 * the same counts as the Create it stands for.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AllSimulators, ProviderName } from '../../../simulators';
import { csvItem, emailItems, pairedIndexes, runNode, startNow } from '../../../support/node-runs';
import { profileOf } from '../../../support/profiles';
import { PROVIDER_NAMES, startManualSimulators } from '../../../support/providers';

const ESTIMATE = { resource: 'job', operation: 'estimate' };
const FULL = 1_000_000;

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

beforeEach(() => {
	for (const name of PROVIDER_NAMES) {
		simulators[name].clearLog();
		simulators[name].setCredits(FULL);
	}
});

const hasBalance = (provider: ProviderName) =>
	profileOf(provider).operations.includes('getCredits');
const routesOf = (provider: ProviderName) =>
	simulators[provider].requests.map((request) => request.route);

/** The balance fields for `needed` credits against the simulator's balance (nulls without a balance endpoint). */
function balanceFields(provider: ProviderName, needed: number) {
	const available = simulators[provider].credits;
	return hasBalance(provider)
		? {
				creditsAvailable: available,
				creditsAfter: available - needed,
				enoughCredits: available >= needed,
			}
		: { creditsAvailable: null, creditsAfter: null, enoughCredits: null };
}

describe.each(PROVIDER_NAMES)('%s', (provider) => {
	const price = profileOf(provider).creditsPerEmail;

	it('items: counts, the values set aside, jobs and credits, paired with every input item', async () => {
		simulators[provider].setCredits(7);
		const result = await runNode(simulators, provider, ESTIMATE, {
			inputItems: emailItems([
				'good.a@example.com',
				'',
				'Good.A@Example.com ',
				'nope',
				'bad.b@example.com',
				'josé@example.com',
				'catchall.c@example.com',
			]),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{
				provider,
				values: 7,
				addresses: 3,
				duplicates: 1,
				invalid: 3,
				notSubmitted: [
					{ value: '', itemIndex: 1, reason: 'empty' },
					{ value: 'nope', itemIndex: 3, reason: 'invalid_syntax' },
					{ value: 'josé@example.com', itemIndex: 5, reason: 'non_ascii_local_part' },
				],
				jobs: 1,
				creditsNeeded: 3 * price,
				...balanceFields(provider, 3 * price),
			},
		]);
		expect(pairedIndexes(result.items[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
		// Nothing paid: at most the (free) balance call.
		expect(routesOf(provider)).toEqual(hasBalance(provider) ? ['credits'] : []);
	});

	it('CSV files: the same Emails From / Email Column parameters as Create, values set aside with their item', async () => {
		const result = await runNode(
			simulators,
			provider,
			{ ...ESTIMATE, inputSource: 'binary', binaryPropertyName: 'leads', csvColumn: 'work email' },
			{
				inputItems: [
					csvItem('Name,Work Email\nAnn,good.ann@acme.com\nBo,\n', 'a.csv', 'leads'),
					csvItem(
						'WORK EMAIL\nGOOD.ANN@acme.com\nbad.cy@acme.com\nnot-an-address\n',
						'b.csv',
						'leads',
					),
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			values: 5,
			addresses: 2,
			duplicates: 1,
			invalid: 2,
			notSubmitted: [
				{ value: '', itemIndex: 0, reason: 'empty' },
				{ value: 'not-an-address', itemIndex: 1, reason: 'invalid_syntax' },
			],
			jobs: 1,
			creditsNeeded: 2 * price,
		});
		expect(pairedIndexes(result.items[0])).toEqual([0, 1]);
		expect(routesOf(provider)).toEqual(hasBalance(provider) ? ['credits'] : []);
	});

	it('says what the Create of the same input submits: the same counts, one computation', async () => {
		const input = emailItems([
			'good.x@example.com',
			'GOOD.X@example.com',
			'bad.y@example.com',
			'@nope',
			'unknown.z@example.com',
		]);
		const estimated = await runNode(simulators, provider, ESTIMATE, { inputItems: input });
		const created = await runNode(
			simulators,
			provider,
			{ resource: 'job', operation: 'create', ...startNow(provider) },
			{ inputItems: input },
		);
		expect(created.error).toBeUndefined();
		const estimate = estimated.items[0].json;
		const job = created.items[0].json;
		expect({
			addresses: estimate.addresses,
			duplicates: estimate.duplicates,
			notSubmitted: estimate.notSubmitted,
			jobs: estimate.jobs,
		}).toEqual({
			addresses: job.submitted,
			duplicates: job.duplicatesRemoved,
			notSubmitted: job.notSubmitted,
			jobs: job.jobCount,
		});
		expect(estimate.creditsNeeded).toBe((job.emailCount as number) * price);
	});

	it('a list with no valid address is still one item (nothing to create, nothing needed)', async () => {
		const result = await runNode(simulators, provider, ESTIMATE, {
			inputItems: emailItems(['', 'nope']),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			values: 2,
			addresses: 0,
			invalid: 2,
			jobs: 0,
			creditsNeeded: 0,
		});
	});

	it('no item has the Email Field: the same NodeOperationError as Create, before any request', async () => {
		const result = await runNode(
			simulators,
			provider,
			{ ...ESTIMATE, emailField: 'mail' },
			{ inputItems: emailItems(['good.a@example.com']) },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('No input item has a field "mail"');
		expect(simulators[provider].requests).toHaveLength(0);
	});
});

describe.each(PROVIDER_NAMES.filter(hasBalance))('%s: the balance', (provider) => {
	it('short: enoughCredits false and a negative creditsAfter, for an IF before Create', async () => {
		simulators[provider].setCredits(2);
		const result = await runNode(simulators, provider, ESTIMATE, {
			inputItems: emailItems(['good.a@example.com', 'good.b@example.com', 'good.c@example.com']),
		});
		expect(result.items[0].json).toMatchObject({
			creditsNeeded: 3,
			creditsAvailable: 2,
			creditsAfter: -1,
			enoughCredits: false,
		});
	});

	it('with Include Balance off: no request at all, the balance fields null', async () => {
		const result = await runNode(
			simulators,
			provider,
			{ ...ESTIMATE, includeBalance: false },
			{ inputItems: emailItems(['good.a@example.com']) },
		);
		expect(result.items[0].json).toMatchObject({
			addresses: 1,
			creditsNeeded: 1,
			creditsAvailable: null,
			creditsAfter: null,
			enoughCredits: null,
		});
		expect(simulators[provider].requests).toHaveLength(0);
	});

	it('a failed balance call is a NodeApiError; with On Error → Continue one error item paired with every item', async () => {
		const options = {
			inputItems: emailItems(['good.a@example.com', 'good.b@example.com']),
			apiKeys: { [provider]: 'wrong-key-0123456789abcdef' },
		};
		const failed = await runNode(simulators, provider, ESTIMATE, options);
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error?.message).toMatch(/rejected the API key \(HTTP 401\)/);
		expect(failed.error?.description).toMatch(
			/Nothing was spent\. To count the list without the balance, turn off Include Balance\.$/,
		);
		const continued = await runNode(simulators, provider, ESTIMATE, {
			...options,
			continueOnFail: true,
		});
		expect(continued.items).toHaveLength(1);
		expect(String(continued.items[0].json.error)).toMatch(/rejected the API key/);
		expect(pairedIndexes(continued.items[0])).toEqual([0, 1]);
	});
});

describe('a list over the per-job limit', () => {
	it('WhoisXML: 50,001 addresses make 2 jobs and need 50,001 credits', async () => {
		simulators.whoisxml.setCredits(50_000);
		const emails = Array.from({ length: 50_001 }, (_, index) => `good.n${index}@example.com`);
		const result = await runNode(simulators, 'whoisxml', ESTIMATE, {
			inputItems: emailItems(emails),
		});
		expect(result.items[0].json).toMatchObject({
			addresses: 50_001,
			jobs: 2,
			creditsNeeded: 50_001,
			creditsAvailable: 50_000,
			creditsAfter: -1,
			enoughCredits: false,
		});
		expect(pairedIndexes(result.items[0])).toHaveLength(50_001);
		expect(routesOf('whoisxml')).toEqual(['credits']);
	});
});
