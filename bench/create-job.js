'use strict';

/**
 * Bench 3: Job → Create from 100,000 input items (address check, de-duplication, upload; Bouncify, one
 * list) with Bulk Verify against the same done by a DIY Code-node stand-in, both through n8n-core's
 * engine (`executeNode`, which, like n8n, copies the input items into the execution). Time and peak
 * RSS growth, each run in a fresh child process; the simulator runs here, in the parent.
 */

const path = require('node:path');

const { simulators } = require('./lib/harness');
const { runChild } = require('./lib/child');
const { summarize, ms, mb, ratio, range } = require('./lib/stats');
const { emit, argValue, log } = require('./lib/report');

async function main() {
	const runs = Number(argValue('runs', 5));
	const sim = await simulators.startSimulator('bouncify', {
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	const child = path.join(__dirname, 'create-job.child.js');
	const node = [];
	const diy = [];
	for (let round = 0; round < runs; round++) {
		const pair = round % 2 === 0 ? ['node', 'diy'] : ['diy', 'node'];
		for (const mode of pair) {
			const result = await runChild(child, [mode, sim.baseUrl, sim.apiKey]);
			(mode === 'node' ? node : diy).push(result);
		}
		sim.clearLog();
		log(
			`round ${round + 1}/${runs}: node ${ms(node[round].elapsedMs)} / ${mb(node[round].peakGrowth)}, diy ${ms(diy[round].elapsedMs)} / ${mb(diy[round].peakGrowth)}`,
		);
	}
	await sim.close();

	const time = summarize(node.map((run, index) => run.elapsedMs / diy[index].elapsedMs));
	const memory = summarize(node.map((run, index) => run.peakGrowth / diy[index].peakGrowth));
	const nodeMs = summarize(node.map((run) => run.elapsedMs));
	const diyMs = summarize(diy.map((run) => run.elapsedMs));
	const nodeMb = summarize(node.map((run) => run.peakGrowth));
	const diyMb = summarize(diy.map((run) => run.peakGrowth));
	const { submitted, duplicatesRemoved, notSubmitted } = node[0].result;
	emit({
		bench: 3,
		title: 'Create a job from 100,000 input items',
		rows: [
			{
				measure: 'Create from 100k items (check, de-dup, upload): time',
				ours: ms(nodeMs.median),
				reference: `DIY Code-node stand-in ${ms(diyMs.median)}`,
				ratio: ratio(time.median),
				target: '',
				status: 'info',
				spread: range(time),
			},
			{
				measure: 'Create from 100k items: peak RSS growth',
				ours: mb(nodeMb.median),
				reference: `DIY Code-node stand-in ${mb(diyMb.median)}`,
				ratio: ratio(memory.median),
				target: '',
				status: 'info',
				spread: range(memory),
			},
		],
		notes: [
			`Bench 3: ${runs} runs each in fresh processes; the node submitted ${submitted}, removed ${duplicatesRemoved} duplicates and set aside ${notSubmitted} non-addresses (the DIY stand-in: ${diy[0].result.submitted} / ${diy[0].result.duplicatesRemoved} / ${diy[0].result.notSubmitted}). The node's address check is stricter (RFC 5322 dot-atoms, label rules) than the DIY regex.`,
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
