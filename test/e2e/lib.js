'use strict';
/* global AbortSignal */

/**
 * What the real-n8n tests share (run.js: one process on SQLite; queue.js: main + workers on Redis and
 * Postgres): checks and timings, child processes in their own process groups, free ports, the cached
 * n8n runtime (scripts/n8n-runtime.sh), packing and loading this package, importing the examples, and
 * reading the stored executions back (read-db.js).
 *
 * Plain Node (no jest), so the scripts can drive processes. Each script is its own process, so the
 * module keeps its state (counts, children, work folder) at module level.
 */

const { spawn, execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const RUNTIME = path.join(REPO, 'scripts', 'n8n-runtime.sh');
const EXAMPLES = path.join(REPO, 'examples');
const READ_DB = path.join(__dirname, 'read-db.js');
const EXAMPLE_PORT_BASE = 4101;
const PACKAGE = 'n8n-nodes-bulk-email-verify';
const PROVIDERS = ['bouncify', 'check365', 'simplecold', 'whoisxml'];

/** Shared state: set by the running script as it goes. */
const ctx = {
	workDir: undefined,
	runtime: undefined, // paths printed by n8n-runtime.sh env
	features: undefined, // what the installed n8n can do (n8nFeatures)
	tarball: undefined,
	sims: undefined,
	apiKeys: [],
	simPortBase: 4301,
};

// ------------------------------------------------------------------------------------------------
// Output, checks, timings

const started = Date.now();
const tally = { passed: 0, failed: 0 };
const timings = [];
const failures = [];

const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const log = (line = '') => process.stdout.write(`${line}\n`);

function check(name, ok, detail) {
	if (ok) tally.passed++;
	else {
		tally.failed++;
		failures.push(name);
	}
	log(
		`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail !== undefined && detail !== '' ? `  (${detail})` : ''}`,
	);
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
		check(
			`${title}: no unexpected error`,
			false,
			error instanceof Error ? error.message : String(error),
		);
		return undefined;
	} finally {
		log(`  (${title}: ${elapsed(t0)})`);
	}
}

// ------------------------------------------------------------------------------------------------
// Processes: every child gets its own process group, killed as a group at the end.

const children = new Set();

