'use strict';

/**
 * Bench 4: what the Bulk Verify Trigger costs the provider. The trigger runs through n8n-core's real
 * PollContext and poll executor (createPollHarness) against the simulators; time is simulated (the
 * trigger's request meter reads Date.now, moved here; the simulator clocks move with it), so ten
 * minutes of polling take seconds.
 *
 * - WhoisXML API, 1 / 100 / 10,000 watched request ids: status calls per poll and ids per call.
 *   Target: one call per 100 ids (the adapter's batch size), not one per job.
 * - SimpleCold, 100 watched jobs, polled every minute for 10 minutes plus extra polls seconds apart
 *   (a reactivation, a manual run): the most calls in any 60-second window. Target: never over 10
 *   (SimpleCold's documented limit per key; the simulator enforces it too and would answer 429).
 */

const { harness, simulators, dist } = require('./lib/harness');
const { emit, status, log } = require('./lib/report');

const MINUTE = 60_000;
const START = Date.parse('2026-11-23T08:00:00Z');
let now = START;
const realNow = Date.now;
Date.now = () => now;

function advance(ms, sims) {
	now += ms;
	for (const sim of sims) sim.advance(ms);
}

async function whoisxml(count) {
	const sim = await simulators.startSimulator('whoisxml', {
		clock: 'manual',
		startTime: now,
		jobDurationMs: 10 * 60 * MINUTE,
		rateLimitPerMinute: Infinity,
	});
	const ids = [];
	for (let index = 0; index < count; index++)
		ids.push(sim.seedJob([`watch${index}@example.com`], { state: 'processing' }).id);
	const { BulkVerifyJobTrigger } = dist('nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node');
	const trigger = harness.createPollHarness(new BulkVerifyJobTrigger(), {
		parameters: { provider: 'whoisxml', watch: 'jobIds', jobIds: ids.join(', ') },
		credentials: { whoisXmlApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
	});
	const polls = [];
	const checked = new Set();
	for (let poll = 0; poll < 8 && (poll < 2 || checked.size < count); poll++) {
		sim.clearLog();
		const started = realNow();
		await trigger.poll();
		const calls = sim.requests.filter((entry) => entry.route === 'status');
		const idsPerCall = calls.map((entry) => JSON.parse(entry.bodyText).ids.length);
		if (poll > 0)
			for (const entry of calls)
				for (const id of JSON.parse(entry.bodyText).ids) checked.add(String(id));
		polls.push({ calls: calls.length, idsPerCall, ms: realNow() - started });
		advance(MINUTE, [sim]);
	}
	await sim.close();
	const afterBaseline = polls.slice(1);
	const calls = afterBaseline.map((poll) => poll.calls);
	const perCall = afterBaseline.flatMap((poll) => poll.idsPerCall);
	const minPerCall = Math.min(...perCall);
	const pollsToCover = afterBaseline.length;
	log(
		`whoisxml ${count}: calls per poll ${polls.map((poll) => poll.calls).join(', ')}; ids per call ${[...new Set(perCall)].join('/')}`,
	);
	return {
		count,
		maxCalls: Math.max(...calls),
		minPerCall,
		maxPerCall: Math.max(...perCall),
		pollsToCover,
		covered: checked.size,
		pollMs: afterBaseline.map((poll) => poll.ms),
	};
}

async function simplecold({ restart, durableCursors }) {
	const sim = await simulators.startSimulator('simplecold', {
		clock: 'manual',
		startTime: now,
		jobDurationMs: 10 * 60 * MINUTE,
	});
	const ids = [];
	for (let index = 0; index < 100; index++)
		ids.push(sim.seedJob([`watch${index}@example.com`], { state: 'processing' }).id);
	const { BulkVerifyJobTrigger } = dist('nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node');
	const parameters = { provider: 'simplecold', jobIds: ids.join('\n') };
	const credentials = { simpleColdApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } };
	let trigger = harness.createPollHarness(new BulkVerifyJobTrigger(), {
		parameters,
		credentials,
		durableCursors,
	});
	// Minute polls, with a reactivation 10 s after one poll and another poll 5 s after that.
	const offsets = [0, 60, 120, 130, 135, 180, 240, 300, 360, 420, 480, 540, 600].map(
		(seconds) => seconds * 1000,
	);
	const base = now;
	const times = [];
	let rateLimited = 0;
	const checked = new Set();
	for (const offset of offsets) {
		advance(base + offset - now, [sim]);
		if (restart && offset === 130_000) trigger = trigger.restart(trigger.persistedStaticData());
		sim.clearLog();
		try {
			await trigger.poll();
		} catch {
			// a failed poll would show as 429s below
		}
		for (const entry of sim.requests) {
			if (entry.route === 'status') {
				times.push(entry.time);
				checked.add(entry.path.split('/').at(-2));
			}
			if (entry.status === 429) rateLimited++;
		}
	}
	await sim.close();
	let maxInWindow = 0;
	for (const time of times)
		maxInWindow = Math.max(
			maxInWindow,
			times.filter((other) => other >= time && other < time + MINUTE).length,
		);
	log(
		`simplecold 100 (${restart ? 'reactivated' : 'no reactivation'}, ${durableCursors ? 'durable cursors' : 'default persistence'}): ${times.length} status calls in ${offsets.length} polls over 10 min; max ${maxInWindow} in 60 s; ${rateLimited} × 429; ${checked.size} jobs checked`,
	);
	return {
		calls: times.length,
		polls: offsets.length,
		maxInWindow,
		rateLimited,
		checked: checked.size,
	};
}

