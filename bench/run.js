'use strict';

/**
 * `npm run bench`: builds dist/ (the npm script does), runs every bench in its own process and prints
 * one table with the target beside each figure, then the machine and the notes.
 *
 *   node bench/run.js [--only=1,2] [--quick]     --quick: fewer runs, for a smoke test
 */

const path = require('node:path');
const fs = require('node:fs');

const { runChild } = require('./lib/child');
const { formatTable, machineLine, argValue } = require('./lib/report');

const BENCHES = [
	{ id: '1', script: 'whoisxml-results.js', runs: 15, quick: 2 },
	{ id: '1', script: 'n8n-workflows.js', runs: 5, quick: 1, optional: true },
	{ id: '2', script: 'bouncify-csv-file.js', runs: 3, quick: 1 },
	{ id: '3', script: 'create-job.js', runs: 5, quick: 1 },
	{ id: '4', script: 'trigger-cost.js' },
	{ id: '5', script: 'package-weight.js', runs: 9, quick: 3 },
	{ id: '6', script: 'second-opinion.js' },
	{ id: '7', script: 'csv-file-paths.js', runs: 3, quick: 1 },
];

async function main() {
	const only = argValue('only', '').split(',').filter(Boolean);
	const quick = process.argv.includes('--quick');
	const results = [];
	const failures = [];
	const started = Date.now();
	for (const bench of BENCHES) {
		if (only.length > 0 && !only.includes(bench.id)) continue;
		const script = path.join(__dirname, bench.script);
		if (!fs.existsSync(script)) continue;
		const args = ['--json'];
		if (bench.runs !== undefined) args.push(`--runs=${quick ? bench.quick : bench.runs}`);
		process.stderr.write(`bench ${bench.id}: ${bench.script}\n`);
		const benchStarted = Date.now();
		try {
			results.push(await runChild(script, args, { timeoutMs: 600_000 }));
		} catch (error) {
			failures.push(`${bench.script}: ${error.message.split('\n')[0]}`);
			process.stderr.write(`${error.message}\n`);
		}
		process.stderr.write(`  (${((Date.now() - benchStarted) / 1000).toFixed(0)} s)\n`);
	}
	process.stdout.write(`\n${formatTable(results)}\n\n${machineLine()}\n`);
	for (const result of results)
		for (const note of result.notes ?? []) process.stdout.write(`- ${note}\n`);
	for (const failure of failures) process.stdout.write(`- FAILED: ${failure}\n`);
	process.stdout.write(`- Total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
	if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
