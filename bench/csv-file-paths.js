'use strict';

/**
 * Bench 7: the other ways a 500,000-row result CSV file is made, each run in a fresh child process
 * (peak RSS reset right before the run; the simulator runs here, in the parent):
 *
 * - several jobs in one file: Job → Get Results of five 100,000-row Bouncify jobs, One CSV File;
 * - Create with Wait for Completion as a CSV file: Job → Create from 500,000 input items (Bouncify's
 *   10 MB upload limit makes it two jobs), Start Now, Wait for Completion, One CSV File. The input
 *   items, the list and the upload are held by the run whatever its output; the target is on the
 *   results phase (from the first download request on: the peak over the RSS at that moment);
 * - the trigger's "Job and Results as CSV File": the activation poll of a finished 500,000-row job.
 *
 * Target for each: peak RSS growth ≤ 1.5× the size of the downloads. Times are compared with raw
 * downloads of the same files streamed to disk (informational).
 */

const path = require('node:path');

const { simulators } = require('./lib/harness');
const { runChild } = require('./lib/child');
const { summarize, ms, mb, ratio, range } = require('./lib/stats');
const { emit, status, argValue, log } = require('./lib/report');

const ROWS = 500_000;
const JOBS = 5;
const TARGET = 1.5;
const CHILD = path.join(__dirname, 'csv-file-paths.child.js');

/** Bytes of every download body the simulator sent since its log was cleared. */
function downloadedBytes(sim) {
	return sim.requests
		.filter((request) => request.route === 'download' && request.status === 200)
		.reduce((sum, request) => sum + request.bytesSent, 0);
}

function check(run, rows, what) {
	if (run.result.rows !== rows)
		throw new Error(`${what}: the file has ${run.result.rows} rows, expected ${rows}`);
}

async function downloadsBench(runs, mode, jobIds, title) {
	const sim = await simulators.startSimulator('bouncify', {
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	const ids = jobIds(sim);
	const node = [];
	const raw = [];
	for (let round = 0; round < runs; round++) {
		const pair = round % 2 === 0 ? ['raw', mode] : [mode, 'raw'];
		for (const which of pair) {
			sim.clearLog();
			const run = await runChild(CHILD, [which, sim.baseUrl, sim.apiKey, ids.join(',')], {
				timeoutMs: 600_000,
			});
			run.downloaded = downloadedBytes(sim);
			(which === 'raw' ? raw : node).push(run);
		}
		check(node[round], ROWS, title);
		log(
			`${title} round ${round + 1}/${runs}: raw ${ms(raw[round].elapsedMs)}, node ${ms(node[round].elapsedMs)} / ${mb(node[round].peakGrowth)}`,
		);
	}
	sim.clearLog();
	await sim.close();
	return { node, raw };
}

async function createBench(runs) {
	const sim = await simulators.startSimulator('bouncify', {
		jobDurationMs: 0,
		perEmailMs: 0,
		rateLimitPerMinute: Infinity,
		credits: 100 * ROWS,
	});
	const node = [];
	for (let round = 0; round < runs; round++) {
		sim.clearLog();
		const run = await runChild(CHILD, ['create', sim.baseUrl, sim.apiKey], { timeoutMs: 600_000 });
		run.downloaded = downloadedBytes(sim);
		check(run, ROWS, 'create');
		node.push(run);
		log(
			`create round ${round + 1}/${runs}: ${ms(run.elapsedMs)}, peak ${mb(run.peakGrowth)}, results phase ${mb(run.resultsPeakGrowth)} (${run.result.jobs} jobs, downloads ${mb(run.downloaded)})`,
		);
	}
	sim.clearLog();
	await sim.close();
	return node;
}

function memoryRow(measure, runs, growthOf) {
	const growth = summarize(runs.map((run) => growthOf(run) / run.downloaded));
	const absolute = summarize(runs.map(growthOf));
	return {
		measure,
		ours: mb(absolute.median),
		reference: `downloads ${mb(runs[0].downloaded)}`,
		ratio: ratio(growth.median),
		target: `≤ ${TARGET.toFixed(2)}×`,
		status: status(growth.median <= TARGET),
		spread: range(growth),
	};
}

function timeRow(measure, { node, raw }) {
	const time = summarize(node.map((run, index) => run.elapsedMs / raw[index].elapsedMs));
	return {
		measure,
		ours: ms(summarize(node.map((run) => run.elapsedMs)).median),
		reference: `raw downloads to disk ${ms(summarize(raw.map((run) => run.elapsedMs)).median)}`,
		ratio: ratio(time.median),
		target: '',
		status: 'info',
		spread: range(time),
	};
}

async function main() {
	const runs = Number(argValue('runs', 3));
	const several = await downloadsBench(
		runs,
		'several',
		(sim) => Array.from({ length: JOBS }, () => sim.seedJob(ROWS / JOBS).id),
		'several',
	);
	const trigger = await downloadsBench(runs, 'trigger', (sim) => [sim.seedJob(ROWS).id], 'trigger');
	const create = await createBench(runs);
	const createMs = summarize(create.map((run) => run.elapsedMs));
	emit({
		bench: 7,
		title: 'The other 500,000-row CSV files',
		rows: [
			memoryRow(
				'Several jobs (5 × 100k) → one file: peak RSS growth',
				several.node,
				(run) => run.peakGrowth,
			),
			timeRow('Several jobs (5 × 100k) → one file: time', several),
			memoryRow(
				'Create 500k + Wait → file: peak RSS growth, results phase',
				create,
				(run) => run.resultsPeakGrowth,
			),
			{
				...memoryRow(
					'Create 500k + Wait → file: peak RSS growth, whole run',
					create,
					(run) => run.peakGrowth,
				),
				target: '',
				status: 'info',
			},
			{
				measure: 'Create 500k + Wait → file: time (upload, wait, results)',
				ours: ms(createMs.median),
				reference: '',
				ratio: '',
				target: '',
				status: 'info',
				spread: `${ms(createMs.min)}–${ms(createMs.max)} (n=${createMs.n})`,
			},
			memoryRow(
				'Trigger, 500k job → CSV file: peak RSS growth',
				trigger.node,
				(run) => run.peakGrowth,
			),
			timeRow('Trigger, 500k job → CSV file: time', trigger),
		],
		notes: [
			`Bench 7: ${runs} runs each, one child process per run; output files ${mb(several.node[0].result.outputBytes)} (several), ${mb(create[0].result.outputBytes)} (create, ${create[0].result.jobs} jobs), ${mb(trigger.node[0].result.outputBytes)} (trigger). The Create run holds its 500,000 input items, the list and the upload whatever its output: the target is on its results phase.`,
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
