#!/usr/bin/env node
/* global AbortSignal */
'use strict';

/**
 * End-to-end test inside a real n8n (npm run test:e2e).
 *
 * 1. Installs (or reuses from the cache) Node 24 + n8n 2.41.1 with scripts/n8n-runtime.sh.
 * 2. Builds and packs this package and loads the tarball into a fresh n8n user folder the way n8n
 *    loads community packages it installed itself (real type names n8n-nodes-bulk-email-verify.*).
 * 3. Starts the four provider simulators in this process (so it can inject faults and read their
 *    request logs), imports examples/credentials.json (ports rewritten) and the example workflows.
 * 4. Runs every action example headless (n8n execute --id) and asserts on the stored executions
 *    (SQLite execution_entity / execution_data, flatted) and the CSV files n8n wrote.
 * 5. Runs the Check365 example against an injected provider fault: the execution must fail with a
 *    clear message and no API key anywhere in the stored execution.
 * 6. Publishes the trigger example with a 5 s poll in a second fresh user folder, starts n8n, lets a
 *    WhoisXML job finish and asserts exactly one execution for it and none after; then the same in a
 *    third folder with n8n's durable scheduler and poll cursors on (N8N_SCHEDULER_ENABLED & co.).
 *
 * Plain Node (no jest), so it can drive processes; prints each check, timings, and ends with
 * "N passed, N failed". Every wait has a timeout; every process it starts is killed at the end.
 *
 * Env: E2E_SIM_PORT_BASE (default 4301), E2E_N8N_PORT (5688), E2E_BROKER_PORT (5699),
 * E2E_KEEP=1 keeps the work folder.
 */

const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const RUNTIME = path.join(REPO, 'scripts', 'n8n-runtime.sh');
const EXAMPLES = path.join(REPO, 'examples');
const READ_DB = path.join(__dirname, 'read-db.js');

// Preferred ports; taken ones (a demo, someone's simulators) are skipped for the next free ones.
let SIM_PORT_BASE = Number(process.env.E2E_SIM_PORT_BASE ?? 4301);
let N8N_PORT = Number(process.env.E2E_N8N_PORT ?? 5688);
let BROKER_PORT = Number(process.env.E2E_BROKER_PORT ?? 5699);
const EXAMPLE_PORT_BASE = 4101;
const PACKAGE = 'n8n-nodes-bulk-email-verify';
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-pass-1' };

const WF = {
	verifyLeads: 'bvEx01VerifyLead',
	uploadCsv: 'bvEx02aUploadCsv',
	onCompletion: 'bvEx02bCompleted',
	bouncify: 'bvEx03Bouncify01',
	simplecold: 'bvEx03SimpleCold',
	whoisxml: 'bvEx03WhoisXml01',
	check365: 'bvEx03Check36501',
};

// ------------------------------------------------------------------------------------------------
// Output, checks, timings

const started = Date.now();
let passed = 0;
let failed = 0;
const timings = [];
const failures = [];

const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (line = '') => process.stdout.write(`${line}\n`);

