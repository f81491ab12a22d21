'use strict';
/* global AbortSignal */

/**
 * The assertions on the example workflows' outputs, shared by the single-process e2e test (run.js,
 * `n8n execute`) and the queue-mode test (queue.js, webhooks through Redis to the workers), so both
 * prove the same outputs.
 *
 * A runner provides:
 *   execute(workflowId, label) → { result: { code, timedOut, output }, execution, detail }
 *     (code 0 = the run was accepted and finished; output = what n8n printed or answered)
 *   binaryText(binary) → Promise<string | undefined>   the stored file of a binary property
 */

const {
	ctx,
	log,
	check,
	fmt,
	countBy,
	sortKeys,
	itemsOf,
	outputsOf,
	parseCsv,
	keysIn,
	tail,
	waitFor,
} = require('./lib');
const { encodeKey } = require('../simulators');

const WF = {
	verifyLeads: 'bvEx01VerifyLead',
	uploadCsv: 'bvEx02aUploadCsv',
	onCompletion: 'bvEx02bCompleted',
	bouncify: 'bvEx03Bouncify01',
	simplecold: 'bvEx03SimpleCold',
	whoisxml: 'bvEx03WhoisXml01',
	check365: 'bvEx03Check36501',
	secondOpinion: 'bvEx04SecondOpin',
	estimate: 'bvEx05EstimateUp',
};

const VERDICTS_12 = { deliverable: 5, undeliverable: 3, risky: 2, unknown: 2 };

function jobEndsAt(job) {
	return (job.startedAt ?? job.createdAt) + job.durationMs;
}

function assertSuccess(run, label, how) {
	// The stored execution is the verdict; the runner's exit is shown (n8n execute has been seen to exit 1
	// after storing and printing a successful run, while its task runner was still starting).
	const exit = run.result.timedOut ? 'timed out' : `exit ${run.result.code ?? run.result.signal}`;
	const ok = check(
		`${label}: runs successfully in n8n`,
		!run.result.timedOut && run.execution?.status === 'success',
		`${run.detail}; ${how} ${exit}`,
	);
	if (!ok) {
		const error = run.execution?.data?.resultData?.error;
		if (error)
			log(
				`        n8n error: ${error.message}${error.description ? ` | ${error.description}` : ''}`,
			);
		else log(tail(run.result.output, 20));
	}
	return ok;
}

function assertNoKeys(run, label) {
	const stored = `${run.execution?.rawData ?? ''}${run.execution?.rawWorkflowData ?? ''}`;
	const leaked = keysIn(stored);
	check(
		`${label}: no API key in the stored execution`,
		stored.length > 0 && leaked.length === 0,
		leaked.length ? `found ${leaked.length} key(s)` : `${stored.length} bytes scanned`,
	);
}

/**
 * Each action example's run and checks, in the order actionWorkflows runs them. `state` carries what
 * a later example needs of an earlier one (the 1,000-row job of 02a, which 03 WhoisXML Get Many lists).
 */
