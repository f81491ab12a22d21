#!/usr/bin/env node
/* global AbortSignal */
'use strict';

/**
 * The package in n8n's queue mode (npm run test:queue): one main and two workers on Redis and
 * Postgres, each n8n with its own user folder and the packed package loaded into it, as on separate
 * machines. Nothing of the package may rely on the poll and the execution sharing memory.
 *
 * 1. Installs (or reuses) Node 24 + n8n 2.41.1, and Redis + PostgreSQL from Debian's packages
 *    (scripts/queue-services.sh); starts both on loopback ports with their data in the work folder.
 * 2. Imports the examples into Postgres with their Manual Trigger swapped for a Webhook (production
 *    executions are what queue mode hands to workers), publishes them, starts main + 2 workers.
 * 3. Runs every action example through the queue and asserts the same outputs as the single-process
 *    test (example-checks.js), plus the provider-fault run.
 * 4. Trigger: the 02b workflow polls on main every 5 s; WhoisXML jobs finish before, during and after a
 *    restart of main; exactly one execution per finished job, run by a worker.
 * 5. Load: 200 concurrent Bulk Verify executions (webhook → create + wait), clean, then with the
 *    simulators answering 429s; prints throughput, latency percentiles and errors by kind, and checks
 *    that no API key appears in any stored execution or in n8n's logs.
 *
 * Env: QUEUE_LOAD (200 executions per load round), QUEUE_WORKER_CONCURRENCY (100),
 *      QUEUE_KEEP=1 keeps the work folder.
 */

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const {
	REPO,
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
	run,
	sleep,
	freePorts,
	waitFor,
	waitHealthy,
	tail,
	fmt,
	countBy,
	itemsOf,
	dbTime,
	executionSeconds,
	keysIn,
	installRuntime,
	packPackage,
	loadInto,
	n8nOk,
	startN8n,
	startSimulators,
	importExamples,
	readExample,
	actionExamples,
	readDb,
	runScript,
} = require('./lib');
const {
	WF,
	jobEndsAt,
	actionWorkflows,
	faultRun,
	checkCompletionExecution,
	createWhoisXmlJob,
} = require('./example-checks');

const LOAD = Number(process.env.QUEUE_LOAD ?? 200);
const WORKER_CONCURRENCY = Number(process.env.QUEUE_WORKER_CONCURRENCY ?? 100);
const SERVICES = path.join(REPO, 'scripts', 'queue-services.sh');
const WORKERS = ['worker-1', 'worker-2'];

const ports = {};
let postgresUrl;
const servers = {}; // role → child process

// ------------------------------------------------------------------------------------------------
// Redis and Postgres

function servicesEnv() {
	const out = execFileSync('bash', [SERVICES, 'env'], { encoding: 'utf8' });
	return Object.fromEntries([...out.matchAll(/^([A-Z_]+)='(.*)'$/gm)].map((m) => [m[1], m[2]]));
}

