/**
 * Account → Get Credits through a real n8n-core execution against the simulators: the balance is the
 * account's, so it is asked for once per execution, whatever the number of input items.
 */
import { PROVIDERS } from '../../../../nodes/shared/providers';
import type { AllSimulators } from '../../../simulators';
import { emailItems, pairedIndexes, requestsTo, runNode } from '../../../support/node-runs';
import { PROVIDER_NAMES, startManualSimulators } from '../../../support/providers';

const WITH_CREDITS = PROVIDER_NAMES.filter((name) => PROVIDERS[name].info.capabilities.credits);
const GET_CREDITS = { resource: 'account', operation: 'getCredits' };
const TWELVE_LEADS = emailItems(
	Array.from({ length: 12 }, (_, index) => `lead${index}@example.com`),
);

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

it('has providers with a balance endpoint', () => {
	expect(WITH_CREDITS.length).toBeGreaterThan(0);
});

describe.each(WITH_CREDITS)('%s', (provider) => {
	it('12 input items: one call, one item paired with all twelve', async () => {
		simulators[provider].setCredits(4321);
		const result = await runNode(simulators, provider, GET_CREDITS, { inputItems: TWELVE_LEADS });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ provider, creditsRemaining: 4321 }]);
		expect(pairedIndexes(result.items[0])).toEqual([...TWELVE_LEADS.keys()]);
		expect(requestsTo(simulators[provider], 'credits')).toHaveLength(1);
	});

	it('a wrong key with On Error → Continue: one error item paired with every input item', async () => {
		const result = await runNode(simulators, provider, GET_CREDITS, {
			inputItems: TWELVE_LEADS,
			continueOnFail: true,
			apiKeys: { [provider]: 'wrong-key' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(String(result.items[0].json.error)).toContain('rejected the API key');
		expect(pairedIndexes(result.items[0])).toEqual([...TWELVE_LEADS.keys()]);
		expect(requestsTo(simulators[provider], 'credits')).toHaveLength(1);
	});
});