async function main() {
	const results = [];
	for (const count of [1, 100, 10_000]) results.push(await whoisxml(count));
	const colds = [
		{
			label: 'polls 10 s apart, no reactivation',
			...(await simplecold({ restart: false, durableCursors: false })),
		},
		{
			label: 'reactivated 10 s after a poll, n8n default static data',
			...(await simplecold({ restart: true, durableCursors: false })),
		},
		{
			label: 'reactivated 10 s after a poll, durable cursors on',
			...(await simplecold({ restart: true, durableCursors: true })),
		},
	];
	const rows = results.map((result) => {
		const expected = Math.min(result.count, 100);
		const ids = (count) => `${count} id${count === 1 ? '' : 's'}`;
		return {
			measure: `Trigger, WhoisXML ${result.count.toLocaleString('en-US')} watched id${result.count === 1 ? '' : 's'}: status calls per poll`,
			ours: `${result.maxCalls} call${result.maxCalls === 1 ? '' : 's'} × ${result.minPerCall === result.maxPerCall ? ids(result.minPerCall) : `${result.minPerCall}–${result.maxPerCall} ids`}`,
			reference: `one call per job: ${Math.min(result.count, result.maxCalls * 100)} call${Math.min(result.count, result.maxCalls * 100) === 1 ? '' : 's'}`,
			ratio: '',
			target: `${ids(expected)} per call`,
			status: status(result.minPerCall >= expected),
			spread:
				result.count > 100
					? `all ${result.covered} checked in ${result.pollsToCover} polls`
					: 'deterministic',
		};
	});
	for (const cold of colds) {
		rows.push({
			measure: `Trigger, SimpleCold 100 jobs, most calls in any minute (${cold.label})`,
			ours: `${cold.maxInWindow} (${cold.calls} in ${cold.polls} polls / 10 min)`,
			reference: `429 answers: ${cold.rateLimited}`,
			ratio: '',
			target: '≤ 10 a minute',
			status: status(cold.maxInWindow <= 10 && cold.rateLimited === 0),
			spread: `${cold.checked}/100 jobs checked`,
		});
	}
	emit({
		bench: 4,
		title: 'Trigger cost',
		rows,
		notes: [
			'Bench 4: WhoisXML has no documented rate limit, so the trigger keeps to 30 calls a minute (its default); 10,000 ids are therefore covered over successive polls, 100 ids per call. SimpleCold polls include a reactivation 10 s after a poll and another poll 5 s later.',
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
