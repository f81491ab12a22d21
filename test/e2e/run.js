#!/usr/bin/env node
/* global AbortSignal */
'use strict';

/**
 * End-to-end test inside a real n8n (npm run test:e2e).
 *
 * 1. Installs (or reuses from the cache) n8n and the Node it needs with scripts/n8n-runtime.sh: n8n 2.41.1
 *    on Node 24, or the version N8N_VERSION names (npm run test:e2e:matrix runs this file once per version).
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
 *    third folder with n8n's durable scheduler and poll cursors on (N8N_SCHEDULER_ENABLED & co.; n8n 2.41
 *    and newer: an n8n without them, such as 1.x, skips this run and says so).
 *
 * What differs between n8n versions is read from the install (lib.js n8nFeatures), not from the version.
 *
 * Plain Node (no jest), so it can drive processes; prints each check, timings, and ends with
 * "N passed, N failed". Every wait has a timeout; every process it starts is killed at the end.
 *
 * Env: N8N_VERSION (2.41.1; scripts/n8n-runtime.sh knows the Node each line needs),
 * E2E_SIM_PORT_BASE (default 4301), E2E_N8N_PORT (5688), E2E_BROKER_PORT (5699),
 * E2E_KEEP=1 keeps the work folder.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	REPO,
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
	exampleCredentials,
	publishWorkflow,
	readExample,
	actionExamples,
	passwordHash,
	readDb,
	sqliteFileOf,
	storedBinaryText,
	executeRunner,
	itemsOf,
	runScript,
} = require('./lib');
const {
	WF,
	jobEndsAt,
	actionWorkflows,
	faultRun,
	refusedKeyRun,
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
const runnerFor = (folder, env = {}) => executeRunner(folder, () => n8nEnv(env));

/** Core nodes only: two leads from a Code node, read back by node name in a Set node. */
const REFERENCE_PROBE = {
	id: 'bvProbeNodeRefs1',
	name: 'Probe: $() references',
	nodes: [
		{
			id: 'p1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'p2',
			name: 'Leads',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: "return [{ json: { name: 'Ada' } }, { json: { name: 'Bob' } }];" },
		},
		{
			id: 'p3',
			name: 'Read back',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [400, 0],
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{ id: 'a1', name: 'paired', value: "={{ $('Leads').item.json.name }}", type: 'string' },
						{
							id: 'a2',
							name: 'first',
							value: "={{ $('Leads').first().json.name }}",
							type: 'string',
						},
					],
				},
				options: {},
			},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Leads', type: 'main', index: 0 }]] },
		Leads: { main: [[{ node: 'Read back', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

/**
 * Whether this n8n's default expression engine resolves `$('Node')` references. n8n 1.123.81's
 * default engine ("vm", isolated-vm) resolves every one to null, even `$('Leads').first()`, with core
 * nodes only (N8N_EXPRESSION_ENGINE=legacy resolves them). The examples look their leads up that way,
 * so there their paired-item checks would test n8n's engine rather than the package: the caller then
 * runs the action examples with the legacy engine, and says so. The trigger keeps the default engine.
 */
async function probeNodeReferences(folder) {
	const file = path.join(folder, 'probe-node-references.json');
	fs.writeFileSync(file, JSON.stringify(REFERENCE_PROBE));
	await n8nOk(folder, ['import:workflow', `--input=${file}`], {
		logName: 'import-probe',
		env: n8nEnv(),
	});
	const run = await runnerFor(folder).execute(
		REFERENCE_PROBE.id,
		"probe: $('Leads') in a Set node",
	);
	const items = itemsOf(run.execution, 'Read back').map((item) => item.json);
	const resolved =
		items.length === 2 &&
		items.every((item, i) => item.paired === ['Ada', 'Bob'][i] && item.first === 'Ada');
	log(
		`  NOTE  n8n ${ctx.features.version}'s default expression engine ${resolved ? 'resolves' : 'does not resolve'} $('Node') references (core nodes only: ${run.detail}; ${fmt(items)})`,
	);
	return run.execution?.status === 'success' ? resolved : true;
}

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

const OWNER_HEADERS = { 'content-type': 'application/json', 'browser-id': 'bulk-verify-e2e' };

/**
 * n8n 1.x cannot set the owner up from the environment (N8N_INSTANCE_OWNER_*, 2.x): there the test
 * claims the instance the way the editor's setup page does. /healthz answers before the REST API is
 * mounted: retry while the route is still missing.
 */
async function setUpOwner(baseUrl) {
	const res = await waitFor(
		async () => {
			const answer = await fetch(`${baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: OWNER_HEADERS,
				body: JSON.stringify({ ...OWNER, firstName: 'E2e', lastName: 'Owner' }),
				signal: AbortSignal.timeout(15_000),
			}).catch(() => undefined);
			return answer && answer.status !== 404 ? answer : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 1_000 },
	);
	check(
		'owner set up through POST /rest/owner/setup (this n8n has no N8N_INSTANCE_OWNER_* set-up)',
		res?.status === 200,
		`HTTP ${res?.status ?? 'none'}`,
	);
}

/** The test request of the built credential type `type` (dist/, built by the pack step). */
function credentialTestRequest(type) {
	const dir = path.join(REPO, 'dist', 'credentials');
	for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.credentials.js'))) {
		for (const Type of Object.values(require(path.join(dir, file)))) {
			if (typeof Type !== 'function') continue;
			const credential = new Type();
			if (credential.name === type) return credential.test?.request;
		}
	}
	return undefined;
}

/**
 * n8n's credential test (the editor's "Test" button, POST /rest/credentials/test) for each example
 * credential: OK with its key, and the credential's own message for a key the provider refuses.
 * Version-aware, because n8n 1.x's tester does less (lib.js n8nFeatures): without
 * `credentialTestRules` a refused key fails with n8n's own message instead of the credential's; without
 * `ignoreStatusExcept` a test that ignores every status but a few (Check365's) cannot fail on a status
 * at all, so a refused key passes there: reported as KNOWN, not counted.
 */
async function credentialTests(baseUrl, headers) {
	const test = async (credential) => {
		const res = await fetch(`${baseUrl}/rest/credentials/test`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ credentials: credential }),
			signal: AbortSignal.timeout(30_000),
		});
		const body = await res.json().catch(() => ({}));
		return { http: res.status, ...(body.data ?? body) };
	};
	for (const credential of exampleCredentials()) {
		const { id, name, type, data } = credential;
		const good = await test({ id, name, type, data });
		check(
			`credential test of ${type} in n8n: OK with the simulator's key`,
			good.http === 200 && good.status === 'OK',
			`HTTP ${good.http}, ${good.status}${good.message ? `: ${good.message}` : ''}`,
		);
		const bad = await test({ id, name, type, data: { ...data, apiKey: 'not-the-key-0000' } });
		const badDetail = `HTTP ${bad.http}, ${bad.status}: ${String(bad.message ?? '').slice(0, 100)}`;
		const ignoresStatuses = typeof credentialTestRequest(type)?.ignoreHttpStatusErrors === 'object';
		if (ignoresStatuses && !ctx.features.ignoreStatusExcept) {
			log(
				`  KNOWN credential test of ${type} in n8n ${ctx.features.version}: a refused key is not caught (this n8n reads ignoreHttpStatusErrors { ignore, except } as "ignore every status"); the node's first call names it, see "refused key inside n8n"  (${badDetail})`,
			);
		} else if (!ctx.features.credentialTestRules) {
			check(
				`credential test of ${type} in n8n: a refused key fails (n8n's own message: this n8n's tester cannot apply the credential's status rules)`,
				bad.http === 200 && bad.status === 'Error',
				badDetail,
			);
		} else {
			check(
				`credential test of ${type} in n8n: a refused key fails with the credential's message`,
				bad.http === 200 &&
					bad.status === 'Error' &&
					/rejected the API key/.test(bad.message ?? ''),
				badDetail,
			);
		}
	}
}

async function loginAndTypes(baseUrl) {
	const headers = OWNER_HEADERS;
	if (!ctx.features.ownerFromEnv) await setUpOwner(baseUrl);
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
			`owner (set up from ${ctx.features.ownerFromEnv ? 'N8N_INSTANCE_OWNER_* env' : 'POST /rest/owner/setup'}) can log in`,
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
	await credentialTests(baseUrl, { ...headers, cookie });
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
	const how = await publishWorkflow(folder, WF.onCompletion, { env: n8nEnv() });
	check(`${label}: published with a 5 s poll (n8n ${how})`, true);

	const { sims } = ctx;
	const listCalls = () => sims.whoisxml.requests.filter((q) => q.route === 'list').length;
	const listBefore = listCalls();
	const t0 = Date.now();
	const server = startN8n(folder, ['start'], {
		logName: `n8n-start-${path.basename(folder)}`,
		env: n8nEnv({
			...(durable ? DURABLE_POLLING_ENV : {}),
			...(ctx.features.ownerFromEnv
				? {
						N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
						N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
						N8N_INSTANCE_OWNER_PASSWORD_HASH: await passwordHash(OWNER.password),
					}
				: {}),
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
		// n8n 2.x records activation in workflow_publication_trigger_status; 1.x has no such table (the
		// read fails and yields []), so there the first poll reaching WhoisXML is the sign.
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
	let engineEnv = {};
	await step("n8n's expression engine and $('Node') references (core nodes only)", async () => {
		if (await probeNodeReferences(actions)) return;
		engineEnv = { N8N_EXPRESSION_ENGINE: 'legacy' };
		log(
			"  NOTE  the action examples run with N8N_EXPRESSION_ENGINE=legacy here: n8n's default engine breaks their $('Leads') look-ups",
		);
	});
	await step(
		`action examples, headless (n8n execute${engineEnv.N8N_EXPRESSION_ENGINE ? ', legacy expression engine' : ''})`,
		() => actionWorkflows(runnerFor(actions, engineEnv)),
	);
	await step('provider fault inside n8n', () => faultRun(runnerFor(actions, engineEnv)));
	await step('refused key inside n8n', () => refusedKeyRun(runnerFor(actions, engineEnv)));
	await step('credit guard inside n8n', () => creditGuardRun(runnerFor(actions, engineEnv)));

	const triggerFolder = path.join(ctx.workDir, 'trigger');
	await step('load the package into a second fresh n8n', () => loadInto(triggerFolder));
	await step('Bulk Verify Trigger in a running n8n (default, legacy trigger mode)', () =>
		triggerRun(triggerFolder),
	);

	// The durable scheduler and poll cursors are an opt-in mode of n8n 2.41; an n8n without them (1.x)
	// would run the legacy mode again under the durable run's name, so the run is skipped, and said so.
	if (!ctx.features?.durablePollCursors) {
		log(
			`\n== Bulk Verify Trigger with n8n's durable scheduler and poll cursors on\n  SKIP  n8n ${ctx.features?.version ?? '?'} has no durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED)`,
		);
		return;
	}
	const durableFolder = path.join(ctx.workDir, 'trigger-durable');
	await step('load the package into a third fresh n8n', () => loadInto(durableFolder));
	await step("Bulk Verify Trigger with n8n's durable scheduler and poll cursors on", () =>
		triggerRun(durableFolder, { durable: true }),
	);
}

runScript(main, { keepWorkDir: process.env.E2E_KEEP === '1' });
