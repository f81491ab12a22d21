#!/usr/bin/env node
/* global AbortSignal, document, window */
'use strict';

/**
 * README screenshots from the real n8n editor (node scripts/screenshots.js).
 *
 * 1. Starts `npm run demo` (scripts/demo.sh) in its own process group, on free ports and with a
 *    throw-away n8n user folder, and waits until n8n answers and the owner can log in.
 * 2. Drives Debian's Chromium (/usr/bin/chromium, through playwright-core; no browser download) like
 *    a user: signs in, runs example 2a (so a WhoisXML job completes), runs example 1 and shoots its
 *    finished execution and the Bulk Verify node's panel, then fetches a test event in the Bulk
 *    Verify Trigger of example 2b and shoots that panel.
 * 3. Copies the PNGs to docs/images/ only when all of them were taken, stops the browser and the
 *    demo (n8n and the simulators) and removes the work folder.
 *
 * Every wait has a timeout; on failure it exits non-zero and keeps the work folder (demo logs and a
 * failure.png of the page). Ctrl-C stops everything it started.
 *
 * Env: N8N_PORT (default: first free of 5678-5687), DEMO_SIM_PORT_BASE (first free 4 ports from 4101),
 *      CHROMIUM_PATH (/usr/bin/chromium), SCREENSHOTS_SCALE (device scale factor, 2),
 *      SCREENSHOTS_START_TIMEOUT_S (900: the first run installs n8n), SCREENSHOTS_KEEP=1 keeps the
 *      work folder.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
// The real-n8n tests' helpers: child processes in their own process groups, free ports.
const {
	Fatal,
	log,
	sleep,
	startProcess,
	stopProcess,
	killGroup,
	portFree,
} = require('../test/e2e/lib');
const OUT_DIR = path.join(REPO, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// 2: sharp on high-density screens; the PNGs stay around 150-350 KB each.
const SCALE = Number(process.env.SCREENSHOTS_SCALE || 2);
const START_TIMEOUT_MS = Number(process.env.SCREENSHOTS_START_TIMEOUT_S || 900) * 1000;
const KEEP = process.env.SCREENSHOTS_KEEP === '1';
const VIEWPORT = { width: 1440, height: 900 };
// What scripts/demo.sh creates.
const OWNER = { email: 'demo@example.com', password: 'BulkVerify-demo-1' };
const WORKFLOW = {
	verifyLeads: 'bvEx01VerifyLead',
	uploadCsv: 'bvEx02aUploadCsv',
	onCompletion: 'bvEx02bCompleted',
};
const BULK_VERIFY = 'n8n-nodes-bulk-email-verify.bulkVerify';
const TRIGGER = 'n8n-nodes-bulk-email-verify.bulkVerifyJobTrigger';
// The flags Chromium needs on this offline machine (no GPU, no background network, no first-run UI).
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

// Each process the demo starts inherits this marker, so a left-over can be found and killed even
// though demo.sh puts n8n and the simulators in process groups of their own (setsid).
const RUN_ID = `bulk-verify-screenshots-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function step(title, fn) {
	const t0 = Date.now();
	log(`\n== ${title}`);
	const result = await fn();
	log(`   done in ${seconds(t0)}`);
	return result;
}

// ------------------------------------------------------------------------------------------------
// Ports

/** `fromEnv` if its `count` ports are free, else the first base from `preferred` (below `to`, in steps of `stepSize`) whose `count` ports are. */
async function freePorts(fromEnv, preferred, to, count, stepSize) {
	if (fromEnv) {
		const base = Number(fromEnv);
		for (let port = base; port < base + count; port++) {
			if (!(await portFree(port))) throw new Fatal(`port ${port} (from the environment) is in use`);
		}
		return base;
	}
	for (let base = preferred; base + count <= to; base += stepSize) {
		const ports = Array.from({ length: count }, (_, i) => base + i);
		if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
	}
	throw new Fatal(`no ${count} free port(s) between ${preferred} and ${to}`);
}

// ------------------------------------------------------------------------------------------------
// The demo (n8n + simulators), and stopping everything

const state = {
	demo: null,
	browser: null,
	page: null,
	workDir: null,
	failed: false,
	cleaning: null,
};

function startDemo({ n8nPort, simPortBase, userFolder, logFile }) {
	// Its own process group: Ctrl-C in this terminal reaches only this script, which then stops the demo
	// the way it wants to be stopped (SIGTERM, so its trap stops n8n and the simulators).
	return startProcess('bash', [path.join(REPO, 'scripts', 'demo.sh')], {
		env: {
			N8N_PORT: String(n8nPort),
			DEMO_SIM_PORT_BASE: String(simPortBase),
			DEMO_USER_FOLDER: userFolder,
			SCREENSHOTS_RUN_ID: RUN_ID,
		},
		logFile,
		echo: true,
	});
}