function check(name, ok, detail) {
	if (ok) passed++;
	else {
		failed++;
		failures.push(name);
	}
	log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail !== undefined && detail !== '' ? `  (${detail})` : ''}`);
	return Boolean(ok);
}

function timing(label, ms) {
	timings.push([label, ms]);
	log(`  time  ${label}: ${(ms / 1000).toFixed(1)} s`);
}

class Fatal extends Error {}

async function step(title, fn) {
	log(`\n== ${title}`);
	const t0 = Date.now();
	try {
		return await fn();
	} catch (error) {
		if (error instanceof Fatal) throw error;
		check(`${title}: no unexpected error`, false, error instanceof Error ? error.message : String(error));
		return undefined;
	} finally {
		log(`  (${title}: ${elapsed(t0)})`);
	}
}

// ------------------------------------------------------------------------------------------------
// Processes: every child gets its own process group, killed as a group at the end.

const children = new Set();

function startProcess(command, args, { env = {}, logFile, echo = false } = {}) {
	const child = spawn(command, args, {
		cwd: REPO,
		env: { ...process.env, ...env },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	const out = logFile ? fs.createWriteStream(logFile) : null;
	let captured = '';
	let atLineStart = true;
	const onData = (stream) => (chunk) => {
		const text = chunk.toString();
		if (captured.length < 4_000_000) captured += text;
		out?.write(text);
		if (echo) {
			// Progress dots arrive without newlines: prefix only the start of each line.
			stream.write(text.replace(/(^|\n)(?=.)/g, (match, newline, offset) => (offset === 0 && !atLineStart ? '' : `${newline}  | `)));
			atLineStart = text.endsWith('\n');
		}
	};
	child.stdout.on('data', onData(process.stdout));
	child.stderr.on('data', onData(process.stdout));
	child.done = new Promise((resolve) => {
		child.on('close', (code, signal) => {
			children.delete(child);
			out?.end();
			resolve({ code, signal, output: captured });
		});
		child.on('error', (error) => {
			children.delete(child);
			resolve({ code: -1, signal: null, output: `${captured}\n${error.message}` });
		});
	});
	child.output = () => captured;
	return child;
}

function killGroup(child, signal = 'SIGTERM') {
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

async function stopProcess(child, graceMs = 20_000) {
	if (child.exitCode !== null || child.signalCode !== null) return { graceful: true };
	killGroup(child, 'SIGTERM');
	const result = await Promise.race([child.done, sleep(graceMs).then(() => null)]);
	if (result === null) {
		killGroup(child, 'SIGKILL');
		await Promise.race([child.done, sleep(5_000)]);
		return { graceful: false };
	}
	return { graceful: true };
}

async function run(command, args, { timeoutMs, ...options }) {
	const child = startProcess(command, args, options);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const result = await child.done;
	clearTimeout(timer);
	return { ...result, timedOut };
}

function killAll() {
	for (const child of children) killGroup(child, 'SIGKILL');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The first base from `preferred` (in steps of 10) whose `count` consecutive ports are all free. */
async function freePorts(preferred, count, avoid = []) {
	for (let base = preferred; base < preferred + 500; base += 10) {
		const ports = Array.from({ length: count }, (_, i) => base + i);
		if (ports.some((port) => avoid.includes(port))) continue;
		if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
	}
	throw new Fatal(`no free ports near ${preferred}`);
}

/** Polls fn until it returns a truthy value or the timeout runs out (then returns undefined). */
async function waitFor(fn, { timeoutMs, intervalMs = 500 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() >= deadline) return undefined;
		await sleep(intervalMs);
	}
}

function tail(text, lines = 30) {
	return text.split('\n').slice(-lines).map((line) => `  | ${line}`).join('\n');
}

// ------------------------------------------------------------------------------------------------
// n8n helpers

let runtime; // paths printed by n8n-runtime.sh env
let workDir;

function n8nEnv(extra = {}) {
	return {
		N8N_RUNNERS_BROKER_PORT: String(BROKER_PORT),
		N8N_PORT: String(N8N_PORT),
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

async function n8n(folder, args, { timeoutMs = 180_000, logName, env = {} } = {}) {
	const logFile = path.join(workDir, `${logName ?? args[0].replace(/[^a-z0-9]+/gi, '-')}.log`);
	const result = await run('bash', [RUNTIME, 'n8n', folder, ...args], { timeoutMs, logFile, env: n8nEnv(env) });
	return { ...result, logFile };
}

async function n8nOk(folder, args, options) {
	const result = await n8n(folder, args, options);
	if (result.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited with ${result.timedOut ? 'a timeout' : result.code}\n${tail(result.output)}`);
	}
	return result;
}

function readDb(folder, what, workflowId) {
	const dbPath = path.join(folder, '.n8n', 'database.sqlite');
	return new Promise((resolve, reject) => {
		execFile(
			runtime.NODE24_BIN,
			['--no-warnings', READ_DB, dbPath, what, ...(workflowId ? [workflowId] : [])],
			{ env: { ...process.env, N8N_HOME: runtime.N8N_HOME }, maxBuffer: 512 * 1024 * 1024, timeout: 60_000 },
			(error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
		);
	});
}

const executionsOf = (folder, workflowId) => readDb(folder, 'executions', workflowId);

/** The items each output of a node produced in its first run. */
function outputsOf(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return runs?.[0]?.data?.main?.map((items) => items ?? []) ?? [];
}

const itemsOf = (execution, nodeName, output = 0) => outputsOf(execution, nodeName)[output] ?? [];

function countBy(items, key) {
	const counts = {};
	for (const item of items) {
		const value = key(item);
		counts[value] = (counts[value] ?? 0) + 1;
	}
	return counts;
}

const fmt = (value) => JSON.stringify(value);

function sqliteTime(value) {
	return Date.parse(`${String(value).replace(' ', 'T')}Z`);
}

function executionSeconds(execution) {
	return ((sqliteTime(execution.stoppedAt) - sqliteTime(execution.startedAt)) / 1000).toFixed(1);
}

/** The file n8n stored for a binary property (filesystem-v2 mode). */
function binaryFile(folder, binary) {
	if (!binary?.id) return undefined;
	const relative = binary.id.replace(/^filesystem(-v2)?:/, '');
	const file = path.join(folder, '.n8n', 'storage', relative);
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Minimal RFC 4180 reader for the assertions. */
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	const [headers = [], ...data] = rows.filter((r) => r.length > 1 || r[0] !== '');
	return { headers, rows: data.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]]))) };
}

// ------------------------------------------------------------------------------------------------
// Simulators

let sims;
let apiKeys = [];

function credentialsFileFor(folder) {
	const credentials = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'credentials.json'), 'utf8'));
	for (const credential of credentials) {
		credential.data.baseUrl = credential.data.baseUrl.replace(
			/127\.0\.0\.1:(\d+)/,
			(_, port) => `127.0.0.1:${Number(port) - EXAMPLE_PORT_BASE + SIM_PORT_BASE}`,
		);
	}
	const file = path.join(folder, 'credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
	return { file, credentials };
}

