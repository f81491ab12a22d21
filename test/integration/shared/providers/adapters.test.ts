/**
 * Every adapter call of the registry's providers, run on a real n8n-core ExecuteContext with real HTTP to
 * the provider simulators (manual clock, so lifecycles are exact).
 */
import type { NormalizedEmailResult } from '../../../../nodes/shared/model/result';
import type { AllSimulators } from '../../../simulators';
import { profileOf } from '../../../support/profiles';
import {
	everythingIn,
	PROVIDER_NAMES,
	providerOn,
	startManualSimulators,
	startSimulators,
} from '../../../support/providers';

const LIST = [
	'good.ana@example.com',
	'bad.bob@example.com',
	'catchall.cy@example.com',
	'unknown.dee@example.com',
	'good.sales@mailinator.com',
];

/** What each provider's vocabulary makes of the simulator's catch-all class (SimpleCold has no catch-all token; from the test profiles). */
const CATCH_ALL_VERDICT = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).catchAllVerdict]),
);

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

function verdictsByEmail(results: NormalizedEmailResult[]): Record<string, string> {
	return Object.fromEntries(results.map((result) => [result.email, result.verdict]));
}

describe.each(PROVIDER_NAMES)('%s adapter', (name) => {
	it('creates a job, follows it to completion and fetches normalized results', async () => {
		const simulator = simulators[name];
		const provider = await providerOn(simulators, name);

		const created = await provider.createJob({ emails: LIST, startNow: true });
		expect(provider.info.isValidJobId(created.jobId)).toBe(true);
		expect(created).toMatchObject({ provider: name, started: true, emailCount: LIST.length });

		const [pending] = await provider.getStatus([created.jobId]);
		expect(pending).toMatchObject({
			jobId: created.jobId,
			isTerminal: false,
			resultsAvailable: false,
		});
		// Check365 documents no queued state: an unfinished job is "processing" at any progress.
		expect(pending.state).toBe(profileOf(name).pendingState);

		simulator.finishJob(created.jobId);
		const [done] = await provider.getStatus([created.jobId]);
		expect(done).toMatchObject({
			jobId: created.jobId,
			state: 'completed',
			isTerminal: true,
			resultsAvailable: true,
		});
		expect(done.progressPercent).toBe(100);

		const results = await provider.getResults(created.jobId);
		expect(verdictsByEmail(results)).toEqual({
			'good.ana@example.com': 'deliverable',
			'bad.bob@example.com': 'undeliverable',
			'catchall.cy@example.com': CATCH_ALL_VERDICT[name],
			'unknown.dee@example.com': 'unknown',
			'good.sales@mailinator.com': 'deliverable',
		});
		for (const result of results) {
			expect(result.raw).toBeDefined();
			expect(typeof result.providerStatus).toBe('string');
		}
		expect(everythingIn(results)).not.toContain(simulator.apiKey);
	});

	it('reports an id the provider does not know as notFound without failing the others', async () => {
		const provider = await providerOn(simulators, name);
		const known = simulators[name].seedJob(['good.x@example.com']);
		const unknownId = profileOf(name).jobIds.unknown;
		const jobs = await provider.getStatus([known.id, unknownId]);
		expect(jobs.map((job) => [job.jobId, job.state, job.notFound === true])).toEqual([
			[known.id, 'completed', false],
			[unknownId, 'unknown', true],
		]);
		expect(jobs[1].message).toContain(unknownId);
	});

	it('normalizes failed and cancelled jobs where the provider has those states', async () => {
		// WhoisXML exposes no failed or cancelled request state (docs/provider-apis.md §4.4).
		if (
			!(['failed', 'cancelled'] as const).every((outcome) =>
				profileOf(name).jobOutcomes.includes(outcome),
			)
		)
			return;
		const provider = await providerOn(simulators, name);
		const failing = simulators[name].seedJob(['good.f@example.com'], { state: 'processing' });
		const cancelling = simulators[name].seedJob(['good.c@example.com'], { state: 'processing' });
		simulators[name].setJobOutcome(failing.id, 'failed');
		simulators[name].setJobOutcome(cancelling.id, 'cancelled');
		simulators[name].advance(60_000);
		const [failed, cancelled] = await provider.getStatus([failing.id, cancelling.id]);
		expect([failed.state, failed.isTerminal]).toEqual(['failed', true]);
		expect([cancelled.state, cancelled.isTerminal]).toEqual(['cancelled', true]);
	});
});

