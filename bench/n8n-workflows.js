'use strict';

/**
 * Bench 1, real n8n half: the 50,000-email WhoisXML results in a real n8n 2.41.1 (the install that
 * scripts/n8n-runtime.sh keeps in ~/.cache; it is used, never changed or installed from here).
 *
 * - Bulk Verify: Manual Trigger → Bulk Verify (Job → Get Results) → 50,000 items.
 * - Do it yourself: Manual Trigger → HTTP Request (POST /request/completed) → Code node mapping the
 *   rows into 50,000 items with the same fields (the Code node runs in n8n's task runner, as it does
 *   in every n8n 2.x).
 *
 * The package is packed from dist/ and unpacked into a fresh user folder in a temp directory, the
 * way n8n keeps community packages it installed itself. Each run is one `n8n execute --id` (headless,
 * as the e2e test runs the examples). Time: the execution's own duration as n8n stores it (startedAt
 * → stoppedAt), which leaves out the CLI's start-up. Memory: the peak RSS of the n8n process and its
 * children (the task runner) while the command runs, sampled every 50 ms. Targets: Bulk Verify at
 * least 2× faster, and lower peak memory.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const { simulators } = require('./lib/harness');
const { summarize, ms, mb, ratio, range } = require('./lib/stats');
const { emit, status, argValue, log } = require('./lib/report');

const ROOT = path.resolve(__dirname, '..');
const RUNTIME = path.join(ROOT, 'scripts', 'n8n-runtime.sh');
const PACKAGE = 'n8n-nodes-bulk-email-verify';
const EMAILS = 50_000;
const WF_NODE = 'benchBulkVerify1';
const WF_DIY = 'benchDiyHttpCode';
const CREDENTIAL_ID = 'benchWhoisXml001';

function runtimePaths() {
	if (!fs.existsSync(RUNTIME)) return undefined;
	let text;
	try {
		text = execFileSync('bash', [RUNTIME, 'env'], { encoding: 'utf8' });
	} catch {
		return undefined;
	}
	const paths = Object.fromEntries(
		[...text.matchAll(/^(\w+)='(.*)'$/gm)].map((match) => [match[1], match[2]]),
	);
	const installed =
		fs.existsSync(path.join(paths.N8N_HOME ?? '', '.installed')) &&
		fs.existsSync(paths.NODE24_BIN ?? '');
	return installed ? paths : undefined;
}

function notMeasured(reason) {
	emit({
		bench: 1,
		title: 'WhoisXML 50,000-email results in a real n8n',
		rows: [
			{
				measure: 'WhoisXML 50k in real n8n: Bulk Verify vs HTTP Request + Code',
				ours: 'not measured',
				reference: reason,
				ratio: '',
				target: '≥ 2× faster, less memory',
				status: 'info',
				spread: '',
			},
		],
		notes: [`Bench 1 (real n8n): not measured, ${reason}.`],
	});
}

/** Unpacks `npm pack` of this package where n8n keeps the community packages it installed itself. */
function loadPackage(userFolder, work) {
	const tarball = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', work],
		{ cwd: ROOT, encoding: 'utf8' },
	)
		.trim()
		.split('\n')
		.pop();
	const nodes = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodes, 'node_modules', PACKAGE);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', target, '--strip-components=1']);
	const manifestFile = path.join(target, 'package.json');
	// As n8n does after unpacking a community package: no dev or peer dependencies left to install.
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	fs.writeFileSync(
		path.join(nodes, 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { [PACKAGE]: manifest.version },
		}),
	);
}

const MAPPING_CODE = `// One item per email with the normalized fields, as a user would write it.
const jobId = '__JOB_ID__';
const isTrue = (value) => value === true || value === 'true';
const isFalse = (value) => value === false || value === 'false';
return $input.first().json.response.map((row) => {
  let verdict = 'unknown';
  let reason = 'unverifiable';
  if (row.result === 'good') { verdict = 'deliverable'; reason = 'accepted'; }
  else if (row.result === 'bad' || row.result === 'smtp-failed') { verdict = 'undeliverable'; reason = isFalse(row.dnsCheck) ? 'invalid_domain' : 'smtp_rejected'; }
  else if (row.result === 'unknown' && isTrue(row.catchAllCheck)) { verdict = 'risky'; reason = 'catch_all'; }
  const mxRecords = (row.mxRecords || []).filter((host) => host !== '.');
  return { json: {
    email: row.emailAddress, verdict, reason, providerStatus: row.result, safeToSend: verdict === 'deliverable',
    flags: { syntaxError: isFalse(row.formatCheck), free: isTrue(row.freeCheck), disposable: isTrue(row.disposableCheck), catchAll: isTrue(row.catchAllCheck), hasMx: mxRecords.length > 0 },
    mxRecords, provider: 'whoisxml', jobId,
  } };
});`;