function keysIn(text) {
	return apiKeys.filter((key) => text.includes(key));
}

// ------------------------------------------------------------------------------------------------
// Steps

async function installRuntime() {
	const env = await runtimeEnv();
	const cached = fs.existsSync(path.join(env.N8N_HOME, '.installed')) && fs.existsSync(path.join(env.NODE24_HOME, '.installed'));
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'install'], {
		timeoutMs: 40 * 60_000,
		echo: true,
		logFile: path.join(workDir, 'runtime-install.log'),
	});
	const ms = Date.now() - t0;
	if (!check('Node 24 + n8n runtime installed', result.code === 0, result.timedOut ? 'timed out after 40 min' : `exit ${result.code}`)) {
		throw new Fatal('the n8n runtime could not be installed');
	}
	timing(cached ? 'runtime (cached, n8n-runtime.sh install)' : 'runtime first install (Node 24 + n8n + sqlite3 build)', ms);
	runtime = env;
}

function runtimeEnv() {
	return new Promise((resolve, reject) => {
		execFile('bash', [RUNTIME, 'env'], { timeout: 30_000 }, (error, stdout) => {
			if (error) return reject(error);
			const env = {};
			for (const line of stdout.split('\n')) {
				const match = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
				if (match) env[match[1]] = match[2];
			}
			resolve(env);
		});
	});
}

let tarball;

async function packPackage() {
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'pack'], { timeoutMs: 10 * 60_000, logFile: path.join(workDir, 'pack.log') });
	tarball = result.output
		.trim()
		.split('\n')
		.filter((line) => line.endsWith('.tgz'))
		.pop();
	if (!check('package builds and packs', result.code === 0 && tarball && fs.existsSync(tarball), tarball ? path.basename(tarball) : tail(result.output))) {
		throw new Fatal('the package could not be packed');
	}
	timing('build + npm pack', Date.now() - t0);
	const listing = await new Promise((resolve) => execFile('tar', ['-tzf', tarball], (error, stdout) => resolve(error ? '' : stdout)));
	const files = listing.split('\n');
	check(
		'tarball holds the built nodes and credentials',
		['BulkVerify/BulkVerify.node.js', 'BulkVerifyTrigger/BulkVerifyTrigger.node.js', 'BouncifyApi.credentials.js', 'WhoisXmlApi.credentials.js'].every((f) =>
			files.some((line) => line.endsWith(f)),
		),
		`${files.filter(Boolean).length} files`,
	);
	check('tarball has no tests or sources', !files.some((line) => /\.test\.|\/test\/|\.ts$/.test(line) && !line.endsWith('.d.ts')));
}

async function loadInto(folder) {
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'load', folder, tarball], { timeoutMs: 5 * 60_000, logFile: path.join(workDir, `load-${path.basename(folder)}.log`) });
	const target = path.join(folder, '.n8n', 'nodes', 'node_modules', PACKAGE, 'package.json');
	const loaded = (result.output.match(/loaded .*/) ?? [`exit ${result.code}`])[0];
	if (!check(`package loaded into ${path.basename(folder)}/.n8n/nodes`, result.code === 0 && fs.existsSync(target), loaded)) {
		log(tail(result.output));
		throw new Fatal('could not load the package into n8n');
	}
	timing(`load package into a fresh user folder (${path.basename(folder)})`, Date.now() - t0);
}

async function checkNodeTypes(folder) {
	const out = path.join(workDir, 'nodes.json');
	const t0 = Date.now();
	await n8nOk(folder, ['export:nodes', `--output=${out}`], { logName: 'export-nodes' });
	timing('n8n export:nodes (cold n8n CLI start incl. DB migrations)', Date.now() - t0);
	const nodes = JSON.parse(fs.readFileSync(out, 'utf8'));
	const ours = nodes.filter((node) => node.name.startsWith(`${PACKAGE}.`));
	const byName = Object.fromEntries(ours.map((node) => [node.name, node]));
	const action = byName[`${PACKAGE}.bulkVerify`];
	const trigger = byName[`${PACKAGE}.bulkVerifyTrigger`];
	check('n8n lists the Bulk Verify node as n8n-nodes-bulk-email-verify.bulkVerify', action?.displayName === 'Bulk Verify', ours.map((n) => n.name).join(', '));
	check('n8n lists the Bulk Verify Trigger as n8n-nodes-bulk-email-verify.bulkVerifyTrigger', trigger?.displayName === 'Bulk Verify Trigger' && trigger?.polling === true);
	const expected = ['bouncifyApi', 'check365Api', 'simpleColdApi', 'whoisXmlApi'];
	for (const node of [action, trigger]) {
		const names = (node?.credentials ?? []).map((c) => c.name).sort();
		check(`${node?.displayName ?? '?'} declares the four credentials`, fmt(names) === fmt(expected), names.join(', '));
	}
}

