/**
 * The Bulk Verify Trigger through n8n-core's real PollContext (and its poll executor), with real HTTP
 * to the simulators. Simulator clocks are manual; the trigger's own request meter reads Date, which
 * these tests move with jest's fake Date only (timers stay real).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BulkVerifyJobTrigger } from '../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node';
import type { PollHarness } from '../../harness';
import { createPollHarness, readBinaryData } from '../../harness';
import type { AllSimulators } from '../../simulators';
import { credentialsFor, everythingIn, startManualSimulators } from '../../support/providers';

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

/** The most requests in any 60-second window. */
function busiestMinute(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= MINUTE) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

beforeAll(async () => {
	jest.useFakeTimers({
		doNotFake: [
			'setTimeout',
			'clearTimeout',
			'setInterval',
			'clearInterval',
			'setImmediate',
			'clearImmediate',
			'nextTick',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
		now,
	});
	// Jobs last ten hours unless a test finishes them, so moving the clocks never ends one by itself.
	simulators = await startManualSimulators({
		rateLimitPerMinute: undefined,
		startTime: now,
		jobDurationMs: 10 * 60 * MINUTE,
	});
});

afterAll(async () => {
	await simulators.close();
	jest.useRealTimers();
});

function trigger(
	parameters: INodeParameters,
	mode: 'trigger' | 'manual' = 'trigger',
	durableCursors = false,
): PollHarness {
	return createPollHarness(new BulkVerifyJobTrigger(), {
		parameters,
		credentials: credentialsFor(simulators),
		mode,
		durableCursors,
	});
}

/** The baseline handoff as n8n saved it in the workflow's global static data. */
function handoffOf(poller: PollHarness): unknown {
	return (poller.persistedStaticData().global as Record<string, unknown> | undefined)?.[
		`bulkVerifyTrigger:${poller.node.id}`
	];
}

function jobIdsOf(emitted: INodeExecutionData[][] | null): string[] {
	return (emitted?.[0] ?? []).map((item) => String(item.json.jobId));
}

describe('specific jobs', () => {
	it('records a baseline, then fires exactly once for a job that completes', async () => {
		const sim = simulators.bouncify;
		const before = sim.seedJob(['good.a@example.com']);
		const running = sim.seedJob(['good.b@example.com', 'bad.c@example.com'], {
			state: 'processing',
		});
		const poller = trigger({ provider: 'bouncify', jobIds: `${before.id}, ${running.id}` });

		await expect(poller.poll()).resolves.toBeNull();
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();

		sim.finishJob(running.id);
		advanceMinutes(1);
		const fired = await poller.poll();
		expect(jobIdsOf(fired)).toEqual([running.id]);
		expect(fired?.[0][0].json).toMatchObject({
			event: 'completed',
			state: 'completed',
			provider: 'bouncify',
			total: 2,
		});

		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
		const restarted = poller.restart(poller.persistedStaticData());
		advanceMinutes(1);
		await expect(restarted.poll()).resolves.toBeNull();
		expect(everythingIn(fired)).not.toContain(sim.apiKey);
	});

	it("n8n 1.x's poll context (no getPollBudgetMs): fires exactly once all the same", async () => {
		const sim = simulators.whoisxml;
		const running = sim.seedJob(['good.a@example.com', 'bad.b@example.com'], {
			state: 'processing',
		});
		const poller = trigger({ provider: 'whoisxml', jobIds: running.id });
		// The PollContext of n8n-core 1.x has no poll budget; shadow 2.x's method on this context.
		Object.defineProperty(poller.context, 'getPollBudgetMs', { value: undefined });
		expect(typeof poller.context.getPollBudgetMs).toBe('undefined');

		await expect(poller.poll()).resolves.toBeNull();
		sim.finishJob(running.id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([running.id]);
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});

	it('fires for failed and cancelled jobs only when selected', async () => {
		const sim = simulators.simplecold;
		const failing = sim.seedJob(['good.f@example.com'], { state: 'processing' });
		const cancelling = sim.seedJob(['good.g@example.com'], { state: 'processing' });
		const poller = trigger({
			provider: 'simplecold',
			jobIds: `${failing.id}\n${cancelling.id}`,
			events: ['failed'],
		});
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
		const jobs = Array.from({ length: 100 }, (_, index) =>
			sim.seedJob([`good.${index}@example.com`], { state: 'processing' }),
		);
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
		const poller = trigger(
			{ provider: 'check365', jobIds: done.id, include: 'resultItems' },
			'manual',
		);
		const sample = await poller.poll();
		expect(sample?.[0][0].json).toMatchObject({
			email: 'good.m@example.com',
			verdict: 'deliverable',
			job: { jobId: done.id },
		});
		expect(poller.persistedStaticData()).toEqual({});
	});

	it('a wrong API key refuses activation with an error that says to check the credential, without the key', async () => {
		const sim = simulators.simplecold;
		const job = sim.seedJob(['good.k@example.com']);
		const poller = createPollHarness(new BulkVerifyJobTrigger(), {
			parameters: { provider: 'simplecold', jobIds: job.id },
			credentials: {
				...credentialsFor(simulators),
				simpleColdApi: { apiKey: 'sc_wrong_key_123456', baseUrl: sim.baseUrl },
			},
		});
		const error = await poller.poll().then(
			() => undefined,
			(caught: unknown) => caught as Error & { description?: string },
		);
		expect(error?.message).toBe(
			`SimpleCold rejected the API key (HTTP 401) while trying to get the status of job ${job.id}`,
		);
		expect(error?.description).toContain('Open the SimpleCold API credential');
		expect(everythingIn(error)).not.toContain('sc_wrong_key_123456');
	});

	it('a poll that starts while the previous one still runs skips its turn: a finished job fires once', async () => {
		const sim = simulators.check365;
		const job = sim.seedJob(['good.o@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'check365', jobIds: job.id });
		await expect(poller.poll()).resolves.toBeNull();
		sim.finishJob(job.id);
		advanceMinutes(1);
		sim.clearLog();
		// n8n's scheduler does not wait for a slow poll before starting the next one.
		sim.inject({ route: 'status', fault: 'slow', delayMs: 300 });
		const [first, second] = await Promise.all([poller.poll(), poller.poll()]);
		const events = [first, second]
			.flatMap((output) => output?.[0] ?? [])
			.filter((item) => item.json.jobId === job.id);
		expect(events).toHaveLength(1);
		expect(sim.requests.filter((request) => request.route === 'status')).toHaveLength(1);
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});

	it('the API key pasted into Job IDs refuses activation without showing it, in any encoding', async () => {
		const key = simulators.bouncify.apiKey;
		const error = await trigger({ provider: 'bouncify', jobIds: `${key}/x` })
			.poll()
			.then(
				() => undefined,
				(caught: unknown) => caught as Error & { description?: string; context?: unknown },
			);
		expect(error?.message).toBe('"[REDACTED]/x" is not a Bouncify job ID');
		const shown = everythingIn({
			message: error?.message,
			description: error?.description,
			stack: error?.stack,
			cause: error?.cause,
			context: error?.context,
		});
		expect(shown).not.toContain(key);
	});

	it('an unknown job id refuses activation with an error that names it', async () => {
		const poller = trigger({ provider: 'whoisxml', watch: 'jobIds', jobIds: '987654' });
		await expect(poller.poll()).rejects.toThrow(
			'WhoisXML API does not know the watched job "987654"',
		);
	});
});

describe("n8n's durable poll cursors (opt-in scheduler mode)", () => {
	it('fires once per finished job and survives a restart with only the committed cursor', async () => {
		const sim = simulators.check365;
		const first = sim.seedJob(['good.d1@example.com'], { state: 'processing' });
		const second = sim.seedJob(['good.d2@example.com'], { state: 'processing' });
		const poller = trigger(
			{ provider: 'check365', jobIds: `${first.id},${second.id}` },
			'trigger',
			true,
		);
		await expect(poller.poll()).resolves.toBeNull();
		advanceMinutes(1);
		// n8n 2.41 does not commit the activation poll's null result; this first tick resumes from its handoff.
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

describe('durable cursors: the activation baseline survives until the first scheduled poll', () => {
	it('every job: requests that finish between activation and the first scheduled poll fire once', async () => {
		const sim = simulators.whoisxml;
		for (let index = 0; index < 3; index++) sim.seedJob([`good.dold${index}@example.com`]);
		const running = sim.seedJob(['good.drun@example.com'], { state: 'processing' });
		const poller = trigger({ provider: 'whoisxml', watch: 'allJobs' }, 'trigger', true);
		await expect(poller.poll()).resolves.toBeNull(); // activation: n8n commits nothing of a null result
		expect(poller.persistedCursor()).toEqual({});
		expect(handoffOf(poller)).toMatchObject({
			key: 'whoisxml:allJobs',
			ledger: { baselineAt: now, since: now },
		});

		// Before the first scheduled poll: the watched request ends, and a new one is created and ends.
		sim.finishJob(running.id);
		const quick = sim.seedJob(['good.dquick@example.com'], { state: 'processing' });
		sim.finishJob(quick.id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll()).sort()).toEqual([running.id, quick.id].sort());
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
		const restarted = poller.restart();
		advanceMinutes(1);
		await expect(restarted.poll()).resolves.toBeNull();
	});

	it('the handoff stays saved until an emit after n8n has committed a ledger of its own', async () => {
		const sim = simulators.bouncify;
		const jobs = [1, 2].map((index) =>
			sim.seedJob([`good.dh${index}@example.com`], { state: 'processing' }),
		);
		const poller = trigger(
			{ provider: 'bouncify', jobIds: jobs.map((job) => job.id).join(',') },
			'trigger',
			true,
		);
		await poller.poll();
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull(); // resumes from the handoff and commits its cursor
		expect(poller.persistedCursor()).toMatchObject({
			'bouncify:jobIds': { baselineAt: expect.any(Number) },
		});
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull(); // drops the handoff, but n8n saves nothing of a null poll
		expect(handoffOf(poller)).toBeDefined();
		sim.finishJob(jobs[0].id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([jobs[0].id]);
		expect(handoffOf(poller)).toBeUndefined();
		const restarted = poller.restart();
		sim.finishJob(jobs[1].id);
		advanceMinutes(1);
		expect(jobIdsOf(await restarted.poll())).toEqual([jobs[1].id]);
	});

	it('specific jobs: a job that finishes between activation and the first scheduled poll fires once', async () => {
		const sim = simulators.check365;
		const early = sim.seedJob(['good.de1@example.com'], { state: 'processing' });
		const later = sim.seedJob(['good.de2@example.com'], { state: 'processing' });
		const done = sim.seedJob(['good.de3@example.com']);
		const poller = trigger(
			{ provider: 'check365', jobIds: `${early.id},${later.id},${done.id}` },
			'trigger',
			true,
		);
		await expect(poller.poll()).resolves.toBeNull();

		sim.finishJob(early.id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([early.id]);
		sim.finishJob(later.id);
		advanceMinutes(1);
		expect(jobIdsOf(await poller.poll())).toEqual([later.id]);
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});
});

describe('a rate-limited activation poll (the baseline is taken by a later poll)', () => {
	it('every job: a restart in between does not count as the baseline, and only endings after activation fire', async () => {
		const sim = simulators.whoisxml;
		advanceMinutes(10); // whatever earlier tests finished ended well before this activation
		for (const index of [1, 2, 3]) sim.seedJob([`good.rl-old${index}@example.com`]);
		advanceMinutes(10);
		const running = sim.seedJob(['good.rl-run@example.com'], { state: 'processing' });
		let poller = trigger({ provider: 'whoisxml', watch: 'allJobs' });
		sim.inject({ route: 'list', fault: '429', times: 2 });
		await expect(poller.poll()).resolves.toBeNull(); // activation succeeds, without a baseline
		expect(poller.persistedStaticData()['node:Bulk Verify Trigger']).toMatchObject({
			'whoisxml:allJobs': { baselineAt: null, since: now },
		});

		sim.finishJob(running.id);
		const quick = sim.seedJob(['good.rl-quick@example.com'], { state: 'processing' });
		sim.finishJob(quick.id);
		now += 30_000;
		jest.setSystemTime(now);
		sim.advance(30_000);
		poller = poller.restart(); // still inside the minute's pause that the 429s started: it lists nothing
		sim.clearLog();
		await expect(poller.poll()).resolves.toBeNull();
		expect(sim.requests).toHaveLength(0);

		advanceMinutes(1);
		const fired = jobIdsOf(await poller.poll()).sort();
		expect(fired).toEqual([running.id, quick.id].sort());
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull();
	});
});

describe('request meter across a reactivation', () => {
	async function reactivatedSeconds(durableCursors: boolean) {
		const sim = simulators.simplecold;
		advanceMinutes(2); // a fresh rate-limit window, whatever earlier tests spent
		const jobs = Array.from({ length: 30 }, (_, index) =>
			sim.seedJob([`good.meter${index}@example.com`], { state: 'processing' }),
		);
		let poller = trigger(
			{ provider: 'simplecold', jobIds: jobs.map((job) => job.id).join(',') },
			'trigger',
			durableCursors,
		);
		sim.clearLog();
		await poller.poll(); // activation: the baseline spends the minute's 10 calls, and n8n saves the ledger
		advanceMinutes(1);
		await poller.poll(); // 10 more calls; nothing ended, so nothing emitted (legacy: nothing saved)
		now += 10_000;
		jest.setSystemTime(now);
		sim.advance(10_000);
		poller = poller.reactivate(); // deactivated and activated again 10 s later
		await poller.poll();
		const afterReactivation = sim.requests.length;
		// A minute after the second poll: its calls have left the window, the reactivation's minute has not.
		now += 50_000;
		jest.setSystemTime(now);
		sim.advance(50_000);
		await poller.poll();
		const minuteAfterSecondPoll = sim.requests.length - afterReactivation;
		for (const job of jobs) sim.finishJob(job.id);
		const fired: string[] = [];
		for (let minute = 0; minute < 6 && fired.length < jobs.length; minute++) {
			advanceMinutes(1);
			fired.push(...jobIdsOf(await poller.poll()));
		}
		return { sim, jobs, fired, afterReactivation, minuteAfterSecondPoll };
	}

	it('n8n default mode: the first poll after a reactivation spends nothing until a minute has passed', async () => {
		const { sim, jobs, fired, afterReactivation, minuteAfterSecondPoll } =
			await reactivatedSeconds(false);
		// The second poll's 10 calls were never saved, so the reactivated poll cannot know them: it waits.
		expect(afterReactivation).toBe(20);
		expect(minuteAfterSecondPoll).toBe(0);
		expect(busiestMinute(sim.requests.map((request) => request.time))).toBeLessThanOrEqual(10);
		expect(sim.requests.filter((request) => request.status === 429)).toHaveLength(0);
		expect(fired.sort()).toEqual(jobs.map((job) => job.id).sort());
	});

	it('durable cursors: the committed meter is complete, so polls after a reactivation spend what it leaves', async () => {
		const { sim, jobs, fired, minuteAfterSecondPoll } = await reactivatedSeconds(true);
		expect(minuteAfterSecondPoll).toBe(10);
		expect(busiestMinute(sim.requests.map((request) => request.time))).toBeLessThanOrEqual(10);
		expect(sim.requests.filter((request) => request.status === 429)).toHaveLength(0);
		expect(fired.sort()).toEqual(jobs.map((job) => job.id).sort());
	});
});

describe("a restart where the rate is only this package's guess (n8n default mode)", () => {
	/** A watched job ends while n8n restarts; returns what the first poll after the restart fires. */
	async function firstPollAfterRestart(options: INodeParameters) {
		const sim = simulators.whoisxml;
		advanceMinutes(2);
		const job = sim.seedJob(['good.restart@example.com'], { state: 'processing' });
		let poller = trigger({ provider: 'whoisxml', jobIds: String(job.id), options });
		await expect(poller.poll()).resolves.toBeNull(); // baseline, saved at activation
		advanceMinutes(1);
		await expect(poller.poll()).resolves.toBeNull(); // still running: nothing emitted, nothing saved
		sim.finishJob(job.id);
		now += 10_000;
		jest.setSystemTime(now);
		sim.advance(10_000);
		poller = poller.restart();
		return { job, fired: jobIdsOf(await poller.poll()) };
	}

	it('WhoisXML documents no limit: the first poll after a restart fires the job that ended meanwhile', async () => {
		const { job, fired } = await firstPollAfterRestart({});
		expect(fired).toEqual([String(job.id)]);
	});

	it("with Max Requests per Minute set, the user's cap is kept: that poll waits out the minute", async () => {
		const { fired } = await firstPollAfterRestart({ maxRequestsPerMinute: 20 });
		expect(fired).toEqual([]);
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
		expect(item.json).toMatchObject({
			jobId: job.id,
			event: 'completed',
			resultFile: { rows: 2, counts: { deliverable: 1, undeliverable: 1 } },
		});
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
		const running = sim.seedJob(['good.r@example.com', 'bad.r@example.com'], {
			state: 'processing',
		});
		const poller = trigger({ provider: 'whoisxml', watch: 'allJobs', include: 'resultItems' });
		await expect(poller.poll()).resolves.toBeNull();

		const fresh = sim.seedJob(['catchall.n@example.com'], { state: 'processing' });
		sim.finishJob(running.id);
		advanceMinutes(1);
		const fired = await poller.poll();
		expect(
			(fired?.[0] ?? []).map((item) => [
				item.json.email,
				(item.json.job as { jobId: string }).jobId,
			]),
		).toEqual([
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
