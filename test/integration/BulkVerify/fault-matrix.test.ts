/**
 * Every injected fault × every provider route the node's operations use, through the whole Bulk
 * Verify node (real n8n-core, real HTTP, the node's own default retry policy: 4 attempts, 1 s base
 * backoff). Each run ends in a success or a NodeApiError with a clear message, never another class,
 * and the simulator's API key appears nowhere the user could see it.
 *
 * Coverage: all 20 routes (Bouncify create, status, download, start, delete, single, credits; Check365
 * create, status; SimpleCold create, status, download, single; WhoisXML create, status, download,
 * downloadFailed, list, single, credits) × all 10 faults, except where a fault has nothing to act on:
 * `unknownStatus` only on routes whose body has a status or verdict token (the status routes, list,
 * SimpleCold create, and the single routes' verdict field), `missingField` not on Bouncify's CSV
 * download.
 *
 * Runtime: a recovering fault costs the node one real backoff (0.5–1 s; SimpleCold's 429 without
 * Retry-After 3–6 s). So the ~180 runs, each against its own simulator, all start in `beforeAll`
 * (a pool of concurrent executions) and each test asserts one run's outcome.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PROVIDERS } from '../../../nodes/shared/providers';
import type { ProviderName } from '../../simulators';
import type { NodeRunResult } from '../../harness';
import type { FaultKind, FaultSpec, Simulator } from '../../simulators';
import {
	asAll,
	emailItems,
	expectedVerdicts,
	FOUR_CLASSES,
	requestsTo,
	runNode,
	startNow,
	verdictsOf,
} from '../../support/node-runs';
import type { NodeFaultRoute } from '../../support/profiles';
import { profileOf } from '../../support/profiles';
import { everythingIn, PROVIDER_NAMES } from '../../support/providers';

/** How the node exercises one route: what to seed, which operation to run, what success looks like. */
interface RouteScenario {
	provider: ProviderName;
	route: string;
	/** Calls that may spend credits or create something: not resent after 5xx, reset or unreadable body. */
	write: boolean;
	/** The field `unknownStatus` changes; null when the route's body has no status or verdict token. */
	unknownStatusField?: string | null;
	/**
	 * Whether the field `missingField` deletes breaks the body (write: fails; read: retried), is optional
	 * to the node (it succeeds at once), or does not exist (a CSV body).
	 */
	missingField: 'needed' | 'ignored' | 'notApplicable';
	/** The field `missingField` deletes, when not the simulator's default for the route. */
	missingFieldPath?: string;
	/** The operation runs once for the whole input, so its errors name no item (n8n would say "[item 0]"). */
	wholeList?: true;
	prepare(simulator: Simulator): {
		parameters: INodeParameters;
		inputItems?: INodeExecutionData[];
		check(result: NodeRunResult, fault: FaultKind): void;
	};
}

const CREATE_CHECK =
	(simulator: Simulator) =>
	(result: NodeRunResult): void => {
		const jobId = result.items[0].json.jobId as string;
		expect(simulator.jobs.get(jobId)?.emails).toEqual(FOUR_CLASSES);
		expect(simulator.jobs.size).toBe(1);
	};

/** What the node does on one kind of route: whether the call is a write, and the run that makes it. */
type Exercise = Pick<RouteScenario, 'write' | 'wholeList' | 'prepare'>;

