/**
 * "Wait for Completion" inside one node run: the node itself polls, so these tests use real-clock
 * simulators with short jobs and a 1 s poll interval (and a manual clock, where jobs never move, for
 * waits that must run out).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AllSimulators } from '../../../simulators';
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
} from '../../../support/node-runs';
import { PROVIDER_NAMES, startManualSimulators, startSimulators } from '../../../support/providers';

const FAST_POLL = { maxWaitMinutes: 1, pollIntervalSeconds: 1 };
/** 3 s: two or three polls one second apart, then the budget is spent. */
const SHORT_WAIT = { maxWaitMinutes: 0.05, pollIntervalSeconds: 1 };

let live: AllSimulators;
let frozen: AllSimulators;

beforeAll(async () => {
	live = await startSimulators({ jobDurationMs: 200, perEmailMs: 1, rateLimitPerMinute: Infinity });
	frozen = await startManualSimulators();
});

afterAll(async () => {
	await live.close();
	await frozen.close();
});

describe.each(PROVIDER_NAMES)('%s', (provider) => {
	it('Create with Wait for Completion: the results come out of the same node, each paired with its items', async () => {
		const inputs = [...FOUR_CLASSES, ' GOOD.ANA@example.com ', 'not-an-address'];
		const started = Date.now();
		const result = await runNode(
			live,
			provider,
			{
				resource: 'job',
				operation: 'create',
				...startNow(provider),
				waitForCompletion: true,
				waitOptions: FAST_POLL,
			},
			{ inputItems: emailItems(inputs) },
		);
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(verdictsOf(result.items)).toEqual({
			...expectedVerdicts(provider),
			'not-an-address': 'undeliverable',
		});
		const jobId = result.items[0].json.jobId as string;
		expect(live[provider].jobs.has(jobId)).toBe(true);
		for (const item of result.items.slice(0, 4))
			expect(item.json).toMatchObject({ provider, jobId });
		// The duplicated address is paired with both items; the rejected value with its own.
		expect(result.items.map(pairedIndexes)).toEqual([[0, 4], [1], [2], [3], [5]]);
		expect(result.items[4].json).toMatchObject({ providerStatus: 'not_submitted', jobId: '' });
		expect(requestsTo(live[provider], 'status').length).toBeGreaterThanOrEqual(1);
	});

	it('Get Status with Wait for Completion on a running job returns its results', async () => {
		const job = live[provider].seedJob(FOUR_CLASSES, { state: 'queued' });
		const result = await runNode(live, provider, {
			resource: 'job',
			operation: 'getStatus',
			jobIds: job.id,
			waitForCompletion: true,
			waitOptions: FAST_POLL,
			resultOptions: { verdicts: ['deliverable'] },
		});
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.email, item.json.verdict, item.json.jobId]),
		).toEqual([['good.ana@example.com', 'deliverable', job.id]]);
		expectEveryItemPaired(result.items, 1);
	});
});

describe('a wait that runs out returns the job status flagged waitTimedOut', () => {
	it('Create (WhoisXML): one status item per job, paired with all input items', async () => {
		const started = Date.now();
		const result = await runNode(
			frozen,
			'whoisxml',
			{ resource: 'job', operation: 'create', waitForCompletion: true, waitOptions: SHORT_WAIT },
			{ inputItems: emailItems(['good.t1@example.com', 'good.t2@example.com']) },
		);
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			provider: 'whoisxml',
			waitTimedOut: true,
			state: 'queued',
			isTerminal: false,
			resultsAvailable: false,
		});
		expect(frozen.whoisxml.jobs.has(result.items[0].json.jobId as string)).toBe(true);
		expect(result.items[0].json.raw).toBeUndefined();
		expect(pairedIndexes(result.items[0])).toEqual([0, 1]);
		expect(elapsed).toBeGreaterThanOrEqual(1_900);
		expect(elapsed).toBeLessThan(10_000);
		expect(requestsTo(frozen.whoisxml, 'download')).toHaveLength(0);
	});

	it('Get Status (SimpleCold, two ids): each job flagged, paired with its item', async () => {
		const first = frozen.simplecold.seedJob(['good.a@example.com'], { state: 'processing' });
		const second = frozen.simplecold.seedJob(['good.b@example.com'], { state: 'queued' });
		const result = await runNode(frozen, 'simplecold', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: `${first.id}\n${second.id}`,
			waitForCompletion: true,
			waitOptions: SHORT_WAIT,
		});
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.jobId, item.json.state, item.json.waitTimedOut]),
		).toEqual([
			[first.id, 'processing', true],
			[second.id, 'queued', true],
		]);
		expect(result.items.map(pairedIndexes)).toEqual([[0], [0]]);
	});
});