function alive(child) {
	return child && child.exitCode === null && child.signalCode === null;
}

/** Processes (other than this one) that carry this run's marker in their environment. */
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
			if (fs.readFileSync(`/proc/${entry}/environ`).includes(`SCREENSHOTS_RUN_ID=${RUN_ID}\0`))
				pids.push(Number(entry));
		} catch {
			/* gone, or not ours to read */
		}
	}
	return pids;
}

function killMarked(signal) {
	for (const pid of markedProcesses()) {
		try {
			process.kill(pid, signal);
		} catch {
			/* already gone */
		}
	}
}

async function stopDemo() {
	const child = state.demo;
	if (!child) return;
	if (alive(child)) {
		log('\n== stopping the demo (n8n and the simulators)');
		// demo.sh gives n8n and the simulators 20 s to stop before it kills them.
		await stopProcess(child, 30_000);
	}
	// Anything the demo started that outlived it (e.g. the demo itself was killed).
	if (markedProcesses().length > 0) {
		killMarked('SIGTERM');
		for (let i = 0; i < 20 && markedProcesses().length > 0; i++) await sleep(500);
		killMarked('SIGKILL');
	}
}

function cleanup() {
	state.cleaning ??= (async () => {
		if (state.browser) await Promise.race([state.browser.close().catch(() => {}), sleep(10_000)]);
		await stopDemo();
		if (state.workDir) {
			if (state.failed || KEEP)
				log(`\nwork folder kept (demo logs, failure.png): ${state.workDir}`);
			else fs.rmSync(state.workDir, { recursive: true, force: true });
		}
	})();
	return state.cleaning;
}

// Last resort when the process exits without cleanup() having finished (a second Ctrl-C, a crash).
process.on('exit', () => {
	if (alive(state.demo)) killGroup(state.demo, 'SIGKILL');
	killMarked('SIGKILL');
});

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		if (interrupted) process.exit(130); // second Ctrl-C: do not wait any longer
		interrupted = true;
		state.failed = true;
		log(`\n${signal}: stopping everything this script started`);
		cleanup().finally(() => process.exit(130));
	});
}

async function waitForDemo(child) {
	const deadline = Date.now() + START_TIMEOUT_MS;
	// demo.sh prints its banner after its own /healthz, /rest/settings and login checks.
	while (!/is running:\s+http/.test(child.output())) {
		if (!alive(child))
			throw new Fatal(
				`the demo exited (code ${child.exitCode}) before n8n was ready; see its output above`,
			);
		if (Date.now() > deadline)
			throw new Fatal(
				`the demo was not ready within ${START_TIMEOUT_MS / 1000} s (SCREENSHOTS_START_TIMEOUT_S)`,
			);
		await sleep(500);
	}
}

async function checkLogin(baseUrl) {
	const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
	if (!health.ok) throw new Fatal(`${baseUrl}/healthz answered HTTP ${health.status}`);
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'screenshots-check' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		signal: AbortSignal.timeout(10_000),
	});
	if (login.status !== 200)
		throw new Fatal(`POST /rest/login as ${OWNER.email} answered HTTP ${login.status}`);
}

// ------------------------------------------------------------------------------------------------
// The editor

const canvasNode = (type) => `[data-test-id="canvas-node"][data-node-type="${type}"]`;

async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
	await page.fill('input[name="password"]', OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page
		.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 })
		.catch(() => {
			throw new Fatal('the sign-in page did not go on to the editor within 60 s');
		});
}

async function openWorkflow(page, baseUrl, id, nodeType) {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.waitForSelector(canvasNode(nodeType), { timeout: 60_000 }).catch(() => {
		throw new Fatal(
			`workflow ${id} did not show a ${nodeType} node within 60 s (is the package loaded?)`,
		);
	});
	// The canvas fits the view a moment after the nodes appear.
	await page.waitForTimeout(1_500);
	await dismissPopups(page);
}

/** Closes what n8n may float over the canvas: the production checklist and toasts. */
async function dismissPopups(page) {
	for (const selector of [
		'[data-test-id="suggested-actions-close"]',
		'.el-notification__closeBtn',
	]) {
		for (const element of await page.locator(selector).all()) {
			if (await element.isVisible()) await element.click().catch(() => {});
		}
	}
	await page.waitForTimeout(300);
}

/**
 * Clicks "Execute workflow" and waits until at least `count` elements match `doneSelector` (success
 * marks on the canvas), or fails as soon as n8n shows an error toast.
 */