/** Sends PING over RESP and waits for +PONG. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

async function startServices() {
	const t0 = Date.now();
	const install = await run('bash', [SERVICES, 'install'], {
		timeoutMs: 15 * 60_000,
		echo: true,
		logFile: path.join(ctx.workDir, 'services-install.log'),
	});
	if (
		!check(
			'Redis and PostgreSQL installed (Debian packages)',
			install.code === 0,
			`exit ${install.code}`,
		)
	)
		throw new Fatal('Redis/PostgreSQL could not be installed');
	timing('Redis + PostgreSQL install check', Date.now() - t0);
	const { REDIS_SERVER, PG_BIN } = servicesEnv();

	const t1 = Date.now();
	const redisDir = path.join(ctx.workDir, 'redis');
	fs.mkdirSync(redisDir);
	servers.redis = startProcess(
		REDIS_SERVER,
		[
			'--port',
			String(ports.redis),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			redisDir,
		],
		{
			logFile: path.join(ctx.workDir, 'redis.log'),
		},
	);
	const redisUp = await waitFor(() => redisPing(ports.redis), {
		timeoutMs: 20_000,
		intervalMs: 250,
	});
	if (!check(`Redis answers PING on 127.0.0.1:${ports.redis}`, redisUp))
		throw new Fatal(`Redis did not start\n${tail(servers.redis.output())}`);

	// PostgreSQL refuses to run as root: as root, its data folder belongs to the postgres user.
	const asRoot = process.getuid?.() === 0;
	const pgDir = path.join(ctx.workDir, 'postgres');
	fs.mkdirSync(pgDir);
	if (asRoot) {
		fs.chmodSync(ctx.workDir, 0o711);
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
		fs.chownSync(pgDir, uid, gid);
	}
	const asPostgres = (program, args) =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
	const data = path.join(pgDir, 'data');
	const initdb = await run(
		...asPostgres(path.join(PG_BIN, 'initdb'), [
			'-D',
			data,
			'-U',
			'n8n',
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-sync',
		]),
		{
			timeoutMs: 120_000,
			logFile: path.join(ctx.workDir, 'initdb.log'),
		},
	);
	if (!check('PostgreSQL cluster created (initdb)', initdb.code === 0, `exit ${initdb.code}`))
		throw new Fatal(`initdb failed\n${tail(initdb.output)}`);
	// A throwaway test database: durability settings off, connections for 3 n8n instances.
	servers.postgres = startProcess(
		...asPostgres(path.join(PG_BIN, 'postgres'), [
			'-D',
			data,
			'-p',
			String(ports.postgres),
			'-k',
			pgDir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		]),
		{ logFile: path.join(ctx.workDir, 'postgres.log') },
	);
	const created = await waitFor(
		async () =>
			(
				await run(
					path.join(PG_BIN, 'createdb'),
					['-h', '127.0.0.1', '-p', String(ports.postgres), '-U', 'n8n', 'n8n'],
					{ timeoutMs: 10_000 },
				)
			).code === 0,
		{ timeoutMs: 60_000, intervalMs: 500 },
	);
	if (
		!check(
			`PostgreSQL accepts connections on 127.0.0.1:${ports.postgres}, database n8n created`,
			created,
		)
	)
		throw new Fatal(`PostgreSQL did not start\n${tail(servers.postgres.output())}`);
	postgresUrl = `postgres://n8n@127.0.0.1:${ports.postgres}/n8n`;
	timing('start Redis + PostgreSQL (initdb included)', Date.now() - t1);
}

// ------------------------------------------------------------------------------------------------
// n8n in queue mode

function queueEnv(role, extra = {}) {
	const index = role === 'main' ? 0 : WORKERS.indexOf(role) + 1;
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(ports.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_POOL_SIZE: '10',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(ports.redis),
		N8N_PORT: String(ports.main),
		// Each instance runs its own task broker (Code nodes); on one machine they need their own ports.
		N8N_RUNNERS_BROKER_PORT: String(ports.brokerBase + index),
		QUEUE_HEALTH_CHECK_ACTIVE: role === 'main' ? 'false' : 'true',
		QUEUE_HEALTH_CHECK_PORT: String(ports.healthBase + index),
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

const folderOf = (role) => path.join(ctx.workDir, role);
const mainUrl = () => `http://127.0.0.1:${ports.main}`;

async function startMain(label) {
	const t0 = Date.now();
	servers.main = startN8n(folderOf('main'), ['start'], {
		env: queueEnv('main'),
		logName: `n8n-main-${label}`,
	});
	const healthy = await waitHealthy(servers.main, `${mainUrl()}/healthz`, 180_000);
	if (
		!check(`main (${label}) answers /healthz`, healthy === 'up', healthy ?? 'timed out after 180 s')
	) {
		log(tail(servers.main.output(), 40));
		throw new Fatal('n8n main did not start');
	}
	timing(`main start → /healthz (${label})`, Date.now() - t0);
}

async function startWorker(role) {
	const t0 = Date.now();
	servers[role] = startN8n(folderOf(role), ['worker', `--concurrency=${WORKER_CONCURRENCY}`], {
		env: queueEnv(role),
		logName: `n8n-${role}`,
	});
	const healthy = await waitHealthy(
		servers[role],
		`http://127.0.0.1:${queueEnv(role).QUEUE_HEALTH_CHECK_PORT}/healthz/readiness`,
		180_000,
	);
	if (
		!check(
			`${role} ready (concurrency ${WORKER_CONCURRENCY})`,
			healthy === 'up',
			healthy ?? 'timed out after 180 s',
		)
	) {
		log(tail(servers[role].output(), 40));
		throw new Fatal(`n8n ${role} did not start`);
	}
	timing(`${role} start → ready`, Date.now() - t0);
}

/** Which worker ran each execution id, from what the workers logged ("Worker started execution N"). */
function workerIndex() {
	const index = new Map();
	for (const role of WORKERS) {
		for (const match of (servers[role]?.output() ?? '').matchAll(/Worker started execution (\d+)/g))
			index.set(match[1], role);
	}
	return index;
}

// ------------------------------------------------------------------------------------------------
// Workflows for the queue: the examples behind webhooks, load workflows, the trigger

const webhookPath = (workflowId) => `bv-queue-${workflowId.toLowerCase()}`;

/** The example with its Manual Trigger replaced by a Webhook of the same name (answers with the last node). */
function behindWebhook(workflow, { responseData } = {}) {
	const copy = JSON.parse(JSON.stringify(workflow));
	const manual = copy.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	Object.assign(manual, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: crypto.randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: webhookPath(copy.id),
			responseMode: 'lastNode',
			...(responseData ? { responseData } : {}),
			options: {},
		},
	});
	// Other triggers (02a's daily schedule) would fire on their own once published.
	const otherTriggers = copy.nodes
		.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger')
		.map((n) => n.name);
	copy.nodes = copy.nodes.filter((n) => !otherTriggers.includes(n.name));
	for (const name of otherTriggers) delete copy.connections[name];
	return copy;
}

