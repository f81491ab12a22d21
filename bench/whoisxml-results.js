'use strict';

/**
 * Bench 1: a 50,000-email WhoisXML job, fetched and normalized.
 *
 * - Floor: a raw `fetch` + `JSON.parse` of `/request/completed` from the same simulator, in this process.
 * - Package, adapter: `provider.getResults()` through the real adapter on a real n8n-core ExecuteContext
 *   (n8n's HTTP helper with the credential applied, redaction, validation, normalization). Target ≤ 1.25×.
 * - Package, node: Bulk Verify → Job → Get Results (status + results → 50,000 items) through n8n-core's
 *   WorkflowExecute, against the DIY stand-in (HTTP request + Code-node mapping) through the same engine.
 *
 * Each ratio is taken within one round from two runs back to back (alternating which goes first);
 * the table shows the median ratio and its range over the rounds. Garbage is collected before every run.
 */

const { harness, simulators, dist } = require('./lib/harness');
const { DiyWhoisxmlResults } = require('./lib/diy-nodes');
const { settle } = require('./lib/memory');
const { summarize, ms, ratio, range } = require('./lib/stats');
const { emit, status, argValue, log } = require('./lib/report');

const EMAILS = 50_000;
const TARGET = 1.25;

async function timed(fn) {
	settle();
	const cpu = process.cpuUsage();
	const started = performance.now();
	const count = await fn();
	const elapsed = performance.now() - started;
	const used = process.cpuUsage(cpu);
	return { elapsed, cpu: (used.user + used.system) / 1000, count };
}

async function main() {
	const runs = Number(argValue('runs', 15));
	const sim = await simulators.startSimulator('whoisxml', {
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	const job = sim.seedJob(EMAILS);
	const credentials = { whoisXmlApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } };
	const ctx = await harness.createExecuteContext({ credentials });
	const { createProvider } = dist('nodes/shared/providers');
	const { BulkVerify } = dist('nodes/BulkVerify/BulkVerify.node');

	let payloadBytes = 0;
	const variants = {
		floor: async () => {
			const response = await fetch(`${sim.baseUrl}/api/bevService/request/completed`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({ apiKey: sim.apiKey, id: Number(job.id), format: 'json' }),
			});
			const text = await response.text();
			payloadBytes = Buffer.byteLength(text);
			return JSON.parse(text).response.length;
		},
		adapter: async () => (await createProvider('whoisxml', ctx).getResults(job.id)).length,
		node: async () => {
			const result = await harness.executeNode(new BulkVerify(), {
				parameters: {
					provider: 'whoisxml',
					resource: 'job',
					operation: 'getResults',
					jobIds: job.id,
				},
				credentials,
			});
			if (result.error) throw result.error;
			return result.items.length;
		},
		diy: async () => {
			const result = await harness.executeNode(new DiyWhoisxmlResults(), {
				parameters: { baseUrl: sim.baseUrl, apiKey: sim.apiKey, jobId: job.id },
			});
			if (result.error) throw result.error;
			return result.items.length;
		},
	};

	const times = { floor: [], adapter: [], node: [], diy: [] };
	const cpu = { floor: [], adapter: [], node: [], diy: [] };
	const names = Object.keys(variants);
	// Each round runs the two pairs that are compared (floor/adapter, node/diy) back to back, in an
	// order that alternates, so a noisy moment hits both sides of a ratio alike.
	const pairs = [
		['floor', 'adapter'],
		['diy', 'node'],
	];
	for (let round = -1; round < runs; round++) {
		for (const pair of pairs) {
			const order = round % 2 === 0 ? pair : [...pair].reverse();
			for (const name of order) {
				const { elapsed, cpu: used, count } = await timed(variants[name]);
				if (count !== EMAILS) throw new Error(`${name} returned ${count} rows, expected ${EMAILS}`);
				if (round >= 0) {
					times[name].push(elapsed);
					cpu[name].push(used);
				}
			}
		}
		if (round >= 0)
			log(
				`round ${round + 1}/${runs}: ${names.map((name) => `${name} ${ms(times[name][round])}`).join(', ')}`,
			);
	}
	await sim.close();

	const per = (a, b, sample = times) =>
		summarize(sample[a].map((value, index) => value / sample[b][index]));
	const adapterRatio = per('adapter', 'floor');
	const adapterCpu = per('adapter', 'floor', cpu);
	const nodeRatio = per('node', 'floor');
	const nodeVsDiy = per('node', 'diy');
	const t = Object.fromEntries(names.map((name) => [name, summarize(times[name])]));
	emit({
		bench: 1,
		title: 'WhoisXML 50,000-email results',
		rows: [
			{
				measure: 'WhoisXML 50k: fetch + normalize (adapter, n8n ExecuteContext)',
				ours: ms(t.adapter.median),
				reference: `raw fetch + JSON.parse ${ms(t.floor.median)}`,
				ratio: ratio(adapterRatio.median),
				target: `≤ ${TARGET.toFixed(2)}×`,
				status: status(adapterRatio.median <= TARGET),
				spread: range(adapterRatio),
			},
			{
				measure: 'WhoisXML 50k: node Get Results → 50k items (n8n-core engine)',
				ours: ms(t.node.median),
				reference: `raw fetch + JSON.parse ${ms(t.floor.median)}`,
				ratio: ratio(nodeRatio.median),
				target: '',
				status: 'info',
				spread: range(nodeRatio),
			},
			{
				measure: 'WhoisXML 50k: node Get Results vs DIY HTTP + Code mapping (same engine)',
				ours: ms(t.node.median),
				reference: `DIY node ${ms(t.diy.median)}`,
				ratio: ratio(nodeVsDiy.median),
				target: '',
				status: 'info',
				spread: range(nodeVsDiy),
			},
		],
		notes: [
			`Bench 1: ${runs} rounds; payload ${EMAILS} rows (${(payloadBytes / 1024 / 1024).toFixed(1)} MB of JSON) from the WhoisXML simulator, generated per request for both sides in the same process. CPU time (all threads of the process) adapter ÷ floor: ${ratio(adapterCpu.median)} (${range(adapterCpu)}).`,
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
