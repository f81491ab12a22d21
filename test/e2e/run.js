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

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	PACKAGE,
	ctx,
	log,
	check,
	timing,
	step,
	elapsed,
	stopProcess,
	sleep,
	freePorts,
	waitFor,
	waitHealthy,
	tail,
	fmt,
	dbTime,
	installRuntime,
	packPackage,
	loadInto,
	n8nOk,
	startN8n,
	startSimulators,
	importExamples,
	readExample,
	actionExamples,
	passwordHash,
	readDb,
	sqliteFileOf,
	storedBinaryText,
	executeRunner,
	runScript,
} = require('./lib');
const {
	WF,
	jobEndsAt,
	actionWorkflows,
	faultRun,
	creditGuardRun,
	checkCompletionExecution,
	createWhoisXmlJob,
} = require('./example-checks');

// Preferred ports; taken ones (a demo, someone's simulators) are skipped for the next free ones.
ctx.simPortBase = Number(process.env.E2E_SIM_PORT_BASE ?? 4301);
let N8N_PORT = Number(process.env.E2E_N8N_PORT ?? 5688);
let BROKER_PORT = Number(process.env.E2E_BROKER_PORT ?? 5699);
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-owner-pass-1' };

// ------------------------------------------------------------------------------------------------
// n8n on SQLite, one process

