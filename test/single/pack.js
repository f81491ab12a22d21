#!/usr/bin/env node
'use strict';

/**
 * The single-service packages, as packed (npm run test:pack): runs `npm run pack:single`, unpacks
 * each tarball of dist-packages/ and checks it is a package n8n's verification can take, with
 * nothing of another provider in it; lints each package folder with the scanner's rules and with
 * `n8n-node lint` (and shows both lints fail on a broken copy); checks the all-in-one package is
 * unchanged; runs `npm run release:publish -- --dry-run` against a loopback registry.
 *
 * Plain Node; prints each check and ends with "N passed, N failed".
 */

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const {
	SOURCES,
	SOURCE_FILES,
	providersOf,
	readManifest,
	requiresOf,
} = require('../../scripts/single/source');
const { scanLint, nodeCliLint, cloudSupport, SOURCE } = require('../../scripts/single/lint');
const { slug } = require('../../scripts/single/readme');

/** What nodes/ and credentials/ may import (CONTRIBUTING.md, house rules). */
const ALLOWED_IMPORTS = ['n8n-workflow', 'zod', 'lodash', 'luxon'];
const WORK = path.join(ROOT, '.cache', 'single-pack-test');

const tally = { passed: 0, failed: 0 };
function check(name, ok, detail) {
	tally[ok ? 'passed' : 'failed']++;
	console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`);
	return Boolean(ok);
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function filesUnder(dir, base = dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(file, base) : [path.relative(base, file)];
	});
}

function unpack(tarball, name) {
	const dir = path.join(WORK, name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	return dir;
}

/** The node type descriptions of an unpacked package, from its own modules. */
function nodeTypesOf(dir, manifest) {
	return manifest.n8n.nodes.map((file) => {
		const exports = require(path.join(dir, file));
		const Class = Object.values(exports).find((value) => typeof value === 'function');
		return new Class().description;
	});
}

function checkManifest(single, manifest, dir, others) {
	const { name } = single;
	check(`${name}: version ${readManifest().version}`, manifest.version === readManifest().version);
	check(`${name}: n8n strict mode`, manifest.n8n?.strict === true);
	check(
		`${name}: exactly one credential, the provider's`,
		manifest.n8n.credentials.length === 1 &&
			manifest.n8n.credentials[0].endsWith(`/${single.credentialFile}`),
		manifest.n8n.credentials.join(', '),
	);
	check(
		`${name}: the node and the trigger, both in the tarball`,
		manifest.n8n.nodes.length === 2 &&
			[...manifest.n8n.nodes, ...manifest.n8n.credentials].every((f) =>
				fs.existsSync(path.join(dir, f)),
			),
		manifest.n8n.nodes.join(', '),
	);
	check(
		`${name}: no runtime dependencies, peer dependency n8n-workflow only`,
		Object.keys(manifest.dependencies ?? {}).length === 0 &&
			same(Object.keys(manifest.peerDependencies ?? {}), ['n8n-workflow']),
		JSON.stringify({ dependencies: manifest.dependencies, peer: manifest.peerDependencies }),
	);
	const licence = fs.existsSync(path.join(dir, 'LICENSE'))
		? fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')
		: '';
	check(
		`${name}: MIT licence file`,
		manifest.license === 'MIT' && licence.startsWith('MIT License'),
	);
	const text = `${manifest.description} ${manifest.keywords.join(' ')}`.toLowerCase();
	check(
		`${name}: description and keywords name its provider and no other`,
		manifest.keywords.includes('n8n-community-node-package') &&
			text.includes(single.provider) &&
			others.every((other) => !text.includes(other.name)),
		manifest.keywords.join(', '),
	);
}