const LOAD_PROVIDERS = ['bouncify', 'check365', 'whoisxml'];
const CREDENTIALS = {
	bouncify: { bouncifyApi: { id: 'bvSimBouncify001', name: 'Bouncify (local simulator)' } },
	check365: { check365Api: { id: 'bvSimCheck365001', name: 'Check365 (local simulator)' } },
	whoisxml: { whoisXmlApi: { id: 'bvSimWhoisXml001', name: 'WhoisXML API (local simulator)' } },
};
const loadWorkflowId = (provider) => `bvQueueLoad${provider.slice(0, 5)}`.padEnd(16, '0');

/** Webhook (POST {emails:[{email}]}) → Split Out → Bulk Verify create + wait → all result items back. */
function loadWorkflow(provider) {
	const id = loadWorkflowId(provider);
	return {
		id,
		name: `Queue load: verify a small list (${provider})`,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: crypto.randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: webhookPath(id),
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: crypto.randomUUID(),
				name: 'Addresses',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.emails', options: {} },
			},
			{
				id: crypto.randomUUID(),
				name: 'Verify',
				type: `${PACKAGE}.bulkVerify`,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					provider,
					resource: 'job',
					operation: 'create',
					emailField: 'email',
					...(provider === 'bouncify' ? { startNow: true } : {}),
					waitForCompletion: true,
					waitOptions: { maxWaitMinutes: 5, pollIntervalSeconds: 2 },
				},
				credentials: CREDENTIALS[provider],
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Addresses', type: 'main', index: 0 }]] },
			Addresses: { main: [[{ node: 'Verify', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

function triggerWorkflow() {
	const workflow = readExample('02b-big-list-on-completion.json');
	const trigger = workflow.nodes.find((n) => n.type === `${PACKAGE}.bulkVerifyJobTrigger`);
	// n8n refuses intervals under a minute; twelve once-a-minute cron items poll every 5 s.
	trigger.parameters.pollTimes = {
		item: Array.from({ length: 12 }, (_, i) => ({
			mode: 'custom',
			cronExpression: `${i * 5} * * * * *`,
		})),
	};
	return workflow;
}

async function importAndPublish() {
	const workflows = [
		...actionExamples().map(([file, wf]) => [file, behindWebhook(wf)]),
		...LOAD_PROVIDERS.map((provider) => [`load-${provider}.json`, loadWorkflow(provider)]),
		['02b.json', triggerWorkflow()],
	];
	// Every instance reads the same Postgres: importing through main's folder is enough.
	await importExamples(folderOf('main'), workflows, { env: queueEnv('main') });
	const t0 = Date.now();
	const ids = workflows.map(([, wf]) => wf.id);
	// Three CLI processes at a time (each is a cold n8n start).
	const results = [];
	for (let i = 0; i < ids.length; i += 3) {
		results.push(
			...(await Promise.all(
				ids.slice(i, i + 3).map((id) =>
					n8nOk(folderOf('main'), ['publish:workflow', `--id=${id}`], {
						logName: `publish-${id}`,
						env: queueEnv('main'),
					})
						.then(() => true)
						.catch((error) => (log(error.message), false)),
				),
			)),
		);
	}
	check(
		`${ids.length} workflows published (examples behind webhooks, 3 load workflows, the 02b trigger)`,
		results.every(Boolean),
		`${results.filter(Boolean).length} ok`,
	);
	timing(`publish ${ids.length} workflows (n8n publish:workflow)`, Date.now() - t0);
}

// ------------------------------------------------------------------------------------------------
// Running through the queue

const executionsOf = (workflowId) => readDb(postgresUrl, 'executions', workflowId);

async function binaryText(binary) {
	if (!binary?.id) return undefined;
	return (await readDb(postgresUrl, 'binary', binary.id)) ?? undefined;
}

function logsSince(marks) {
	return Object.entries(servers)
		.filter(([role]) => role === 'main' || WORKERS.includes(role))
		.map(([role, child]) => child.output().slice(marks[role] ?? 0))
		.join('\n');
}

const logMarks = () =>
	Object.fromEntries(Object.entries(servers).map(([role, child]) => [role, child.output().length]));

/** POSTs to the example's webhook on main; a worker runs it; returns the stored execution. */
async function executeViaWebhook(workflowId, label) {
	const before = new Set((await executionsOf(workflowId)).map((e) => e.id));
	const marks = logMarks();
	const t0 = Date.now();
	let response;
	let body = '';
	let timedOut = false;
	try {
		response = await fetch(`${mainUrl()}/webhook/${webhookPath(workflowId)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
			signal: AbortSignal.timeout(240_000),
		});
		body = await response.text();
	} catch (error) {
		timedOut = error?.name === 'TimeoutError';
		body = String(error?.message ?? error);
	}
	const ms = Date.now() - t0;
	// The response can come a moment before the worker's final write: wait for a finished execution.
	const execution = await waitFor(
		async () =>
			(await executionsOf(workflowId)).find(
				(e) => !before.has(e.id) && e.status !== 'running' && e.status !== 'new' && e.stoppedAt,
			),
		{ timeoutMs: 30_000, intervalMs: 500 },
	);
	const worker = execution ? workerIndex().get(String(execution.id)) : undefined;
	const detail = execution
		? `execution ${execution.id} on ${worker ?? 'no worker'}: ${execution.status}, ${executionSeconds(execution)} s inside n8n`
		: 'no execution stored';
	timing(`${label} (webhook → worker → response, wall clock)`, ms);
	return {
		result: { code: response?.ok ? 0 : 1, timedOut, output: `${body}\n${logsSince(marks)}` },
		execution,
		detail,
		worker,
	};
}

async function examplesThroughQueue() {
	const ran = [];
	const execute = async (workflowId, label) => {
		const r = await executeViaWebhook(workflowId, label);
		ran.push(r);
		return r;
	};
	await actionWorkflows({ execute, binaryText, how: 'webhook HTTP' });
	check(
		'every example execution ran on a worker, not on main',
		ran.length === actionExamples().length && ran.every((r) => r.worker),
		fmt(countBy(ran, (r) => r.worker ?? 'main?')),
	);
	await faultRun({ execute, how: 'webhook HTTP' });
}

// ------------------------------------------------------------------------------------------------
// The trigger on main, across a restart of main

const TRIGGER_NODE = 'When a WhoisXML job completes';

/** jobId → ids of the 02b executions whose trigger output holds an event for it. */
async function triggerEventsByJob() {
	const byJob = new Map();
	for (const execution of await executionsOf(WF.onCompletion)) {
		for (const item of itemsOf(execution, TRIGGER_NODE)) {
			byJob.set(item.json.jobId, [...(byJob.get(item.json.jobId) ?? []), execution.id]);
		}
	}
	return byJob;
}

/** Every WhoisXML job at the simulator was created after the trigger's baseline: each must fire once. */
async function expectOneEventPerJob(label, { timeoutMs }) {
	const { whoisxml } = ctx.sims;
	const finished = () =>
		[...whoisxml.jobs.values()]
			.filter((job) => Date.now() > jobEndsAt(job))
			.map((job) => String(job.id));
	const listCalls = () => whoisxml.requests.filter((q) => q.route === 'list').length;
	const t0 = Date.now();
	const allFired = await waitFor(
		async () => {
			const byJob = await triggerEventsByJob();
			return finished().every((id) => byJob.has(id));
		},
		{ timeoutMs, intervalMs: 2_000 },
	);
	// Three more polls: nothing may fire again.
	const listNow = listCalls();
	await waitFor(() => listCalls() >= listNow + 3, { timeoutMs: 40_000 });
	await sleep(2_000);
	const byJob = await triggerEventsByJob();
	const jobs = finished();
	const lost = jobs.filter((id) => !byJob.has(id));
	const duplicated = jobs.filter((id) => (byJob.get(id) ?? []).length > 1);
	const unknown = [...byJob.keys()].filter((id) => !whoisxml.jobs.has(id));
	check(
		`${label}: exactly one trigger event per finished WhoisXML job (${jobs.length} jobs; lost ${lost.length}, duplicated ${duplicated.length})`,
		Boolean(allFired) && lost.length === 0 && duplicated.length === 0 && unknown.length === 0,
		`caught up in ${elapsed(t0)}; lost ${fmt(lost.slice(0, 10))}, duplicated ${fmt(duplicated.slice(0, 10))}, unknown ${fmt(unknown)}`,
	);
	return { byJob, jobs: jobs.length, lost: lost.length, duplicated: duplicated.length };
}

async function triggerAcrossRestart() {
	const label = 'queue trigger 02b';
	const { sims } = ctx;
	const listCalls = () => sims.whoisxml.requests.filter((q) => q.route === 'list').length;
	// Main activated the trigger when it started, before the examples ran: its baseline had no jobs,
	// so the 1,000-row job of example 02a must fire too, once.
	const polled = await waitFor(() => listCalls() > 0, { timeoutMs: 60_000 });
	if (
		!check(
			`${label}: main activated the trigger (its polls reach WhoisXML)`,
			polled,
			`${listCalls()} list call(s)`,
		)
	)
		return undefined;

	const phases = new Map(); // jobId → phase
	const create = async (phase) => {
		const { jobId } = await createWhoisXmlJob(`queue-${phases.size}`);
		phases.set(jobId, phase);
	};

	// A: two jobs while main runs.
	await create('before the restart');
	await create('before the restart');
	const fired = await waitFor(
		async () => {
			const byJob = await triggerEventsByJob();
			return [...phases.keys()].every((id) => byJob.has(id));
		},
		{ timeoutMs: 90_000, intervalMs: 1_000 },
	);
	check(`${label}: the jobs finished before the restart fired`, Boolean(fired));

	// B: jobs that finish while main stops, while it is down, and after it is back.
	await create('finishing while main stops');
	await create('finishing while main stops');
	const t0 = Date.now();
	const stopped = await stopProcess(servers.main, 60_000);
	check(`${label}: main stops on SIGTERM`, stopped.graceful, elapsed(t0));
	const persisted = await readDb(postgresUrl, 'staticData', WF.onCompletion);
	const memory = JSON.stringify(persisted?.[0]?.staticData ?? null);
	check(
		`${label}: what the trigger remembers is in Postgres (workflow_entity.staticData)`,
		memory.length > 20,
		`${memory.length} bytes`,
	);
	await create('finishing while main is down');
	await create('finishing while main is down');
	await waitFor(
		() => [...sims.whoisxml.jobs.values()].every((job) => Date.now() > jobEndsAt(job) + 500),
		{ timeoutMs: 30_000 },
	);
	const downMs = Date.now() - t0;
	log(`  ....  main down for ${(downMs / 1000).toFixed(1)} s; every job so far has finished`);
	await startMain('restarted');
	await create('finishing after the restart');

	const { byJob, jobs, lost, duplicated } = await expectOneEventPerJob(
		`${label} across the restart`,
		{ timeoutMs: 120_000 },
	);
	const executions = await executionsOf(WF.onCompletion);
	const workers = workerIndex();
	for (const [jobId, phase] of [...phases, ['1001', 'example 02a, 1,000 rows']]) {
		const [executionId] = byJob.get(jobId) ?? [];
		const execution = executions.find((e) => e.id === executionId);
		const job = sims.whoisxml.jobs.get(jobId);
		const latency =
			execution && job
				? `${((dbTime(execution.startedAt) - jobEndsAt(job)) / 1000).toFixed(1)} s after it finished`
				: 'never';
		log(
			`  ....  job ${jobId} [${phase}]: execution ${executionId ?? '-'} on ${workers.get(String(executionId)) ?? '-'}, started ${latency}`,
		);
	}
	const byWorker = countBy(executions, (e) => workers.get(String(e.id)) ?? 'not a worker');
	check(
		`${label}: the trigger's executions ran on the workers`,
		!byWorker['not a worker'],
		fmt(byWorker),
	);
	const downJob = [...phases].find(([, phase]) => phase === 'finishing while main is down')?.[0];
	const downExecution = executions.find((e) => e.id === byJob.get(downJob)?.[0]);
	if (
		check(
			`${label}: a job that finished while main was down fired after the restart`,
			Boolean(downExecution),
		)
	) {
		await checkCompletionExecution(downExecution, downJob, {
			label: `${label} (job ${downJob}, finished while main was down)`,
			binaryText,
		});
	}
	const failed = executions.filter((e) => e.status !== 'success');
	check(`${label}: no failed trigger executions`, failed.length === 0, `${failed.length} failed`);
	return { jobs, lost, duplicated, mainDownSeconds: downMs / 1000 };
}

// ------------------------------------------------------------------------------------------------
// Load

const percentile = (sorted, p) =>
	sorted.length
		? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
		: NaN;
const KINDS = ['good', 'bad', 'catchall', 'unknown'];
const EXPECTED_VERDICTS = {
	good: 'deliverable',
	bad: 'undeliverable',
	catchall: 'risky',
	unknown: 'unknown',
};

function classify(message) {
	if (/rate-limit/i.test(message)) return 'rate limited (clear message)';
	if (/timed out|timeout/i.test(message)) return 'timeout';
	return `other: ${message.slice(0, 80)}`;
}

/**
 * POSTs JSON with node:http: fetch (undici) gives up on a response after 300 s, and a rate-limited
 * execution may legitimately take longer than that.
 */
function postJson(url, body, timeoutMs) {
	return new Promise((resolve) => {
		const request = http.request(
			url,
			{ method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs },
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode, body: text }));
				response.on('error', (error) => resolve({ status: 0, body: String(error.message) }));
			},
		);
		request.on('timeout', () =>
			request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
		);
		request.on('error', (error) => resolve({ status: 0, body: String(error.message) }));
		request.end(JSON.stringify(body));
	});
}

/**
 * Fires `total` webhook calls at once, spread over `providers`, each a list of 4 addresses (one per
 * class), and measures each from request to response.
 */
async function loadRound(name, { total, providers }) {
	const t0 = Date.now();
	const marks = logMarks();
	const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
	const calls = Array.from({ length: total }, (_, i) => {
		const provider = providers[i % providers.length];
		const emails = KINDS.map((kind) => ({ email: `${kind}.load${i}@${slug}.example.com` }));
		const started = Date.now();
		return postJson(
			`${mainUrl()}/webhook/${webhookPath(loadWorkflowId(provider))}`,
			{ emails },
			15 * 60_000,
		).then((answer) => ({
			provider,
			...answer,
			ms: Date.now() - started,
		}));
	});
	const answers = await Promise.all(calls);
	const wallMs = Date.now() - t0;

	const correct = answers.filter((a) => {
		if (a.status !== 200) return false;
		try {
			const items = JSON.parse(a.body);
			return (
				items.length === 4 &&
				items.every((item) => item.verdict === EXPECTED_VERDICTS[item.email.split('.')[0]])
			);
		} catch {
			return false;
		}
	});
	// The stored executions of this round: every load workflow's executions started after t0.
	const stored = (await Promise.all(providers.map((p) => executionsOf(loadWorkflowId(p)))))
		.flat()
		.filter((e) => dbTime(e.createdAt ?? e.startedAt) >= t0 - 1_000);
	const failedExecutions = stored.filter((e) => e.status !== 'success');
	const errors = countBy(failedExecutions, (e) =>
		classify(e.data?.resultData?.error?.message ?? e.status),
	);
	const httpErrors = countBy(
		answers.filter((a) => a.status !== 200),
		(a) => `HTTP ${a.status}`,
	);
	const latencies = answers.map((a) => a.ms).sort((a, b) => a - b);
	const sorted = (values) => values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	const inside = sorted(
		stored
			.filter((e) => e.startedAt && e.stoppedAt)
			.map((e) => dbTime(e.stoppedAt) - dbTime(e.startedAt)),
	);
	// Waiting in the queue (created → a worker started it) and the Bulk Verify node's own time.
	const queued = sorted(
		stored
			.filter((e) => e.createdAt && e.startedAt)
			.map((e) => dbTime(e.startedAt) - dbTime(e.createdAt)),
	);
	const inVerify = sorted(
		stored.map((e) => e.data?.resultData?.runData?.Verify?.[0]?.executionTime),
	);
	const workers = workerIndex();
	const byWorker = countBy(stored, (e) => workers.get(String(e.id)) ?? 'no worker');
	// Peak concurrency: executions running at once, from their start/stop times.
	const edges = stored
		.filter((e) => e.startedAt && e.stoppedAt)
		.flatMap((e) => [
			[dbTime(e.startedAt), 1],
			[dbTime(e.stoppedAt), -1],
		])
		.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let running = 0;
	let peak = 0;
	for (const [, delta] of edges) peak = Math.max(peak, (running += delta));
	const requests = Object.fromEntries(
		providers.map((p) => [p, ctx.sims[p].requests.filter((q) => q.time >= t0 - 1_000)]),
	);
	const limited = Object.fromEntries(
		providers.map((p) => [p, requests[p].filter((q) => q.status === 429).length]),
	);

	const figures = {
		name,
		executions: total,
		stored: stored.length,
		succeeded: stored.filter((e) => e.status === 'success').length,
		correctResponses: correct.length,
		wallSeconds: wallMs / 1000,
		throughputPerSecond: total / (wallMs / 1000),
		latencyMs: {
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			max: latencies.at(-1),
		},
		insideN8nMs: { p50: percentile(inside, 50), p95: percentile(inside, 95) },
		queuedMs: { p50: percentile(queued, 50), p95: percentile(queued, 95) },
		verifyNodeMs: { p50: percentile(inVerify, 50), p95: percentile(inVerify, 95) },
		peakConcurrentExecutions: peak,
		byWorker,
		byProvider: countBy(answers, (a) => a.provider),
		providerRequests: Object.fromEntries(providers.map((p) => [p, requests[p].length])),
		provider429s: limited,
		errors,
		httpErrors,
	};
	log(`  figures ${name}: ${JSON.stringify(figures)}`);
	log(
		`  ....  ${name}: ${total} executions in ${(wallMs / 1000).toFixed(1)} s = ${figures.throughputPerSecond.toFixed(2)}/s; latency p50 ${(figures.latencyMs.p50 / 1000).toFixed(1)} s, p95 ${(figures.latencyMs.p95 / 1000).toFixed(1)} s; peak ${peak} running at once; errors ${fmt(errors)}`,
	);
	const leakedInLogs = keysIn(logsSince(marks));
	check(
		`${name}: no API key in n8n's logs`,
		leakedInLogs.length === 0,
		leakedInLogs.length ? `${leakedInLogs.length} key(s)` : 'clean',
	);
	return { figures, answers, stored, correct, failedExecutions };
}

/** For scale: the same webhook call one at a time (6 calls, Check365 and WhoisXML alternately). */
async function oneAtATime() {
	const latencies = [];
	for (let i = 0; i < 6; i++) {
		const provider = i % 2 ? 'whoisxml' : 'check365';
		const started = Date.now();
		const answer = await postJson(
			`${mainUrl()}/webhook/${webhookPath(loadWorkflowId(provider))}`,
			{ emails: KINDS.map((kind) => ({ email: `${kind}.single${i}@one-at-a-time.example.com` })) },
			120_000,
		);
		if (answer.status === 200) latencies.push(Date.now() - started);
	}
	latencies.sort((a, b) => a - b);
	const figures = {
		calls: 6,
		succeeded: latencies.length,
		latencyMs: { p50: percentile(latencies, 50), max: latencies.at(-1) },
	};
	check(
		'one at a time: 6 executions through the queue succeed',
		latencies.length === 6,
		`latency p50 ${(figures.latencyMs.p50 / 1000).toFixed(1)} s, max ${(figures.latencyMs.max / 1000).toFixed(1)} s`,
	);
	return figures;
}

/** Check365 and WhoisXML document no rate limit; Bouncify's 120 requests a minute comes in the next round. */
const UNLIMITED_PROVIDERS = ['check365', 'whoisxml'];

async function loadClean() {
	const { figures, stored, correct } = await loadRound('load (no faults)', {
		total: LOAD,
		providers: UNLIMITED_PROVIDERS,
	});
	check(
		`load (no faults): ${LOAD} executions stored, all succeeded`,
		stored.length === LOAD && figures.succeeded === LOAD,
		`${stored.length} stored, ${figures.succeeded} succeeded`,
	);
	check(
		`load (no faults): every response holds the 4 results with the right verdicts`,
		correct.length === LOAD,
		`${correct.length} of ${LOAD}`,
	);
	check(
		`load (no faults): spread over both workers`,
		WORKERS.every((w) => (figures.byWorker[w] ?? 0) > 0),
		fmt(figures.byWorker),
	);
	check(
		`load (no faults): ran concurrently (at least ${Math.min(LOAD, 2 * WORKER_CONCURRENCY) / 2} at once)`,
		figures.peakConcurrentExecutions >= Math.min(LOAD, 2 * WORKER_CONCURRENCY) / 2,
		`peak ${figures.peakConcurrentExecutions}`,
	);
	return figures;
}

async function loadWith429s() {
	const name = 'load (429s injected)';
	// While the round runs, about one request in three to Check365 and to WhoisXML gets a 429 (topped up
	// every 100 ms from the requests that arrived), alternately with and without Retry-After; Bouncify
	// answers 429s of its own past 120 requests a minute.
	const seen = Object.fromEntries(UNLIMITED_PROVIDERS.map((p) => [p, ctx.sims[p].requests.length]));
	let injected = 0;
	const injector = setInterval(() => {
		for (const provider of UNLIMITED_PROVIDERS) {
			const arrived = ctx.sims[provider].requests.length;
			for (let n = Math.floor((arrived - seen[provider]) / 3); n > 0; n--) {
				ctx.sims[provider].inject({
					route: '*',
					fault: '429',
					...(++injected % 2 ? { retryAfter: 1 } : {}),
				});
				seen[provider] += 3;
			}
		}
	}, 100);
	let round;
	try {
		round = await loadRound(name, { total: LOAD, providers: LOAD_PROVIDERS });
	} finally {
		clearInterval(injector);
		for (const provider of PROVIDERS) ctx.sims[provider].clearFaults();
	}
	const { figures, stored, correct, failedExecutions } = round;
	const total429 = Object.values(figures.provider429s).reduce((a, b) => a + b, 0);
	check(
		`${name}: the simulators answered 429s during the round`,
		total429 > 0,
		fmt(figures.provider429s),
	);
	check(`${name}: ${LOAD} executions stored`, stored.length === LOAD, `${stored.length}`);
	const unclear = failedExecutions.filter(
		(e) => classify(e.data?.resultData?.error?.message ?? '') !== 'rate limited (clear message)',
	);
	check(
		`${name}: each execution succeeded within its retry budget or failed with the clear rate-limit error`,
		stored.length === LOAD && unclear.length === 0 && correct.length === figures.succeeded,
		`${figures.succeeded} succeeded (${correct.length} correct responses), ${failedExecutions.length} rate-limit failures, ${unclear.length} other`,
	);
	const sampleError = failedExecutions[0]?.data?.resultData?.error;
	if (sampleError)
		log(
			`  ....  a rate-limit failure reads: ${sampleError.message}${sampleError.description ? ` | ${sampleError.description}` : ''}`,
		);
	return figures;
}

async function noKeysStored() {
	const all = await readDb(postgresUrl, 'executions');
	const leaked = all.filter(
		(e) => keysIn(`${e.rawData ?? ''}${e.rawWorkflowData ?? ''}`).length > 0,
	);
	const bytes = all.reduce((sum, e) => sum + (e.rawData?.length ?? 0), 0);
	check(
		`no API key in any stored execution (${all.length} executions)`,
		all.length > 0 && leaked.length === 0,
		leaked.length ? `${leaked.length} with a key` : `${(bytes / 1e6).toFixed(1)} MB scanned`,
	);
}

// ------------------------------------------------------------------------------------------------

async function main() {
	log(
		`Bulk Verify in n8n queue mode (${new Date().toISOString()}, test runner on Node ${process.versions.node})`,
	);
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-queue-'));
	log(`work folder: ${ctx.workDir}`);

	await step('n8n runtime (scripts/n8n-runtime.sh install)', installRuntime);
	await step('build and pack the package', packPackage);

	await step('ports and simulators', async () => {
		ctx.simPortBase = await freePorts(Number(process.env.QUEUE_SIM_PORT_BASE ?? 4401), 4);
		ports.main = await freePorts(5788, 1);
		ports.brokerBase = await freePorts(5790, 3, [ports.main]);
		ports.healthBase = await freePorts(5800, 3, [
			ports.main,
			ports.brokerBase,
			ports.brokerBase + 1,
			ports.brokerBase + 2,
		]);
		ports.redis = await freePorts(6390, 1);
		ports.postgres = await freePorts(5442, 1);
		log(`  ports: ${fmt({ simulators: ctx.simPortBase, ...ports })}`);
		await startSimulators();
	});
	await step('Redis and PostgreSQL (Debian packages, loopback, temp data)', startServices);
	await step(
		'load the packed package into main and both workers (one user folder each)',
		async () => {
			for (const role of ['main', ...WORKERS]) await loadInto(folderOf(role));
		},
	);
	await step('import the workflows into Postgres and publish them', importAndPublish);
	await step('start main and two workers (EXECUTIONS_MODE=queue)', async () => {
		await startMain('first start');
		for (const role of WORKERS) await startWorker(role);
	});

	await step(
		'action examples through the queue (webhook on main, run by a worker)',
		examplesThroughQueue,
	);
	const trigger = await step(
		'Bulk Verify Trigger on main, jobs finishing across a restart of main',
		triggerAcrossRestart,
	);
	const single = await step('one Bulk Verify execution at a time (for scale)', oneAtATime);
	const clean = await step(`load: ${LOAD} concurrent Bulk Verify executions`, loadClean);
	const limited = await step(
		`load: ${LOAD} concurrent executions with the simulators answering 429s`,
		loadWith429s,
	);
	// The WhoisXML jobs of the load rounds finished while the trigger kept polling on main.
	const underLoad = await step('the trigger after the load rounds', () =>
		expectOneEventPerJob('queue trigger 02b under load', { timeoutMs: 240_000 }),
	);
	await step('no API key stored', noKeysStored);

	log('\n== queue-mode figures');
	log(`  trigger across the restart: ${fmt(trigger)}`);
	if (single) log(`  one at a time: ${fmt(single)}`);
	if (underLoad)
		log(
			`  trigger after the load rounds: ${fmt({ jobs: underLoad.jobs, lost: underLoad.lost, duplicated: underLoad.duplicated })}`,
		);
	for (const figures of [clean, limited].filter(Boolean)) {
		log(
			`  ${figures.name}: ${figures.executions} executions, ${figures.succeeded} succeeded, ${figures.wallSeconds.toFixed(1)} s, ${figures.throughputPerSecond.toFixed(2)}/s, ` +
				`latency p50 ${(figures.latencyMs.p50 / 1000).toFixed(1)} s p95 ${(figures.latencyMs.p95 / 1000).toFixed(1)} s, peak ${figures.peakConcurrentExecutions} at once, ` +
				`workers ${fmt(figures.byWorker)}, 429s ${fmt(figures.provider429s)}, errors ${fmt(figures.errors)}`,
		);
	}

	await step('stop n8n, Redis and PostgreSQL', async () => {
		for (const role of [...WORKERS, 'main']) {
			if (!servers[role]) continue;
			const t0 = Date.now();
			const stopped = await stopProcess(servers[role], 60_000);
			check(`${role} stops on SIGTERM`, stopped.graceful, elapsed(t0));
		}
		for (const role of ['redis', 'postgres'])
			if (servers[role]) await stopProcess(servers[role], 20_000);
	});
}

runScript(main, { keepWorkDir: process.env.QUEUE_KEEP === '1' });
