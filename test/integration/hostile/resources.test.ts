/**
 * Hostile providers against n8n's resources and against exact data (real n8n-core, real HTTP):
 * huge, endless, trickling, stalled and deeply nested bodies are refused within bounds with a clear
 * error, and a number-looking job id never passes through a float.
 */
import { NodeApiError } from 'n8n-workflow';

import { BODY_LIMITS } from '../../../nodes/shared/http/options';
import type { AllSimulators } from '../../simulators';
import { FOUR_CLASSES, requestsTo, runNode } from '../../support/node-runs';
import { hostileFigures } from '../../support/hostile';
import { profileOf } from '../../support/profiles';
import { FAST_RETRIES, PROVIDER_NAMES, providerOn, startSimulators } from '../../support/providers';

const STALL_MS = 400;
const TIMEOUT_MS = 1_500;
const TRANSPORT = { ...FAST_RETRIES, stallMs: STALL_MS, timeoutMs: TIMEOUT_MS };

let simulators: AllSimulators;
const figures = hostileFigures('resources');

beforeAll(async () => {
	simulators = await startSimulators({ clock: 'manual', rateLimitPerMinute: Infinity });
});

afterAll(async () => {
	figures.print();
	await simulators.close();
});

afterEach(() => {
	for (const name of PROVIDER_NAMES) {
		simulators[name].clearFaults();
		simulators[name].clearLog();
	}
});

/** Runs a status call and returns the error and how long it took to give up. */
async function statusFailure(
	provider: (typeof PROVIDER_NAMES)[number],
	timeoutMs = TIMEOUT_MS,
): Promise<{ error: unknown; ms: number; rssGrowthMb: number }> {
	const job = simulators[provider].seedJob(FOUR_CLASSES);
	const adapter = await providerOn(simulators, provider, {
		transport: { ...TRANSPORT, timeoutMs },
	});
	const rssBefore = process.memoryUsage().rss;
	const started = Date.now();
	let error: unknown;
	try {
		await adapter.getStatus([job.id]);
	} catch (caught) {
		error = caught;
	}
	const ms = Date.now() - started;
	figures.tried(`${simulators[provider].requests.at(-1)?.fault ?? 'no'} body`, provider, {
		longestGiveUpMs: ms,
	});
	return { error, ms, rssGrowthMb: (process.memoryUsage().rss - rssBefore) / 1024 / 1024 };
}

describe.each(PROVIDER_NAMES)('%s: bodies that attack resources', (provider) => {
	// Check365's status answer carries the results inline, so it has the results limit (its test profile says which).
	const limit = BODY_LIMITS[profileOf(provider).statusBodyLimit];
	const limitText = `${Math.round(limit / 1024 / 1024)} MB`;

	it('a body far over the route limit is refused as it arrives, once, without holding it', async () => {
		simulators[provider].inject({
			route: 'status',
			fault: 'huge',
			sizeBytes: limit + 8 * 1024 * 1024,
			times: Infinity,
		});
		const { error, rssGrowthMb } = await statusFailure(provider, 60_000);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toContain(
			`sent more than ${limitText} in answer to the request to get the status of `,
		);
		expect((error as Error).message).toMatch(/, so the answer was refused$/);
		expect(requestsTo(simulators[provider], 'status')).toHaveLength(1);
		expect(rssGrowthMb).toBeLessThan((3 * limit) / 1024 / 1024);
		figures.survived('huge body', provider);
	});

	it('an endless body is cut off at the limit', async () => {
		simulators[provider].inject({
			route: 'status',
			fault: 'endless',
			intervalMs: 0,
			times: Infinity,
		});
		const { error } = await statusFailure(provider, 60_000);
		expect((error as Error).message).toContain(`sent more than ${limitText}`);
		expect(requestsTo(simulators[provider], 'status')).toHaveLength(1);
		figures.survived('endless body', provider);
	});

	it('a stalled body fails after the stall time, saying the provider stalled', async () => {
		simulators[provider].inject({ route: 'status', fault: 'stall', times: Infinity });
		const { error, ms } = await statusFailure(provider);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(
			/stalled: it stopped sending its answer for 0 s while trying to get the status of /,
		);
		expect(ms).toBeGreaterThanOrEqual(STALL_MS);
		expect(ms).toBeLessThan(STALL_MS + 1_500);
		expect(requestsTo(simulators[provider], 'status')).toHaveLength(1);
		figures.survived('stall body', provider);
	});

	it('a trickling body that never stalls is cut off at the timeout', async () => {
		simulators[provider].inject({
			route: 'status',
			fault: 'trickle',
			intervalMs: 50,
			times: Infinity,
		});
		const { error, ms } = await statusFailure(provider);
		expect((error as Error).message).toMatch(/did not finish sending its answer in time/);
		expect(ms).toBeLessThan(TIMEOUT_MS + 1_500);
		figures.survived('trickle body', provider);
	});

	it('a raw response nested 10,000 levels deep is refused, never a RangeError', async () => {
		simulators[provider].inject({
			route: 'status',
			fault: 'nested',
			depth: 10_000,
			times: Infinity,
		});
		const job = simulators[provider].seedJob(FOUR_CLASSES);
		const result = await runNode(simulators, provider, {
			resource: 'job',
			operation: 'getStatus',
			jobIds: job.id,
			simplify: false,
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(/sent a response that could not be read/);
		expect(result.error?.description).toMatch(/nested more than 64 levels deep/);
		figures.tried('nested body', provider);
		figures.survived('nested body', provider);
	});
});

it('WhoisXML: a request id past 2^53 stays exact from Create to Get Status', async () => {
	const sim = simulators.whoisxml;
	sim.inject({ route: 'create', fault: 'bigId' });
	const created = await runNode(
		simulators,
		'whoisxml',
		{ resource: 'job', operation: 'create' },
		{ inputItems: FOUR_CLASSES.map((email) => ({ json: { email } })) },
	);
	expect(created.error).toBeUndefined();
	const jobId = created.items[0].json.jobId as string;
	expect(jobId).toMatch(/^\d{17,}$/);
	expect(BigInt(jobId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
	sim.clearLog();
	const status = await runNode(simulators, 'whoisxml', {
		resource: 'job',
		operation: 'getStatus',
		jobIds: jobId,
	});
	// The status call carries the exact digits (a float would have rounded them to another id).
	expect(requestsTo(sim, 'status')[0].bodyText).toContain(jobId);
	expect(status.items[0]?.json.jobId ?? status.error?.message).toContain(jobId);
});