function checkContents(single, dir, manifest) {
	const { name } = single;
	const files = filesUnder(dir);
	const registry = require(path.join(dir, 'dist', 'nodes', 'shared', 'providers', 'index.js'));
	check(
		`${name}: its registry lists only ${single.provider}`,
		same(registry.PROVIDER_NAMES, [single.provider]),
		registry.PROVIDER_NAMES.join(', '),
	);
	const adapters = [
		...new Set(
			files
				.map((file) => /^dist\/nodes\/shared\/providers\/([^/]+)\//.exec(file)?.[1])
				.filter(Boolean),
		),
	];
	const credentials = files.filter((file) => file.endsWith('.credentials.js'));
	check(
		`${name}: no other provider's adapter or credential in the tarball`,
		same(adapters, [single.provider]) && same(credentials, manifest.n8n.credentials),
		`adapters ${adapters.join(', ')}; credentials ${credentials.join(', ')}`,
	);
	const externals = [
		...new Set(
			files
				.filter((file) => file.endsWith('.js'))
				.flatMap((file) => requiresOf(fs.readFileSync(path.join(dir, file), 'utf8')))
				.filter((spec) => !spec.startsWith('.')),
		),
	];
	check(
		`${name}: imports only ${ALLOWED_IMPORTS.join(', ')} besides its own modules`,
		externals.every((spec) => ALLOWED_IMPORTS.includes(spec)),
		externals.join(', '),
	);
	check(
		`${name}: no TypeScript source, tests or source maps`,
		!files.some((file) => /\.ts$|\.map$|(^|\/)test\//.test(file)),
	);
	const [node, trigger] = nodeTypesOf(dir, manifest);
	const triggerFirst = node.group.includes('trigger');
	const [action, poll] = triggerFirst ? [trigger, node] : [node, trigger];
	check(
		`${name}: "${single.displayName} Bulk Verify" and its polling "${single.displayName} Bulk Verify Trigger"`,
		action.displayName === `${single.displayName} Bulk Verify` &&
			poll.displayName === `${single.displayName} Bulk Verify Trigger` &&
			poll.polling === true,
		`${action.displayName} / ${poll.displayName}`,
	);
	check(
		`${name}: both declare exactly its credential`,
		[action, poll].every((d) =>
			same(
				d.credentials.map((c) => c.name),
				[single.credentialType],
			),
		),
	);
	const operations = action.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => property.options);
	check(
		`${name}: every operation it lists is one ${single.displayName} has (no action for no provider)`,
		operations.length > 0 &&
			operations.every(
				(option) =>
					!/\(\)$/.test(option.action) &&
					(option.displayOptions?.show?.provider ?? [single.provider]).includes(single.provider),
			),
		operations.map((option) => option.name).join(', '),
	);
	return { action, poll, operations };
}

function checkDocs(single, dir, { action, poll, operations }) {
	const { name } = single;
	const readme = fs.existsSync(path.join(dir, 'README.md'))
		? fs.readFileSync(path.join(dir, 'README.md'), 'utf8')
		: '';
	const anchors = new Set(
		[...readme.matchAll(/^#+ (.+)$/gm)].map((match) => slug(match[1].trim())),
	);
	check(
		`${name}: README names the package and lists each of its operations`,
		readme.startsWith(`# ${name}\n`) &&
			operations.every((option) => readme.includes(`| ${option.name} |`)),
	);
	for (const description of [action, poll]) {
		const codexFile = path.join(
			dir,
			single.nodes
				.find((n) => n.type.endsWith(`.${description.name}`))
				.file.replace(/\.js$/, '.json'),
		);
		const codex = readJson(codexFile);
		const links = Object.values(codex.resources)
			.flat()
			.map((resource) => resource.url);
		check(
			`${name}: ${description.name} codex: its node type, links to sections of its README`,
			codex.node === `${name}.${description.name}` &&
				links.length > 0 &&
				links.every((url) => anchors.has(url.split('#')[1])),
			links.join(' '),
		);
	}
	const examples = path.join(dir, 'examples');
	const workflows = fs.existsSync(examples)
		? fs
				.readdirSync(examples)
				.filter((file) => file !== 'credentials.json')
				.map((file) => readJson(path.join(examples, file)))
		: [];
	const credentials = fs.existsSync(path.join(examples, 'credentials.json'))
		? readJson(path.join(examples, 'credentials.json'))
		: [];
	const ours = workflows.flatMap((workflow) =>
		workflow.nodes.filter((node) => node.type.includes('.bulkVerify')),
	);
	const ids = new Set(credentials.map((credential) => credential.id));
	check(
		`${name}: examples use its node types, with the credential ids its credentials.json holds`,
		workflows.length > 0 &&
			ours.every((node) => node.type.startsWith(`${name}.`)) &&
			ours.every((node) =>
				Object.values(node.credentials ?? {}).every((credential) => ids.has(credential.id)),
			) &&
			credentials.length === 1 &&
			credentials[0].type === single.credentialType,
		`${workflows.length} example(s), credentials ${[...ids].join(', ')}`,
	);
}

async function checkLint(single) {
	const folder = path.join(ROOT, single.folder);
	const scan = await scanLint(folder);
	check(
		`${single.name}: the scanner's rules, 0 errors (${scan.files} files)`,
		scan.files > 0 && scan.errors === 0,
		`${scan.errors} errors, ${scan.warnings} warnings`,
	);
	if (scan.errors > 0) console.log(scan.report);
	const lint = nodeCliLint(folder);
	check(`${single.name}: n8n-node lint passes`, lint.code === 0, `exit ${lint.code}`);
	if (lint.code !== 0) console.log(lint.output);
	const cloud = cloudSupport(folder);
	check(`${single.name}: n8n-node cloud-support: eligible for n8n Cloud`, cloud.eligible);
	return scan;
}

/** Both lints must fail on a broken copy (a runtime dependency; a changed eslint.config.mjs). */
async function checkLintsCanFail(single) {
	const copy = path.join(WORK, 'broken');
	fs.rmSync(copy, { recursive: true, force: true });
	fs.cpSync(path.join(ROOT, single.folder), copy, { recursive: true });
	const manifest = readJson(path.join(copy, 'package.json'));
	fs.writeFileSync(
		path.join(copy, 'package.json'),
		JSON.stringify({ ...manifest, dependencies: { axios: '1.0.0' } }, null, 2),
	);
	const scan = await scanLint(copy);
	const lint = nodeCliLint(copy);
	check(
		'a runtime dependency fails both lints',
		scan.errors > 0 && /no-runtime-dependencies/.test(scan.report) && lint.code !== 0,
		`${scan.errors} scanner error(s), n8n-node lint exit ${lint.code}`,
	);
	fs.writeFileSync(path.join(copy, 'package.json'), JSON.stringify(manifest, null, 2));
	fs.appendFileSync(path.join(copy, 'eslint.config.mjs'), '// changed\n');
	const strict = nodeCliLint(copy);
	const cloud = cloudSupport(copy);
	check(
		'a changed eslint.config.mjs fails n8n-node lint in strict mode and loses cloud support',
		strict.code !== 0 && /Strict mode violation/.test(strict.output) && !cloud.eligible,
		`exit ${strict.code}`,
	);
}

function checkAllInOne(providers) {
	const manifest = readManifest();
	const [node, trigger] = manifest.n8n.nodes.map((file) => {
		const exports = require(path.join(ROOT, file));
		return new (Object.values(exports).find((value) => typeof value === 'function'))().description;
	});
	check(
		'the all-in-one package is unchanged: "Bulk Verify" and "Bulk Verify Trigger" over every provider',
		node.displayName === 'Bulk Verify' &&
			trigger.displayName === 'Bulk Verify Trigger' &&
			providers.length === manifest.n8n.credentials.length &&
			node.credentials.length === providers.length,
		`${providers.length} providers`,
	);
}

/**
 * The package's committed folder, as n8n's scanner finds it in the commit its npm provenance names:
 * the one tracked package.json with the package's name, in packages/<name>/, equal to what was packed
 * (README too), and clean under the scanner's rules for an attested source.
 */
async function checkCommittedFolder(single) {
	const folder = path.join(SOURCES, single.name);
	const tracked = execFileSync('git', ['ls-files', '--', '*package.json'], {
		cwd: ROOT,
		encoding: 'utf8',
	})
		.split('\n')
		.filter(Boolean)
		.filter((file) => readJson(path.join(ROOT, file)).name === single.name);
	const stale = SOURCE_FILES.filter((file) => {
		const committed = path.join(folder, file);
		return (
			!fs.existsSync(committed) ||
			fs.readFileSync(committed, 'utf8') !==
				fs.readFileSync(path.join(ROOT, single.folder, file), 'utf8')
		);
	});
	check(
		`${single.name}: the scanner's source folder is ${path.relative(ROOT, folder)}/, committed and up to date (${SOURCE_FILES.join(', ')})`,
		same(tracked, [path.relative(ROOT, path.join(folder, 'package.json'))]) && stale.length === 0,
		stale.length > 0
			? `differs from the packed one: ${stale.join(', ')}; run npm run pack:single -- --sources and commit`
			: `tracked: ${tracked.join(', ') || 'none'}`,
	);
	const scan = await scanLint(folder, SOURCE);
	check(
		`${single.name}: its source folder under the scanner's rules, 0 errors`,
		scan.files > 0 && scan.errors === 0,
		`${scan.files} files, ${scan.errors} errors`,
	);
	if (scan.errors > 0) console.log(scan.report);
}

/**
 * `npm run release:publish -- --dry-run` against a loopback registry: first with none of the packages,
 * then as after a release that failed half-way, with two of them already at this version.
 */
async function checkPublishDryRun(singles) {
	const version = readManifest().version;
	const asked = new Set();
	const onRegistry = new Set();
	const server = http.createServer((request, response) => {
		const name = decodeURIComponent(request.url.slice(1));
		asked.add(name);
		if (!onRegistry.has(name)) {
			response.writeHead(404, { 'content-type': 'application/json' });
			response.end('{"error":"Not found"}');
			return;
		}
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				name,
				'dist-tags': { latest: version },
				versions: { [version]: { name, version, dist: { tarball: `${registry}${name}.tgz` } } },
			}),
		);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const registry = `http://127.0.0.1:${server.address().port}/`;
	const publish = (extraEnv) =>
		new Promise((resolve) => {
			const child = spawn('npm', ['run', '--silent', 'release:publish', '--', '--dry-run'], {
				cwd: ROOT,
				env: { ...process.env, npm_config_registry: registry, ...extraEnv },
			});
			let output = '';
			child.stdout.on('data', (chunk) => (output += chunk));
			child.stderr.on('data', (chunk) => (output += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, output });
			});
		});
	const onTag = { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: `v${version}` };
	const publishCommands = (output) =>
		output.split('\n').filter((line) => line.startsWith('npm publish '));
	const good = await publish(onTag);
	const names = [readManifest().name, ...singles.map((single) => single.name)];
	const commands = publishCommands(good.output);
	check(
		`release:publish --dry-run on tag v${version}: npm publish --provenance --access public of ${names.length} packages`,
		good.code === 0 &&
			commands.length === names.length &&
			commands.every((line) => line.includes('--provenance --access public')) &&
			names.every((name) => asked.has(name)),
		`exit ${good.code}; registry asked for ${[...asked].join(', ')}`,
	);
	if (good.code !== 0) console.log(good.output.slice(-3000));

	const done = names.slice(0, 2);
	for (const name of done) onRegistry.add(name);
	const again = await publish(onTag);
	const againCommands = publishCommands(again.output);
	check(
		`release:publish run again after a half-done release: skips ${done.join(' and ')} (on the registry at ${version}), publishes the other ${names.length - done.length}`,
		again.code === 0 &&
			againCommands.length === names.length - done.length &&
			done.every(
				(name) =>
					again.output.includes(`${name}@${version} is on the registry already: skipped`) &&
					!againCommands.some((line) => line.endsWith(`(${name})`)),
			),
		`exit ${again.code}; ${againCommands.length} publish commands`,
	);
	if (again.code !== 0) console.log(again.output.slice(-3000));
	onRegistry.clear();

	asked.clear();
	const wrong = await publish({ GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v0.0.0-not-this' });
	check(
		'release:publish refuses a tag that is not v<version>, before publishing anything',
		wrong.code !== 0 && asked.size === 0 && /nothing published/.test(wrong.output),
		`exit ${wrong.code}`,
	);
	await new Promise((resolve) => server.close(resolve));
}

async function main() {
	console.log('Single-service packages: pack, contents, lint, publish dry run');
	const started = Date.now();
	execFileSync('npm', ['run', '--silent', 'pack:single'], { cwd: ROOT, stdio: 'inherit' });
	const providers = providersOf();
	const singles = readJson(path.join(ROOT, 'dist-packages', 'index.json'));
	check(
		'one package per provider of the registry',
		same(
			singles.map((single) => single.provider),
			providers.map((provider) => provider.info.name),
		),
		singles.map((single) => `${single.name} ${(single.size / 1024).toFixed(1)} kB`).join(', '),
	);
	checkAllInOne(providers);
	const source = await scanLint(ROOT, SOURCE);
	check(
		"the repository's source as the scanner lints an attested commit (package.json, nodes/, credentials/): 0 errors",
		source.files > 0 && source.errors === 0,
		`${source.files} files, ${source.errors} errors, ${source.warnings} warnings`,
	);
	if (source.errors > 0) console.log(source.report);
	for (const single of singles) {
		const provider = providers.find((p) => p.info.name === single.provider);
		const others = providers.filter((p) => p !== provider).map((p) => p.info);
		const tarball = path.join(ROOT, single.tarball);
		const manifest0 = readJson(path.join(ROOT, single.folder, 'package.json'));
		if (
			!check(
				`${single.name}: tarball ${path.basename(tarball)}`,
				fs.existsSync(tarball) &&
					path.basename(tarball) === `${single.name}-${manifest0.version}.tgz` &&
					/^n8n-nodes-[a-z0-9-]+$/.test(single.name),
			)
		)
			continue;
		const dir = unpack(tarball, single.name);
		const manifest = readJson(path.join(dir, 'package.json'));
		const info = { ...single, credentialFile: provider.credential.file };
		checkManifest(info, manifest, dir, others);
		const described = checkContents(info, dir, manifest);
		checkDocs(info, dir, described);
		await checkLint(single);
		await checkCommittedFolder(single);
	}
	await checkLintsCanFail(singles[0]);
	await checkPublishDryRun(singles);
	fs.rmSync(WORK, { recursive: true, force: true });
	console.log(`\n  ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main()
	.catch((error) => {
		tally.failed++;
		console.log(`\nABORTED: ${error instanceof Error ? error.stack : error}`);
	})
	.finally(() => {
		console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
		process.exitCode = tally.failed > 0 ? 1 : 0;
	});