const EXAMPLE_RUNS = [
	{
		// 1: verify leads, route the deliverable ones
		id: WF.verifyLeads,
		async run({ execute, binaryText, how }) {
			const label = '01 verify leads (Bouncify)';
			const r = await execute(WF.verifyLeads, label);
			if (assertSuccess(r, label, how)) {
				const verified = itemsOf(r.execution, 'Verify leads (Bouncify)');
				check(`${label}: one item per lead`, verified.length === 12, `${verified.length} items`);
				const counts = countBy(verified, (i) => i.json.verdict);
				check(
					`${label}: verdicts 5 deliverable / 3 undeliverable / 2 risky / 2 unknown`,
					fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)),
					fmt(counts),
				);
				const switchOut = outputsOf(r.execution, 'Route by verdict').map((items) => items.length);
				check(
					`${label}: Switch sends 5 to the campaign and 7 to review`,
					fmt(switchOut) === fmt([5, 7]),
					fmt(switchOut),
				);
				const campaign = itemsOf(r.execution, 'Add to email campaign (stand-in)');
				check(
					`${label}: campaign items keep the lead names (paired items work)`,
					campaign.length === 5 &&
						campaign.every(
							(i) =>
								i.json.verdict === 'deliverable' &&
								typeof i.json.name === 'string' &&
								i.json.name.length > 0,
						),
					campaign.map((i) => i.json.name).join(', '),
				);
				const review = itemsOf(r.execution, 'Review list as CSV (stand-in)')[0];
				const csv = parseCsv((await binaryText(review?.binary?.data)) ?? '');
				check(
					`${label}: review CSV has the 7 other leads`,
					csv.rows.length === 7 && csv.rows.every((row) => row.verdict !== 'deliverable'),
					`${csv.rows.length} rows`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 2a: a 1,000-row CSV uploaded as one WhoisXML job
		id: WF.uploadCsv,
		async run({ execute, how }, state) {
			const { sims } = ctx;
			const label = '02a upload CSV (WhoisXML)';
			const r = await execute(WF.uploadCsv, label);
			if (assertSuccess(r, label, how)) {
				const [created] = itemsOf(r.execution, 'Upload list (WhoisXML)');
				state.bigJobId = created?.json?.jobId;
				check(
					`${label}: one job of 1,000 addresses`,
					created?.json?.emailCount === 1000 && created?.json?.submitted === 1000,
					fmt(created?.json && { jobId: state.bigJobId, emailCount: created.json.emailCount }),
				);
				const job = sims.whoisxml.jobs.get(String(state.bigJobId));
				check(
					`${label}: the provider received the 1,000 rows of the CSV`,
					job?.emails?.length === 1000,
					`${job?.emails?.length ?? 0} addresses at the simulator`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 3: Bouncify upload without start → Start → Get Results → Delete
		id: WF.bouncify,
		async run({ execute, how }) {
			const { sims } = ctx;
			const label = '03 Bouncify upload/start/results/delete';
			const r = await execute(WF.bouncify, label);
			if (assertSuccess(r, label, how)) {
				const [created] = itemsOf(r.execution, 'Upload list (not started)');
				check(
					`${label}: upload does not start the list`,
					created?.json?.started === false,
					fmt({ started: created?.json?.started }),
				);
				const [startedJob] = itemsOf(r.execution, 'Start verification');
				check(
					`${label}: Start starts it`,
					startedJob?.json?.state === 'processing' || startedJob?.json?.state === 'completed',
					fmt({ state: startedJob?.json?.state }),
				);
				const results = itemsOf(r.execution, 'Get results');
				const counts = countBy(results, (i) => i.json.verdict);
				check(
					`${label}: Get Results gives 12 rows, 5/3/2/2`,
					results.length === 12 && fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)),
					fmt(counts),
				);
				const deleted = itemsOf(r.execution, 'Delete list');
				const deleteCalls = sims.bouncify.requests.filter(
					(q) => q.route === 'delete' && q.query.job_id === created?.json?.jobId,
				);
				check(
					`${label}: Delete runs once and deletes the list`,
					deleted.length === 1 && deleted[0].json.deleted === true && deleteCalls.length === 1,
					`${deleteCalls.length} DELETE call(s)`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 3: SimpleCold create + wait, one CSV file
		id: WF.simplecold,
		async run({ execute, binaryText, how }) {
			const { sims } = ctx;
			const label = '03 SimpleCold CSV file';
			const r = await execute(WF.simplecold, label);
			if (assertSuccess(r, label, how)) {
				const [file] = itemsOf(r.execution, 'Verify (SimpleCold)');
				const csv = parseCsv((await binaryText(file?.binary?.data)) ?? '');
				check(
					`${label}: one CSV file with 12 rows`,
					file?.json?.rows === 12 && csv.rows.length === 12,
					`${csv.rows.length} rows in ${file?.binary?.data?.fileName}`,
				);
				const counts = countBy(csv.rows, (row) => row.verdict);
				check(
					`${label}: 5 deliverable, 3 undeliverable, 4 risky or unknown`,
					counts.deliverable === 5 &&
						counts.undeliverable === 3 &&
						(counts.risky ?? 0) + (counts.unknown ?? 0) === 4,
					fmt(counts),
				);
				const limited = sims.simplecold.requests.filter((q) => q.status === 429).length;
				check(
					`${label}: stays within SimpleCold's 10 requests a minute`,
					limited === 0,
					`${sims.simplecold.requests.length} requests, ${limited} rate-limited`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 3: WhoisXML Get Many (after 2a, so the account has a request)
		id: WF.whoisxml,
		async run({ execute, how }, state) {
			const { sims } = ctx;
			const label = '03 WhoisXML Get Many';
			await waitFor(
				() =>
					sims.whoisxml.jobs.get(String(state.bigJobId)) &&
					Date.now() > jobEndsAt(sims.whoisxml.jobs.get(String(state.bigJobId))),
				{ timeoutMs: 20_000 },
			);
			const r = await execute(WF.whoisxml, label);
			if (assertSuccess(r, label, how)) {
				const jobs = itemsOf(r.execution, 'Recent requests (WhoisXML)');
				const big = jobs.find((i) => i.json.jobId === String(state.bigJobId));
				check(
					`${label}: lists the 1,000-row request as completed`,
					big?.json?.state === 'completed' && big?.json?.total === 1000,
					`${jobs.length} job(s); ${fmt(big?.json && { jobId: big.json.jobId, state: big.json.state })}`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 3: Check365 create + wait, inline results
		id: WF.check365,
		async run({ execute, how }) {
			const label = '03 Check365 inline results';
			const r = await execute(WF.check365, label);
			if (assertSuccess(r, label, how)) {
				const results = itemsOf(r.execution, 'Verify (Check365)');
				const counts = countBy(results, (i) => i.json.verdict);
				check(
					`${label}: 12 results, 5/3/2/2`,
					results.length === 12 && fmt(sortKeys(counts)) === fmt(sortKeys(VERDICTS_12)),
					fmt(counts),
				);
				check(
					`${label}: raw Check365 rows kept (Simplify off)`,
					results.every((i) => i.json.raw && typeof i.json.raw.status === 'string'),
				);
				const safe = itemsOf(r.execution, 'Safe to send?');
				check(
					`${label}: safe to send exactly for the deliverable ones, names paired back`,
					safe.length === 12 &&
						safe.filter((i) => i.json.safeToSend === true).length === 5 &&
						safe.every((i) => i.json.name),
					`${safe.filter((i) => i.json.safeToSend === true).length} safe`,
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 4: Bouncify first, Check365's second opinion on what it left open
		id: WF.secondOpinion,
		async run({ execute, how }) {
			const { sims } = ctx;
			const label = '04 second opinion (Bouncify, then Check365)';
			sims.check365.clearLog();
			const r = await execute(WF.secondOpinion, label);
			if (assertSuccess(r, label, how)) {
				const firsts = itemsOf(r.execution, 'Verify leads (Bouncify)');
				const rows = itemsOf(r.execution, 'Second opinion (Check365)');
				const firstCounts = countBy(firsts, (i) => i.json.verdict);
				check(
					`${label}: Bouncify: 4 deliverable / 2 undeliverable / 1 risky / 5 unknown`,
					fmt(sortKeys(firstCounts)) ===
						fmt(sortKeys({ deliverable: 4, undeliverable: 2, risky: 1, unknown: 5 })),
					fmt(firstCounts),
				);
				const asked = sims.check365.requests.filter((q) => q.route === 'create').length;
				const job = [...sims.check365.jobs.values()].at(-1);
				check(
					`${label}: Check365 was asked once, about the 6 unknown and risky addresses only`,
					asked === 1 && job?.emails?.length === 6,
					`${asked} create(s), ${job?.emails?.length ?? 0} addresses`,
				);
				const finalCounts = countBy(rows, (i) => i.json.verdict);
				check(
					`${label}: one row per lead; final 5 deliverable / 4 undeliverable / 1 risky / 2 unknown`,
					rows.length === 12 &&
						fmt(sortKeys(finalCounts)) ===
							fmt(sortKeys({ deliverable: 5, undeliverable: 4, risky: 1, unknown: 2 })),
					fmt(finalCounts),
				);
				const decided = rows.filter((i) => i.json.decidedBy === 'check365');
				check(
					`${label}: Check365 decided 3 rows, each with both opinions`,
					decided.length === 3 &&
						decided.every(
							(i) =>
								i.json.opinions?.length === 2 &&
								i.json.opinions[0].provider === 'bouncify' &&
								i.json.opinions[0].verdict === 'unknown',
						),
					decided.map((i) => `${i.json.email}: ${i.json.verdict}`).join(', '),
				);
				const campaign = itemsOf(r.execution, 'Add to email campaign (stand-in)');
				check(
					`${label}: 5 to the campaign, lead names paired back through both nodes`,
					campaign.length === 5 &&
						campaign.every((i) => i.json.verdict === 'deliverable' && i.json.name),
					campaign.map((i) => i.json.name).join(', '),
				);
			}
			assertNoKeys(r, label);
		},
	},
	{
		// 5: WhoisXML credits (its user service), Estimate, IF enough → upload
		id: WF.estimate,
		async run({ execute, how }) {
			const { sims } = ctx;
			const label = '05 credits, estimate, upload (WhoisXML)';
			sims.whoisxml.clearLog();
			const balance = sims.whoisxml.credits;
			const jobsBefore = sims.whoisxml.jobs.size;
			const r = await execute(WF.estimate, label);
			if (assertSuccess(r, label, how)) {
				const [credits] = itemsOf(r.execution, 'Credits left (WhoisXML)');
				check(
					`${label}: Get Credits reads the account balance`,
					credits?.json?.provider === 'whoisxml' && credits?.json?.creditsRemaining === balance,
					fmt(credits?.json),
				);
				const [estimate] = itemsOf(r.execution, 'Estimate (WhoisXML)');
				const expected = {
					provider: 'whoisxml',
					values: 14,
					addresses: 12,
					duplicates: 1,
					invalid: 1,
					jobs: 1,
					creditsNeeded: 12,
					creditsAvailable: balance,
					creditsAfter: balance - 12,
					enoughCredits: true,
				};
				check(
					`${label}: Estimate counts 12 addresses, 1 duplicate, 1 invalid, 12 credits, enough`,
					Object.entries(expected).every(([key, value]) => estimate?.json?.[key] === value),
					fmt(estimate?.json && { ...estimate.json, notSubmitted: undefined }),
				);
				const [created] = itemsOf(r.execution, 'Upload (WhoisXML)');
				check(
					`${label}: IF sends the leads on and one job of 12 is created`,
					created?.json?.submitted === 12 && sims.whoisxml.jobs.size === jobsBefore + 1,
					fmt(created?.json && { jobId: created.json.jobId, submitted: created.json.submitted }),
				);
				const beforeUpload = sims.whoisxml.requests
					.slice(
						0,
						sims.whoisxml.requests.findIndex((q) => q.route === 'create'),
					)
					.map((q) => q.route);
				check(
					`${label}: nothing but free balance calls before the upload`,
					beforeUpload.length > 0 && beforeUpload.every((route) => route === 'credits'),
					fmt(beforeUpload),
				);
			}
			assertNoKeys(r, label);
		},
	},
];

/** Runs every action example once and checks its outputs. */
async function actionWorkflows(runner) {
	const state = {};
	for (const { run } of EXAMPLE_RUNS) await run(runner, state);
}

/**
 * Runs one action example (by workflow id) and checks its outputs as actionWorkflows does; undefined
 * when the example has no checks here (test/e2e/single.js then checks that it succeeds).
 */
function exampleRunOf(workflowId) {
	const entry = EXAMPLE_RUNS.find(({ id }) => id === workflowId);
	return entry && ((runner) => entry.run(runner, {}));
}

/**
 * The credit guard in the real n8n: example 1 (Bouncify) and example 2a (WhoisXML, 1,000 addresses)
 * with balances that do not cover them fail before any upload, saying what the list needs.
 */
async function creditGuardRun({ execute, how }) {
	const { sims } = ctx;
	const cases = [
		{
			sim: sims.bouncify,
			workflow: WF.verifyLeads,
			credits: 3,
			message: 'This list needs 12 credits; the Bouncify account has 3',
		},
		{
			sim: sims.whoisxml,
			workflow: WF.uploadCsv,
			credits: 5,
			message: 'This list needs 1,000 credits; the WhoisXML API account has 5',
		},
	];
	for (const { sim, workflow, credits, message } of cases) {
		const label = `credit guard: ${sim.provider} with ${credits} credits`;
		const before = sim.credits;
		sim.setCredits(credits);
		sim.clearLog();
		const r = await execute(workflow, label);
		sim.setCredits(before);
		const error = r.execution?.data?.resultData?.error;
		check(
			`${label}: the execution fails with "${message}"`,
			r.execution?.status === 'error' && error?.message === message,
			`${r.detail}; ${how} exit ${r.result.code}; ${error?.message ?? 'no error'}`,
		);
		check(
			`${label}: the error says nothing was spent`,
			/no credits were spent/.test(error?.description ?? ''),
			(error?.description ?? '').slice(0, 160),
		);
		const routes = sim.requests.map((q) => q.route);
		check(
			`${label}: the simulator saw the balance call and no upload`,
			routes.includes('credits') && !routes.includes('create'),
			fmt(routes),
		);
		assertNoKeys(r, label);
	}
}

/**
 * Runs the Check365 example while its status route answers HTTP 500 echoing the key: as it is, and
 * JSON-escaped character by character (`\u0073…`, as some frameworks write it), which redaction of
 * the raw text alone would miss.
 */
async function faultRun({ execute, how }) {
	const { sims } = ctx;
	const cases = [
		{
			label: 'fault: Check365 answers HTTP 500 (echoing the key)',
			fault: { fault: '500' },
			form: sims.check365.apiKey,
		},
		{
			label: 'fault: Check365 answers HTTP 500 (echoing the key \\u-escaped)',
			fault: { fault: 'echo', encoding: 'jsonUnicode', status: 500 },
			form: encodeKey(sims.check365.apiKey, 'jsonUnicode'),
		},
	];
	for (const { label, fault, form } of cases) {
		sims.check365.clearFaults();
		sims.check365.clearLog();
		sims.check365.inject({ route: 'status', ...fault, times: Infinity });
		const r = await execute(WF.check365, label);
		sims.check365.clearFaults();
		const echoed = sims.check365.requests.filter(
			(q) => q.fault !== null && q.responseText.includes(form),
		).length;
		check(
			`${label}: the simulator did echo the key in its error bodies`,
			echoed > 0,
			`${echoed} response(s)`,
		);
		check(
			`${label}: the execution fails`,
			r.result.code !== 0 && r.execution?.status === 'error',
			`${r.detail}; ${how} exit ${r.result.code}`,
		);
		const error = r.execution?.data?.resultData?.error;
		const nodeError = r.execution?.data?.resultData?.runData?.['Verify (Check365)']?.[0]?.error;
		const message = error?.message ?? '';
		check(
			`${label}: clear message naming the provider, the action and HTTP 500`,
			/^Check365 .*HTTP 500/.test(message),
			message,
		);
		check(
			`${label}: the failing node is Verify (Check365), with a description`,
			Boolean(nodeError?.description ?? error?.description),
			(nodeError?.description ?? error?.description ?? '').slice(0, 160),
		);
		assertNoKeys(r, label);
		const leakedInLog = keysIn(r.result.output);
		check(
			`${label}: no API key in any encoding in n8n's own output`,
			leakedInLog.length === 0,
			leakedInLog.length ? 'key printed' : `clean (${r.result.output.length} bytes)`,
		);
	}
}

/**
 * Runs the Check365 example after the account's key was rotated, so the credential's key is refused:
 * what a user of n8n 1.x meets after Check365's connection test passed a wrong key there (that n8n
 * cannot fail the test on a status), and a revoked key on any n8n.
 */
async function refusedKeyRun({ execute, how }) {
	const { sims } = ctx;
	const label = "refused key: Check365 no longer accepts the credential's key";
	sims.check365.clearLog();
	sims.check365.setAcceptedKey('rotated-key-0000000000000000');
	let r;
	try {
		r = await execute(WF.check365, label);
	} finally {
		sims.check365.setAcceptedKey(sims.check365.apiKey);
	}
	const refused = sims.check365.requests.filter((q) => q.status === 401).length;
	check(`${label}: the simulator refused it`, refused > 0, `${refused} HTTP 401 answer(s)`);
	const message = r.execution?.data?.resultData?.error?.message ?? '';
	check(
		`${label}: the execution fails with "Check365 rejected the API key (HTTP 401)"`,
		r.result.code !== 0 &&
			r.execution?.status === 'error' &&
			/^Check365 rejected the API key \(HTTP 401\)/.test(message),
		`${message || r.detail}; ${how} exit ${r.result.code}`,
	);
	assertNoKeys(r, label);
}

/**
 * What an execution of the 02b trigger example must hold for a finished WhoisXML job of 40 rows (one
 * poll can report several jobs: their events, files and routed items are matched by job id).
 * `onlyEvent`: the execution must hold no other job's event.
 */
async function checkCompletionExecution(
	execution,
	jobId,
	{ label, binaryText, onlyEvent = false },
) {
	check(
		`${label}: execution succeeded in trigger mode`,
		execution.status === 'success' && execution.mode === 'trigger',
		`${execution.status}, ${execution.mode}`,
	);
	const events = itemsOf(execution, 'When a WhoisXML job completes');
	const mine = events.filter((e) => e.json.jobId === jobId);
	check(
		`${label}: one event for the job, event completed${onlyEvent ? ', and no other' : ''}`,
		mine.length === 1 && mine[0].json.event === 'completed' && (!onlyEvent || events.length === 1),
		fmt(events.map((e) => ({ jobId: e.json.jobId, event: e.json.event }))),
	);
	const fileName = `verified-${jobId}.csv`;
	const file = itemsOf(execution, 'Results as CSV').find(
		(i) => i.binary?.data?.fileName === fileName,
	);
	const csv = parseCsv((await binaryText(file?.binary?.data)) ?? '');
	check(
		`${label}: results fetched as one CSV file of 40 rows`,
		file?.json?.rows === 40 && csv.rows.length === 40,
		`${csv.rows.length} rows in ${file?.binary?.data?.fileName ?? 'no file'}`,
	);
	check(
		`${label}: 10 deliverable rows in the CSV`,
		csv.rows.filter((row) => row.verdict === 'deliverable').length === 10,
		fmt(countBy(csv.rows, (row) => row.verdict)),
	);
	const crm = itemsOf(execution, 'Import CSV into CRM (stand-in)').filter(
		(i) => i.binary?.data?.fileName === fileName,
	);
	check(
		`${label}: IF routes the file on to the CRM stand-in with the file attached`,
		crm.length === 1,
		`${crm.length} item(s)`,
	);
	assertNoKeys({ execution }, label);
}

/** Creates a WhoisXML job of 40 addresses (10 of each class) straight at the simulator, as a user would. */
async function createWhoisXmlJob(tag) {
	const { whoisxml } = ctx.sims;
	const kinds = ['good', 'bad', 'catchall', 'unknown'];
	const emails = Array.from(
		{ length: 40 },
		(_, i) => `${kinds[i % 4]}.trigger${i}@e2e-${tag}-shop.com`,
	);
	const res = await fetch(`${whoisxml.baseUrl}/api/bevService/request`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ apiKey: whoisxml.apiKey, version: 3, format: 'json', emails }),
		signal: AbortSignal.timeout(10_000),
	});
	const jobId = String((await res.json())?.response?.id);
	return { jobId, job: whoisxml.jobs.get(jobId) };
}

module.exports = {
	WF,
	jobEndsAt,
	assertSuccess,
	assertNoKeys,
	actionWorkflows,
	exampleRunOf,
	faultRun,
	refusedKeyRun,
	creditGuardRun,
	checkCompletionExecution,
	createWhoisXmlJob,
};
