#!/usr/bin/env node
/* global AbortSignal, document, window */
'use strict';

/**
 * Browser test of the package in the real n8n editor (node test/editor/run.js).
 *
 * Starts scripts/demo.sh (build, pack, load into a throw-away n8n user folder, simulators, example
 * credentials and workflows) on free ports, signs in with Debian's Chromium through playwright-core
 * and checks:
 *   1. the add-node panel lists every Bulk Verify action once, under its resource's heading, and the
 *      trigger's three triggers (texts read from the built node descriptions in dist/);
 *   2. per provider credential, every operation its dropdown offers: each collection shown ("Add
 *      option") offers at least one option;
 *   3. switching the credential (Bouncify -> Check365) keeps Wait for Completion and a Wait Option;
 *   4. Include Input Fields = All, end to end: Code node (two leads) -> Bulk Verify Create with Wait
 *      for Completion on Check365 (simulator), executed in the editor; the output items carry `name`.
 * Prints PASS/FAIL lines and "N passed, N failed"; exits 1 on any failure. Screenshots go to
 * EDITOR_TEST_OUT (default /tmp/editor-test/out).
 *
 * Env: EDITOR_TEST_OUT, EDITOR_TEST_N8N_PORT, EDITOR_TEST_SIM_PORT_BASE, CHROMIUM_PATH
 *      (/usr/bin/chromium), EDITOR_TEST_SCALE (device scale factor of the screenshots, 2),
 *      EDITOR_TEST_START_TIMEOUT_S (600), EDITOR_TEST_KEEP=1 keeps the work folder,
 *      EDITOR_TEST_BASE_URL: use an already running `npm run demo` instead of starting one.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { Fatal, sleep, startProcess, stopProcess, killGroup, portFree } = require('../e2e/lib');

const REPO = path.resolve(__dirname, '..', '..');
const OUT_DIR = path.resolve(process.env.EDITOR_TEST_OUT || '/tmp/editor-test/out');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCALE = Number(process.env.EDITOR_TEST_SCALE || 2);
const START_TIMEOUT_MS = Number(process.env.EDITOR_TEST_START_TIMEOUT_S || 600) * 1000;
const KEEP = process.env.EDITOR_TEST_KEEP === '1';
const EXTERNAL_URL = process.env.EDITOR_TEST_BASE_URL;
const VIEWPORT = { width: 1440, height: 900 };
const OWNER = { email: 'demo@example.com', password: 'BulkVerify-demo-1' };
const BULK_VERIFY = 'n8n-nodes-bulk-email-verify.bulkVerify';
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
// Marker in the environment of everything the demo starts (it puts n8n and the simulators in
// sessions of their own), so left-overs can be found and killed.
const RUN_ID = `bulk-verify-editor-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

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

const state = { demo: null, browser: null, page: null, workDir: null, cleaning: null };

// ------------------------------------------------------------------------------------------------
// What the built package describes (the texts the editor must show)

function descriptions() {
	const file = path.join(REPO, 'dist', 'nodes', 'BulkVerify', 'BulkVerify.node.js');
	const triggerFile = path.join(
		REPO,
		'dist',
		'nodes',
		'BulkVerifyJobTrigger',
		'BulkVerifyJobTrigger.node.js',
	);
	const { BulkVerify } = require(file);
	const { BulkVerifyJobTrigger } = require(triggerFile);
	const node = new BulkVerify().description;
	const trigger = new BulkVerifyJobTrigger().description;
	const shownFor = (option, provider) =>
		!option.displayOptions?.show?.provider ||
		option.displayOptions.show.provider.includes(provider);
	const providers = node.properties.find((p) => p.name === 'provider').options;
	const resources = node.properties.find((p) => p.name === 'resource').options;
	const selectors = node.properties.filter((p) => p.name === 'operation');
	const operationsOf = (resource) =>
		selectors.find((p) => p.displayOptions?.show?.resource?.includes(resource))?.options ?? [];
	// Add-node panel: "<RESOURCE> ACTIONS" headings, each with its resource's actions.
	const groups = resources.map((r) => ({
		heading: `${r.name} actions`.toUpperCase(),
		actions: operationsOf(r.value).map((o) => o.action),
	}));
	const events = trigger.properties.find((p) => p.name === 'events');
	const triggers = (events?.options ?? []).map((o) => o.action).filter(Boolean);
	const credentialType = (provider) =>
		node.credentials.find((c) => c.displayOptions?.show?.provider?.includes(provider))?.name;
	const perProvider = providers.map((p) => ({
		value: p.value,
		name: p.name,
		credentialType: credentialType(p.value),
		resources: resources
			.filter((r) => shownFor(r, p.value))
			.map((r) => ({
				name: r.name,
				operations: operationsOf(r.value)
					.filter((o) => shownFor(o, p.value))
					.map((o) => o.name),
			})),
		notices: node.properties
			.filter((x) => x.type === 'notice' && x.displayOptions?.show?.provider?.includes(p.value))
			.map((x) => x.displayName),
	}));
	return { node, groups, triggers, perProvider };
}

function exampleCredentials() {
	const list = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', 'credentials.json'), 'utf8'));
	return Object.fromEntries(list.map((c) => [c.type, { id: c.id, name: c.name }]));
}

// ------------------------------------------------------------------------------------------------
// Processes

async function freeBase(fromEnv, preferred, to, count, stepSize) {
	if (fromEnv) return Number(fromEnv);
	for (let base = preferred; base + count <= to; base += stepSize) {
		const ports = Array.from({ length: count }, (_, i) => base + i);
		if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
	}
	throw new Fatal(`no ${count} free port(s) between ${preferred} and ${to}`);
}

const alive = (child) => child && child.exitCode === null && child.signalCode === null;

function markedProcesses() {
	const pids = [];
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return pids;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			if (fs.readFileSync(`/proc/${entry}/environ`).includes(`EDITOR_TEST_RUN_ID=${RUN_ID}\0`))
				pids.push(Number(entry));
		} catch {
			/* gone, or not ours */
		}
	}
	return pids;
}