function n8nEnv(extra = {}) {
	return {
		N8N_RUNNERS_BROKER_PORT: String(BROKER_PORT),
		N8N_PORT: String(N8N_PORT),
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

const sqliteOf = sqliteFileOf;
const executionsOf = (folder, workflowId) => readDb(sqliteOf(folder), 'executions', workflowId);
const binaryFile = storedBinaryText;
const runnerFor = (folder) => executeRunner(folder, n8nEnv);

async function checkNodeTypes(folder) {
	const out = path.join(ctx.workDir, 'nodes.json');
	const t0 = Date.now();
	await n8nOk(folder, ['export:nodes', `--output=${out}`], {
		logName: 'export-nodes',
		env: n8nEnv(),
	});
	timing('n8n export:nodes (cold n8n CLI start incl. DB migrations)', Date.now() - t0);
	const nodes = JSON.parse(fs.readFileSync(out, 'utf8'));
	const ours = nodes.filter((node) => node.name.startsWith(`${PACKAGE}.`));
	const byName = Object.fromEntries(ours.map((node) => [node.name, node]));
	const action = byName[`${PACKAGE}.bulkVerify`];
	const trigger = byName[`${PACKAGE}.bulkVerifyJobTrigger`];
	check(
		'n8n lists the Bulk Verify node as n8n-nodes-bulk-email-verify.bulkVerify',
		action?.displayName === 'Bulk Verify',
		ours.map((n) => n.name).join(', '),
	);
	check(
		'n8n lists the Bulk Verify Trigger as n8n-nodes-bulk-email-verify.bulkVerifyJobTrigger',
		trigger?.displayName === 'Bulk Verify Trigger' && trigger?.polling === true,
	);
	const expected = ['bouncifyApi', 'check365Api', 'simpleColdApi', 'whoisXmlApi'];
	for (const node of [action, trigger]) {
		const names = (node?.credentials ?? []).map((c) => c.name).sort();
		check(
			`${node?.displayName ?? '?'} declares the four credentials`,
			fmt(names) === fmt(expected),
			names.join(', '),
		);
	}
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
	if (
		!check(
			'owner (set up from N8N_INSTANCE_OWNER_* env) can log in',
			login?.status === 200,
			`HTTP ${login?.status ?? 'none'}`,
		)
	)
		return;
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	check('login issues the n8n-auth session cookie', cookie.startsWith('n8n-auth='));
	const get = async (url) => {
		const res = await fetch(`${baseUrl}${url}`, {
			headers: { ...headers, cookie },
			signal: AbortSignal.timeout(30_000),
		});
		return res.status === 200 ? await res.json() : [];
	};
	const nodes = (await get('/types/nodes.json')).map((n) => n.name);
	check(
		'editor node list (/types/nodes.json) has both nodes',
		nodes.includes(`${PACKAGE}.bulkVerify`) && nodes.includes(`${PACKAGE}.bulkVerifyJobTrigger`),
		nodes.filter((n) => n.startsWith(PACKAGE)).join(', '),
	);
	const credentials = (await get('/types/credentials.json')).map((c) => c.name);
	const wanted = ['bouncifyApi', 'check365Api', 'simpleColdApi', 'whoisXmlApi'];
	check(
		'editor credential list (/types/credentials.json) has all four credential types',
		wanted.every((c) => credentials.includes(c)),
		wanted.filter((c) => credentials.includes(c)).join(', '),
	);
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
	const trigger = workflow.nodes.find((n) => n.type === `${PACKAGE}.bulkVerifyJobTrigger`);
	// n8n refuses intervals under a minute; twelve once-a-minute cron items poll every 5 s.
	trigger.parameters.pollTimes = {
		item: Array.from({ length: 12 }, (_, i) => ({
			mode: 'custom',
			cronExpression: `${i * 5} * * * * *`,
		})),
	};
	await importExamples(folder, [['02b.json', workflow]], { env: n8nEnv() });
	await n8nOk(folder, ['publish:workflow', `--id=${WF.onCompletion}`], {
		logName: 'publish',
		env: n8nEnv(),
	});
	check(`${label}: published with a 5 s poll`, true);

	const ownerHash = await passwordHash(OWNER.password);
	const { sims } = ctx;
	const listCalls = () => sims.whoisxml.requests.filter((q) => q.route === 'list').length;
	const listBefore = listCalls();
	const t0 = Date.now();
	const server = startN8n(folder, ['start'], {
		logName: `n8n-start-${path.basename(folder)}`,
		env: n8nEnv({
			...(durable ? DURABLE_POLLING_ENV : {}),
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: ownerHash,
		}),
	});
	const baseUrl = `http://127.0.0.1:${N8N_PORT}`;
	try {
		const healthy = await waitHealthy(server, `${baseUrl}/healthz`, 120_000);
		if (
			!check(
				`${label}: n8n start answers /healthz`,
				healthy === 'up',
				healthy ?? 'timed out after 120 s',
			)
		) {
			log(tail(server.output(), 40));
			return;
		}
		timing(
			`n8n start → /healthz (cached runtime)${durable ? ', durable mode' : ''}`,
			Date.now() - t0,
		);

		let gapJob;
		if (durable) {
			// n8n's durable cursors drop what the activation poll stored, so the first scheduled poll starts
			// from the trigger's baseline handoff: a job that ends between the two must still fire. Right
			// after the activation poll lists WhoisXML, a job is created and finished at once.
			await waitFor(() => listCalls() > listBefore, { timeoutMs: 90_000, intervalMs: 50 });
			gapJob = await createWhoisXmlJob('durable');
			sims.whoisxml.finishJob(gapJob.jobId);
			gapJob.endedAt = Date.now();
		}
		const active = await waitFor(
			async () => {
				const rows = await readDb(sqliteOf(folder), 'triggerStatus', WF.onCompletion).catch(
					() => [],
				);
				return (
					rows.find((row) => /activ/i.test(String(row.status ?? ''))) ??
					(listCalls() > listBefore ? { status: 'polled' } : undefined)
				);
			},
			{ timeoutMs: 60_000, intervalMs: 1_000 },
		);
		if (
			!check(
				`${label}: activated (first, baseline poll reached WhoisXML)`,
				Boolean(active),
				active ? `status ${active.status}` : 'not active after 60 s',
			)
		) {
			log(tail(server.output(), 40));
			return;
		}
		timing(`n8n start → trigger active${durable ? ', durable mode' : ''}`, Date.now() - t0);
		await waitFor(() => listCalls() > listBefore, { timeoutMs: 30_000 });
		if (durable) {
			// n8n saves the workflow's static data just after it marks the trigger active.
			const handoff = await waitFor(
				async () => {
					const [row] = await readDb(sqliteOf(folder), 'staticData', WF.onCompletion);
					const staticData =
						typeof row?.staticData === 'string' ? JSON.parse(row.staticData) : row?.staticData;
					return staticData?.global?.[`bulkVerifyTrigger:${trigger.id}`];
				},
				{ timeoutMs: 20_000, intervalMs: 500 },
			);
			check(
				`${label}: the baseline handoff is in the workflow's static data (saved at activation)`,
				typeof handoff?.ledger?.baselineAt === 'number',
				JSON.stringify(handoff ?? null).slice(0, 120),
			);
			await waitFor(() => listCalls() > listBefore + 1, { timeoutMs: 30_000, intervalMs: 200 });
			const firstScheduled = sims.whoisxml.requests.filter((q) => q.route === 'list')[
				listBefore + 1
			];
			const covered = firstScheduled !== undefined && firstScheduled.time > gapJob.endedAt;
			log(
				`  ....  WhoisXML job ${gapJob.jobId} ended ${covered ? `${((firstScheduled.time - gapJob.endedAt) / 1000).toFixed(1)} s before the first scheduled poll (inside the gap)` : 'after the first scheduled poll (this run did not hit the gap)'}`,
			);
		}
		if (!durable) await loginAndTypes(baseUrl);

		// A user's list: 40 addresses, created at WhoisXML while the workflow is active.
		const { jobId, job } = durable ? gapJob : await createWhoisXmlJob('legacy');
		const finishedAt = durable ? gapJob.endedAt : jobEndsAt(job);
		if (!durable)
			log(
				`  ....  WhoisXML job ${jobId} created; it completes in ${((finishedAt - Date.now()) / 1000).toFixed(1)} s`,
			);

		const fired = await waitFor(
			async () => {
				const executions = await executionsOf(folder, WF.onCompletion);
				// A row exists from the moment n8n queues the execution; wait until it has run.
				return executions.some((execution) => execution.stoppedAt) ? executions : undefined;
			},
			{ timeoutMs: 90_000, intervalMs: 1_000 },
		);
		if (
			!check(
				`${label}: an execution fired after the job completed`,
				Boolean(fired),
				fired ? `execution ${fired[0].id}` : 'nothing within 90 s',
			)
		) {
			log(tail(server.output(), 40));
			return;
		}
		const latencyMs = dbTime(fired[0].startedAt) - finishedAt;
		timing(
			`trigger latency: job completed → execution started (5 s poll${durable ? ', durable mode' : ''})`,
			latencyMs,
		);
		check(
			`${label}: fired within ${durable ? 'three' : 'two'} polls of completion`,
			latencyMs >= 0 && latencyMs <= (durable ? 17_000 : 12_000),
			`${(latencyMs / 1000).toFixed(1)} s`,
		);

		// Three more polls: nothing else may fire (not this job again, not the 1,000-row job of 02a that had ended before activation).
		const listAtFire = listCalls();
		const morePolls = await waitFor(() => listCalls() >= listAtFire + 3, { timeoutMs: 40_000 });
		await sleep(1_500);
		const executions = await executionsOf(folder, WF.onCompletion);
		check(
			`${label}: exactly one execution, none in the next polls`,
			executions.length === 1 && Boolean(morePolls),
			`${executions.length} execution(s) after ${listCalls() - listAtFire} more poll(s)`,
		);

		await checkCompletionExecution(executions[0], jobId, {
			label,
			binaryText: (binary) => binaryFile(folder, binary),
			onlyEvent: true,
		});
		const errors = (await executionsOf(folder)).filter((e) => e.status !== 'success');
		check(
			`${label}: no failed executions (no failed polls)`,
			errors.length === 0,
			`${errors.length} failed`,
		);
	} finally {
		const t1 = Date.now();
		const stopped = await stopProcess(server, 30_000);
		check(`${label}: n8n stops on SIGTERM`, stopped.graceful, `${elapsed(t1)}`);
	}
}

// ------------------------------------------------------------------------------------------------

async function main() {
	log(
		`Bulk Verify end-to-end test in a real n8n (${new Date().toISOString()}, test runner on Node ${process.versions.node})`,
	);
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-e2e-'));
	log(`work folder: ${ctx.workDir}`);

	await step('n8n runtime (scripts/n8n-runtime.sh install)', installRuntime);
	await step('build and pack the package', packPackage);

	await step('simulators', async () => {
		ctx.simPortBase = await freePorts(ctx.simPortBase, 4);
		N8N_PORT = await freePorts(N8N_PORT, 1);
		BROKER_PORT = await freePorts(BROKER_PORT, 1, [N8N_PORT]);
		log(
			`  ports: simulators ${ctx.simPortBase}-${ctx.simPortBase + 3}, n8n ${N8N_PORT}, task broker ${BROKER_PORT}`,
		);
		await startSimulators();
	});

	const actions = path.join(ctx.workDir, 'actions');
	await step('load the packed package into a fresh n8n', () => loadInto(actions));
	await step('n8n sees the nodes and credentials', () => checkNodeTypes(actions));
	await step('import examples', () => importExamples(actions, actionExamples(), { env: n8nEnv() }));
	await step('action examples, headless (n8n execute)', () => actionWorkflows(runnerFor(actions)));
	await step('provider fault inside n8n', () => faultRun(runnerFor(actions)));
	await step('credit guard inside n8n', () => creditGuardRun(runnerFor(actions)));

	const triggerFolder = path.join(ctx.workDir, 'trigger');
	await step('load the package into a second fresh n8n', () => loadInto(triggerFolder));
	await step('Bulk Verify Trigger in a running n8n (default, legacy trigger mode)', () =>
		triggerRun(triggerFolder),
	);

	const durableFolder = path.join(ctx.workDir, 'trigger-durable');
	await step('load the package into a third fresh n8n', () => loadInto(durableFolder));
	await step("Bulk Verify Trigger with n8n's durable scheduler and poll cursors on", () =>
		triggerRun(durableFolder, { durable: true }),
	);
}

runScript(main, { keepWorkDir: process.env.E2E_KEEP === '1' });