async function importExamples(folder, workflowFiles) {
	const { file } = credentialsFileFor(folder);
	const t0 = Date.now();
	const creds = await n8nOk(folder, ['import:credentials', `--input=${file}`], { logName: `import-credentials-${path.basename(folder)}` });
	check('examples/credentials.json imports', /imported 4 credentials/i.test(creds.output), (creds.output.match(/Successfully imported.*/) ?? [''])[0]);
	const dir = path.join(folder, 'workflows');
	fs.mkdirSync(dir, { recursive: true });
	for (const [name, workflow] of workflowFiles) fs.writeFileSync(path.join(dir, name), JSON.stringify(workflow));
	const wfs = await n8nOk(folder, ['import:workflow', '--separate', `--input=${dir}`], { logName: `import-workflows-${path.basename(folder)}` });
	check(
		`${workflowFiles.length} example workflow(s) import`,
		new RegExp(`imported ${workflowFiles.length} workflow`, 'i').test(wfs.output),
		(wfs.output.match(/Successfully imported.*/) ?? [''])[0],
	);
	timing(`import credentials + ${workflowFiles.length} workflow(s)`, Date.now() - t0);
}

const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** Runs one example headless and returns its stored execution. */
async function execute(folder, workflowId, label) {
	const before = (await executionsOf(folder, workflowId)).length;
	const t0 = Date.now();
	const result = await n8n(folder, ['execute', `--id=${workflowId}`, '--rawOutput'], { logName: `execute-${workflowId}-${before + 1}`, timeoutMs: 240_000 });
	const ms = Date.now() - t0;
	const executions = await executionsOf(folder, workflowId);
	const execution = executions[executions.length - 1];
	const detail = execution ? `execution ${execution.id}: ${execution.status}, ${executionSeconds(execution)} s inside n8n` : 'no execution stored';
	timing(`${label} (n8n execute, wall clock)`, ms);
	return { result, execution: executions.length > before ? execution : undefined, detail, ms };
}

function assertSuccess(run, label) {
	// The stored execution is the verdict; n8n execute's exit code is shown (it has been seen to exit 1
	// after storing and printing a successful run, while its task runner was still starting).
	const exit = run.result.timedOut ? 'timed out' : `exit ${run.result.code ?? run.result.signal}`;
	const ok = check(`${label}: runs successfully in n8n`, !run.result.timedOut && run.execution?.status === 'success', `${run.detail}; n8n execute ${exit}`);
	if (!ok) {
		const error = run.execution?.data?.resultData?.error;
		if (error) log(`        n8n error: ${error.message}${error.description ? ` | ${error.description}` : ''}`);
		else log(tail(run.result.output, 20));
	}
	return ok;
}

function assertNoKeys(run, label) {
	const stored = `${run.execution?.rawData ?? ''}${run.execution?.rawWorkflowData ?? ''}`;
	const leaked = keysIn(stored);
	check(`${label}: no API key in the stored execution`, stored.length > 0 && leaked.length === 0, leaked.length ? `found ${leaked.length} key(s)` : `${stored.length} bytes scanned`);
}

const VERDICTS_12 = { deliverable: 5, undeliverable: 3, risky: 2, unknown: 2 };