function workflows(sim, jobId) {
	const trigger = {
		parameters: {},
		id: 'b0000000-0000-4000-8000-000000000001',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
	};
	const base = (id, name, nodes, connections) => ({
		id,
		name,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	});
	const bulkVerify = {
		parameters: { provider: 'whoisxml', resource: 'job', operation: 'getResults', jobIds: jobId },
		id: 'b0000000-0000-4000-8000-000000000002',
		name: 'Bulk Verify',
		type: `${PACKAGE}.bulkVerify`,
		typeVersion: 1,
		position: [220, 0],
		credentials: { whoisXmlApi: { id: CREDENTIAL_ID, name: 'WhoisXML (bench simulator)' } },
	};
	const http = {
		parameters: {
			method: 'POST',
			url: `${sim.baseUrl}/api/bevService/request/completed`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify({ apiKey: sim.apiKey, id: Number(jobId), format: 'json' }),
			options: {},
		},
		id: 'b0000000-0000-4000-8000-000000000003',
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [220, 0],
	};
	const code = {
		parameters: { jsCode: MAPPING_CODE.replace('__JOB_ID__', jobId) },
		id: 'b0000000-0000-4000-8000-000000000004',
		name: 'Code',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [440, 0],
	};
	const link = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return [
		base(WF_NODE, 'Bench: Bulk Verify Get Results', [trigger, bulkVerify], {
			Start: link('Bulk Verify'),
		}),
		base(WF_DIY, 'Bench: HTTP Request + Code', [trigger, http, code], {
			Start: link('HTTP Request'),
			'HTTP Request': link('Code'),
		}),
	];
}

function n8nEnv(brokerPort) {
	return {
		...process.env,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_PORT: String(brokerPort + 1),
		N8N_LOG_LEVEL: 'warn',
	};
}

/** All processes below `pid`, with it. */
function processTree(pid) {
	const parents = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// gone
		}
	}
	const tree = [pid];
	for (let index = 0; index < tree.length; index++)
		for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
	return tree;
}

