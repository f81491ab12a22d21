/* global AbortSignal, document */
'use strict';

/**
 * Include Input Fields = All, end to end: Code node (two leads) -> Bulk Verify Create with Wait for
 * Completion on Check365 (simulator), executed in the editor; the stored execution's items carry each
 * lead's `name` beside its verdict.
 */

const crypto = require('node:crypto');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { Fatal, sleep } = require('../../e2e/lib');
const { OWNER, REPO, dismissPopups } = require('../session');
const { NODE_TYPE: BULK_VERIFY } = require('../panel');

/** The REST API in a session of its own (the test creates its workflow through it). */
async function restSession(baseUrl, runId) {
	const headers = { 'content-type': 'application/json', 'browser-id': `editor-test-${runId}` };
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

function n8nHome() {
	const out = execFileSync('bash', [path.join(REPO, 'scripts', 'n8n-runtime.sh'), 'env'], {
		timeout: 30_000,
	}).toString();
	return /^N8N_HOME='(.*)'$/m.exec(out)[1];
}

module.exports = async function inputFields({ page, baseUrl, creds, check, runId }) {
	const rest = await restSession(baseUrl, runId);
	const leads = [
		{ email: 'good.ada@analytical-engines.com', name: 'Ada Lovelace' },
		{ email: 'bad.bob@defunct-startup.com', name: 'Bob Gone' },
	];
	const workflow = {
		name: `Editor test: Include Input Fields ${runId.slice(-8)}`,
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
};
