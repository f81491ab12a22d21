/**
 * A WhoisXML request whose every address could not be processed (docs/provider-apis.md §4.4: no failed
 * request state exists, failures are per address). It ends like any other, with `ready: 1`, no
 * completed rows and every row in /request/failed: Get Status, Wait for Completion and the trigger
 * must all see it as finished. Real n8n-core contexts, real HTTP to the simulator.
 */
import { BulkVerifyJobTrigger } from '../../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node';
import { createPollHarness } from '../../../harness';
import type { AllSimulators } from '../../../simulators';
import { emailItems, requestsTo, runNode } from '../../../support/node-runs';
import {
	credentialsFor,
	providerOn,
	startManualSimulators,
	startSimulators,
} from '../../../support/providers';

/** The simulator's "could not be processed" class: counted in failed_emails, rows only in /request/failed. */
const ALL_FAILING = ['fail.one@example.com', 'fail.two@example.com', 'fail.three@example.com'];
const FAST_POLL = { maxWaitMinutes: 1, pollIntervalSeconds: 1 };

let frozen: AllSimulators;
let live: AllSimulators;

beforeAll(async () => {
	frozen = await startManualSimulators();
	live = await startSimulators({ jobDurationMs: 200, perEmailMs: 1, rateLimitPerMinute: Infinity });
});

afterAll(async () => {
	await frozen.close();
	await live.close();
});

describe('a WhoisXML request with only failed rows', () => {
	it('Get Status: completed, terminal, results available, every address counted as failed', async () => {
		const job = frozen.whoisxml.seedJob(ALL_FAILING);
		const provider = await providerOn(frozen, 'whoisxml');
		const [status] = await provider.getStatus([job.id]);
		expect(status).toMatchObject({
			jobId: job.id,
			state: 'completed',
			isTerminal: true,
			resultsAvailable: true,
			total: 3,
			processed: 3,
			pending: 0,
			progressPercent: 100,
			counts: { invalid: 0, failed: 3 },
		});
		expect(status.raw).toMatchObject({ ready: 1, processed_emails: 0, failed_emails: 3 });
		await expect(provider.getResults(job.id)).resolves.toEqual([]);
		const failed = await provider.getResults(job.id, { includeFailed: true });
		expect(failed.map((row) => [row.email, row.verdict, row.reason])).toEqual(
			ALL_FAILING.map((email) => [email, 'unknown', 'processing_failed']),
		);
	});

	it('Get Status with Wait for Completion ends the wait and returns the failed rows', async () => {
		const job = live.whoisxml.seedJob(ALL_FAILING, { state: 'queued' });
		const started = Date.now();
		const result = await runNode(live, 'whoisxml', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: job.id,
			waitForCompletion: true,
			waitOptions: FAST_POLL,
			resultOptions: { includeFailedRows: true },
		});
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result.items.map((item) => [item.json.email, item.json.verdict])).toEqual(
			ALL_FAILING.map((email) => [email, 'unknown']),
		);
		expect(result.items.some((item) => item.json.waitTimedOut === true)).toBe(false);
	});

	it('Create with Wait for Completion: one row per address, none missing', async () => {
		const result = await runNode(
			live,
			'whoisxml',
			{ resource: 'job', operation: 'create', waitForCompletion: true, waitOptions: FAST_POLL },
			{ inputItems: emailItems(ALL_FAILING) },
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.email, item.json.reason, item.json.providerStatus]),
		).toEqual(ALL_FAILING.map((email) => [email, 'processing_failed', 'failed']));
		expect(requestsTo(live.whoisxml, 'downloadFailed').length).toBeGreaterThanOrEqual(1);
	});

	it.each(['job', 'resultItems', 'resultFile'])(
		'the trigger (Output %s) fires once for it',
		async (include) => {
			const sim = frozen.whoisxml;
			const job = sim.seedJob(ALL_FAILING, { state: 'processing' });
			const poller = createPollHarness(new BulkVerifyJobTrigger(), {
				parameters: { provider: 'whoisxml', jobIds: job.id, include },
				credentials: credentialsFor(frozen),
			});
			await expect(poller.poll()).resolves.toBeNull();
			sim.finishJob(job.id);
			const fired = await poller.poll();
			// Failed rows are left out by default: the ending still fires, as the job's status item.
			expect(fired?.[0]).toHaveLength(1);
			expect(fired?.[0][0].json).toMatchObject({
				jobId: job.id,
				event: 'completed',
				state: 'completed',
				counts: { failed: 3 },
			});
			await expect(poller.poll()).resolves.toBeNull();
		},
	);

	it('the trigger with Include Failed Rows gives the failed rows as its items', async () => {
		const sim = frozen.whoisxml;
		const job = sim.seedJob(ALL_FAILING, { state: 'processing' });
		const poller = createPollHarness(new BulkVerifyJobTrigger(), {
			parameters: {
				provider: 'whoisxml',
				jobIds: job.id,
				include: 'resultItems',
				options: { includeFailedRows: true },
			},
			credentials: credentialsFor(frozen),
		});
		await poller.poll();
		sim.finishJob(job.id);
		const fired = await poller.poll();
		expect(
			(fired?.[0] ?? []).map((item) => [
				item.json.email,
				(item.json.job as { jobId: string }).jobId,
			]),
		).toEqual(ALL_FAILING.map((email) => [email, job.id]));
	});
});
