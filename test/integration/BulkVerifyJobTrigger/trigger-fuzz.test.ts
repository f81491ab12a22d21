/**
 * Randomized exactly-once test of the Bulk Verify Trigger: random job lifecycles, random faults on the
 * provider's routes, restarts that keep only what n8n persists, and re-activations, through n8n-core's
 * real PollContext and real HTTP to the simulators, in n8n's default (legacy) trigger mode and, for a
 * third of the runs, with its opt-in durable poll cursors (where jobs also end between the activation
 * poll and the first scheduled one). Asserts 0 lost and 0 duplicated completions and that no poll (or
 * minute) exceeds the provider's request budget.
 *
 * The providers are the registry's, each with its budget, endings and modes from its test profile
 * (test/support/profiles); the "fifth-provider" jest project runs this file again with a test-only
 * fifth provider (test/fixtures/fifth-provider) and 200 runs.
 *
 * Replay a failure with TRIGGER_FUZZ_SEED=<seed> (and TRIGGER_FUZZ_RUNS=1).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { BulkVerifyJobTrigger } from '../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node';
import { WATCH_TICK_MS } from '../../../nodes/shared/http/body-guard';
import type { Ledger } from '../../../nodes/BulkVerifyJobTrigger/ledger';
import type { ProviderName } from '../../simulators';
import type { PollHarness } from '../../harness';
import { createPollHarness } from '../../harness';
import type { AllSimulators, FaultKind, Simulator } from '../../simulators';
import type { Ending } from '../../support/profiles';
import { profileOf } from '../../support/profiles';
import { credentialsFor, PROVIDER_NAMES, startManualSimulators } from '../../support/providers';
import { random } from '../../support/random';

// Waiting is time passing, not behaviour under test: the transport's retry waits move the (fake) clock
// instead of the test's wall time, so a thousand runs take seconds. The body watchdog's ticks never
// end here: on a clock that jumps at every tick, every body would look stalled (stalls are tested in
// test/integration/hostile/resources.test.ts).
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	// The body watchdog's tick, `WATCH_TICK_MS` (checked below: jest runs this factory before imports).
	const watchTickMs = 250;
	return {
		...actual,
		sleep: async (ms: number) => {
			if (ms <= watchTickMs) return await new Promise<void>(() => undefined);
			jest.setSystemTime(Date.now() + ms);
		},
	};
});

const RUNS = Number(process.env.TRIGGER_FUZZ_RUNS ?? 1000);
const BASE_SEED = Number(process.env.TRIGGER_FUZZ_SEED ?? 20261123);
const MINUTE = 60_000;
/** Per registry provider, from its test profile (test/support/profiles). */
const byProvider = <T>(fact: (name: ProviderName) => T): Record<ProviderName, T> =>
	Object.fromEntries(PROVIDER_NAMES.map((name) => [name, fact(name)]));
/** What the trigger may send per minute (its defaults: the provider's documented rate, else 30). */
const BUDGET = byProvider((name) => profileOf(name).fuzz.requestsPerMinute);
const STATUS_ROUTE = byProvider((name) => profileOf(name).fuzz.statusRoute);
/** The endings runs give jobs, and whether runs may watch every job (a listing with growing ids). */
const ENDINGS = byProvider((name) => profileOf(name).fuzz.endings);
const WATCHES_ALL_JOBS = byProvider((name) => profileOf(name).fuzz.watchesAllJobs);
const FAULTS: FaultKind[] = [
	'429',
	'500',
	'503',
	'reset',
	'truncated',
	'html',
	'unknownStatus',
	'missingField',
];

interface Figures {
	runs: number;
	completions: number;
	emitted: number;
	lost: number;
	duplicated: number;
	restarts: number;
	reactivations: number;
	durableRuns: number;
	failedPolls: number;
	maxCallsPerPoll: Record<ProviderName, number>;
	maxCallsPerMinute: Record<ProviderName, number>;
}

const figures: Figures = {
	runs: 0,
	completions: 0,
	emitted: 0,
	lost: 0,
	duplicated: 0,
	restarts: 0,
	reactivations: 0,
	durableRuns: 0,
	failedPolls: 0,
	maxCallsPerPoll: byProvider(() => 0),
	maxCallsPerMinute: byProvider(() => 0),
};

let simulators: AllSimulators;
/** Fresh simulators every so many runs keep the providers' job lists (and so list paging) small. */
const RUNS_PER_SIMULATOR = 100;

async function freshSimulators(): Promise<void> {
	await simulators?.close();
	simulators = await startManualSimulators({
		startTime: Date.now(),
		jobDurationMs: 100 * 24 * 60 * MINUTE, // jobs end only when a run ends them
		rateLimitPerMinute: undefined,
	});
}

