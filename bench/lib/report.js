'use strict';

/**
 * A bench script reports rows for the table: it prints one JSON line `{ bench, title, rows, notes }`
 * on stdout when run by bench/run.js, or the table itself when run on its own.
 */

const { machine } = require('./machine');

/**
 * @typedef {object} Row
 * @property {string} measure    what was measured
 * @property {string} ours       the package's figure (median)
 * @property {string} reference  what it is compared with (median), or ''
 * @property {string} ratio      ours / reference (median of per-run ratios), or ''
 * @property {string} target     the target, or '' for an informational row
 * @property {'met' | 'MISSED' | 'info'} status
 * @property {string} spread     min–max over the runs
 */

function status(met) {
	return met ? 'met' : 'MISSED';
}

function pad(text, width) {
	return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** One plain-text table (also valid Markdown). */
function formatTable(results) {
	const header = [
		'#',
		'Measure',
		'Package',
		'Compared with',
		'Ratio',
		'Target',
		'Result',
		'Spread (min–max)',
	];
	const lines = [];
	for (const result of results) {
		for (const row of result.rows) {
			lines.push([
				String(result.bench),
				row.measure,
				row.ours,
				row.reference,
				row.ratio,
				row.target,
				row.status,
				row.spread,
			]);
		}
	}
	const widths = header.map((title, column) =>
		Math.max([...title].length, ...lines.map((line) => [...line[column]].length)),
	);
	const render = (cells) =>
		`| ${cells.map((cell, column) => pad(cell, widths[column])).join(' | ')} |`;
	return [
		render(header),
		`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
		...lines.map(render),
	].join('\n');
}

function machineLine() {
	const m = machine();
	return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}`;
}

/** Prints the result for bench/run.js (JSON) or as a table when the script runs alone. */
function emit(result) {
	if (process.argv.includes('--json')) {
		process.stdout.write(`${JSON.stringify(result)}\n`);
		return;
	}
	process.stdout.write(`${formatTable([result])}\n\n${machineLine()}\n`);
	for (const note of result.notes ?? []) process.stdout.write(`- ${note}\n`);
}

function argValue(name, fallback) {
	const found = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	return found ? found.slice(name.length + 3) : fallback;
}

/** Progress goes to stderr so stdout stays one JSON line. */
function log(message) {
	process.stderr.write(`  ${message}\n`);
}

module.exports = { status, formatTable, machineLine, emit, argValue, log };
