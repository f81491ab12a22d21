/**
 * The Bulk Verify Trigger through n8n-core's real PollContext (and its poll executor), with real HTTP
 * to the simulators. Simulator clocks are manual; the trigger's own request meter reads Date, which
 * these tests move with jest's fake Date only (timers stay real).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BulkVerifyTrigger } from '../../nodes/BulkVerifyTrigger/BulkVerifyTrigger.node';
import type { PollHarness } from '../harness';
import { createPollHarness, readBinaryData } from '../harness';
import type { AllSimulators } from '../simulators';
import { credentialsFor, everythingIn, startManualSimulators } from '../support/providers';

const MINUTE = 60_000;
let simulators: AllSimulators;
let now = Date.parse('2026-11-23T08:00:00Z');

function advanceMinutes(minutes: number): void {
	now += minutes * MINUTE;
	jest.setSystemTime(now);
	for (const simulator of Object.values(simulators).filter((value) => typeof value === 'object')) {
		(simulator as { advance(ms: number): void }).advance(minutes * MINUTE);
	}
}

beforeAll(async () => {
	jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'], now });
	// Jobs last ten hours unless a test finishes them, so moving the clocks never ends one by itself.
	simulators = await startManualSimulators({ rateLimitPerMinute: undefined, startTime: now, jobDurationMs: 10 * 60 * MINUTE });
});

afterAll(async () => {
	await simulators.close();
	jest.useRealTimers();
});

function trigger(parameters: INodeParameters, mode: 'trigger' | 'manual' = 'trigger', durableCursors = false): PollHarness {
	return createPollHarness(new BulkVerifyTrigger(), { parameters, credentials: credentialsFor(simulators), mode, durableCursors });
}

function jobIdsOf(emitted: INodeExecutionData[][] | null): string[] {
	return (emitted?.[0] ?? []).map((item) => String(item.json.jobId));
}

describe('specific jobs', () => {
	it('records a baseline, then fires exactly once for a job that completes', async () => {
		const sim = simulators.bouncify;
		const before = sim.seedJob(['good.a@example.com']);
		const running = sim.seedJob(['good.b@example.com', 'bad.c@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'bouncify', jobIds: `${before.id}, ${running.id}` });

		await expect(poller.poll()).resolves.toBeNull();
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();

		sim.finishJob(running.id);
		advanceMinutes(1);
		const fired = await poller.poll();
		expect(jobIdsOf(fired)).toEqual([running.id]);
		expect(fired?.[0][0].json).toMatchObject({ event: 'completed', state: 'completed', provider: 'bouncify', total: 2 });

		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
		const restarted = poller.restart(poller.persistedStaticData());
		advanceMinutes(1);
		await expect(restarted.poll()).resolves.toBeNull();
		expect(everythingIn(fired)).not.toContain(sim.apiKey);
	});

	it('fires for failed and cancelled jobs only when selected', async () => {
		const sim = simulators.simplecold;
		const failing = sim.seedJob(['good.f@example.com'], { state: 'processing' });
		const cancelling = sim.seedJob(['good.g@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'simplecold', jobIds: `${failing.id}\n${cancelling.id}`, events: ['failed'] });
		await poller.poll();
		sim.setJobOutcome(failing.id, 'failed');
		sim.setJobOutcome(cancelling.id, 'cancelled');
		advanceMinutes(1);
		const fired = await poller.poll();
		expect(jobIdsOf(fired)).toEqual([failing.id]);
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});

	it('spreads 100 watched SimpleCold jobs over polls without exceeding 10 requests a minute', async () => {
		const sim = simulators.simplecold;
		advanceMinutes(2); // a fresh rate-limit window, whatever earlier tests spent
		const jobs = Array.from({ length: 100 }, (_, index) => sim.seedJob([`good.${index}@example.com`], { state: 'processing' }));
		const poller = trigger({ provider: 'simplecold', jobIds: jobs.map((job) => job.id).join(',') });
		const seenIds: string[] = [];
		sim.clearLog();
		await poller.poll();
		for (const job of jobs) sim.finishJob(job.id);
		for (let minute = 0; minute < 15 && seenIds.length < 100; minute++) {
			advanceMinutes(1);
			const before = sim.requests.length;
			seenIds.push(...jobIdsOf(await poller.poll()));
			expect(sim.requests.length - before).toBeLessThanOrEqual(10);
		}
		expect(seenIds.sort()).toEqual(jobs.map((job) => job.id).sort());
	});

	it('manual mode returns the most recent finished job without touching the memory', async () => {
		const sim = simulators.check365;
		const done = sim.seedJob(['good.m@example.com']);
		const poller = trigger({ provider: 'check365', jobIds: done.id, include: 'resultItems' }, 'manual');
		const sample = await poller.poll();
		expect(sample?.[0][0].json).toMatchObject({ email: 'good.m@example.com', verdict: 'deliverable', job: { jobId: done.id } });
		expect(poller.persistedStaticData()).toEqual({});
	});

	it('a wrong API key refuses activation with an error that says to check the credential, without the key', async () => {
		const sim = simulators.simplecold;
		const job = sim.seedJob(['good.k@example.com']);
		const poller = createPollHarness(new BulkVerifyTrigger(), {
			parameters: { provider: 'simplecold', jobIds: job.id },
			credentials: { ...credentialsFor(simulators), simpleColdApi: { apiKey: 'sc_wrong_key_123456', baseUrl: sim.baseUrl } },
		});
		const error = await poller.poll().then(
			() => undefined,
			(caught: unknown) => caught as Error & { description?: string },
		);
		expect(error?.message).toBe(`SimpleCold rejected the API key (HTTP 401) while trying to get the status of job ${job.id}`);
		expect(error?.description).toContain('Open the SimpleCold API credential');
		expect(everythingIn(error)).not.toContain('sc_wrong_key_123456');
	});

	it('an unknown job id refuses activation with an error that names it', async () => {
		const poller = trigger({ provider: 'whoisxml', watch: 'jobIds', jobIds: '987654' });
		await expect(poller.poll()).rejects.toThrow('WhoisXML API does not know the watched job "987654"');
	});
});

describe("n8n's durable poll cursors (opt-in scheduler mode)", () => {
	it('fires once per finished job and survives a restart with only the committed cursor', async () => {
		const sim = simulators.check365;
		const first = sim.seedJob(['good.d1@example.com'], { state: 'processing' });
		const second = sim.seedJob(['good.d2@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'check365', jobIds: `${first.id},${second.id}` }, 'trigger', true);
		await expect(poller.poll()).resolves.toBeNull();
		advanceMinutes(1);
		// n8n 2.41 does not commit the activation poll's null result, so this first tick takes the baseline.
		await expect(poller.poll()).resolves.toBeNull();

		sim.finishJob(first.id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([first.id]);

		const restarted = poller.restart(poller.persistedStaticData());
		advanceMinutes(1);
		await expect(restarted.poll()).resolves.toBeNull();
		sim.finishJob(second.id);
		advanceMinutes(1);
		expect(jobIdsOf(await restarted.poll())).toEqual([second.id]);
		advanceMinutes(1);
		await expect(restarted.poll()).resolves.toBeNull();
	});
});

describe('results on the event', () => {
	it('attaches the results of a completed job as a CSV file', async () => {
		const sim = simulators.bouncify;
		const job = sim.seedJob(['good.f1@example.com', 'bad.f2@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'bouncify', jobIds: job.id, include: 'resultFile' });
		await poller.poll();
		sim.finishJob(job.id);
		advanceMinutes(1);
		const [item] = (await poller.poll())?.[0] ?? [];
		expect(item.json).toMatchObject({ jobId: job.id, event: 'completed', resultFile: { rows: 2, counts: { deliverable: 1, undeliverable: 1 } } });
		const csv = (await readBinaryData(item.binary!.data)).toString('utf8');
		expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
	});

	it('a transient fault while checking is retried without an error execution', async () => {
		const sim = simulators.bouncify;
		const job = sim.seedJob(['good.t@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'bouncify', jobIds: job.id });
		await poller.poll();
		sim.finishJob(job.id);
		sim.inject({ route: 'status', fault: '503' });
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([job.id]);
		expect(poller.emittedErrors).toHaveLength(0);
	});
});

describe('every job in a WhoisXML account', () => {
	it('pages the list, and fires once for each request that finishes after activation, with results', async () => {
		const sim = simulators.whoisxml;
		for (let index = 0; index < 60; index++) sim.seedJob([`good.old${index}@example.com`]);
		const running = sim.seedJob(['good.r@example.com', 'bad.r@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'whoisxml', watch: 'allJobs', include: 'resultItems' });
		await expect(poller.poll()).resolves.toBeNull();

		const fresh = sim.seedJob(['catchall.n@example.com'], { state: 'processing' });
		sim.finishJob(running.id);
		advanceMinutes(1);
		const fired = await poller.poll();
		expect((fired?.[0] ?? []).map((item) => [item.json.email, (item.json.job as { jobId: string }).jobId])).toEqual([
			['good.r@example.com', running.id],
			['bad.r@example.com', running.id],
		]);

		sim.finishJob(fresh.id);
		advanceMinutes(1);
		const second = await poller.poll();
		expect((second?.[0] ?? []).map((item) => item.json.verdict)).toEqual(['risky']);
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});
});
