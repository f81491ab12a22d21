/* global AbortSignal, window */
'use strict';

/**
 * The demo (n8n and the provider simulators, started by scripts/demo.sh) and a signed-in Chromium,
 * for the browser test (test/editor/run.js) and the README screenshots (scripts/screenshots.js).
 *
 * Everything a session starts carries one marker in its environment, so a left-over can be found and
 * killed even though demo.sh puts n8n and the simulators in process groups of their own (setsid).
 * `close()` stops the browser and the demo and removes the work folder; `onInterrupt()` makes Ctrl-C
 * do the same.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { Fatal, log, sleep, startProcess, stopProcess, killGroup, portFree } = require('../e2e/lib');

const REPO = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VIEWPORT = { width: 1440, height: 900 };
// What scripts/demo.sh creates.
const OWNER = { email: 'demo@example.com', password: 'BulkVerify-demo-1' };
const MARKER = 'BULK_VERIFY_BROWSER_RUN';
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

const alive = (child) => Boolean(child) && child.exitCode === null && child.signalCode === null;

/**
 * `fromEnv` if its `count` ports are free, else the first base from `preferred` (below `to`, in
 * steps of `stepSize`) whose `count` ports are.
 */
async function freePorts(fromEnv, preferred, to, count, stepSize) {
	if (fromEnv) {
		const base = Number(fromEnv);
		for (let port = base; port < base + count; port++)
			if (!(await portFree(port))) throw new Fatal(`port ${port} (from the environment) is in use`);
		return base;
	}
	for (let base = preferred; base + count <= to; base += stepSize) {
		const ports = Array.from({ length: count }, (_, i) => base + i);
		if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
	}
	throw new Fatal(`no ${count} free port(s) between ${preferred} and ${to}`);
}

class BrowserSession {
	/** `name` prefixes the work folder and the marker, e.g. "bulk-verify-editor-test". */
	constructor(name) {
		this.runId = `${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
		this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
		this.demo = null;
		this.browser = null;
		this.page = null;
		this.closing = null;
		this.interrupted = false;
	}

	/** Starts the demo and waits until its banner says n8n is up and the owner can sign in. */
	async startDemo({ n8nPort, simPortBase, env = {}, echo = false, timeoutMs }) {
		this.demo = startProcess('bash', [path.join(REPO, 'scripts', 'demo.sh')], {
			env: {
				N8N_PORT: String(n8nPort),
				DEMO_SIM_PORT_BASE: String(simPortBase),
				DEMO_USER_FOLDER: path.join(this.workDir, 'n8n'),
				[MARKER]: this.runId,
				...env,
			},
			logFile: path.join(this.workDir, 'demo.log'),
			echo,
		});
		const deadline = Date.now() + timeoutMs;
		// demo.sh prints its banner after its own /healthz, /rest/settings and login checks.
		while (!/is running:\s+http/.test(this.demo.output())) {
			if (!alive(this.demo)) {
				if (!echo) log(this.demo.output().split('\n').slice(-30).join('\n'));
				throw new Fatal(`the demo exited (code ${this.demo.exitCode}) before n8n was ready`);
			}
			if (Date.now() > deadline)
				throw new Fatal(`the demo was not ready within ${Math.round(timeoutMs / 1000)} s`);
			await sleep(500);
		}
		await checkLogin(`http://localhost:${n8nPort}`);
	}