describe('provider-specific calls', () => {
	it('Bouncify: a list created without start waits for Start, which starts verification', async () => {
		const provider = await providerOn(simulators, 'bouncify');
		const created = await provider.createJob({ emails: LIST, startNow: false });
		expect(created.started).toBe(false);
		simulators.bouncify.advance(60_000);
		const [ready] = await provider.getStatus([created.jobId]);
		expect(ready).toMatchObject({ state: 'queued', awaitingStart: true, rawStatus: 'ready' });
		const started = await provider.startJob!(created.jobId);
		expect(started).toMatchObject({
			state: 'processing',
			awaitingStart: false,
			rawStatus: 'verifying',
		});
		simulators.bouncify.advance(60_000);
		const [done] = await provider.getStatus([created.jobId]);
		expect(done.state).toBe('completed');
		expect(done.counts).toMatchObject({ deliverable: 2, undeliverable: 1, risky: 1, unknown: 1 });
	});

	it('Bouncify: Start right after Create waits for the list to finish preparing', async () => {
		const realClock = await startSimulators({ jobDurationMs: 4_000, rateLimitPerMinute: Infinity });
		try {
			const provider = await providerOn(realClock, 'bouncify');
			const created = await provider.createJob({ emails: ['good.p@example.com'], startNow: false });
			const [fresh] = await provider.getStatus([created.jobId]);
			expect(fresh.rawStatus).toBe('preparing');
			const started = await provider.startJob!(created.jobId);
			expect(started.rawStatus).toBe('verifying');
		} finally {
			await realClock.close();
		}
	});

	it('Bouncify: delete, credits and single verification', async () => {
		const provider = await providerOn(simulators, 'bouncify');
		const job = simulators.bouncify.seedJob(['good.a@example.com']);
		await expect(provider.deleteJob!(job.id)).resolves.toMatchObject({
			jobId: job.id,
			deleted: true,
		});
		const [gone] = await provider.getStatus([job.id]);
		expect(gone.notFound).toBe(true);

		const credits = await provider.getCredits!();
		expect(credits.creditsRemaining).toBe(simulators.bouncify.credits);

		const single = await provider.verifySingle!('catchall.z@example.com');
		expect(single).toMatchObject({
			email: 'catchall.z@example.com',
			verdict: 'risky',
			reason: 'catch_all',
		});
	});

	it('Bouncify: Start hands the checked status to beforeStart, and what it throws stops the start', async () => {
		const provider = await providerOn(simulators, 'bouncify');
		const job = simulators.bouncify.seedJob(['good.a@example.com', 'bad.b@example.com'], {
			state: 'waiting',
		});
		simulators.bouncify.clearLog();
		const seen: unknown[] = [];
		await expect(
			provider.startJob!(job.id, {
				beforeStart: (status) => {
					seen.push([status.jobId, status.awaitingStart, status.total]);
					throw new Error('not this one');
				},
			}),
		).rejects.toThrow('not this one');
		expect(seen).toEqual([[job.id, true, 2]]);
		expect(simulators.bouncify.requests.map((request) => request.route)).toEqual(['status']);

		await expect(
			provider.startJob!(job.id, { beforeStart: () => undefined }),
		).resolves.toMatchObject({ jobId: job.id, state: 'processing' });
	});

	it('WhoisXML: the credits are the Email Verification product of the account balance (user service)', async () => {
		const provider = await providerOn(simulators, 'whoisxml');
		simulators.whoisxml.setCredits(777);
		simulators.whoisxml.clearLog();
		await expect(provider.getCredits!()).resolves.toMatchObject({
			provider: 'whoisxml',
			creditsRemaining: 777,
		});
		const [request] = simulators.whoisxml.requests;
		expect([request.route, request.method, request.path]).toEqual([
			'credits',
			'GET',
			'/user-service/account-balance',
		]);
		expect(request.query.apiKey).toBe(simulators.whoisxml.apiKey);
		simulators.whoisxml.setCredits(1_000_000);
	});

	it('Check365: the job id is generated by the client and results come inline', async () => {
		const provider = await providerOn(simulators, 'check365');
		const first = await provider.createJob({ emails: ['good.a@example.com'] });
		const second = await provider.createJob({ emails: ['good.b@example.com'] });
		expect(first.jobId).not.toBe(second.jobId);
		expect(simulators.check365.jobs.has(first.jobId)).toBe(true);
	});

	it('Check365: asking for results before completion is a clear "not finished" error', async () => {
		const provider = await providerOn(simulators, 'check365');
		const job = simulators.check365.seedJob(['good.a@example.com', 'bad.b@example.com'], {
			state: 'processing',
		});
		await expect(provider.getResults(job.id)).rejects.toMatchObject({
			message: expect.stringMatching(
				/^Check365 cannot get the results of job .* yet: the job is not ready for it$/,
			),
		});
	});

	it('SimpleCold: single verification', async () => {
		const provider = await providerOn(simulators, 'simplecold');
		await expect(provider.verifySingle!('bad.q@example.com')).resolves.toMatchObject({
			email: 'bad.q@example.com',
			verdict: 'undeliverable',
		});
	});

	it('WhoisXML: status of many requests in one call, paged listing, failed rows, single verification', async () => {
		const simulator = simulators.whoisxml;
		const provider = await providerOn(simulators, 'whoisxml');
		const ids = Array.from(
			{ length: 12 },
			(_, index) => simulator.seedJob([`good.${index}@example.com`]).id,
		);

		simulator.clearLog();
		const jobs = await provider.getStatus(ids);
		expect(jobs.map((job) => job.jobId)).toEqual(ids);
		expect(simulator.requests.filter((request) => request.route === 'status')).toHaveLength(1);

		const firstPage = await provider.listJobs!({ page: 1, perPage: 10 });
		expect(firstPage.jobs).toHaveLength(10);
		expect(firstPage.lastPage).toBeGreaterThanOrEqual(2);
		const secondPage = await provider.listJobs!({ page: 2, perPage: 10 });
		expect(secondPage.page).toBe(2);
		expect(new Set([...firstPage.jobs, ...secondPage.jobs].map((job) => job.jobId)).size).toBe(
			firstPage.jobs.length + secondPage.jobs.length,
		);

		const mixed = simulator.seedJob(['good.m@example.com', 'not-an-address', 'fail.p@example.com']);
		const withFailed = await provider.getResults(mixed.id, { includeFailed: true });
		expect(verdictsByEmail(withFailed)).toEqual({
			'good.m@example.com': 'deliverable',
			'not-an-address': 'undeliverable',
			'fail.p@example.com': 'unknown',
		});
		expect((await provider.getResults(mixed.id)).map((result) => result.email)).toEqual([
			'good.m@example.com',
		]);

		await expect(provider.verifySingle!('good.s@example.com')).resolves.toMatchObject({
			verdict: 'deliverable',
		});
	});

	it('WhoisXML: a 50,000-row request is fetched and normalized', async () => {
		const provider = await providerOn(simulators, 'whoisxml', { transport: { timeoutMs: 60_000 } });
		const job = simulators.whoisxml.seedJob(50_000);
		const started = Date.now();
		const results = await provider.getResults(job.id);
		const elapsedMs = Date.now() - started;
		expect(results).toHaveLength(50_000);
		expect(results[0].email).toBe('user1@example.com');
		expect(new Set(results.map((result) => result.verdict))).toEqual(
			new Set(['deliverable', 'undeliverable', 'risky', 'unknown']),
		);
		expect(elapsedMs).toBeGreaterThan(0);
	});
});
