/**
 * Every injected fault × every provider's status call, through a real n8n-core ExecuteContext:
 * each ends in a bounded-retry recovery or a clear NodeApiError, never a TypeError, and the API key
 * appears nowhere in what the user sees, even when the provider echoes it back.
 */
import { NodeApiError } from 'n8n-workflow';

import type { ProviderName } from '../../../simulators';
import type { AllSimulators, FaultSpec, Simulator } from '../../../simulators';
import type { KeyPlacement } from '../../../support/profiles';
import { profileOf } from '../../../support/profiles';
import {
	everythingIn,
	FAST_RETRIES,
	PROVIDER_NAMES,
	providerOn,
	startManualSimulators,
} from '../../../support/providers';

type Expectation =
	/** `calls` is left out where the faulty call is logged only after the client has given up on it. */
	| { outcome: 'recovers'; calls?: number }
	| { outcome: 'fails'; message: RegExp; calls: number }
	| { outcome: 'unknownState' };

interface FaultCase {
	title: string;
	fault: Omit<FaultSpec, 'route'>;
	expect: Expectation;
}

const ATTEMPTS = FAST_RETRIES.retry!.maxAttempts;

const CASES: FaultCase[] = [
	{
		title: '429 with Retry-After',
		fault: { fault: '429', retryAfter: 1 },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: '429 without Retry-After',
		fault: { fault: '429' },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: '429 that never ends',
		fault: { fault: '429', times: Infinity },
		expect: {
			outcome: 'fails',
			message: /is rate-limiting requests after 3 attempts/,
			calls: ATTEMPTS,
		},
	},
	{ title: '500 once', fault: { fault: '500' }, expect: { outcome: 'recovers', calls: 2 } },
	{
		title: '500 that never ends',
		fault: { fault: '500', times: Infinity },
		expect: {
			outcome: 'fails',
			message: /failed to get the status of .* \(HTTP 500\) after 3 attempts/,
			calls: ATTEMPTS,
		},
	},
	{ title: '503 once', fault: { fault: '503' }, expect: { outcome: 'recovers', calls: 2 } },
	{
		title: '503 that never ends',
		fault: { fault: '503', times: Infinity },
		expect: { outcome: 'fails', message: /\(HTTP 503\) after 3 attempts/, calls: ATTEMPTS },
	},
	{
		title: 'connection reset once',
		fault: { fault: 'reset' },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: 'connection reset every time',
		fault: { fault: 'reset', times: Infinity },
		expect: { outcome: 'fails', message: /^Could not reach .* after 3 attempts$/, calls: ATTEMPTS },
	},
	{
		title: 'slow answer past the timeout',
		fault: { fault: 'slow', delayMs: 1_500 },
		expect: { outcome: 'recovers' },
	},
	{
		title: 'truncated body once',
		fault: { fault: 'truncated' },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: 'truncated body every time',
		fault: { fault: 'truncated', times: Infinity },
		expect: {
			outcome: 'fails',
			message: /sent a response that could not be read .* after 3 attempts/,
			calls: ATTEMPTS,
		},
	},
	{
		title: 'HTML error page once',
		fault: { fault: 'html' },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: 'HTML error page every time',
		fault: { fault: 'html', times: Infinity },
		expect: { outcome: 'fails', message: /\(HTTP 502\) after 3 attempts/, calls: ATTEMPTS },
	},
	{
		title: 'unknown status value',
		fault: { fault: 'unknownStatus' },
		expect: { outcome: 'unknownState' },
	},
	{
		title: 'missing field once',
		fault: { fault: 'missingField' },
		expect: { outcome: 'recovers', calls: 2 },
	},
	{
		title: 'missing field every time',
		fault: { fault: 'missingField', times: Infinity },
		expect: {
			outcome: 'fails',
			message: /sent a response that could not be read/,
			calls: ATTEMPTS,
		},
	},
];

/** The faults whose answer echoes the request: 500 and 503 its URL and body, the HTML page its URL only. */
const ECHOED_BY_KEY_PLACEMENT: Record<KeyPlacement, Array<FaultSpec['fault']>> = {
	query: ['500', '503', 'html'],
	body: ['500', '503'],
	header: [],
};

/**
 * Per provider, from its test profile: where the status call carries the key (so a fault that echoes
 * the request echoes the key), the field whose removal breaks the status body (Check365's status field
 * is optional, so `data`), and the state an unknown status token gives (docs/provider-apis.md §6.1:
 * Check365's at 100 % progress counts as completed; every other provider says "unknown").
 */
const KEY_ECHOED_BY: Record<ProviderName, Array<FaultSpec['fault']>> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, ECHOED_BY_KEY_PLACEMENT[profileOf(name).keyIn('status')]]),
);
const MISSING_FIELD: Partial<Record<ProviderName, string>> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).statusMissingField]),
);
const UNKNOWN_TOKEN_STATE: Record<ProviderName, string> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).unknownStatusState]),
);

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

afterEach(() => {
	for (const name of PROVIDER_NAMES) simulators[name].clearFaults();
});

describe.each(PROVIDER_NAMES)('%s status call', (name) => {
	it.each(CASES.map((testCase) => [testCase.title, testCase] as const))(
		'%s',
		async (_title, testCase) => {
			const simulator: Simulator = simulators[name];
			const job = simulator.seedJob(['good.a@example.com', 'bad.b@example.com']);
			const provider = await providerOn(simulators, name, {
				transport: { ...FAST_RETRIES, timeoutMs: 500 },
			});
			simulator.clearLog();
			const field = testCase.fault.fault === 'missingField' ? MISSING_FIELD[name] : undefined;
			const injected = simulator.inject({
				route: 'status',
				...testCase.fault,
				...(field ? { field } : {}),
			});

			let error: unknown;
			let jobs;
			try {
				jobs = await provider.getStatus([job.id]);
			} catch (caught) {
				error = caught;
			}
			const statusCalls = simulator.requests.filter((request) => request.route === 'status');
			const expectation = testCase.expect;

			if (expectation.outcome === 'fails') {
				expect(error).toBeInstanceOf(NodeApiError);
				expect((error as Error).message).toMatch(expectation.message);
				expect((error as NodeApiError).description).toEqual(expect.any(String));
				expect(statusCalls).toHaveLength(expectation.calls);
			} else {
				expect(error).toBeUndefined();
				if (expectation.outcome === 'recovers') {
					expect(jobs?.[0]).toMatchObject({ jobId: job.id, state: 'completed' });
					expect(injected.hits).toBe(1);
					if (expectation.calls !== undefined) expect(statusCalls).toHaveLength(expectation.calls);
				} else {
					expect(injected.hits).toBe(1);
					expect(jobs?.[0]).toMatchObject({ jobId: job.id, state: UNKNOWN_TOKEN_STATE[name] });
					expect(jobs?.[0].rawStatus).not.toBe('completed');
				}
			}

			if (KEY_ECHOED_BY[name].includes(testCase.fault.fault)) {
				// The fault really did send the key back, so the check below means something.
				expect(statusCalls.some((request) => request.responseText.includes(simulator.apiKey))).toBe(
					true,
				);
			}
			expect(everythingIn({ error, jobs })).not.toContain(simulator.apiKey);
		},
	);
});