async function actionWorkflows(folder) {
	// 1: verify leads, route the deliverable ones
	{
		const label = '01 verify leads (Bouncify)';
		const r = await execute(folder, WF.verifyLeads, label);
		if (assertSuccess(r, label)) {
			const verified = itemsOf(r.execution, 'Verify leads (Bouncify)');
			check(`${label}: one item per lead`, verified.length === 12, `${verified.length} items`);
			const counts = countBy(verified, (i) => i.json.verdict);
			check(`${label}: verdicts 5 deliverable / 3 undeliverable / 2 risky / 2 unknown`, fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)), fmt(counts));
			const switchOut = outputsOf(r.execution, 'Route by verdict').map((items) => items.length);
			check(`${label}: Switch sends 5 to the campaign and 7 to review`, fmt(switchOut) === fmt([5, 7]), fmt(switchOut));
			const campaign = itemsOf(r.execution, 'Add to email campaign (stand-in)');
			check(
				`${label}: campaign items keep the lead names (paired items work)`,
				campaign.length === 5 && campaign.every((i) => i.json.verdict === 'deliverable' && typeof i.json.name === 'string' && i.json.name.length > 0),
				campaign.map((i) => i.json.name).join(', '),
			);
			const review = itemsOf(r.execution, 'Review list as CSV (stand-in)')[0];
			const csv = parseCsv(binaryFile(folder, review?.binary?.data) ?? '');
			check(`${label}: review CSV has the 7 other leads`, csv.rows.length === 7 && csv.rows.every((row) => row.verdict !== 'deliverable'), `${csv.rows.length} rows`);
		}
		assertNoKeys(r, label);
	}

	// 2a: a 1,000-row CSV uploaded as one WhoisXML job
	let bigJobId;
	{
		const label = '02a upload CSV (WhoisXML)';
		const r = await execute(folder, WF.uploadCsv, label);
		if (assertSuccess(r, label)) {
			const [created] = itemsOf(r.execution, 'Upload list (WhoisXML)');
			bigJobId = created?.json?.jobId;
			check(`${label}: one job of 1,000 addresses`, created?.json?.emailCount === 1000 && created?.json?.submitted === 1000, fmt(created?.json && { jobId: bigJobId, emailCount: created.json.emailCount }));
			const job = sims.whoisxml.jobs.get(String(bigJobId));
			check(`${label}: the provider received the 1,000 rows of the CSV`, job?.emails?.length === 1000, `${job?.emails?.length ?? 0} addresses at the simulator`);
		}
		assertNoKeys(r, label);
	}

	// 3: Bouncify upload without start → Start → Get Results → Delete
	{
		const label = '03 Bouncify upload/start/results/delete';
		const r = await execute(folder, WF.bouncify, label);
		if (assertSuccess(r, label)) {
			const [created] = itemsOf(r.execution, 'Upload list (not started)');
			check(`${label}: upload does not start the list`, created?.json?.started === false, fmt({ started: created?.json?.started }));
			const [startedJob] = itemsOf(r.execution, 'Start verification');
			check(`${label}: Start starts it`, startedJob?.json?.state === 'processing' || startedJob?.json?.state === 'completed', fmt({ state: startedJob?.json?.state }));
			const results = itemsOf(r.execution, 'Get results');
			const counts = countBy(results, (i) => i.json.verdict);
			check(`${label}: Get Results gives 12 rows, 5/3/2/2`, results.length === 12 && fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)), fmt(counts));
			const deleted = itemsOf(r.execution, 'Delete list');
			const deleteCalls = sims.bouncify.requests.filter((q) => q.route === 'delete' && q.query.job_id === created?.json?.jobId);
			check(`${label}: Delete runs once and deletes the list`, deleted.length === 1 && deleted[0].json.deleted === true && deleteCalls.length === 1, `${deleteCalls.length} DELETE call(s)`);
		}
		assertNoKeys(r, label);
	}

	// 3: SimpleCold create + wait, one CSV file
	{
		const label = '03 SimpleCold CSV file';
		const r = await execute(folder, WF.simplecold, label);
		if (assertSuccess(r, label)) {
			const [file] = itemsOf(r.execution, 'Verify (SimpleCold)');
			const csv = parseCsv(binaryFile(folder, file?.binary?.data) ?? '');
			check(`${label}: one CSV file with 12 rows`, file?.json?.rows === 12 && csv.rows.length === 12, `${csv.rows.length} rows in ${file?.binary?.data?.fileName}`);
			const counts = countBy(csv.rows, (row) => row.verdict);
			check(
				`${label}: 5 deliverable, 3 undeliverable, 4 risky or unknown`,
				counts.deliverable === 5 && counts.undeliverable === 3 && (counts.risky ?? 0) + (counts.unknown ?? 0) === 4,
				fmt(counts),
			);
			const limited = sims.simplecold.requests.filter((q) => q.status === 429).length;
			check(`${label}: stays within SimpleCold's 10 requests a minute`, limited === 0, `${sims.simplecold.requests.length} requests, ${limited} rate-limited`);
		}
		assertNoKeys(r, label);
	}

	// 3: WhoisXML Get Many (after 2a, so the account has a request)
	{
		const label = '03 WhoisXML Get Many';
		await waitFor(() => sims.whoisxml.jobs.get(String(bigJobId)) && Date.now() > jobEndsAt(sims.whoisxml.jobs.get(String(bigJobId))), { timeoutMs: 20_000 });
		const r = await execute(folder, WF.whoisxml, label);
		if (assertSuccess(r, label)) {
			const jobs = itemsOf(r.execution, 'Recent requests (WhoisXML)');
			const big = jobs.find((i) => i.json.jobId === String(bigJobId));
			check(`${label}: lists the 1,000-row request as completed`, big?.json?.state === 'completed' && big?.json?.total === 1000, `${jobs.length} job(s); ${fmt(big?.json && { jobId: big.json.jobId, state: big.json.state })}`);
		}
		assertNoKeys(r, label);
	}

	// 3: Check365 create + wait, inline results
	{
		const label = '03 Check365 inline results';
		const r = await execute(folder, WF.check365, label);
		if (assertSuccess(r, label)) {
			const results = itemsOf(r.execution, 'Verify (Check365)');
			const counts = countBy(results, (i) => i.json.verdict);
			check(`${label}: 12 results, 5/3/2/2`, results.length === 12 && fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)), fmt(counts));
			check(`${label}: raw Check365 rows kept (Simplify off)`, results.every((i) => i.json.raw && typeof i.json.raw.status === 'string'));
			const safe = itemsOf(r.execution, 'Safe to send?');
			check(
				`${label}: safe to send exactly for the deliverable ones, names paired back`,
				safe.length === 12 && safe.filter((i) => i.json.safeToSend === true).length === 5 && safe.every((i) => i.json.name),
				`${safe.filter((i) => i.json.safeToSend === true).length} safe`,
			);
		}
		assertNoKeys(r, label);
	}
}

