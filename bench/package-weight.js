'use strict';

/**
 * Bench 5: package weight. Time to require every node and credential from dist/ and instantiate it,
 * cold, each measurement in a fresh Node process (target ≤ 50 ms; n8n-workflow, the peer dependency
 * every n8n process has loaded already, is loaded before the timing; the figure with it is shown
 * too), and the size of the tarball `npm pack` would publish (target ≤ 200 KB).
 */

const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { runChild } = require('./lib/child');
const { summarize, ms, kb, range } = require('./lib/stats');
const { emit, status, argValue, log } = require('./lib/report');

const ROOT = path.resolve(__dirname, '..');
const REQUIRE_TARGET_MS = 50;
const TARBALL_TARGET = 200 * 1024;

async function main() {
	const runs = Number(argValue('runs', 9));
	const child = path.join(__dirname, 'package-weight.child.js');
	const own = [];
	const cold = [];
	for (let round = 0; round < runs; round++) {
		own.push((await runChild(child, ['with-peers'], { nodeArgs: [] })).ms);
		cold.push((await runChild(child, ['cold'], { nodeArgs: [] })).ms);
	}
	const ownTime = summarize(own);
	const coldTime = summarize(cold);
	log(
		`require: ${own.map((value) => value.toFixed(1)).join(', ')} ms; with n8n-workflow: ${cold.map((value) => value.toFixed(0)).join(', ')} ms`,
	);

	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const packed = JSON.parse(
		execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	)[0];
	const biggest = [...packed.files]
		.sort((a, b) => b.size - a.size)
		.slice(0, 3)
		.map((file) => `${file.path} ${kb(file.size)}`);
	log(
		`tarball ${kb(packed.size)} (${packed.entryCount} files, ${kb(packed.unpackedSize)} unpacked); biggest: ${biggest.join(', ')}`,
	);

	emit({
		bench: 5,
		title: 'Package weight',
		rows: [
			{
				measure: 'Require + instantiate 2 nodes + 4 credentials (cold process)',
				ours: ms(ownTime.median),
				reference: `incl. loading n8n-workflow ${ms(coldTime.median)}`,
				ratio: '',
				target: `≤ ${REQUIRE_TARGET_MS} ms`,
				status: status(ownTime.median <= REQUIRE_TARGET_MS),
				spread: range(ownTime, ms),
			},
			{
				measure: 'Packed tarball (npm pack)',
				ours: kb(packed.size),
				reference: `${packed.entryCount} files, ${kb(packed.unpackedSize)} unpacked`,
				ratio: '',
				target: `≤ ${TARBALL_TARGET / 1024} KB`,
				status: status(packed.size <= TARBALL_TARGET),
				spread: 'deterministic',
			},
		],
		notes: [
			`Bench 5: ${runs} fresh processes per figure. n8n-workflow (the peer dependency; zod comes with it) is loaded by n8n before any community package, so the target applies to the package's own files.`,
		],
	});
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
