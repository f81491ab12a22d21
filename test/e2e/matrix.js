#!/usr/bin/env node
'use strict';

/**
 * The real-n8n e2e test (run.js) once per n8n version (npm run test:e2e:matrix; CI runs this).
 *
 * 1. Asks the npm registry which n8n versions it lists (npm view n8n versions) and picks, per line of
 *    versions.js, the newest: today 1.123.x (the last 1.x) and 2.x.
 * 2. A newest version that is not the line's known-good one is installed first (scripts/n8n-runtime.sh
 *    install); when that fails the matrix says "<version>: not installable (<npm's reason>)" and tests
 *    the known-good version instead, without counting a failure.
 * 3. Runs run.js per version, one after the other (same ports), with N8N_VERSION set; its output goes
 *    through as it comes, its closing "N passed, N failed" line turned into "n8n <version>: …".
 * 4. Prints which versions were tested and why, the time of each, and ends with ONE line
 *    "N passed, N failed", summed over the versions (a run without a summary counts as one failure).
 *
 * Env: E2E_N8N_VERSIONS="1.123.81 2.41.1" tests exactly these (no registry, no fallback); the
 * E2E_* ports and E2E_KEEP of run.js pass through.
 */

const { spawn, execFile } = require('node:child_process');
const path = require('node:path');
const { plan, planOf, sumSummaries, summaryOf } = require('./versions');

const REPO = path.resolve(__dirname, '..', '..');
const RUNTIME = path.join(REPO, 'scripts', 'n8n-runtime.sh');
const RUN = path.join(__dirname, 'run.js');

const log = (line = '') => process.stdout.write(`${line}\n`);
const minutes = (ms) => `${(ms / 60_000).toFixed(1)} min`;

let current; // the child running now
let interrupted;

/** The versions the registry lists, or { error } when it cannot be asked. */
function listedVersions() {
	return new Promise((resolve) =>
		execFile(
			'npm',
			['view', 'n8n', 'versions', '--json'],
			{ timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) return resolve({ error: (stderr || error.message).trim().split('\n')[0] });
				try {
					const versions = JSON.parse(stdout);
					resolve(Array.isArray(versions) ? { versions } : { error: 'unexpected answer' });
				} catch {
					resolve({ error: 'unreadable answer' });
				}
			},
		),
	);
}

/**
 * Runs a child with N8N_VERSION set, its output passed through line by line (`transform` may rewrite a
 * complete line; a partial line, such as a progress dot, goes out at once unless it could become one
 * the transform rewrites). Resolves with its exit code and everything it printed.
 */
function runChild(command, args, version, { transform = (line) => line, prefix = '' } = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			cwd: REPO,
			env: { ...process.env, N8N_VERSION: version },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		current = child;
		let output = '';
		let held = '';
		let midLine = false;
		const onData = (chunk) => {
			const text = chunk.toString();
			output += text;
			const parts = (held + text).split('\n');
			held = parts.pop();
			for (const line of parts) {
				process.stdout.write(midLine ? `${line}\n` : `${prefix}${transform(line)}\n`);
				midLine = false;
			}
			if (held !== '' && !/^\d/.test(held)) {
				process.stdout.write(midLine ? held : `${prefix}${held}`);
				midLine = true;
				held = '';
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('close', (code, signal) => {
			if (held !== '')
				process.stdout.write(midLine ? `${held}\n` : `${prefix}${transform(held)}\n`);
			else if (midLine) process.stdout.write('\n');
			current = undefined;
			resolve({ code: code ?? (signal ? 128 : 1), output });
		});
		child.on('error', (error) => {
			current = undefined;
			resolve({ code: -1, output: `${output}\n${error.message}` });
		});
	});
}

/** Installs one n8n (cached after the first time); { ok, reason }. */
async function install(version) {
	log(`\n== install n8n ${version} (scripts/n8n-runtime.sh install)`);
	const { code, output } = await runChild('bash', [RUNTIME, 'install'], version, {
		prefix: '  | ',
	});
	if (code === 0) return { ok: true };
	const errors = [...output.matchAll(/ERROR: (.*)/g)].map((match) => match[1]);
	const reason = (errors.pop() ?? `exit ${code}`).replace(/^npm install \S+ failed: /, '');
	return { ok: false, reason };
}

/** run.js for one version; its summary line is renamed so the matrix's own is the only plain one. */
async function suite(version) {
	log(`\n######## n8n ${version}: npm run test:e2e with N8N_VERSION=${version}\n`);
	const t0 = Date.now();
	const { output } = await runChild('node', [RUN], version, {
		transform: (line) => (/^\d+ passed, \d+ failed$/.test(line) ? `n8n ${version}: ${line}` : line),
	});
	return { summary: summaryOf(output), ms: Date.now() - t0 };
}

async function main() {
	const t0 = Date.now();
	log(`n8n version matrix for the e2e test (${new Date().toISOString()})`);
	let entries;
	if (process.env.E2E_N8N_VERSIONS) {
		entries = planOf(process.env.E2E_N8N_VERSIONS);
		log(`  versions from E2E_N8N_VERSIONS: ${entries.map((e) => e.candidate).join(', ')}`);
	} else {
		const listed = await listedVersions();
		if (listed.error) log(`  the registry could not be asked (${listed.error}): known versions`);
		entries = plan(listed.versions);
		for (const entry of entries)
			log(
				`  ${entry.line}: ${entry.candidate}${entry.fallback ? ` (newest listed; falls back to ${entry.fallback})` : ''}`,
			);
	}

	const notInstallable = [];
	const results = [];
	for (const entry of entries) {
		if (interrupted) break;
		let version = entry.candidate;
		let why = entry.why;
		if (entry.fallback) {
			const installed = await install(entry.candidate);
			if (interrupted) break;
			if (!installed.ok) {
				const line = `${entry.candidate}: not installable (${installed.reason})`;
				notInstallable.push(line);
				log(`  ${line}; testing ${entry.fallback} instead`);
				version = entry.fallback;
				why = `instead of ${entry.candidate}`;
			}
		}
		const result = await suite(version);
		results.push({ ...result, version, why, line: entry.line });
	}

	const total = sumSummaries(results.map((result) => result.summary));
	// An interrupted run.js counts the interruption itself; an interruption between runs counts here.
	if (interrupted) total.failed = Math.max(total.failed, 1);
	log('\n== n8n version matrix');
	for (const line of notInstallable) log(`  ${line}`);
	for (const { version, why, line, summary, ms } of results)
		log(
			`  n8n ${version} (${line}, ${why}): ${summary ? `${summary.passed} passed, ${summary.failed} failed` : 'no summary (counted as 1 failed)'} in ${minutes(ms)}`,
		);
	if (interrupted) log(`  interrupted by ${interrupted}`);
	log(
		`  tested: ${results.map((result) => result.version).join(', ') || 'none'} (${minutes(Date.now() - t0)})`,
	);
	log(`\n${total.passed} passed, ${total.failed} failed`);
	process.exitCode = total.failed > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		// Ctrl-C and `timeout` signal the whole process group, run.js included: it stops its own processes
		// and prints its summary, then the matrix stops and adds up. Only a signal sent to the matrix
		// alone leaves run.js running: it gets the signal passed on if it is still there after 10 s.
		interrupted = signal;
		const child = current;
		setTimeout(() => {
			if (child && child === current) child.kill(signal);
		}, 10_000).unref();
	});
}

main().catch((error) => {
	log(`\nABORTED: ${error instanceof Error ? error.stack : error}`);
	log('\n0 passed, 1 failed');
	process.exitCode = 1;
});