function startProcess(command, args, { env = {}, logFile, echo = false, cwd = REPO } = {}) {
	const child = spawn(command, args, {
		cwd,
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
			stream.write(
				text.replace(/(^|\n)(?=.)/g, (match, newline, offset) =>
					offset === 0 && !atLineStart ? '' : `${newline}  | `,
				),
			);
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

/** Waits until GET url answers 200 (or the process exits). */
async function waitHealthy(child, url, timeoutMs) {
	return waitFor(
		async () => {
			if (child.exitCode !== null) return 'exited';
			try {
				const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
				return res.status === 200 ? 'up' : undefined;
			} catch {
				return undefined;
			}
		},
		{ timeoutMs },
	);
}

function tail(text, lines = 30) {
	return text
		.split('\n')
		.slice(-lines)
		.map((line) => `  | ${line}`)
		.join('\n');
}

// ------------------------------------------------------------------------------------------------
// Small data helpers

const fmt = (value) => JSON.stringify(value);

function countBy(items, key) {
	const counts = {};
	for (const item of items) {
		const value = key(item);
		counts[value] = (counts[value] ?? 0) + 1;
	}
	return counts;
}

function sortKeys(object) {
	return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** The items each output of a node produced in its first run. */
function outputsOf(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return runs?.[0]?.data?.main?.map((items) => items ?? []) ?? [];
}

const itemsOf = (execution, nodeName, output = 0) => outputsOf(execution, nodeName)[output] ?? [];

/** Timestamps as stored: SQLite gives "YYYY-MM-DD HH:MM:SS.mmm" (UTC), Postgres an ISO string. */
function dbTime(value) {
	const text = String(value);
	return /[zZ]|[+-]\d\d:?\d\d$/.test(text)
		? Date.parse(text)
		: Date.parse(`${text.replace(' ', 'T')}Z`);
}

function executionSeconds(execution) {
	return ((dbTime(execution.stoppedAt) - dbTime(execution.startedAt)) / 1000).toFixed(1);
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

/** The keys found in `text`, in any form an echo can carry them (raw, percent, form, JSON, HTML…). */
function keysIn(text) {
	const { encodeKey, ENCODINGS } = require(path.join(REPO, 'test', 'simulators'));
	const forms = ctx.apiKeys.flatMap((key) => ENCODINGS.map((encoding) => encodeKey(key, encoding)));
	// Inside stored JSON an escape's backslash is itself escaped.
	return [...new Set(forms)].filter(
		(form) => text.includes(form) || text.includes(JSON.stringify(form).slice(1, -1)),
	);
}

// ------------------------------------------------------------------------------------------------
// The n8n runtime, the package, the examples

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

/** Every file under `dir` whose name ends with `.js`, as one text (for the names a config reads). */
function jsText(dir) {
	if (!fs.existsSync(dir)) return '';
	return fs
		.readdirSync(dir, { recursive: true })
		.filter((file) => String(file).endsWith('.js'))
		.map((file) => fs.readFileSync(path.join(dir, String(file)), 'utf8'))
		.join('\n');
}

/**
 * Whether n8n's credential test can apply a test's `responseCode` rules: it reads the HTTP status from
 * the NodeApiError's `cause`, which n8n-workflow 2.x keeps as the HTTP error and 1.x replaces by a copy
 * without the response (then n8n answers with its own message, such as "Authorization failed - please
 * check your credentials"). Asked of the installed n8n-workflow, on the runtime's Node.
 */
function probeCredentialTestRules(n8nHome, nodeBin) {
	const script = `
		const { NodeApiError } = require('n8n-workflow');
		const http = Object.assign(new Error('Request failed with status code 401'), {
			isAxiosError: true, response: { status: 401, statusText: 'Unauthorized', data: {} },
		});
		const node = { name: 'probe', type: 'probe', typeVersion: 1, parameters: {}, position: [0, 0] };
		process.stdout.write(String(new NodeApiError(node, http).cause?.response?.status === 401));`;
	try {
		return (
			execFileSync(nodeBin, ['-e', script], {
				cwd: path.join(n8nHome, 'node_modules', 'n8n'),
				timeout: 30_000,
			}).toString() === 'true'
		);
	} catch {
		return false;
	}
}

/**
 * What the installed n8n offers that the tests use and not every n8n version has, read from its files
 * (never from its version number, so a newer n8n is tested by what it has):
 *  - publishCommand: `n8n publish:workflow` (2.x); 1.x activates with `update:workflow --active=true`.
 *  - ownerFromEnv: the owner set up from N8N_INSTANCE_OWNER_* at start (2.x); 1.x: POST /rest/owner/setup.
 *  - durablePollCursors: the opt-in durable scheduler and poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED, 2.41).
 *  - ignoreStatusExcept: requests understand `ignoreHttpStatusErrors: { ignore: true, except: [...] }`
 *    (2.x); 1.x reads any truthy value as "ignore every status".
 *  - credentialTestRules: see probeCredentialTestRules.
 */
function n8nFeatures(n8nHome, nodeBin) {
	const modules = path.join(n8nHome, 'node_modules');
	const config = jsText(path.join(modules, '@n8n', 'config', 'dist'));
	const http = [
		path.join(modules, '@n8n', 'backend-network', 'dist'),
		path.join(modules, 'n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils'),
	]
		.map(jsText)
		.join('\n');
	return {
		version: JSON.parse(fs.readFileSync(path.join(modules, 'n8n', 'package.json'), 'utf8')).version,
		publishCommand: fs.existsSync(
			path.join(modules, 'n8n', 'dist', 'commands', 'publish', 'workflow.js'),
		),
		ownerFromEnv: config.includes('N8N_INSTANCE_OWNER_MANAGED_BY_ENV'),
		durablePollCursors: config.includes('N8N_POLLER_DURABLE_CURSORS_ENABLED'),
		ignoreStatusExcept: /ignoreHttpStatusErrors\.except|isIgnoreStatusErrorConfig/.test(http),
		credentialTestRules: nodeBin ? probeCredentialTestRules(n8nHome, nodeBin) : undefined,
	};
}

async function installRuntime() {
	const env = await runtimeEnv();
	const cached =
		fs.existsSync(path.join(env.N8N_HOME, '.installed')) &&
		fs.existsSync(path.join(env.NODE_HOME, '.installed'));
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'install'], {
		timeoutMs: 40 * 60_000,
		echo: true,
		logFile: path.join(ctx.workDir, 'runtime-install.log'),
	});
	const ms = Date.now() - t0;
	if (
		!check(
			`Node ${env.NODE_VERSION} + n8n ${env.N8N_VERSION} runtime installed`,
			result.code === 0,
			result.timedOut ? 'timed out after 40 min' : `exit ${result.code}`,
		)
	) {
		throw new Fatal('the n8n runtime could not be installed');
	}
	timing(
		cached
			? 'runtime (cached, n8n-runtime.sh install)'
			: 'runtime first install (Node + n8n + native modules build)',
		ms,
	);
	ctx.runtime = env;
	ctx.features = n8nFeatures(env.N8N_HOME, env.NODE_BIN);
	log(
		`  n8n ${ctx.features.version} on Node ${env.NODE_VERSION}: ${Object.entries(ctx.features)
			.filter(([key]) => key !== 'version')
			.map(([key, value]) => `${key} ${value ? 'yes' : 'no'}`)
			.join(', ')}`,
	);
}

async function packPackage() {
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'pack'], {
		timeoutMs: 10 * 60_000,
		logFile: path.join(ctx.workDir, 'pack.log'),
	});
	const tarball = result.output
		.trim()
		.split('\n')
		.filter((line) => line.endsWith('.tgz'))
		.pop();
	if (
		!check(
			'package builds and packs',
			result.code === 0 && tarball && fs.existsSync(tarball),
			tarball ? path.basename(tarball) : tail(result.output),
		)
	) {
		throw new Fatal('the package could not be packed');
	}
	ctx.tarball = tarball;
	timing('build + npm pack', Date.now() - t0);
	const listing = await new Promise((resolve) =>
		execFile('tar', ['-tzf', tarball], (error, stdout) => resolve(error ? '' : stdout)),
	);
	const files = listing.split('\n');
	check(
		'tarball holds the built nodes and credentials',
		[
			'BulkVerify/BulkVerify.node.js',
			'BulkVerifyJobTrigger/BulkVerifyJobTrigger.node.js',
			'BouncifyApi.credentials.js',
			'WhoisXmlApi.credentials.js',
		].every((f) => files.some((line) => line.endsWith(f))),
		`${files.filter(Boolean).length} files`,
	);
	check(
		'tarball has no tests or sources',
		!files.some((line) => /\.test\.|\/test\/|\.ts$/.test(line) && !line.endsWith('.d.ts')),
	);
}

/**
 * Loads the packed package (or `tarball`, a package named `packageName`) into <folder>/.n8n/nodes,
 * where n8n keeps community packages it installed.
 */
async function loadInto(folder, { tarball = ctx.tarball, packageName = PACKAGE } = {}) {
	const t0 = Date.now();
	const result = await run('bash', [RUNTIME, 'load', folder, tarball], {
		timeoutMs: 5 * 60_000,
		logFile: path.join(ctx.workDir, `load-${path.basename(folder)}.log`),
	});
	const target = path.join(folder, '.n8n', 'nodes', 'node_modules', packageName, 'package.json');
	const loaded = (result.output.match(/loaded .*/) ?? [`exit ${result.code}`])[0];
	if (
		!check(
			`package loaded into ${path.basename(folder)}/.n8n/nodes`,
			result.code === 0 && fs.existsSync(target),
			loaded,
		)
	) {
		log(tail(result.output));
		throw new Fatal('could not load the package into n8n');
	}
	timing(`load package into a fresh user folder (${path.basename(folder)})`, Date.now() - t0);
}

/** Runs the n8n CLI (on its Node) with a user folder; `env` is added to n8n-runtime.sh's headless env. */
async function n8n(folder, args, { timeoutMs = 180_000, logName, env = {} } = {}) {
	const logFile = path.join(ctx.workDir, `${logName ?? args[0].replace(/[^a-z0-9]+/gi, '-')}.log`);
	const result = await run('bash', [RUNTIME, 'n8n', folder, ...args], { timeoutMs, logFile, env });
	return { ...result, logFile };
}

async function n8nOk(folder, args, options) {
	const result = await n8n(folder, args, options);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} exited with ${result.timedOut ? 'a timeout' : result.code}\n${tail(result.output)}`,
		);
	}
	return result;
}

/** A long-running n8n process (start, worker) in its own process group. */
function startN8n(folder, args, { env = {}, logName }) {
	return startProcess('bash', [RUNTIME, 'n8n', folder, ...args], {
		logFile: path.join(ctx.workDir, `${logName}.log`),
		env,
	});
}

async function startSimulators(options = {}) {
	const { startAllSimulators } = require(path.join(REPO, 'test', 'simulators'));
	ctx.sims = await startAllSimulators({
		portBase: ctx.simPortBase,
		jobDurationMs: 3000,
		perEmailMs: 1,
		...options,
	});
	ctx.apiKeys = PROVIDERS.map((name) => ctx.sims[name].apiKey);
	check(
		'four provider simulators listening',
		true,
		PROVIDERS.map((n) => ctx.sims[n].baseUrl).join(' '),
	);
	return ctx.sims;
}

/** examples/credentials.json (or `source`) with the Base URLs moved to the simulators' ports. */
function exampleCredentials(source = path.join(EXAMPLES, 'credentials.json')) {
	const credentials = JSON.parse(fs.readFileSync(source, 'utf8'));
	for (const credential of credentials) {
		credential.data.baseUrl = credential.data.baseUrl.replace(
			/127\.0\.0\.1:(\d+)/,
			(_, port) => `127.0.0.1:${Number(port) - EXAMPLE_PORT_BASE + ctx.simPortBase}`,
		);
	}
	return credentials;
}

function credentialsFileFor(folder, source) {
	const credentials = exampleCredentials(source);
	const file = path.join(folder, 'credentials.json');
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
	return { file, credentials };
}

/** Imports examples/credentials.json (or `credentialsFile`, e.g. a single-service package's) and the workflows. */
async function importExamples(folder, workflowFiles, { env = {}, credentialsFile } = {}) {
	const { file, credentials } = credentialsFileFor(folder, credentialsFile);
	const t0 = Date.now();
	const creds = await n8nOk(folder, ['import:credentials', `--input=${file}`], {
		logName: `import-credentials-${path.basename(folder)}`,
		env,
	});
	check(
		`${credentialsFile ? "the package's examples/credentials.json" : 'examples/credentials.json'} imports (${credentials.length})`,
		new RegExp(`imported ${credentials.length} credentials?\\b`, 'i').test(creds.output),
		(creds.output.match(/Successfully imported.*/) ?? [''])[0],
	);
	const dir = path.join(folder, 'workflows');
	fs.mkdirSync(dir, { recursive: true });
	for (const [name, workflow] of workflowFiles)
		fs.writeFileSync(path.join(dir, name), JSON.stringify(workflow));
	const wfs = await n8nOk(folder, ['import:workflow', '--separate', `--input=${dir}`], {
		logName: `import-workflows-${path.basename(folder)}`,
		env,
	});
	check(
		`${workflowFiles.length} example workflow(s) import`,
		new RegExp(`imported ${workflowFiles.length} workflow`, 'i').test(wfs.output),
		(wfs.output.match(/Successfully imported.*/) ?? [''])[0],
	);
	timing(`import credentials + ${workflowFiles.length} workflow(s)`, Date.now() - t0);
}

/**
 * Makes an imported workflow active for the next `n8n start`: `publish:workflow` where n8n has it (2.x,
 * which replaced activation by publishing), else `update:workflow --active=true` (1.x).
 */
async function publishWorkflow(folder, workflowId, { env = {}, logName = 'publish' } = {}) {
	const args = ctx.features?.publishCommand
		? ['publish:workflow', `--id=${workflowId}`]
		: ['update:workflow', `--id=${workflowId}`, '--active=true'];
	await n8nOk(folder, args, { logName, env });
	return args[0];
}

const readExample = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** The examples a user runs by hand (they start with a Manual Trigger), as [file, workflow] pairs. */
function actionExamples() {
	return fs
		.readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json') && f !== 'credentials.json')
		.map((f) => [f, readExample(f)])
		.filter(([, wf]) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger'));
}

/** A bcrypt hash of the owner's password, for N8N_INSTANCE_OWNER_PASSWORD_HASH. */
function passwordHash(password) {
	return new Promise((resolve, reject) =>
		execFile(
			ctx.runtime.NODE_BIN,
			[
				'-e',
				`process.stdout.write(require(${JSON.stringify(path.join(ctx.runtime.N8N_HOME, 'node_modules', 'bcryptjs'))}).hashSync(process.argv[1], 10))`,
				password,
			],
			{ timeout: 30_000 },
			(error, stdout) => (error ? reject(error) : resolve(stdout)),
		),
	);
}

// ------------------------------------------------------------------------------------------------
// Reading what n8n stored

/**
 * Runs read-db.js (the runtime's Node, 22 or 24: node:sqlite, and pg/flatted from the n8n install).
 * `database` is a SQLite file path or a postgres:// URL.
 */
function readDb(database, what, arg) {
	return new Promise((resolve, reject) => {
		execFile(
			ctx.runtime.NODE_BIN,
			['--no-warnings', READ_DB, database, what, ...(arg ? [arg] : [])],
			{
				env: { ...process.env, N8N_HOME: ctx.runtime.N8N_HOME },
				maxBuffer: 512 * 1024 * 1024,
				timeout: 60_000,
			},
			(error, stdout, stderr) =>
				error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
		);
	});
}

// ------------------------------------------------------------------------------------------------
// Running action workflows headless (n8n execute) on SQLite

const sqliteFileOf = (folder) => path.join(folder, '.n8n', 'database.sqlite');

/** The file n8n stored for a binary property (filesystem-v2 mode). */
/**
 * The file n8n stored for a binary property: under the user folder in filesystem(-v2) mode (2.x's
 * default), or base64 inside the execution data in n8n 1.x's default mode ("default", in memory).
 */
async function storedBinaryText(folder, binary) {
	if (!binary?.id)
		return typeof binary?.data === 'string' && binary.data !== ''
			? Buffer.from(binary.data, 'base64').toString('utf8')
			: undefined;
	const relative = binary.id.replace(/^filesystem(-v2)?:/, '');
	const file = path.join(folder, '.n8n', 'storage', relative);
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/**
 * Runs one workflow headless (n8n execute) and returns its stored execution; `env` is the n8n
 * environment (ports) of the calling script.
 */
async function executeStored(folder, workflowId, label, env) {
	const executionsOf = () => readDb(sqliteFileOf(folder), 'executions', workflowId);
	const before = (await executionsOf()).length;
	const t0 = Date.now();
	const result = await n8n(folder, ['execute', `--id=${workflowId}`, '--rawOutput'], {
		logName: `execute-${workflowId}-${before + 1}`,
		timeoutMs: 240_000,
		env,
	});
	const ms = Date.now() - t0;
	const executions = await executionsOf();
	const execution = executions[executions.length - 1];
	const detail = execution
		? `execution ${execution.id}: ${execution.status}, ${executionSeconds(execution)} s inside n8n`
		: 'no execution stored';
	timing(`${label} (n8n execute, wall clock)`, ms);
	return { result, execution: executions.length > before ? execution : undefined, detail, ms };
}

/** The runner example-checks.js drives, for a user folder; `envOf()` gives the n8n environment. */
const executeRunner = (folder, envOf) => ({
	how: 'n8n execute',
	execute: (workflowId, label) => executeStored(folder, workflowId, label, envOf()),
	binaryText: (binary) => storedBinaryText(folder, binary),
});

// ------------------------------------------------------------------------------------------------
// End of a run

async function finish(code, { keepWorkDir = false } = {}) {
	killAll();
	if (ctx.sims) await Promise.race([ctx.sims.close(), sleep(5_000)]);
	log('\n== timings');
	for (const [label, ms] of timings) log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${label}`);
	log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  total`);
	if (failures.length) {
		log('\nfailed checks:');
		for (const name of failures) log(`  - ${name}`);
	}
	if (ctx.tarball && path.basename(path.dirname(ctx.tarball)).startsWith('pack.'))
		fs.rmSync(path.dirname(ctx.tarball), { recursive: true, force: true });
	if (ctx.workDir) {
		if (tally.failed === 0 && !keepWorkDir)
			fs.rmSync(ctx.workDir, { recursive: true, force: true });
		else log(`\nlogs and n8n user folders kept in ${ctx.workDir}`);
	}
	log(`\n${tally.passed} passed, ${tally.failed} failed`);
	process.exit(code ?? (tally.failed > 0 ? 1 : 0));
}

/** Runs main(), then finish(); Ctrl-C or SIGTERM stops everything and counts as a failure. */
function runScript(main, { keepWorkDir }) {
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			log(`\n${signal}: stopping`);
			tally.failed++;
			failures.push(`interrupted by ${signal}`);
			finish(130, { keepWorkDir });
		});
	}
	main()
		.catch((error) => {
			tally.failed++;
			failures.push(error instanceof Fatal ? error.message : 'unexpected error');
			log(`\nABORTED: ${error instanceof Error ? error.stack : error}`);
		})
		.finally(() => finish(undefined, { keepWorkDir }));
}

module.exports = {
	REPO,
	RUNTIME,
	PACKAGE,
	PROVIDERS,
	ctx,
	log,
	check,
	timing,
	step,
	elapsed,
	Fatal,
	startProcess,
	stopProcess,
	killGroup,
	run,
	sleep,
	portFree,
	freePorts,
	waitFor,
	waitHealthy,
	tail,
	fmt,
	countBy,
	sortKeys,
	outputsOf,
	itemsOf,
	dbTime,
	executionSeconds,
	parseCsv,
	keysIn,
	installRuntime,
	packPackage,
	loadInto,
	n8n,
	n8nOk,
	startN8n,
	startSimulators,
	importExamples,
	exampleCredentials,
	publishWorkflow,
	n8nFeatures,
	readExample,
	actionExamples,
	passwordHash,
	readDb,
	sqliteFileOf,
	storedBinaryText,
	executeRunner,
	runScript,
};