function treeRss(pid) {
	let total = 0;
	for (const member of processTree(pid)) {
		try {
			const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${member}/status`, 'utf8'));
			if (match) total += Number(match[1]) * 1024;
		} catch {
			// gone
		}
	}
	return total;
}

/** Runs the n8n CLI; with `sample`, also the peak RSS of its process tree. */
function n8n(paths, userFolder, brokerPort, args, { sample = false, timeoutMs = 300_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [RUNTIME, 'n8n', userFolder, ...args], {
			env: n8nEnv(brokerPort),
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
		let peak = 0;
		const sampler = sample
			? setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 50)
			: undefined;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (sampler) clearInterval(sampler);
			resolve({ code, stderr, peak });
		});
	});
}

function lastExecution(paths, userFolder, workflowId) {
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const db = new DatabaseSync(process.argv[1], { readOnly: true });
		const row = db.prepare('SELECT id, status, startedAt, stoppedAt FROM execution_entity WHERE workflowId = ? ORDER BY id DESC LIMIT 1').get(process.argv[2]);
		process.stdout.write(JSON.stringify(row ?? null));`;
	const out = execFileSync(
		paths.NODE24_BIN,
		['--no-warnings', '-e', script, path.join(userFolder, '.n8n', 'database.sqlite'), workflowId],
		{ encoding: 'utf8' },
	);
	const row = JSON.parse(out);
	if (!row) return undefined;
	const time = (value) =>
		Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
	return { id: row.id, status: row.status, durationMs: time(row.stoppedAt) - time(row.startedAt) };
}

async function main() {
	const runs = Number(argValue('runs', 3));
	const paths = runtimePaths();
	if (!paths) {
		notMeasured(
			'the real n8n install (scripts/n8n-runtime.sh install, or npm run test:e2e) is not in ~/.cache yet',
		);
		return;
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-n8n-'));
	const userFolder = path.join(work, 'user');
	const brokerPort = 5790 + Math.floor(Math.random() * 100);
	const sim = await simulators.startSimulator('whoisxml', {
		clock: 'manual',
		rateLimitPerMinute: Infinity,
	});
	try {
		const job = sim.seedJob(EMAILS);
		loadPackage(userFolder, work);
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([
				{
					id: CREDENTIAL_ID,
					name: 'WhoisXML (bench simulator)',
					type: 'whoisXmlApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
			]),
		);
		const workflowDir = path.join(work, 'workflows');
		fs.mkdirSync(workflowDir);
		for (const workflow of workflows(sim, job.id))
			fs.writeFileSync(path.join(workflowDir, `${workflow.id}.json`), JSON.stringify(workflow));
		for (const args of [
			['import:credentials', `--input=${credentialsFile}`],
			['import:workflow', '--separate', `--input=${workflowDir}`],
		]) {
			const result = await n8n(paths, userFolder, brokerPort, args);
			if (result.code !== 0) throw new Error(`n8n ${args[0]} failed:\n${result.stderr}`);
		}
		const results = { node: [], diy: [] };
		for (let round = -1; round < runs; round++) {
			const order = round % 2 === 0 ? ['node', 'diy'] : ['diy', 'node'];
			for (const which of order) {
				const workflowId = which === 'node' ? WF_NODE : WF_DIY;
				const before = lastExecution(paths, userFolder, workflowId)?.id;
				const started = Date.now();
				const run = await n8n(
					paths,
					userFolder,
					brokerPort,
					['execute', `--id=${workflowId}`, '--rawOutput'],
					{ sample: true },
				);
				const wallMs = Date.now() - started;
				const execution = lastExecution(paths, userFolder, workflowId);
				if (!execution || execution.id === before || execution.status !== 'success') {
					throw new Error(
						`${workflowId}: no successful execution (exit ${run.code}, ${execution?.status ?? 'none'})\n${run.stderr.slice(-3000)}`,
					);
				}
				if (round >= 0)
					results[which].push({ durationMs: execution.durationMs, wallMs, peak: run.peak });
			}
			if (round >= 0) {
				const [n, d] = [results.node[round], results.diy[round]];
				log(
					`round ${round + 1}/${runs}: Bulk Verify ${ms(n.durationMs)} (${ms(n.wallMs)} wall, ${mb(n.peak)}), DIY ${ms(d.durationMs)} (${ms(d.wallMs)} wall, ${mb(d.peak)})`,
				);
			}
		}
		const speedup = summarize(
			results.node.map((run, index) => results.diy[index].durationMs / run.durationMs),
		);
		const memory = summarize(results.node.map((run, index) => run.peak / results.diy[index].peak));
		const wall = summarize(
			results.node.map((run, index) => results.diy[index].wallMs / run.wallMs),
		);
		const nodeTime = summarize(results.node.map((run) => run.durationMs));
		const diyTime = summarize(results.diy.map((run) => run.durationMs));
		const nodePeak = summarize(results.node.map((run) => run.peak));
		const diyPeak = summarize(results.diy.map((run) => run.peak));
		emit({
			bench: 1,
			title: 'WhoisXML 50,000-email results in a real n8n',
			rows: [
				{
					measure: 'WhoisXML 50k in real n8n 2.41.1: execution time, DIY ÷ Bulk Verify',
					ours: ms(nodeTime.median),
					reference: `HTTP Request + Code ${ms(diyTime.median)}`,
					ratio: `${ratio(speedup.median)} faster`,
					target: '≥ 2× faster',
					status: status(speedup.median >= 2),
					spread: range(speedup),
				},
				{
					measure: 'WhoisXML 50k in real n8n 2.41.1: peak RSS (n8n + task runner)',
					ours: mb(nodePeak.median),
					reference: `HTTP Request + Code ${mb(diyPeak.median)}`,
					ratio: ratio(memory.median),
					target: '< 1× (lower)',
					status: status(memory.median < 1),
					spread: range(memory),
				},
			],
			notes: [
				`Bench 1 (real n8n): ${runs} runs of each workflow with \`n8n execute\` (n8n ${paths.N8N_VERSION} on Node ${path.basename(paths.NODE24_HOME).replace('node-', '')}); wall clock per command incl. CLI start-up: DIY ÷ Bulk Verify ${ratio(wall.median)}.`,
			],
		});
	} finally {
		await sim.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