function jobEndsAt(job) {
	return (job.startedAt ?? job.createdAt) + job.durationMs;
}

function sortKeys(object) {
	return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

async function faultRun(folder) {
	const label = 'fault: Check365 answers HTTP 500 (echoing the key)';
	sims.check365.clearFaults();
	sims.check365.inject({ route: 'status', fault: '500', times: Infinity });
	const r = await execute(folder, WF.check365, label);
	sims.check365.clearFaults();
	const echoed = sims.check365.requests.filter((q) => q.fault === '500' && q.responseText.includes(sims.check365.apiKey)).length;
	check(`${label}: the simulator did echo the key in its error bodies`, echoed > 0, `${echoed} response(s)`);
	check(`${label}: the execution fails`, r.result.code !== 0 && r.execution?.status === 'error', r.detail);
	const error = r.execution?.data?.resultData?.error;
	const nodeError = r.execution?.data?.resultData?.runData?.['Verify (Check365)']?.[0]?.error;
	const message = error?.message ?? '';
	check(`${label}: clear message naming the provider, the action and HTTP 500`, /^Check365 .*HTTP 500/.test(message), message);
	check(`${label}: the failing node is Verify (Check365), with a description`, Boolean(nodeError?.description ?? error?.description), (nodeError?.description ?? error?.description ?? '').slice(0, 160));
	assertNoKeys(r, label);
	const leakedInLog = keysIn(r.result.output);
	check(`${label}: no API key in n8n's own output`, leakedInLog.length === 0, leakedInLog.length ? 'key printed' : 'clean');
}

async function loginAndTypes(baseUrl) {
	const headers = { 'content-type': 'application/json', 'browser-id': 'bulk-verify-e2e' };
	// /healthz answers before the REST API is mounted: retry while the route is still missing.
	const login = await waitFor(
		async () => {
			const res = await fetch(`${baseUrl}/rest/login`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
				signal: AbortSignal.timeout(15_000),
			}).catch(() => undefined);
			return res && res.status !== 404 ? res : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 1_000 },
	);
	if (!check('owner (set up from N8N_INSTANCE_OWNER_* env) can log in', login?.status === 200, `HTTP ${login?.status ?? 'none'}`)) return;
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	check('login issues the n8n-auth session cookie', cookie.startsWith('n8n-auth='));
	const get = async (url) => {
		const res = await fetch(`${baseUrl}${url}`, { headers: { ...headers, cookie }, signal: AbortSignal.timeout(30_000) });
		return res.status === 200 ? await res.json() : [];
	};
	const nodes = (await get('/types/nodes.json')).map((n) => n.name);
	check(
		'editor node list (/types/nodes.json) has both nodes',
		nodes.includes(`${PACKAGE}.bulkVerify`) && nodes.includes(`${PACKAGE}.bulkVerifyTrigger`),
		nodes.filter((n) => n.startsWith(PACKAGE)).join(', '),
	);
	const credentials = (await get('/types/credentials.json')).map((c) => c.name);
	const wanted = ['bouncifyApi', 'check365Api', 'simpleColdApi', 'whoisXmlApi'];
	check('editor credential list (/types/credentials.json) has all four credential types', wanted.every((c) => credentials.includes(c)), wanted.filter((c) => credentials.includes(c)).join(', '));
}

const DURABLE_POLLING_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};