async function executeWorkflow(page, name, doneSelector, count, timeoutMs = 120_000) {
	await page.click('[data-test-id="execute-workflow-button"]');
	const handle = await page
		.waitForFunction(
			({ selector, min }) => {
				if (document.querySelectorAll(selector).length >= min) return 'ok';
				const toasts = [...document.querySelectorAll('.el-notification')].map((toast) =>
					toast.textContent.trim(),
				);
				const problem = toasts.find((text) => /problem|error|failed/i.test(text));
				return problem ? `n8n reported: ${problem}` : false;
			},
			{ selector: doneSelector, min: count },
			{ timeout: timeoutMs, polling: 500 },
		)
		.catch(() => {
			throw new Fatal(`${name} did not finish within ${timeoutMs / 1000} s`);
		});
	const outcome = await handle.jsonValue();
	if (outcome !== 'ok') throw new Fatal(`${name} failed: ${outcome}`);
	// The success marks come a moment before the run ends and the item counts reach the connections:
	// wait for the button to say "Execute workflow" again (it shows a spinner while running).
	await page
		.waitForFunction(
			() => {
				const button = document.querySelector('[data-test-id="execute-workflow-button"]');
				return Boolean(button && !button.disabled && /execute workflow/i.test(button.textContent));
			},
			null,
			{ timeout: 30_000, polling: 250 },
		)
		.catch(() => {
			throw new Fatal(`${name}: the "Execute workflow" button did not come back within 30 s`);
		});
	await page.waitForTimeout(1_000);
}

/** Opens a node's panel (NDV) by double-clicking it on the canvas. */
async function openNode(page, nodeType) {
	await page.locator(canvasNode(nodeType)).first().dblclick();
	await page
		.waitForSelector('[data-test-id="ndv"]', { state: 'visible', timeout: 30_000 })
		.catch(() => {
			throw new Fatal(`the panel of the ${nodeType} node did not open within 30 s`);
		});
	await page.waitForSelector('[data-test-id="node-parameters"]', {
		state: 'visible',
		timeout: 30_000,
	});
}

/** Shows the output pane as JSON (once it has data): the normalized items read best that way. */
async function outputAsJson(page) {
	const json = page.locator('[data-test-id="output-panel"] [data-test-id="radio-button-json"]');
	await json.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
		throw new Fatal('the node panel shows no output data');
	});
	await json.click();
	await page.waitForTimeout(500);
}

/** Moves the mouse onto an empty bar, so no hover button, tooltip or node toolbar is in the picture. */
async function parkMouse(page, where) {
	// On the canvas: the header above it, between the workflow name and Publish. In a node panel:
	// the panel's title bar, right of the title.
	const box = await page
		.locator(where === 'canvas' ? '[data-test-id="canvas-wrapper"]' : '[data-test-id="ndv"]')
		.boundingBox();
	if (box)
		await page.mouse.move(box.x + box.width * 0.6, where === 'canvas' ? box.y - 30 : box.y + 12);
	await page.waitForTimeout(500);
}

