#!/usr/bin/env node
'use strict';

/**
 * Browser test of the package in the real n8n editor (node test/editor/run.js).
 *
 * Starts scripts/demo.sh (build, pack, load into a throw-away n8n user folder, simulators, example
 * credentials and workflows) on free ports, signs in with Debian's Chromium through playwright-core
 * and runs the checks in test/editor/checks/, against the texts of the built node descriptions:
 *   1. add-node-panel: the node and the trigger each listed with their own description; every action
 *      once, under its resource's heading; the trigger's entry adds the trigger;
 *   2. provider-panels: per provider credential, every operation its dropdown offers, and each
 *      collection shown offers at least one option;
 *   3. provider-switch: Bouncify -> Check365 keeps Wait for Completion and a Wait Option;
 *   4. input-fields: Include Input Fields = All, executed in the editor, keeps each lead's fields.
 * Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure. Screenshots go to
 * EDITOR_TEST_OUT (default /tmp/editor-test/out).
 *
 * Env: EDITOR_TEST_OUT, EDITOR_TEST_N8N_PORT, EDITOR_TEST_SIM_PORT_BASE, CHROMIUM_PATH
 *      (/usr/bin/chromium), EDITOR_TEST_SCALE (device scale factor of the screenshots, 2),
 *      EDITOR_TEST_START_TIMEOUT_S (600), EDITOR_TEST_KEEP=1 keeps the work folder,
 *      EDITOR_TEST_BASE_URL: use an already running `npm run demo` instead of starting one.
 */

const fs = require('node:fs');
const path = require('node:path');

const { Fatal } = require('../e2e/lib');
const { BrowserSession, freePorts, shoot } = require('./session');
const { descriptions, exampleCredentials } = require('./described');

const CHECKS = [
	['1. add-node panel', require('./checks/add-node-panel')],
	['2. node panel per provider', require('./checks/provider-panels')],
	['3. provider switch keeps shared settings', require('./checks/provider-switch')],
	['4. Include Input Fields end to end', require('./checks/input-fields')],
];

const OUT_DIR = path.resolve(process.env.EDITOR_TEST_OUT || '/tmp/editor-test/out');
const SCALE = Number(process.env.EDITOR_TEST_SCALE || 2);
const START_TIMEOUT_MS = Number(process.env.EDITOR_TEST_START_TIMEOUT_S || 600) * 1000;
const KEEP = process.env.EDITOR_TEST_KEEP === '1';
const EXTERNAL_URL = process.env.EDITOR_TEST_BASE_URL;

const started = Date.now();
const log = (line = '') => process.stdout.write(`${line}\n`);
const secs = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const tally = { passed: 0, failed: 0 };
const failures = [];

function check(name, ok, detail) {
	if (ok) tally.passed++;
	else {
		tally.failed++;
		failures.push(name);
	}
	log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`);
	return Boolean(ok);
}

const session = new BrowserSession('bulk-verify-editor-test');
session.onInterrupt((signal) => {
	check(`not interrupted (${signal})`, false);
	log(`\n${tally.passed} passed, ${tally.failed} failed`);
});

async function runCheck(title, fn, context) {
	if (session.interrupted) return; // the browser is being closed: nothing left to check
	const t0 = Date.now();
	log(`\n== ${title}`);
	try {
		await fn(context);
	} catch (error) {
		if (session.interrupted) return;
		check(`${title}: no error`, false, (error?.message ?? String(error)).split('\n')[0]);
		const file = path.join(
			session.workDir,
			`failure-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`,
		);
		await context.page.screenshot({ path: file, timeout: 10_000 }).catch(() => {});
		log(`        failure screenshot: ${file}`);
		// Leave the panel/dialog for the next check.
		await context.page.keyboard.press('Escape').catch(() => {});
	} finally {
		log(`   (${title}: ${secs(t0)})`);
	}
}

async function main() {
	fs.mkdirSync(OUT_DIR, { recursive: true });
	let baseUrl = EXTERNAL_URL;
	if (!baseUrl) {
		const n8nPort = await freePorts(process.env.EDITOR_TEST_N8N_PORT, 5750, 5800, 2, 2);
		const simPortBase = await freePorts(process.env.EDITOR_TEST_SIM_PORT_BASE, 4501, 4800, 4, 10);
		baseUrl = `http://localhost:${n8nPort}`;
		const t0 = Date.now();
		log(`== start the demo: n8n on ${baseUrl}, simulators on ${simPortBase}-${simPortBase + 3}`);
		await session.startDemo({
			n8nPort,
			simPortBase,
			env: { DEMO_JOB_DURATION_MS: '2000' },
			timeoutMs: START_TIMEOUT_MS,
		});
		log(`   (demo up: ${secs(t0)})`);
	}
	const page = await session.openBrowser(baseUrl, { scale: SCALE });
	const context = {
		page,
		baseUrl,
		desc: descriptions(),
		creds: exampleCredentials(),
		runId: session.runId,
		check,
		shot: (name) => shoot(page, path.join(OUT_DIR, name)),
	};
	for (const [title, fn] of CHECKS) await runCheck(title, fn, context);
}

main()
	.catch((error) => {
		check(
			'test run: no fatal error',
			false,
			error instanceof Fatal ? error.message : error?.stack || String(error),
		);
	})
	.finally(async () => {
		await session.close({ keep: tally.failed > 0 || KEEP });
		log(`\ntotal ${secs(started)}; screenshots in ${OUT_DIR}`);
		if (failures.length) log(`failed: ${failures.join('; ')}`);
		log(`${tally.passed} passed, ${tally.failed} failed`);
		process.exit(session.interrupted ? 130 : tally.failed > 0 ? 1 : 0);
	});