describe('Bouncify: Wait for Completion without Start Now', () => {
	it('is a clear NodeOperationError before any request', async () => {
		frozen.bouncify.clearLog();
		const result = await runNode(
			frozen,
			'bouncify',
			{
				resource: 'job',
				operation: 'create',
				startNow: false,
				waitForCompletion: true,
				waitOptions: FAST_POLL,
			},
			{ inputItems: emailItems(['good.a@example.com']) },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('Wait for Completion needs Start Now');
		expect(result.error?.description).toMatch(
			/Turn on Start Now.*or turn off Wait for Completion and use the Start operation/,
		);
		expect(result.error?.context.itemIndex).toBeUndefined();
		expect(frozen.bouncify.requests).toHaveLength(0);
	});

	it('a list that Bouncify left waiting (no credits for auto_verify) ends in a NodeApiError saying to start it', async () => {
		live.bouncify.setCredits(0);
		live.bouncify.clearLog();
		try {
			const result = await runNode(
				live,
				'bouncify',
				{
					resource: 'job',
					operation: 'create',
					startNow: true,
					// Without the credit guard, which would refuse the list before the upload.
					checkCredits: false,
					waitForCompletion: true,
					waitOptions: FAST_POLL,
				},
				{ inputItems: emailItems(['good.a@example.com']) },
			);
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toMatch(
				/^Bouncify job \w+ has not finished yet \(status ready\)$/,
			);
			expect(result.error?.description).toMatch(/waits to be started: run the Start operation/);
			expect(result.items).toEqual([]);
			expect(requestsTo(live.bouncify, 'download')).toHaveLength(0);
			expect(requestsTo(live.bouncify, 'credits')).toHaveLength(0);
		} finally {
			live.bouncify.setCredits(1_000_000);
		}
	});
});

describe('pairing of values set aside before upload, in a waited Create', () => {
	it('each empty value is paired with the item it came from', async () => {
		const result = await runNode(
			live,
			'whoisxml',
			{ resource: 'job', operation: 'create', waitForCompletion: true, waitOptions: FAST_POLL },
			{ inputItems: emailItems(['', 'good.p@example.com', '']) },
		);
		expect(result.error).toBeUndefined();
		const rejected = result.items.filter((item) => item.json.providerStatus === 'not_submitted');
		expect(rejected).toHaveLength(2);
		expect(rejected.map(pairedIndexes)).toEqual([[0], [2]]);
	});
});

describe('a status check still rate-limited after its retries', () => {
	// Four 429s (Retry-After: 1) spend one status call's four attempts.
	const spentRetries = { route: 'status', fault: '429', retryAfter: 1, times: 4 } as const;

	it('is a missed poll while the wait has time left: the next poll finds the job done', async () => {
		const job = live.check365.seedJob(FOUR_CLASSES, { state: 'queued' });
		live.check365.clearLog();
		live.check365.inject(spentRetries);
		const result = await runNode(live, 'check365', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: job.id,
			waitForCompletion: true,
			waitOptions: FAST_POLL,
		});
		expect(result.error).toBeUndefined();
		expect(verdictsOf(result.items)).toEqual(expectedVerdicts('check365'));
		// Four refused attempts, then the next poll (Check365's results come from the status route too).
		const statuses = requestsTo(live.check365, 'status').map((request) => request.status);
		expect(statuses.slice(0, 4)).toEqual([429, 429, 429, 429]);
		expect(statuses.slice(4).length).toBeGreaterThanOrEqual(1);
		expect(statuses.slice(4).every((status) => status === 200)).toBe(true);
	});

	it('fails with the clear rate-limit error once the wait has no time left', async () => {
		const job = frozen.whoisxml.seedJob(['good.r@example.com'], { state: 'queued' });
		frozen.whoisxml.clearLog();
		frozen.whoisxml.inject({ ...spentRetries, times: Infinity });
		try {
			const result = await runNode(frozen, 'whoisxml', {
				resource: 'job',
				operation: 'getStatus',
				jobIds: String(job.id),
				waitForCompletion: true,
				waitOptions: SHORT_WAIT,
			});
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toMatch(
				/^WhoisXML API is rate-limiting requests after 4 attempts/,
			);
			// The first call's retries outlast the 3 s wait: no second status call is started.
			expect(requestsTo(frozen.whoisxml, 'status')).toHaveLength(4);
		} finally {
			frozen.whoisxml.clearFaults();
		}
	});
});
