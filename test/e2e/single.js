#!/usr/bin/env node
'use strict';

/**
 * Each single-service package inside a real n8n (npm run test:single).
 *
 * 1. Installs (or reuses from the cache) Node 24 + n8n 2.41.1 with scripts/n8n-runtime.sh.
 * 2. Packs the single-service packages (npm run pack:single: dist-packages/index.json lists them).
 * 3. Starts the provider simulators in this process.
 * 4. For each package, in a fresh n8n user folder: loads its tarball the way n8n loads community
 *    packages it installed; checks that n8n lists its node and its trigger under the package's name,
 *    named after the service, each with exactly the package's one credential, and nothing of the
 *    all-in-one package; imports the package's own examples/credentials.json and its first action
 *    example (by file name); runs it headless (n8n execute) and checks its outputs with the checks
 *    test:e2e makes of the same example (test/e2e/example-checks.js).
 *
 * Ends with "N passed, N failed". Env: E2E_SIM_PORT_BASE (default 4401), E2E_N8N_PORT (5788),
 * E2E_BROKER_PORT (5799), E2E_KEEP=1 keeps the work folder.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
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
	Fatal,
	run,
	freePorts,
	tail,
	fmt,
	installRuntime,
	loadInto,
	n8nOk,
	startSimulators,
	importExamples,
	executeRunner,
	runScript,
} = require('./lib');
const { assertSuccess, assertNoKeys, exampleRunOf } = require('./example-checks');

ctx.simPortBase = Number(process.env.E2E_SIM_PORT_BASE ?? 4401);
let N8N_PORT = Number(process.env.E2E_N8N_PORT ?? 5788);
let BROKER_PORT = Number(process.env.E2E_BROKER_PORT ?? 5799);

const n8nEnv = () => ({
	N8N_RUNNERS_BROKER_PORT: String(BROKER_PORT),
	N8N_PORT: String(N8N_PORT),
	N8N_LOG_LEVEL: 'info',
});

async function packSingle() {
	const t0 = Date.now();
	const result = await run('npm', ['run', '--silent', 'pack:single'], {
		timeoutMs: 10 * 60_000,
		logFile: path.join(ctx.workDir, 'pack-single.log'),
	});
	const index = path.join(REPO, 'dist-packages', 'index.json');
	if (
		!check(
			'npm run pack:single packs the single-service packages',
			result.code === 0 && fs.existsSync(index),
			result.code === 0 ? '' : tail(result.output),
		)
	)
		throw new Fatal('the single-service packages could not be packed');
	timing('build + pack:single', Date.now() - t0);
	const packages = JSON.parse(fs.readFileSync(index, 'utf8'));
	check(
		'one package per provider',
		fmt(packages.map((single) => single.provider).sort()) === fmt([...PROVIDERS].sort()),
		packages.map((single) => single.name).join(', '),
	);
	return packages;
}

/** The package's examples folder, unpacked from its tarball into the work folder. */
function examplesOf(single) {
	const dir = path.join(ctx.workDir, `${single.provider}-tarball`);
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('tar', [
		'-xzf',
		path.join(REPO, single.tarball),
		'-C',
		dir,
		'--strip-components=1',
		'package/examples',
	]);
	const examples = path.join(dir, 'examples');
	const workflows = fs
		.readdirSync(examples)
		.filter((file) => file.endsWith('.json') && file !== 'credentials.json')
		.sort()
		.map((file) => [file, JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'))]);
	return { credentialsFile: path.join(examples, 'credentials.json'), workflows };
}

async function checkNodeTypes(folder, single) {
	const out = path.join(ctx.workDir, `nodes-${single.provider}.json`);
	await n8nOk(folder, ['export:nodes', `--output=${out}`], {
		logName: `export-nodes-${single.provider}`,
		env: n8nEnv(),
	});
	const nodes = JSON.parse(fs.readFileSync(out, 'utf8'));
	const ours = nodes.filter((node) => node.name.startsWith(`${single.name}.`));
	const byName = Object.fromEntries(ours.map((node) => [node.name, node]));
	const action = byName[`${single.name}.bulkVerify`];
	const trigger = byName[`${single.name}.bulkVerifyJobTrigger`];
	// n8n adds the node's AI-tool version itself (usableAsTool): bulkVerifyTool.
	check(
		`${single.name}: n8n lists exactly its node, its trigger and the node's tool version`,
		fmt(ours.map((node) => node.name).sort()) ===
			fmt(
				['bulkVerify', 'bulkVerifyJobTrigger', 'bulkVerifyTool'].map((n) => `${single.name}.${n}`),
			),
		ours.map((node) => node.name).join(', '),
	);
	check(
		`${single.name}: named after the service ("${single.displayName} Bulk Verify", "… Trigger"), the trigger polls`,
		action?.displayName === `${single.displayName} Bulk Verify` &&
			trigger?.displayName === `${single.displayName} Bulk Verify Trigger` &&
			trigger?.polling === true,
		`${action?.displayName} / ${trigger?.displayName}`,
	);
	for (const node of [action, trigger]) {
		const credentials = (node?.credentials ?? []).map((credential) => credential.name);
		check(
			`${node?.displayName ?? '?'} declares exactly the ${single.credentialType} credential`,
			fmt(credentials) === fmt([single.credentialType]),
			credentials.join(', '),
		);
		const providers = (node?.properties ?? []).find((p) => p.name === 'provider')?.options ?? [];
		check(
			`${node?.displayName ?? '?'} offers exactly one provider, ${single.provider}`,
			fmt(providers.map((option) => option.value)) === fmt([single.provider]),
		);
	}
	check(
		`${single.name}: nothing of the all-in-one package is loaded`,
		!nodes.some((node) => node.name.startsWith(`${PACKAGE}.`)),
	);
}

async function runPackage(single) {
	const folder = path.join(ctx.workDir, single.provider);
	await loadInto(folder, { tarball: path.join(REPO, single.tarball), packageName: single.name });
	await checkNodeTypes(folder, single);
	const { credentialsFile, workflows } = examplesOf(single);
	const manual = workflows.filter(([, workflow]) =>
		workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger'),
	);
	if (
		!check(
			`${single.name}: ships an action example`,
			manual.length > 0,
			`${workflows.length} example(s)`,
		)
	)
		return;
	const [file, workflow] = manual[0];
	await importExamples(folder, [[file, workflow]], { env: n8nEnv(), credentialsFile });
	const runner = executeRunner(folder, n8nEnv);
	const checks = exampleRunOf(workflow.id);
	log(`  ....  ${single.name}: example ${file}`);
	if (checks) await checks(runner);
	else {
		const label = `${single.name} ${file}`;
		const r = await runner.execute(workflow.id, label);
		assertSuccess(r, label, runner.how);
		assertNoKeys(r, label);
	}
}

async function main() {
	log(
		`Single-service packages in a real n8n (${new Date().toISOString()}, Node ${process.versions.node})`,
	);
	ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-verify-single-'));
	log(`work folder: ${ctx.workDir}`);

	await step('n8n runtime (scripts/n8n-runtime.sh install)', installRuntime);
	await step('simulators', async () => {
		ctx.simPortBase = await freePorts(ctx.simPortBase, 4);
		N8N_PORT = await freePorts(N8N_PORT, 1);
		BROKER_PORT = await freePorts(BROKER_PORT, 1, [N8N_PORT]);
		log(
			`  ports: simulators ${ctx.simPortBase}-${ctx.simPortBase + 3}, n8n ${N8N_PORT}, task broker ${BROKER_PORT}`,
		);
		await startSimulators();
	});
	const packages = await step('pack the single-service packages (npm run pack:single)', packSingle);
	for (const single of packages ?? [])
		await step(`${single.name} in a fresh n8n`, () => runPackage(single));
}

runScript(main, { keepWorkDir: process.env.E2E_KEEP === '1' });