async function shoot(page, file) {
	await page.screenshot({ path: file });
	log(`   saved ${path.basename(file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

// ------------------------------------------------------------------------------------------------

async function main() {
	if (!fs.existsSync(CHROMIUM))
		throw new Fatal(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
	const { chromium } = require('playwright-core');

	state.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-screenshots-'));
	const shots = path.join(state.workDir, 'shots');
	fs.mkdirSync(shots);

	const n8nPort = await freePorts(process.env.N8N_PORT, 5678, 5688, 1, 1);
	const simPortBase = await freePorts(process.env.DEMO_SIM_PORT_BASE, 4101, 4300, 4, 10);
	const baseUrl = `http://localhost:${n8nPort}`;

	await step(
		`start the demo: n8n on ${baseUrl}, simulators on ${simPortBase}-${simPortBase + 3}`,
		async () => {
			state.demo = startDemo({
				n8nPort,
				simPortBase,
				userFolder: path.join(state.workDir, 'n8n'),
				logFile: path.join(state.workDir, 'demo.log'),
			});
			await waitForDemo(state.demo);
			await checkLogin(baseUrl);
		},
	);

	const page = await step('start Chromium and sign in', async () => {
		state.browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			// This script stops the browser itself (cleanup), also on Ctrl-C.
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
			timeout: 60_000,
		});
		const context = await state.browser.newContext({
			viewport: VIEWPORT,
			deviceScaleFactor: SCALE,
		});
		// n8n's one-time "you can pin this output" hints would float over the panels.
		await context.addInitScript(() => {
			window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
			window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
		});
		const newPage = await context.newPage();
		state.page = newPage;
		newPage.setDefaultTimeout(30_000);
		newPage.setDefaultNavigationTimeout(60_000);
		// A "leave the page?" prompt must not block the next navigation.
		newPage.on('dialog', (dialog) => dialog.accept().catch(() => {}));
		await signIn(newPage, baseUrl);
		return newPage;
	});

	// Example 2a first: its WhoisXML job completes (about 5 s) while example 1 runs, so the trigger
	// of example 2b has a finished job to show at the end.
	await step('run example 2a (upload a list to WhoisXML)', async () => {
		await openWorkflow(page, baseUrl, WORKFLOW.uploadCsv, BULK_VERIFY);
		await executeWorkflow(
			page,
			'example 2a',
			`${canvasNode(BULK_VERIFY)} [data-test-id="canvas-node-status-success"]`,
			1,
		);
	});

	await step('run example 1 and shoot the finished execution', async () => {
		await openWorkflow(page, baseUrl, WORKFLOW.verifyLeads, BULK_VERIFY);
		const nodes = await page.locator('[data-test-id="canvas-node"]').count();
		await executeWorkflow(page, 'example 1', '[data-test-id="canvas-node-status-success"]', nodes);
		const counts = await page.locator('[data-test-id="edge-label"]').allTextContents();
		log(`   ${nodes} nodes succeeded; items on the connections: ${counts.join(', ')}`);
		await dismissPopups(page);
		await page.keyboard.press('Escape'); // nothing selected
		await parkMouse(page, 'canvas');
		await shoot(page, path.join(shots, 'finished-execution.png'));
	});

	await step('shoot the Bulk Verify node panel (example 1, after the run)', async () => {
		await openNode(page, BULK_VERIFY);
		await outputAsJson(page);
		await dismissPopups(page);
		await parkMouse(page, 'panel');
		await shoot(page, path.join(shots, 'bulk-verify-node.png'));
		await page.click('[data-test-id="ndv-close-button"]');
	});

	await step('shoot the Bulk Verify Trigger panel (example 2b, test event)', async () => {
		await openWorkflow(page, baseUrl, WORKFLOW.onCompletion, TRIGGER);
		await openNode(page, TRIGGER);
		// "Fetch Test Event" until example 2a's job has completed (the trigger reports an error until then).
		const deadline = Date.now() + 90_000;
		for (;;) {
			await page.click('[data-test-id="node-execute-button"]');
			await page.waitForTimeout(1_000); // let a previous attempt's error give way to this one's result
			const outcome = await page
				.waitForFunction(
					() => {
						const output = document.querySelector('[data-test-id="output-panel"]');
						if (output?.querySelector('[data-test-id="radio-button-json"]')) return 'data';
						const text = output?.textContent ?? '';
						return /has finished yet|error/i.test(text) ? text.trim().slice(0, 300) : false;
					},
					null,
					{ timeout: 60_000, polling: 500 },
				)
				.then((handle) => handle.jsonValue())
				.catch(() => {
					throw new Fatal(
						'"Fetch Test Event" of the trigger showed neither data nor an error within 60 s',
					);
				});
			if (outcome === 'data') break;
			if (Date.now() > deadline)
				throw new Fatal(`the trigger found no completed job within 90 s: ${outcome}`);
			log(`   no test event yet, trying again in 3 s (${outcome.slice(0, 120)})`);
			await dismissPopups(page);
			await sleep(3_000);
		}
		await outputAsJson(page);
		await dismissPopups(page);
		await parkMouse(page, 'panel');
		await shoot(page, path.join(shots, 'bulk-verify-trigger.png'));
	});

	fs.mkdirSync(OUT_DIR, { recursive: true });
	for (const file of fs.readdirSync(shots))
		fs.copyFileSync(path.join(shots, file), path.join(OUT_DIR, file));
	log(
		`\nscreenshots written to ${path.relative(REPO, OUT_DIR)}/: ${fs.readdirSync(shots).join(', ')}`,
	);
}

main()
	.catch(async (error) => {
		state.failed = true;
		if (interrupted) return; // the browser was closed under the running step; its error says nothing
		log(`\nFAILED: ${error instanceof Fatal ? error.message : error?.stack || error}`);
		if (state.page && state.workDir) {
			await state.page
				.screenshot({ path: path.join(state.workDir, 'failure.png'), timeout: 10_000 })
				.catch(() => {});
		}
	})
	.finally(async () => {
		await cleanup();
		log(`\n${state.failed ? 'screenshots FAILED' : 'screenshots done'} after ${seconds(started)}`);
		process.exit(interrupted ? 130 : state.failed ? 1 : 0);
	});
