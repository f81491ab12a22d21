/**
 * Account → Get Credits through a real n8n-core execution against the simulators: the balance is the
 * account's, so it is asked for once per execution, whatever the number of input items.
 */
import { NodeApiError } from 'n8n-workflow';

import { PROVIDERS } from '../../../../nodes/shared/providers';
import type { AllSimulators, Simulator, SimulatorOptions } from '../../../simulators';
import { asAll, emailItems, pairedIndexes, requestsTo, runNode } from '../../../support/node-runs';
import { profileOf } from '../../../support/profiles';
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

/**
 * WhoisXML's balance comes from the Account Balance API of its user service (docs/provider-apis.md
 * §7), which lists every product of the account; that Email Verification is product 7 is INFERRED.
 * Each doubt is a clear error, never another product's balance.
 */
describe('WhoisXML: the balance from the user service, and its inferred parts', () => {
	async function runWith(options: SimulatorOptions, prepare?: (simulator: Simulator) => void) {
		const simulator = await profileOf('whoisxml').startSimulator({ clock: 'manual', ...options });
		try {
			prepare?.(simulator);
			const result = await runNode(asAll(simulator), 'whoisxml', GET_CREDITS, {
				inputItems: TWELVE_LEADS,
			});
			return { result, requests: [...simulator.requests], apiKey: simulator.apiKey };
		} finally {
			await simulator.close();
		}
	}

	it('several products: the Email Verification credits (product 7), from the Base URL the credential steers', async () => {
		const { result, requests, apiKey } = await runWith({ credits: 4321 });
		expect(result.items.map((item) => item.json)).toEqual([
			{ provider: 'whoisxml', creditsRemaining: 4321 },
		]);
		expect(requests.map((request) => [request.route, request.method, request.path])).toEqual([
			['credits', 'GET', '/user-service/account-balance'],
		]);
		// The whole list is asked for (no productId), so a missing product can be named; the key is in the query.
		expect(requests[0].query).toEqual({ apiKey, outputFormat: 'JSON' });
	});

	it.each([
		[
			'no product 7',
			[
				{ id: 1, name: 'WHOIS API', credits: 500 },
				{ id: 14, name: 'Domain Research Suite', credits: 100 },
			],
			"WhoisXML API's account balance lists no Email Verification credits (product 7)",
			'It lists: WHOIS API (id 1), Domain Research Suite (id 14).',
		],
		[
			'no products at all',
			[],
			"WhoisXML API's account balance lists no Email Verification credits (product 7)",
			'It lists no products at all.',
		],
		[
			'a product 7 named as another product',
			[{ id: 7, name: 'IP Geolocation API', credits: 300 }],
			`WhoisXML API's account balance names product 7 "IP Geolocation API", not Email Verification`,
			'It lists: IP Geolocation API (id 7).',
		],
		[
			'a balance that is not a number',
			[{ id: 7, name: 'Email Verification API', credits: 'unlimited' }],
			`WhoisXML API's account balance reports the Email Verification credits as "unlimited", not as a number`,
			'It lists: Email Verification API (id 7).',
		],
		[
			'product 7 twice with different balances',
			[
				{ id: 7, name: 'Email Verification API', credits: 10 },
				{ id: 7, name: 'Email Verification API', credits: 20 },
			],
			"WhoisXML API's account balance lists product 7 2 times with different credits (10, 20)",
			'It lists: Email Verification API (id 7), Email Verification API (id 7).',
		],
	])(
		'%s: a NodeApiError saying so, not retried, no number',
		async (_title, products, message, listed) => {
			const { result, requests } = await runWith({ balanceProducts: products });
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toBe(message);
			expect(result.error?.description).toMatch(
				new RegExp(
					`^${listed.replace(/[.()]/g, '\\$&')} This node takes the Email Verification credits from product 7`,
				),
			);
			expect(result.error?.description).toContain('My products');
			expect(result.items).toEqual([]);
			expect(requests.map((request) => request.route)).toEqual(['credits']);
		},
	);

	it('an answer of another shape: retried as a read, then "could not be read", no number', async () => {
		const { result, requests } = await runWith({}, (simulator) =>
			simulator.inject({ route: 'credits', fault: 'missingField', times: Infinity }),
		);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toBe(
			'WhoisXML API sent a response that could not be read while trying to read the account balance after 4 attempts',
		);
		expect(result.error?.description).toContain('the field "data" is required');
		expect(requests).toHaveLength(4);
	});

	it('a 403 from the user service is a refused key, not an unknown job', async () => {
		const { result } = await runWith({}, (simulator) =>
			simulator.inject({ route: 'credits', fault: 'echo', status: 403 }),
		);
		expect(result.error?.message).toMatch(
			/^WhoisXML API rejected the API key \(HTTP 403\) while trying to read the account balance/,
		);
	});
});