const EXERCISES: Record<NodeFaultRoute['scenario'], (provider: ProviderName) => Exercise> = {
	create: (provider) => ({
		write: true,
		wholeList: true,
		prepare: (simulator) => ({
			parameters: { resource: 'job', operation: 'create', ...startNow(provider) },
			inputItems: emailItems(FOUR_CLASSES),
			check: CREATE_CHECK(simulator),
		}),
	}),
	status: (provider) => ({
		write: false,
		prepare: (simulator) => {
			const job = simulator.seedJob(FOUR_CLASSES);
			return {
				parameters: { resource: 'job', operation: 'getStatus', jobIds: job.id },
				check: (result, fault) => {
					// docs/provider-apis.md §6.1: Check365's unknown token at 100 % progress counts as completed.
					const state =
						fault === 'unknownStatus' ? profileOf(provider).unknownStatusState : 'completed';
					expect(result.items.map((item) => [item.json.jobId, item.json.state])).toEqual([
						[job.id, state],
					]);
				},
			};
		},
	}),
	download: (provider) => ({
		write: false,
		prepare: (simulator) => {
			const job = simulator.seedJob(FOUR_CLASSES);
			return {
				parameters: { resource: 'job', operation: 'getResults', jobIds: job.id },
				check: (result) => expect(verdictsOf(result.items)).toEqual(expectedVerdicts(provider)),
			};
		},
	}),
	single: () => ({
		write: true,
		prepare: () => ({
			parameters: { resource: 'email', operation: 'verify', email: 'good.ana@example.com' },
			check: (result, fault) =>
				expect(result.items.map((item) => [item.json.email, item.json.verdict])).toEqual([
					// An unknown verdict token, or no SMTP check at all, is no proof of deliverability.
					[
						'good.ana@example.com',
						fault === 'unknownStatus' || fault === 'missingField' ? 'unknown' : 'deliverable',
					],
				]),
		}),
	}),
	start: () => ({
		write: true,
		prepare: (simulator) => {
			const job = simulator.seedJob(FOUR_CLASSES, { state: 'waiting' });
			return {
				parameters: { resource: 'job', operation: 'start', jobIds: job.id },
				check: (result) =>
					expect(result.items.map((item) => [item.json.jobId, item.json.state])).toEqual([
						[job.id, 'processing'],
					]),
			};
		},
	}),
	delete: () => ({
		write: true,
		prepare: (simulator) => {
			const job = simulator.seedJob(FOUR_CLASSES);
			return {
				parameters: { resource: 'job', operation: 'delete', jobIds: job.id },
				check: (result) => {
					expect(result.items.map((item) => [item.json.jobId, item.json.deleted])).toEqual([
						[job.id, true],
					]);
					expect(simulator.jobs.has(job.id)).toBe(false);
				},
			};
		},
	}),
	credits: (provider) => ({
		write: false,
		wholeList: true,
		prepare: (simulator) => ({
			parameters: { resource: 'account', operation: 'getCredits' },
			check: (result) =>
				expect(result.items.map((item) => item.json)).toEqual([
					{ provider, creditsRemaining: simulator.credits },
				]),
		}),
	}),
	downloadFailed: () => ({
		write: false,
		prepare: (simulator) => {
			const job = simulator.seedJob(['good.w@example.com', 'not-an-address', 'fail.w@example.com']);
			return {
				parameters: {
					resource: 'job',
					operation: 'getResults',
					jobIds: job.id,
					resultOptions: { includeFailedRows: true },
				},
				check: (result) =>
					expect(verdictsOf(result.items)).toEqual({
						'good.w@example.com': 'deliverable',
						'not-an-address': 'undeliverable',
						'fail.w@example.com': 'unknown',
					}),
			};
		},
	}),
	list: () => ({
		write: false,
		prepare: (simulator) => {
			const ids = [
				simulator.seedJob(['good.1@example.com']).id,
				simulator.seedJob(['good.2@example.com']).id,
			];
			return {
				parameters: { resource: 'job', operation: 'getMany', returnAll: true, sort: 'asc' },
				check: (result, fault) =>
					expect(result.items.map((item) => [item.json.jobId, item.json.state])).toEqual(
						ids.map((id) => [id, fault === 'unknownStatus' ? 'unknown' : 'completed']),
					),
			};
		},
	}),
};

/** A route of a provider's test profile, with the run that exercises it through the node. */
function scenarioFor(provider: ProviderName, route: NodeFaultRoute): RouteScenario {
	return {
		provider,
		route: route.route,
		unknownStatusField: route.unknownStatusField,
		missingField: route.missingField,
		// Check365's status token is optional (its progress decides): its profile removes the whole `data` instead.
		missingFieldPath:
			route.scenario === 'status' ? profileOf(provider).statusMissingField : undefined,
		...EXERCISES[route.scenario](provider),
	};
}