async function triggerRun(folder, { durable = false } = {}) {
	const label = `trigger 02b${durable ? ' (durable scheduler + poll cursors)' : ''}`;
	const workflow = readExample('02b-big-list-on-completion.json');
	const trigger = workflow.nodes.find((n) => n.type === `${PACKAGE}.bulkVerifyTrigger`);
	// n8n refuses intervals under a minute; twelve once-a-minute cron items poll every 5 s.
	trigger.parameters.pollTimes = { item: Array.from({ length: 12 }, (_, i) => ({ mode: 'custom', cronExpression: `${i * 5} * * * * *` })) };
	await importExamples(folder, [['02b.json', workflow]]);
	await n8nOk(folder, ['publish:workflow', `--id=${WF.onCompletion}`], { logName: 'publish' });
	check(`${label}: published with a 5 s poll`, true);

	const passwordHash = await new Promise((resolve, reject) =>
		execFile(
			runtime.NODE24_BIN,
			['-e', `process.stdout.write(require(${JSON.stringify(path.join(runtime.N8N_HOME, 'node_modules', 'bcryptjs'))}).hashSync(process.argv[1], 10))`, OWNER.password],
			{ timeout: 30_000 },
			(error, stdout) => (error ? reject(error) : resolve(stdout)),
		),
	);

	const listCalls = () => sims.whoisxml.requests.filter((q) => q.route === 'list').length;
	const listBefore = listCalls();
	const t0 = Date.now();
	const server = startProcess('bash', [RUNTIME, 'n8n', folder, 'start'], {
		logFile: path.join(workDir, `n8n-start-${path.basename(folder)}.log`),
		env: n8nEnv({
			...(durable ? DURABLE_POLLING_ENV : {}),
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash,
		}),
	});
	const baseUrl = `http://127.0.0.1:${N8N_PORT}`;
	try {
		const healthy = await waitFor(
			async () => {
				if (server.exitCode !== null) return 'exited';
				try {
					const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
					return res.status === 200 ? 'up' : undefined;
				} catch {
					return undefined;
				}
			},
			{ timeoutMs: 120_000 },
		);
		if (!check(`${label}: n8n start answers /healthz`, healthy === 'up', healthy ?? 'timed out after 120 s')) {
			log(tail(server.output(), 40));
			return;
		}
		timing(`n8n start → /healthz (cached runtime)${durable ? ', durable mode' : ''}`, Date.now() - t0);

		const active = await waitFor(
			async () => {
				const rows = await readDb(folder, 'triggerStatus', WF.onCompletion).catch(() => []);
				return rows.find((row) => /activ/i.test(String(row.status ?? ''))) ?? (listCalls() > listBefore ? { status: 'polled' } : undefined);
			},
			{ timeoutMs: 60_000, intervalMs: 1_000 },
		);
		if (!check(`${label}: activated (first, baseline poll reached WhoisXML)`, Boolean(active), active ? `status ${active.status}` : 'not active after 60 s')) {
			log(tail(server.output(), 40));
			return;
		}
		timing(`n8n start → trigger active${durable ? ', durable mode' : ''}`, Date.now() - t0);
		await waitFor(() => listCalls() > listBefore, { timeoutMs: 30_000 });
		if (durable) {
			// With durable cursors n8n does not keep what the activation poll stored: the first scheduled poll
			// sets the baseline. Create the job once that baseline is in poller_state.
			const baseline = await waitFor(
				async () => {
					const rows = await readDb(folder, 'pollerState', WF.onCompletion).catch(() => []);
					return rows.some((row) => /"baselineAt":\d/.test(String(row.cursor ?? ''))) ? rows : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 500 },
			);
			check(`${label}: baseline stored in poller_state (durable cursor)`, Boolean(baseline), baseline ? `${baseline.length} row(s)` : 'none after 30 s');
		}
		if (!durable) await loginAndTypes(baseUrl);

		// A user's list: 40 addresses, created at WhoisXML while the workflow is active.
		const kinds = ['good', 'bad', 'catchall', 'unknown'];
		const emails = Array.from({ length: 40 }, (_, i) => `${kinds[i % 4]}.trigger${i}@e2e-${durable ? 'durable' : 'legacy'}-shop.com`);
		const res = await fetch(`${sims.whoisxml.baseUrl}/api/bevService/request`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ apiKey: sims.whoisxml.apiKey, version: 3, format: 'json', emails }),
			signal: AbortSignal.timeout(10_000),
		});
		const jobId = String((await res.json())?.response?.id);
		const job = sims.whoisxml.jobs.get(jobId);
		const finishedAt = jobEndsAt(job);
		log(`  ....  WhoisXML job ${jobId} created; it completes in ${((finishedAt - Date.now()) / 1000).toFixed(1)} s`);

		const fired = await waitFor(
			async () => {
				const executions = await executionsOf(folder, WF.onCompletion);
				return executions.length > 0 ? executions : undefined;
			},
			{ timeoutMs: 90_000, intervalMs: 1_000 },
		);
		if (!check(`${label}: an execution fired after the job completed`, Boolean(fired), fired ? `execution ${fired[0].id}` : 'nothing within 90 s')) {
			log(tail(server.output(), 40));
			return;
		}
		const latencyMs = sqliteTime(fired[0].startedAt) - finishedAt;
		timing(`trigger latency: job completed → execution started (5 s poll${durable ? ', durable mode' : ''})`, latencyMs);
		check(`${label}: fired within ${durable ? 'three' : 'two'} polls of completion`, latencyMs >= 0 && latencyMs <= (durable ? 17_000 : 12_000), `${(latencyMs / 1000).toFixed(1)} s`);

		// Three more polls: nothing else may fire (not this job again, not the 1,000-row job of 02a that had ended before activation).
		const listAtFire = listCalls();
		const morePolls = await waitFor(() => listCalls() >= listAtFire + 3, { timeoutMs: 40_000 });
		await sleep(1_500);
		const executions = await executionsOf(folder, WF.onCompletion);
		check(`${label}: exactly one execution, none in the next polls`, executions.length === 1 && Boolean(morePolls), `${executions.length} execution(s) after ${listCalls() - listAtFire} more poll(s)`);

		const execution = executions[0];
		check(`${label}: execution succeeded in trigger mode`, execution.status === 'success' && execution.mode === 'trigger', `${execution.status}, ${execution.mode}`);
		const events = itemsOf(execution, 'When a WhoisXML job completes');
		check(`${label}: one event, for the new job, event completed`, events.length === 1 && events[0].json.jobId === jobId && events[0].json.event === 'completed', fmt(events.map((e) => ({ jobId: e.json.jobId, event: e.json.event }))));
		const [file] = itemsOf(execution, 'Results as CSV');
		const csv = parseCsv(binaryFile(folder, file?.binary?.data) ?? '');
		check(`${label}: results fetched as one CSV file of 40 rows`, file?.json?.rows === 40 && csv.rows.length === 40, `${csv.rows.length} rows in ${file?.binary?.data?.fileName}`);
		check(`${label}: 10 deliverable rows in the CSV`, csv.rows.filter((row) => row.verdict === 'deliverable').length === 10, fmt(countBy(csv.rows, (row) => row.verdict)));
		const crm = itemsOf(execution, 'Import CSV into CRM (stand-in)');
		check(`${label}: IF routes the file on to the CRM stand-in with the file attached`, crm.length === 1 && Boolean(crm[0].binary?.data), `${crm.length} item(s)`);
		assertNoKeys({ execution }, label);
		const errors = (await executionsOf(folder)).filter((e) => e.status !== 'success');
		check(`${label}: no failed executions (no failed polls)`, errors.length === 0, `${errors.length} failed`);
	} finally {
		const t1 = Date.now();
		const stopped = await stopProcess(server, 30_000);
		check(`${label}: n8n stops on SIGTERM`, stopped.graceful, `${elapsed(t1)}`);
	}
}