function killMarked(signal) {
	for (const pid of markedProcesses()) {
		try {
			process.kill(pid, signal);
		} catch {
			/* gone */
		}
	}
}

async function startDemo(n8nPort, simPortBase) {
	state.demo = startProcess('bash', [path.join(REPO, 'scripts', 'demo.sh')], {
		env: {
			N8N_PORT: String(n8nPort),
			DEMO_SIM_PORT_BASE: String(simPortBase),
			DEMO_USER_FOLDER: path.join(state.workDir, 'n8n'),
			DEMO_JOB_DURATION_MS: '2000',
			EDITOR_TEST_RUN_ID: RUN_ID,
		},
		logFile: path.join(state.workDir, 'demo.log'),
	});
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (!/is running:\s+http/.test(state.demo.output())) {
		if (!alive(state.demo)) {
			log(state.demo.output().split('\n').slice(-30).join('\n'));
			throw new Fatal(`the demo exited (code ${state.demo.exitCode}) before n8n was ready`);
		}
		if (Date.now() > deadline)
			throw new Fatal(`the demo was not ready within ${START_TIMEOUT_MS / 1000} s`);
		await sleep(500);
	}
}

async function cleanup() {
	state.cleaning ??= (async () => {
		if (state.browser) await Promise.race([state.browser.close().catch(() => {}), sleep(10_000)]);
		state.browser = null;
		if (state.demo) {
			// SIGTERM: demo.sh's trap stops n8n and the simulators (20 s grace, then SIGKILL).
			if (alive(state.demo)) await stopProcess(state.demo, 30_000);
			if (markedProcesses().length > 0) {
				killMarked('SIGTERM');
				for (let i = 0; i < 20 && markedProcesses().length > 0; i++) await sleep(500);
				killMarked('SIGKILL');
			}
		}
		if (state.workDir) {
			if (tally.failed > 0 || KEEP)
				log(`\nwork folder kept (demo.log, failure.png): ${state.workDir}`);
			else fs.rmSync(state.workDir, { recursive: true, force: true });
		}
	})();
	return state.cleaning;
}

process.on('exit', () => {
	if (alive(state.demo)) killGroup(state.demo, 'SIGKILL');
	killMarked('SIGKILL');
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		if (interrupted) process.exit(130);
		interrupted = true;
		check(`not interrupted (${signal})`, false);
		cleanup().finally(() => {
			log(`\n${tally.passed} passed, ${tally.failed} failed`);
			process.exit(130);
		});
	});
}