/** Every route of every registry provider, in the order of its test profile (test/support/profiles). */
const SCENARIOS: RouteScenario[] = PROVIDER_NAMES.flatMap((provider) =>
	profileOf(provider).nodeFaultRoutes.map((route) => scenarioFor(provider, route)),
);

type Expected =
	{ outcome: 'recovers' } | { outcome: 'succeeds' } | { outcome: 'fails'; message: RegExp };

/** What the node should make of `fault` on this route. */
function expectationFor(scenario: RouteScenario, fault: FaultKind): Expected | undefined {
	const provider = PROVIDERS[scenario.provider].info.displayName;
	const breaksBody: Record<string, RegExp> = {
		'500': /^.+ failed to .+ \(HTTP 500\)$/,
		'503': /^.+ failed to .+ \(HTTP 503\)$/,
		html: /^.+ failed to .+ \(HTTP 502\)$/,
		reset: new RegExp(`^Could not reach ${provider} to .+`),
		truncated: new RegExp(`^${provider} sent a response that could not be read while trying to .+`),
	};
	switch (fault) {
		case '429':
			return { outcome: 'recovers' };
		case 'slow':
			return { outcome: 'succeeds' };
		case 'unknownStatus':
			return scenario.unknownStatusField === null ? undefined : { outcome: 'succeeds' };
		case 'missingField':
			if (scenario.missingField === 'notApplicable') return undefined;
			if (scenario.missingField === 'ignored') return { outcome: 'succeeds' };
			return scenario.write
				? { outcome: 'fails', message: breaksBody.truncated }
				: { outcome: 'recovers' };
		default:
			return scenario.write
				? { outcome: 'fails', message: breaksBody[fault] }
				: { outcome: 'recovers' };
	}
}

interface FaultCase {
	title: string;
	scenario: RouteScenario;
	spec: Omit<FaultSpec, 'route'>;
	expected: Expected;
}

const FAULTS: Array<{ label: string; spec: Omit<FaultSpec, 'route'> }> = [
	{ label: '429 with Retry-After', spec: { fault: '429', retryAfter: 1 } },
	{ label: '429 without Retry-After', spec: { fault: '429' } },
	{ label: '500', spec: { fault: '500' } },
	{ label: '503', spec: { fault: '503' } },
	{ label: 'connection reset', spec: { fault: 'reset' } },
	// The node keeps n8n's 60 s timeout, so a slow answer is one it must simply wait for.
	{ label: 'slow (200 ms)', spec: { fault: 'slow', delayMs: 200 } },
	{ label: 'truncated body', spec: { fault: 'truncated' } },
	{ label: 'HTML error page', spec: { fault: 'html' } },
	{ label: 'unknown status token', spec: { fault: 'unknownStatus' } },
	{ label: 'missing field', spec: { fault: 'missingField' } },
];

const CASES: FaultCase[] = SCENARIOS.flatMap((scenario) =>
	FAULTS.flatMap(({ label, spec }) => {
		const expected = expectationFor(scenario, spec.fault);
		if (expected === undefined) return [];
		const title = `${scenario.provider} ${scenario.route} × ${label}`;
		const field =
			spec.fault === 'unknownStatus'
				? scenario.unknownStatusField
				: spec.fault === 'missingField'
					? scenario.missingFieldPath
					: undefined;
		return [
			{
				title,
				scenario,
				spec: { ...spec, ...(field ? { field } : {}) },
				expected,
			},
		];
	}),
);

interface CaseRun {
	result?: NodeRunResult;
	/** Requests to the faulted route, by status (null: reset). */
	routeStatuses: Array<number | null>;
	/** Whether some response of the run echoed the API key (so the redaction check below means something). */
	keyEchoed: boolean;
	apiKey: string;
	checkFailure?: unknown;
	crash?: unknown;
}

