#!/usr/bin/env node
/* global document */
'use strict';

/**
 * README screenshots from the real n8n editor (node scripts/screenshots.js).
 *
 * 1. Starts `npm run demo` (scripts/demo.sh) in its own process group, on free ports and with a
 *    throw-away n8n user folder, and waits until n8n answers and the owner can log in.
 * 2. Drives Debian's Chromium (/usr/bin/chromium, through playwright-core; no browser download) like
 *    a user: signs in, shoots the add-node panel's Bulk Verify entry, runs example 2a (so a WhoisXML
 *    job completes), runs example 1 and shoots its finished execution and the Bulk Verify node's
 *    panel, then fetches a test event in the Bulk Verify Trigger of example 2b and shoots that panel.
 *    The demo and the browser come from test/editor/session.js, as in the browser test.
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

const fs = require('node:fs');
const path = require('node:path');

const { Fatal, log, sleep } = require('../test/e2e/lib');
const {
	BrowserSession,
	REPO,
	dismissPopups,
	freePorts,
	parkMouse,
	shoot,
} = require('../test/editor/session');
const {
	NODE_TYPE: BULK_VERIFY,
	TRIGGER_TYPE: TRIGGER,
	openNodeEntry,
} = require('../test/editor/panel');

const OUT_DIR = path.join(REPO, 'docs', 'images');
// 2: sharp on high-density screens; the PNGs stay around 150-350 KB each.
const SCALE = Number(process.env.SCREENSHOTS_SCALE || 2);
const START_TIMEOUT_MS = Number(process.env.SCREENSHOTS_START_TIMEOUT_S || 900) * 1000;
const KEEP = process.env.SCREENSHOTS_KEEP === '1';
// What scripts/demo.sh imports.
const WORKFLOW = {
	verifyLeads: 'bvEx01VerifyLead',
	uploadCsv: 'bvEx02aUploadCsv',
	onCompletion: 'bvEx02bCompleted',
};

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
let failed = false;

const session = new BrowserSession('bulk-verify-screenshots');
session.onInterrupt((signal) => {
	failed = true;
	log(`\n${signal}: stopping everything this script started`);
});

async function step(title, fn) {
	const t0 = Date.now();
	log(`\n== ${title}`);
	const result = await fn();
	log(`   done in ${seconds(t0)}`);
	return result;
}

const canvasNode = (type) => `[data-test-id="canvas-node"][data-node-type="${type}"]`;

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

// ------------------------------------------------------------------------------------------------

async function main() {
	const shots = path.join(session.workDir, 'shots');
	fs.mkdirSync(shots);

	const n8nPort = await freePorts(process.env.N8N_PORT, 5678, 5688, 2, 2);
	const simPortBase = await freePorts(process.env.DEMO_SIM_PORT_BASE, 4101, 4300, 4, 10);
	const baseUrl = `http://localhost:${n8nPort}`;

	await step(
		`start the demo: n8n on ${baseUrl}, simulators on ${simPortBase}-${simPortBase + 3}`,
		() => session.startDemo({ n8nPort, simPortBase, echo: true, timeoutMs: START_TIMEOUT_MS }),
	);
	const page = await step('start Chromium and sign in', () =>
		session.openBrowser(baseUrl, { scale: SCALE, timeoutMs: 30_000 }),
	);

	await step('shoot the add-node panel (the Bulk Verify entry and its actions)', async () => {
		await openNodeEntry(page, baseUrl);
		await page.mouse.move(400, 200);
		await page.waitForTimeout(300);
		await shoot(page, path.join(shots, 'add-node-panel.png'));
		await page.keyboard.press('Escape');
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
		failed = true;
		if (session.interrupted) return; // the browser was closed under the running step
		log(`\nFAILED: ${error instanceof Fatal ? error.message : error?.stack || error}`);
		await session.page
			?.screenshot({ path: path.join(session.workDir, 'failure.png'), timeout: 10_000 })
			.catch(() => {});
	})
	.finally(async () => {
		await session.close({ keep: failed || KEEP });
		log(`\n${failed ? 'screenshots FAILED' : 'screenshots done'} after ${seconds(started)}`);
		process.exit(session.interrupted ? 130 : failed ? 1 : 0);
	});