	/** Launches Chromium and signs in as the demo's owner; returns the page. */
	async openBrowser(baseUrl, { scale = 2, timeoutMs = 20_000 } = {}) {
		if (!fs.existsSync(CHROMIUM))
			throw new Fatal(
				`no Chromium at ${CHROMIUM} (bash scripts/chromium.sh install, or set CHROMIUM_PATH)`,
			);
		const { chromium } = require('playwright-core');
		this.browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			// The session stops the browser itself (close), also on Ctrl-C.
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
			timeout: 60_000,
		});
		const context = await this.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: scale });
		// n8n's one-time "you can pin this output" hints would float over the panels.
		await context.addInitScript(() => {
			window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
			window.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
		});
		const page = await context.newPage();
		this.page = page;
		page.setDefaultTimeout(timeoutMs);
		page.setDefaultNavigationTimeout(60_000);
		// A "leave the page?" prompt must not block the next navigation.
		page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
		await page.goto(`${baseUrl}/signin`);
		await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
		await page.fill('input[name="password"]', OWNER.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page
			.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 })
			.catch(() => {
				throw new Fatal('the sign-in page did not go on to the editor within 60 s');
			});
		return page;
	}

	/** Stops the browser, the demo and whatever it left, and removes the work folder unless `keep`. */
	close({ keep = false } = {}) {
		this.closing ??= (async () => {
			if (this.browser) await Promise.race([this.browser.close().catch(() => {}), sleep(10_000)]);
			this.browser = null;
			// SIGTERM: demo.sh's trap stops n8n and the simulators (20 s grace, then SIGKILL).
			if (alive(this.demo)) await stopProcess(this.demo, 30_000);
			if (this.marked().length > 0) {
				this.killMarked('SIGTERM');
				for (let i = 0; i < 20 && this.marked().length > 0; i++) await sleep(500);
				this.killMarked('SIGKILL');
			}
			if (keep) log(`\nwork folder kept (demo.log, failure screenshots): ${this.workDir}`);
			else fs.rmSync(this.workDir, { recursive: true, force: true });
		})();
		return this.closing;
	}

	/**
	 * On Ctrl-C (or SIGTERM/SIGHUP): `report(signal)`, then close, then exit 130. A second signal exits
	 * at once; on any exit, whatever the session started is killed.
	 */
	onInterrupt(report) {
		process.on('exit', () => {
			if (alive(this.demo)) killGroup(this.demo, 'SIGKILL');
			this.killMarked('SIGKILL');
		});
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
			process.on(signal, () => {
				if (this.interrupted) process.exit(130);
				this.interrupted = true;
				report(signal);
				this.close({ keep: true }).finally(() => process.exit(130));
			});
		}
	}

	marked() {
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
				if (fs.readFileSync(`/proc/${entry}/environ`).includes(`${MARKER}=${this.runId}\0`))
					pids.push(Number(entry));
			} catch {
				/* gone, or not ours */
			}
		}
		return pids;
	}

	killMarked(signal) {
		for (const pid of this.marked()) {
			try {
				process.kill(pid, signal);
			} catch {
				/* gone */
			}
		}
	}
}

async function checkLogin(baseUrl) {
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'bulk-verify-session-check' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		signal: AbortSignal.timeout(15_000),
	});
	if (login.status !== 200)
		throw new Fatal(`POST /rest/login as ${OWNER.email} answered HTTP ${login.status}`);
}

/** Closes what n8n may float over the canvas: the production checklist and toasts. */
async function dismissPopups(page) {
	for (const selector of [
		'[data-test-id="suggested-actions-close"]',
		'.el-notification__closeBtn',
	]) {
		for (const element of await page.locator(selector).all())
			if (await element.isVisible().catch(() => false)) await element.click().catch(() => {});
	}
	await page.waitForTimeout(300);
}

/**
 * Moves the mouse onto an empty bar, so no hover button, tooltip or node toolbar is in the picture:
 * above the canvas, or on a node panel's title bar with its parameters scrolled to the top.
 */
async function parkMouse(page, where) {
	if (where === 'panel') {
		await page
			.locator('[data-test-id="node-parameters"]')
			.evaluate((element) => {
				for (let node = element; node; node = node.parentElement)
					if (node.scrollHeight > node.clientHeight + 5) node.scrollTop = 0;
			})
			.catch(() => {});
	}
	const box = await page
		.locator(where === 'canvas' ? '[data-test-id="canvas-wrapper"]' : '[data-test-id="ndv"]')
		.boundingBox()
		.catch(() => null);
	if (box)
		await page.mouse.move(box.x + box.width * 0.6, where === 'canvas' ? box.y - 30 : box.y + 12);
	else await page.mouse.move(5, VIEWPORT.height - 5);
	await page.waitForTimeout(400);
}

async function shoot(page, file) {
	await page.screenshot({ path: file });
	log(`        saved ${file} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

module.exports = { BrowserSession, OWNER, REPO, dismissPopups, freePorts, parkMouse, shoot };