async function runCase(testCase: FaultCase): Promise<CaseRun> {
	const { scenario } = testCase;
	const simulator = await profileOf(scenario.provider).startSimulator({
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	try {
		const prepared = scenario.prepare(simulator);
		simulator.inject({ route: scenario.route, ...testCase.spec } as FaultSpec);
		const result = await runNode(asAll(simulator), scenario.provider, prepared.parameters, {
			inputItems: prepared.inputItems,
		});
		let checkFailure: unknown;
		if (result.error === undefined) {
			try {
				prepared.check(result, testCase.spec.fault);
			} catch (error) {
				checkFailure = error;
			}
		}
		return {
			result,
			routeStatuses: requestsTo(simulator, scenario.route).map((request) => request.status),
			keyEchoed: simulator.requests.some((request) =>
				request.responseText.includes(simulator.apiKey),
			),
			apiKey: simulator.apiKey,
			checkFailure,
		};
	} catch (crash) {
		return { routeStatuses: [], keyEchoed: false, apiKey: simulator.apiKey, crash };
	} finally {
		await simulator.close();
	}
}

async function runAll(cases: FaultCase[], concurrency: number): Promise<Map<string, CaseRun>> {
	const runs = new Map<string, CaseRun>();
	let next = 0;
	const worker = async () => {
		while (next < cases.length) {
			const testCase = cases[next++];
			runs.set(testCase.title, await runCase(testCase));
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return runs;
}

let runs: Map<string, CaseRun>;

beforeAll(async () => {
	runs = await runAll(CASES, 40);
});

/** Providers whose key travels in the URL or body (their test profile says where), so 500/503 (and HTML, for URL keys) send it back. */
function mustEcho(testCase: FaultCase): boolean {
	const { provider, route } = testCase.scenario;
	const placement = profileOf(provider).keyIn(route);
	if (placement === 'header') return false; // a Bearer header: never echoed
	if (testCase.spec.fault === '500' || testCase.spec.fault === '503') return true;
	if (testCase.spec.fault !== 'html') return false;
	const keyInQuery = placement === 'query';
	return keyInQuery;
}

it('covers every route of every provider the node uses', () => {
	expect(
		new Set(CASES.map((testCase) => `${testCase.scenario.provider}:${testCase.scenario.route}`))
			.size,
	).toBe(20);
	expect(CASES.length).toBeGreaterThanOrEqual(175);
});

describe.each(
	SCENARIOS.map((scenario) => [`${scenario.provider} ${scenario.route}`, scenario] as const),
)('%s', (_name, scenario) => {
	const cases = CASES.filter((testCase) => testCase.scenario === scenario);
	for (const testCase of cases) {
		const outcome =
			testCase.expected.outcome === 'fails' ? 'a clear NodeApiError' : testCase.expected.outcome;
		it(`${testCase.title}: ${outcome}`, () => {
			const run = runs.get(testCase.title);
			expect(run?.crash).toBeUndefined();
			const { result, routeStatuses } = run!;
			const expected = testCase.expected;
			if (expected.outcome === 'fails') {
				expect(result?.error).toBeInstanceOf(NodeApiError);
				expect(result?.error?.message).toMatch(expected.message);
				expect(result?.error?.description).toEqual(expect.stringMatching(/\w/));
				expect(result?.error?.context.itemIndex).toBe(testCase.scenario.wholeList ? undefined : 0);
				expect(result?.items).toEqual([]);
				// A write is sent once: resending might spend credits twice.
				expect(routeStatuses).toHaveLength(1);
			} else {
				expect(result?.error).toBeUndefined();
				expect(run?.checkFailure).toBeUndefined();
				expect(routeStatuses).toHaveLength(expected.outcome === 'recovers' ? 2 : 1);
				expect(routeStatuses.at(-1)).toBe(200);
			}
			if (mustEcho(testCase)) expect(run?.keyEchoed).toBe(true);
			expect(
				everythingIn({
					items: result?.items,
					error: result?.error,
					executionError: result?.executionError,
				}),
			).not.toContain(run?.apiKey);
		});
	}
});
