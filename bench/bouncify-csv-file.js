'use strict';

/**
 * Bench 2: a 500,000-row Bouncify result CSV, fetched by the node as one binary CSV file
 * (Job → Get Results, Output = One CSV File). Each run is a fresh child process so that its peak RSS
 * (the kernel's high-water mark, reset right before the run) belongs to that run alone; the simulator
 * serving the file runs here, in the parent. Compared with a raw download of the same file streamed to
 * disk. Targets: peak RSS growth ≤ 1.5× the downloaded file's size, time ≤ 1.5× the raw download's.
 */

const path = require('node:path');

const { simulators } = require('./lib/harness');
const { runChild } = require('./lib/child');
const { summarize, ms, mb, ratio, range } = require('./lib/stats');
const { emit, status, argValue, log } = require('./lib/report');

const ROWS = 500_000;
const TARGET = 1.5;

async function main() {
	const runs = Number(argValue('runs', 3));
	const sim = await simulators.startSimulator('bouncify', {
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	const job = sim.seedJob(ROWS);
	const child = path.join(__dirname, 'bouncify-csv-file.child.js');
	const node = [];
	const raw = [];
	for (let round = 0; round < runs; round++) {
		raw.push(await runChild(child, ['raw', sim.baseUrl, sim.apiKey, job.id]));
		node.push(
			await runChild(child, ['node', sim.baseUrl, sim.apiKey, job.id], { timeoutMs: 300_000 }),
		);
		const last = node[node.length - 1];
		if (last.result.rows !== ROWS)
			throw new Error(`the node wrote ${last.result.rows} rows, expected ${ROWS}`);
		log(
			`round ${round + 1}/${runs}: raw ${ms(raw[round].elapsedMs)} / ${mb(raw[round].peakGrowth)}, node ${ms(last.elapsedMs)} / ${mb(last.peakGrowth)}`,
		);
	}
	await sim.close();

	const fileBytes = raw[0].result.downloadBytes;
	const outputBytes = node[0].result.outputBytes;
	const growth = summarize(node.map((run) => run.peakGrowth / fileBytes));
	const rawGrowth = summarize(raw.map((run) => run.peakGrowth / fileBytes));
	const time = summarize(node.map((run, index) => run.elapsedMs / raw[index].elapsedMs));
	const nodeMs = summarize(node.map((run) => run.elapsedMs));
	const rawMs = summarize(raw.map((run) => run.elapsedMs));
	const nodeGrowth = summarize(node.map((run) => run.peakGrowth));
	emit({
		bench: 2,
		title: 'Bouncify 500,000-row CSV as a binary file',
		rows: [
			{
				measure: 'Bouncify 500k CSV → file: peak RSS growth',
				ours: mb(nodeGrowth.median),
				reference: `downloaded file ${mb(fileBytes)}`,
				ratio: ratio(growth.median),
				target: `≤ ${TARGET.toFixed(2)}×`,
				status: status(growth.median <= TARGET),
				spread: range(growth),
			},
			{
				measure: 'Bouncify 500k CSV → file: time',
				ours: ms(nodeMs.median),
				reference: `raw download to disk ${ms(rawMs.median)}`,
				ratio: ratio(time.median),
				target: `≤ ${TARGET.toFixed(2)}×`,
				status: status(time.median <= TARGET),
				spread: range(time),
			},
		],
		notes: [
			`Bench 2: ${runs} runs each, one child process per run; output file ${mb(outputBytes)} (normalized + raw columns); the raw download's own peak RSS growth was ${ratio(rawGrowth.median)} the file.`,
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