// ------------------------------------------------------------------------------------------------

async function main() {
	log(`Bulk Verify end-to-end test in a real n8n (${new Date().toISOString()}, test runner on Node ${process.versions.node})`);
	workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-e2e-'));
	log(`work folder: ${workDir}`);

	await step('n8n runtime (scripts/n8n-runtime.sh install)', installRuntime);
	await step('build and pack the package', packPackage);

	await step('simulators', async () => {
		SIM_PORT_BASE = await freePorts(SIM_PORT_BASE, 4);
		N8N_PORT = await freePorts(N8N_PORT, 1);
		BROKER_PORT = await freePorts(BROKER_PORT, 1, [N8N_PORT]);
		log(`  ports: simulators ${SIM_PORT_BASE}-${SIM_PORT_BASE + 3}, n8n ${N8N_PORT}, task broker ${BROKER_PORT}`);
		const { startAllSimulators } = require(path.join(REPO, 'test', 'simulators'));
		sims = await startAllSimulators({ portBase: SIM_PORT_BASE, jobDurationMs: 3000, perEmailMs: 1 });
		apiKeys = ['bouncify', 'check365', 'simplecold', 'whoisxml'].map((name) => sims[name].apiKey);
		check('four provider simulators listening', true, ['bouncify', 'check365', 'simplecold', 'whoisxml'].map((n) => sims[n].baseUrl).join(' '));
	});

	const actions = path.join(workDir, 'actions');
	await step('load the packed package into a fresh n8n', () => loadInto(actions));
	await step('n8n sees the nodes and credentials', () => checkNodeTypes(actions));
	await step('import examples', () =>
		importExamples(
			actions,
			fs
				.readdirSync(EXAMPLES)
				.filter((f) => f.endsWith('.json') && f !== 'credentials.json')
				.map((f) => [f, readExample(f)])
				.filter(([, wf]) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')),
		),
	);
	await step('action examples, headless (n8n execute)', () => actionWorkflows(actions));
	await step('provider fault inside n8n', () => faultRun(actions));

	const triggerFolder = path.join(workDir, 'trigger');
	await step('load the package into a second fresh n8n', () => loadInto(triggerFolder));
	await step('Bulk Verify Trigger in a running n8n (default, legacy trigger mode)', () => triggerRun(triggerFolder));

	const durableFolder = path.join(workDir, 'trigger-durable');
	await step('load the package into a third fresh n8n', () => loadInto(durableFolder));
	await step('Bulk Verify Trigger with n8n\'s durable scheduler and poll cursors on', () => triggerRun(durableFolder, { durable: true }));
}

async function finish(code) {
	killAll();
	if (sims) await Promise.race([sims.close(), sleep(5_000)]);
	log('\n== timings');
	for (const [label, ms] of timings) log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${label}`);
	log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  total`);
	if (failures.length) {
		log('\nfailed checks:');
		for (const name of failures) log(`  - ${name}`);
	}
	if (tarball && path.basename(path.dirname(tarball)).startsWith('pack.')) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	if (workDir) {
		if (failed === 0 && process.env.E2E_KEEP !== '1') fs.rmSync(workDir, { recursive: true, force: true });
		else log(`\nlogs and n8n user folders kept in ${workDir}`);
	}
	log(`\n${passed} passed, ${failed} failed`);
	process.exit(code ?? (failed > 0 ? 1 : 0));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		log(`\n${signal}: stopping`);
		failed++;
		failures.push(`interrupted by ${signal}`);
		finish(130);
	});
}

main()
	.catch((error) => {
		failed++;
		failures.push(error instanceof Fatal ? error.message : 'unexpected error');
		log(`\nABORTED: ${error instanceof Error ? error.stack : error}`);
	})
	.finally(() => finish());