// ------------------------------------------------------------------------------------------------
// REST API (its own session)

async function restSession(baseUrl) {
	const headers = { 'content-type': 'application/json', 'browser-id': `editor-test-${RUN_ID}` };
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		signal: AbortSignal.timeout(15_000),
	});
	if (login.status !== 200) throw new Fatal(`POST /rest/login answered HTTP ${login.status}`);
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	return async (method, route, body) => {
		const res = await fetch(`${baseUrl}/rest${route}`, {
			method,
			headers: { ...headers, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		if (!res.ok)
			throw new Fatal(`${method} /rest${route} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
		return JSON.parse(text);
	};
}

// ------------------------------------------------------------------------------------------------
// The editor

async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
	await page.fill('input[name="password"]', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function dismissPopups(page) {
	for (const selector of [
		'[data-test-id="suggested-actions-close"]',
		'.el-notification__closeBtn',
	]) {
		for (const element of await page.locator(selector).all())
			if (await element.isVisible().catch(() => false)) await element.click().catch(() => {});
	}
}

/** A new workflow with the add-node panel showing the Bulk Verify entry (actions expanded). */
async function openBulkVerifyEntry(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click('[data-test-id="canvas-add-button"]', { timeout: 60_000 });
	await page.fill(
		'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		'Bulk Verify',
	);
	const entry = page.locator('[data-test-id="item-iterator-item"]').filter({
		has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Bulk Verify$/ }),
	});
	await entry.first().click();
	const expander = page.getByText(/^Actions \(\d+\)$/);
	await expander.waitFor({ state: 'visible' });
	await expander.click();
	// The headings are upper-cased by CSS: wait on the rendered text.
	await page.waitForFunction(
		() =>
			/\bACTIONS\n/.test(document.querySelector('[data-test-id="node-creator"]')?.innerText ?? ''),
		null,
		{ timeout: 20_000, polling: 200 },
	);
	await page.waitForTimeout(300);
}

/** From the expanded entry: adds a Bulk Verify node (Job -> Create) and waits for its panel. */
async function addBulkVerifyNode(page, baseUrl, action) {
	await openBulkVerifyEntry(page, baseUrl);
	await page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }).click();
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'visible' });
	await page.waitForSelector('[data-test-id="node-parameters"]', { state: 'visible' });
	await page.waitForTimeout(500);
}

const visibleItems = (page) => page.locator('.el-select-dropdown__item:visible');

async function closeDropdown(page) {
	await page.keyboard.press('Escape');
	await page
		.waitForFunction(
			() =>
				![
					...document.querySelectorAll(
						'.el-select-dropdown__item, [data-test-id="collection-parameter-option"]',
					),
				].some((e) => e.offsetParent !== null && e.getClientRects().length > 0),
			null,
			{ timeout: 5_000, polling: 100 },
		)
		.catch(() => {});
}

/** Opens a dropdown and returns its options' first lines (their names). */
async function dropdownNames(page, trigger) {
	await trigger.click();
	await visibleItems(page).first().waitFor({ state: 'visible', timeout: 10_000 });
	return (await visibleItems(page).allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

/** Picks `name` in a parameter's dropdown (no-op when already chosen); returns the names offered. */
async function choose(page, parameter, name) {
	const names = await dropdownNames(
		page,
		page.locator(`[data-test-id="parameter-input-${parameter}"]`),
	);
	const index = names.indexOf(name);
	if (index < 0) {
		await closeDropdown(page);
		throw new Error(`${parameter}: "${name}" is not offered (${names.join(', ')})`);
	}
	await visibleItems(page).nth(index).click();
	await page.waitForTimeout(400);
	return names;
}

async function selectCredential(page, credential) {
	await page.click('[data-test-id="node-credentials-select"]');
	await page.click(`[data-test-id="node-credentials-select-item-${credential.id}"]`);
	await page.waitForFunction(
		(name) =>
			document.querySelector('[data-test-id="node-credentials-select"] input')?.value === name,
		credential.name,
		{ timeout: 10_000 },
	);
	await page.waitForTimeout(600);
}

const params = (page) => page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');

async function switchOn(page, parameter) {
	const sw = page.locator(`[data-test-id="parameter-input-${parameter}"] .el-switch`);
	if (!(await sw.count())) return false;
	if (!/is-checked/.test((await sw.getAttribute('class')) ?? '')) {
		await sw.click();
		await page.waitForTimeout(400);
	}
	return true;
}

async function isOn(page, parameter) {
	const sw = page.locator(`[data-test-id="parameter-input-${parameter}"] .el-switch`);
	return (await sw.count()) > 0 && /is-checked/.test((await sw.getAttribute('class')) ?? '');
}

/** Every "Add option" of the panel: its label and the options its dropdown offers. */
async function collections(page) {
	const adds = params(page).locator('[data-test-id="collection-parameter-add"]');
	const result = [];
	const count = await adds.count();
	for (let i = 0; i < count; i++) {
		const add = adds.nth(i);
		const label = await add.evaluate((element) => {
			for (let node = element.parentElement; node; node = node.parentElement) {
				const label = node.querySelector(
					':scope > * [data-test-id="input-label"], :scope > [data-test-id="input-label"]',
				);
				if (label && label.textContent.trim()) return label.textContent.trim().split('\n')[0];
				if (node.getAttribute('data-test-id') === 'node-parameters') break;
			}
			return '';
		});
		await add.scrollIntoViewIfNeeded();
		await add.click();
		const options = page.locator('[data-test-id="collection-parameter-option"]:visible');
		await options
			.first()
			.waitFor({ state: 'visible', timeout: 3_000 })
			.catch(() => {});
		const names = (await options.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
		await closeDropdown(page);
		result.push({ label: label || `collection ${i + 1}`, names });
	}
	// A collection whose options are all hidden shows "No properties" and no "Add option" at all;
	// before any value is set, every collection shows "No properties" once, so the two must match.
	const unset = await params(page).evaluate(
		(root) =>
			[...root.querySelectorAll('*')].filter(
				(e) =>
					e.children.length === 0 &&
					e.textContent.trim() === 'No properties' &&
					e.getClientRects().length > 0,
			).length,
	);
	// n8n shows a plain "Add ..." button instead of a dropdown for a collection of one option.
	const buttons = await params(page)
		.getByRole('button', { name: /^Add option/ })
		.count();
	return { found: result, unset, buttons };
}

async function parkMouse(page) {
	// The parameters from the top (the collection checks scroll the panel).
	await page
		.locator('[data-test-id="node-parameters"]')
		.evaluate((element) => {
			for (let node = element; node; node = node.parentElement)
				if (node.scrollHeight > node.clientHeight + 5) node.scrollTop = 0;
		})
		.catch(() => {});
	const box = await page
		.locator('[data-test-id="ndv"]')
		.boundingBox()
		.catch(() => null);
	if (box) await page.mouse.move(box.x + box.width * 0.6, box.y + 12);
	else await page.mouse.move(5, VIEWPORT.height - 5);
	await page.waitForTimeout(300);
}

async function shoot(page, name) {
	const file = path.join(OUT_DIR, name);
	await page.screenshot({ path: file });
	log(`        saved ${file} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

// ------------------------------------------------------------------------------------------------
// The checks

async function checkAddNodePanel(page, baseUrl, desc) {
	await openBulkVerifyEntry(page, baseUrl);
	const text = await page.locator('[data-test-id="node-creator"]').innerText();
	const lines = text
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const headings = desc.groups.map((g) => g.heading);
	// Which heading each line is under (undefined before the first action heading).
	let current;
	const under = new Map();
	for (const line of lines) {
		if (headings.includes(line)) current = line;
		else if (current) under.set(line, [...(under.get(line) ?? []), current]);
	}
	for (const group of desc.groups) {
		check(`panel: heading ${group.heading}`, lines.filter((l) => l === group.heading).length === 1);
		for (const action of group.actions) {
			const seen = lines.filter((l) => l === action).length;
			const where = under.get(action) ?? [];
			check(
				`panel: "${action}" once, under ${group.heading}`,
				seen === 1 && where.length === 1 && where[0] === group.heading,
				seen === 1 && where[0] === group.heading
					? ''
					: `seen ${seen}x, under ${where.join(', ') || 'none'}`,
			);
		}
	}
	const total = desc.groups.reduce((n, g) => n + g.actions.length, 0);
	check(`panel: "Actions (${total})"`, lines.includes(`Actions (${total})`));
	for (const trigger of desc.triggers)
		check(`panel: trigger "${trigger}" offered`, lines.filter((l) => l === trigger).length === 1);
	check(
		`panel: "Triggers (${desc.triggers.length})"`,
		lines.includes(`Triggers (${desc.triggers.length})`),
	);
	await page.mouse.move(400, 200);
	await page.waitForTimeout(300);
	await shoot(page, 'add-node-panel.png');
}

async function checkProviderPanels(page, baseUrl, desc, creds) {
	await addBulkVerifyNode(page, baseUrl, desc.groups[0].actions[0]);
	for (const provider of desc.perProvider) {
		const credential = creds[provider.credentialType];
		await selectCredential(page, credential);
		const resourceNames = await dropdownNames(
			page,
			page.locator('[data-test-id="parameter-input-resource"]'),
		);
		await closeDropdown(page);
		const expectedResources = provider.resources.map((r) => r.name);
		check(
			`${provider.name}: Resource offers ${expectedResources.join(', ')}`,
			JSON.stringify(resourceNames) === JSON.stringify(expectedResources),
			JSON.stringify(resourceNames) === JSON.stringify(expectedResources)
				? ''
				: `got ${resourceNames.join(', ')}`,
		);
		let shot = false;
		for (const resource of provider.resources) {
			if (!resourceNames.includes(resource.name)) continue;
			await choose(page, 'resource', resource.name);
			const offered = await dropdownNames(
				page,
				page.locator('[data-test-id="parameter-input-operation"]'),
			);
			await closeDropdown(page);
			check(
				`${provider.name}: ${resource.name} operations are ${resource.operations.join(', ')}`,
				JSON.stringify(offered) === JSON.stringify(resource.operations),
				JSON.stringify(offered) === JSON.stringify(resource.operations)
					? ''
					: `got ${offered.join(', ')}`,
			);
			for (const operation of offered) {
				await choose(page, 'operation', operation);
				// Wait for Completion reveals the wait and result collections.
				const waits = await switchOn(page, 'waitForCompletion');
				const { found, unset, buttons } = await collections(page);
				const empty = found.filter((c) => c.names.length === 0);
				const problems = [
					...empty.map((c) => `${c.label} offers nothing`),
					...(unset !== found.length + buttons
						? [
								`${unset} collection(s) show "No properties" but ${found.length + buttons} have an Add option`,
							]
						: []),
				];
				check(
					`${provider.name} ${resource.name} -> ${operation}${waits ? ' (Wait for Completion on)' : ''}: ${
						found.length === 0 && unset === 0
							? 'no collection shown'
							: 'every collection offers options'
					}`,
					problems.length === 0 && buttons === 0,
					problems.length
						? problems.join('; ')
						: buttons
							? `${buttons} one-option button(s) not opened`
							: found.map((c) => `${c.label}: ${c.names.join(', ')}`).join('; '),
				);
				if (!shot && resource === provider.resources[0] && operation === offered[0]) {
					await parkMouse(page);
					await shoot(page, `node-panel-${provider.value}.png`);
					shot = true;
				}
			}
		}
	}
}

async function checkProviderSwitch(page, baseUrl, desc, creds) {
	const bouncify = desc.perProvider.find((p) => p.value === 'bouncify');
	const check365 = desc.perProvider.find((p) => p.value === 'check365');
	await addBulkVerifyNode(page, baseUrl, desc.groups[0].actions[0]);
	await selectCredential(page, creds[bouncify.credentialType]);
	await choose(page, 'resource', 'Job');
	await choose(page, 'operation', 'Create');
	await switchOn(page, 'waitForCompletion');
	const waitItem = params(page)
		.locator('[data-test-id="parameter-item"]')
		.filter({ has: page.locator('[data-test-id="collection-parameter-add"]') })
		.filter({ hasText: 'Wait Options' })
		.last();
	await waitItem.locator('[data-test-id="collection-parameter-add"]').click();
	await page
		.locator('[data-test-id="collection-parameter-option"]:visible')
		.filter({ hasText: 'Maximum Wait' })
		.first()
		.click();
	const input = page.locator('[data-test-id="parameter-input-maxWaitMinutes"] input');
	await input.waitFor({ state: 'visible' });
	await input.fill('7');
	await input.press('Tab');
	await page.waitForTimeout(500);
	const before = await input.inputValue();
	check(
		'switch: Bouncify Create has Wait for Completion on and Maximum Wait 7',
		(await isOn(page, 'waitForCompletion')) && Number(before) === 7,
		`value ${before}`,
	);
	await selectCredential(page, creds[check365.credentialType]);
	const text = await params(page).innerText();
	const notice = check365.notices[0];
	if (notice) check('switch: the panel now shows Check365 (its notice)', text.includes(notice));
	check(
		'switch: Wait for Completion still on after Bouncify -> Check365',
		await isOn(page, 'waitForCompletion'),
	);
	const after = (await input.count()) ? await input.inputValue() : '(gone)';
	check(
		'switch: Maximum Wait still 7 after Bouncify -> Check365',
		Number(after) === 7,
		`value ${after}`,
	);
	await parkMouse(page);
	await shoot(page, 'provider-switch-check365.png');
}

function n8nHome() {
	const out = execFileSync('bash', [path.join(REPO, 'scripts', 'n8n-runtime.sh'), 'env'], {
		timeout: 30_000,
	}).toString();
	return /^N8N_HOME='(.*)'$/m.exec(out)[1];
}

async function checkInputFields(page, baseUrl, creds) {
	const rest = await restSession(baseUrl);
	const leads = [
		{ email: 'good.ada@analytical-engines.com', name: 'Ada Lovelace' },
		{ email: 'bad.bob@defunct-startup.com', name: 'Bob Gone' },
	];
	const workflow = {
		name: `Editor test: Include Input Fields ${RUN_ID.slice(-8)}`,
		nodes: [
			{
				parameters: {},
				id: crypto.randomUUID(),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: { jsCode: `return ${JSON.stringify(leads)}.map((json) => ({ json }));` },
				id: crypto.randomUUID(),
				name: 'Leads',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
			},
			{
				parameters: {
					provider: 'check365',
					resource: 'job',
					operation: 'create',
					emailField: 'email',
					waitForCompletion: true,
					waitOptions: { maxWaitMinutes: 1, pollIntervalSeconds: 1 },
					resultOptions: { includeInputFields: 'all' },
				},
				id: crypto.randomUUID(),
				name: 'Verify',
				type: BULK_VERIFY,
				typeVersion: 1,
				position: [440, 0],
				credentials: { check365Api: creds.check365Api },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Leads', type: 'main', index: 0 }]] },
			Leads: { main: [[{ node: 'Verify', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
	const created = (await rest('POST', '/workflows', workflow)).data;
	await page.goto(`${baseUrl}/workflow/${created.id}`);
	await page.waitForSelector(`[data-test-id="canvas-node"][data-node-type="${BULK_VERIFY}"]`, {
		timeout: 60_000,
	});
	await page.waitForTimeout(1_000);
	await dismissPopups(page);
	await page.click('[data-test-id="execute-workflow-button"]');
	const outcome = await page
		.waitForFunction(
			(type) => {
				if (
					document.querySelector(
						`[data-test-id="canvas-node"][data-node-type="${type}"] [data-test-id="canvas-node-status-success"]`,
					)
				)
					return 'ok';
				if (
					document.querySelector(
						`[data-test-id="canvas-node"] [data-test-id="canvas-node-status-error"]`,
					)
				)
					return 'a node failed';
				const toast = [...document.querySelectorAll('.el-notification')]
					.map((t) => t.textContent.trim())
					.find((t) => /problem|error|failed/i.test(t));
				return toast ? `n8n reported: ${toast}` : false;
			},
			BULK_VERIFY,
			{ timeout: 90_000, polling: 500 },
		)
		.then((h) => h.jsonValue())
		.catch(() => 'no success mark within 90 s');
	check(
		'input fields: the workflow runs in the editor (Bulk Verify succeeds)',
		outcome === 'ok',
		outcome === 'ok' ? '' : outcome,
	);
	// The stored execution (the editor saves manual runs): the Verify node's items.
	let items = [];
	const deadline = Date.now() + 30_000;
	const { parse } = require(path.join(n8nHome(), 'node_modules', 'flatted'));
	while (Date.now() < deadline) {
		const list = await rest(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: created.id }))}`,
		);
		const done = (list.data?.results ?? list.data ?? []).find(
			(e) => e.status === 'success' || e.finished,
		);
		if (done) {
			const execution = (await rest('GET', `/executions/${done.id}`)).data;
			const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
			items = (data?.resultData?.runData?.Verify?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
			break;
		}
		await sleep(1_000);
	}
	const byEmail = Object.fromEntries(items.map((i) => [i.email, i]));
	check(
		'input fields: Verify put out one item per lead',
		items.length === leads.length,
		`${items.length} item(s)`,
	);
	for (const lead of leads)
		check(
			`input fields: the item of ${lead.email} carries name "${lead.name}"`,
			byEmail[lead.email]?.name === lead.name,
			byEmail[lead.email] ? `keys ${Object.keys(byEmail[lead.email]).join(', ')}` : 'no item',
		);
	check(
		'input fields: the items still carry the verdict',
		items.length > 0 && items.every((i) => typeof i.verdict === 'string'),
	);
}

// ------------------------------------------------------------------------------------------------

async function run(title, fn) {
	if (interrupted) return; // the browser is being closed: nothing left to check
	const t0 = Date.now();
	log(`\n== ${title}`);
	try {
		await fn();
	} catch (error) {
		if (interrupted) return;
		check(`${title}: no error`, false, (error?.message ?? String(error)).split('\n')[0]);
		if (state.page) {
			const file = path.join(
				state.workDir ?? OUT_DIR,
				`failure-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`,
			);
			await state.page.screenshot({ path: file, timeout: 10_000 }).catch(() => {});
			log(`        failure screenshot: ${file}`);
		}
		// Leave the panel/dialog for the next check.
		await state.page?.keyboard.press('Escape').catch(() => {});
	} finally {
		log(`   (${title}: ${secs(t0)})`);
	}
}

async function main() {
	if (!fs.existsSync(CHROMIUM)) throw new Fatal(`no Chromium at ${CHROMIUM}`);
	const { chromium } = require('playwright-core');
	fs.mkdirSync(OUT_DIR, { recursive: true });
	state.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-editor-test-'));

	let baseUrl = EXTERNAL_URL;
	if (!baseUrl) {
		const n8nPort = await freeBase(process.env.EDITOR_TEST_N8N_PORT, 5750, 5800, 1, 1);
		const simPortBase = await freeBase(process.env.EDITOR_TEST_SIM_PORT_BASE, 4501, 4800, 4, 10);
		baseUrl = `http://localhost:${n8nPort}`;
		const t0 = Date.now();
		log(`== start the demo: n8n on ${baseUrl}, simulators on ${simPortBase}-${simPortBase + 3}`);
		await startDemo(n8nPort, simPortBase);
		log(`   (demo up: ${secs(t0)})`);
	}
	const desc = descriptions();
	const creds = exampleCredentials();

	state.browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
		timeout: 60_000,
	});
	const context = await state.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
	await context.addInitScript(() => {
		window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
		window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
	});
	const page = await context.newPage();
	state.page = page;
	page.setDefaultTimeout(20_000);
	page.setDefaultNavigationTimeout(60_000);
	page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
	await signIn(page, baseUrl);

	await run('1. add-node panel', () => checkAddNodePanel(page, baseUrl, desc));
	await run('2. node panel per provider', () => checkProviderPanels(page, baseUrl, desc, creds));
	await run('3. provider switch keeps shared settings', () =>
		checkProviderSwitch(page, baseUrl, desc, creds),
	);
	await run('4. Include Input Fields end to end', () => checkInputFields(page, baseUrl, creds));
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
		await cleanup();
		log(`\ntotal ${secs(started)}; screenshots in ${OUT_DIR}`);
		if (failures.length) log(`failed: ${failures.join('; ')}`);
		log(`${tally.passed} passed, ${tally.failed} failed`);
		process.exit(interrupted ? 130 : tally.failed > 0 ? 1 : 0);
	});