beforeAll(async () => {
	// Only Date is fake: the test moves it a minute per poll; timers and I/O stay real.
	jest.useFakeTimers({
		now: Date.parse('2026-11-23T08:00:00Z'),
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
	});
	await freshSimulators();
});

afterAll(async () => {
	await simulators.close();
	jest.useRealTimers();
	process.stdout.write(`\ntrigger fuzz figures: ${JSON.stringify(figures)}\n`);
});

function syncClocks(): void {
	for (const name of PROVIDER_NAMES) {
		const simulator = simulators[name] as Simulator;
		const behind = Date.now() - simulator.now();
		if (behind > 0) simulator.advance(behind);
	}
}

function emittedIds(output: INodeExecutionData[][] | null): string[] {
	return (output?.[0] ?? []).map((item) => String(item.json.jobId));
}

async function runOnce(seed: number): Promise<void> {
	const rand = random(seed);
	const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)];
	const provider = pick<ProviderName>(PROVIDER_NAMES);
	const simulator = simulators[provider] as Simulator;
	const watchAll = WATCHES_ALL_JOBS[provider] && rand() < 0.5;
	// WhoisXML has no failed or cancelled request state; SimpleCold's cancel passes through CANCELING,
	// which lasts a share of the job's (here very long) duration, so its runs end jobs by completing or failing.
	const endings: readonly Ending[] = ENDINGS[provider];
	const selected = endings.filter(() => rand() < 0.7);
	if (selected.length === 0) selected.push('completed');

	/**
	 * endedBeforeBaseline: the job had ended when the baseline poll ran. unseenAtBaseline: that poll's
	 * request budget ran out before it looked at the job, so the trigger may fire for it later (once)
	 * unless the provider's end time proves it predates the baseline (see ledger.decide).
	 */
	const jobs = new Map<
		string,
		{ endedBeforeBaseline: boolean; unseenAtBaseline?: boolean; ending?: Ending }
	>();
	const newJob = () => {
		const job = simulator.seedJob([`good.${seed}.${jobs.size}@example.com`], {
			state: rand() < 0.5 ? 'processing' : 'queued',
		});
		jobs.set(job.id, { endedBeforeBaseline: false });
		return job.id;
	};
	const endJob = (id: string) => {
		const ending = pick(endings);
		if (ending === 'completed') simulator.finishJob(id);
		else simulator.setJobOutcome(id, ending);
		jobs.get(id)!.ending = ending;
	};
	// Mostly a few jobs; one run in five watches enough to need several polls' budgets.
	const jobCount = rand() < 0.2 ? 10 + Math.floor(rand() * 16) : 1 + Math.floor(rand() * 5);
	for (let index = jobCount; index > 0; index--) {
		const id = newJob();
		if (rand() < 0.3) endJob(id);
	}
	const watched = [...jobs.keys()];
	const parameters = watchAll
		? { provider, watch: 'allJobs', events: selected }
		: { provider, watch: 'jobIds', jobIds: watched.join(','), events: selected };
	const credentials = credentialsFor(simulators);
	const durableCursors = rand() < 1 / 3;
	if (durableCursors) figures.durableRuns++;
	let poller: PollHarness = createPollHarness(new BulkVerifyJobTrigger(), {
		parameters,
		credentials,
		durableCursors,
	});
	let baselineDone = false;
	const emitted: string[] = [];
	simulator.clearLog();

	/** The activation poll's ledger: saved in the node's static data, or (durable cursors) only in the handoff. */
	const markUnseenAtBaseline = () => {
		const saved = poller.persistedStaticData();
		const ledgerKey = `${provider}:${watchAll ? 'allJobs' : 'jobIds'}`;
		const own = (saved[`node:${poller.node.name}`] as Record<string, Ledger> | undefined)?.[
			ledgerKey
		];
		const handoff = (saved.global as Record<string, { ledger: Ledger }> | undefined)?.[
			`bulkVerifyTrigger:${poller.node.id}`
		];
		const ledger = own ?? handoff?.ledger;
		const entries = ledger?.entries ?? {};
		// A rate-limited activation poll leaves the baseline to a later poll, for which a job no poll has
		// seen yet is a first sighting (as for jobs the baseline poll's budget did not reach).
		const late = ledger?.baselineAt === null;
		for (const [id, job] of jobs)
			job.unseenAtBaseline = entries[id]?.u === true || (late && entries[id] === undefined);
	};
	const pollOnce = async () => {
		syncClocks();
		const before = simulator.requests.length;
		const wasActivation = !baselineDone;
		if (wasActivation)
			for (const [, job] of jobs) job.endedBeforeBaseline = job.ending !== undefined;
		try {
			emitted.push(...emittedIds(await poller.poll()));
			if (wasActivation && !baselineDone) markUnseenAtBaseline();
			baselineDone = true;
		} catch {
			figures.failedPolls++;
		}
		const calls = simulator.requests.length - before;
		figures.maxCallsPerPoll[provider] = Math.max(figures.maxCallsPerPoll[provider], calls);
		expect(calls).toBeLessThanOrEqual(BUDGET[provider]);
	};

	const steps = 6 + Math.floor(rand() * 6);
	for (let step = 0; step < steps; step++) {
		if (rand() < 0.4) {
			const running = [...jobs].filter(([, job]) => job.ending === undefined).map(([id]) => id);
			if (running.length > 0) endJob(pick(running));
		}
		if (watchAll && rand() < 0.3) newJob();
		// The provider rate-limits the activation poll now and then: the baseline is then taken by a later poll.
		if (!baselineDone && rand() < 0.15) simulator.inject({ route: '*', fault: '429', times: 2 });
		// Other faults start after the activation poll: a job hidden from it (say, by an unknown status
		// value) is first seen ended afterwards, and emitting it then is the intended behaviour.
		if (baselineDone && rand() < 0.35) {
			simulator.inject({
				route: rand() < 0.7 ? STATUS_ROUTE[provider] : '*',
				fault: pick(FAULTS),
				times: 1 + Math.floor(rand() * 2),
				...(rand() < 0.5 ? { retryAfter: 1 } : {}),
			});
		}
		if (baselineDone && rand() < 0.12) {
			// n8n restarted, or the workflow was deactivated and activated again: only persisted data survives.
			// (Legacy: both start with an activation poll. Durable: only a reactivation runs one.)
			if (rand() < 0.5) {
				poller = poller.restart();
				figures.restarts++;
			} else {
				poller = poller.reactivate();
				figures.reactivations++;
			}
		}
		await pollOnce();
		jest.setSystemTime(Date.now() + MINUTE);
	}
	simulator.clearFaults();
	for (const [id, job] of jobs) if (job.ending === undefined && rand() < 0.5) endJob(id);
	// Drain: enough quiet polls for every watched job to get its turn within the budget.
	for (let drain = 0; drain < 6; drain++) {
		jest.setSystemTime(Date.now() + 2 * MINUTE);
		await pollOnce();
	}

	const expected = [...jobs]
		.filter(
			([, job]) =>
				job.ending !== undefined && !job.endedBeforeBaseline && selected.includes(job.ending),
		)
		.map(([id]) => id)
		.sort();
	const mayFire = new Set(
		[...jobs]
			.filter(
				([, job]) =>
					job.endedBeforeBaseline && job.unseenAtBaseline && selected.includes(job.ending!),
			)
			.map(([id]) => id),
	);
	const unique = [...new Set(emitted)].sort();
	const duplicated = emitted.length - unique.length;
	const lost = expected.filter((id) => !unique.includes(id)).length;
	const spurious = unique.filter((id) => !expected.includes(id) && !mayFire.has(id));
	figures.runs++;
	figures.completions += expected.length;
	figures.emitted += unique.length;
	figures.lost += lost;
	figures.duplicated += duplicated;

	const times = simulator.requests.map((request) => request.time).sort((a, b) => a - b);
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= MINUTE) start++;
		figures.maxCallsPerMinute[provider] = Math.max(
			figures.maxCallsPerMinute[provider],
			end - start + 1,
		);
	}

	expect({ seed, lost, duplicated, spurious }).toEqual({
		seed,
		lost: 0,
		duplicated: 0,
		spurious: [],
	});
}

describe('trigger exactly-once under random lifecycles, faults and restarts', () => {
	it('mocks away exactly the body watchdog ticks', () => {
		expect(WATCH_TICK_MS).toBe(250);
	});

	it(`holds for ${RUNS} seeded runs`, async () => {
		for (let run = 0; run < RUNS; run++) {
			if (run > 0 && run % RUNS_PER_SIMULATOR === 0) await freshSimulators();
			await runOnce(BASE_SEED + run);
		}
		expect(figures.runs).toBe(RUNS);
		expect(figures.completions).toBeGreaterThan(RUNS / 2);
		for (const provider of PROVIDER_NAMES) {
			expect(figures.maxCallsPerMinute[provider]).toBeLessThanOrEqual(BUDGET[provider]);
		}
	}, 600_000);
});
