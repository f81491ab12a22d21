#!/usr/bin/env node
'use strict';

/**
 * The single-service packages (`npm run pack:single`): from the compiled all-in-one package (dist/ of
 * `npm run build`), one package per provider of the registry, e.g. n8n-nodes-bouncify-bulk-verify,
 * each with that provider's Bulk Verify node, its trigger and its one credential, packed into
 * dist-packages/<name>-<version>.tgz. n8n's verification takes one third-party service per package.
 *
 * The seam is the registry's list module (nodes/shared/providers/list.ts, "the two registry lines"):
 * each package's dist/nodes/shared/providers/list.js is generated to list its provider only; every
 * other module is the all-in-one's compiled file, copied when the node, the trigger or the credential
 * requires it (so the other adapters and credentials are left out). Names ("Bouncify Bulk Verify"),
 * operations and texts then follow from the registry as in the all-in-one package
 * (nodes/shared/workflow/descriptions.ts); the README is written from the built descriptions.
 *
 * Also writes dist-packages/index.json (what was packed, for test/single/pack.js and test/e2e/single.js)
 * and keeps each package folder, dist-packages/<name>/, to lint (test/single/pack.js). With --sources
 * it also copies each package's package.json, README and LICENSE into its committed folder, packages/<name>/
 * (what n8n's scanner finds in the attested commit; pack.js fails while they differ).
 *
 *   node scripts/single-packages.js [--out <folder>] [--sources]     (after npm run build)
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const {
	ROOT,
	DIST,
	LIST_MODULE,
	SOURCES,
	SOURCE_FILES,
	readManifest,
	providersOf,
	inDist,
} = require('./single/source');
const {
	CLOUD_ESLINT_CONFIG,
	packageNameOf,
	listModuleFor,
	writeFile,
	copyModules,
	copyTree,
	codexFor,
	examplesFor,
	manifestFor,
} = require('./single/folder');
const { readmeFor } = require('./single/readme');

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The node type descriptions of a package folder's node modules, by node file. */
function descriptionsIn(dir, nodes) {
	return nodes.map((file) => {
		const exports = require(path.join(dir, file));
		const [description] = Object.values(exports)
			.filter((value) => typeof value === 'function' && value.prototype)
			.map((Class) => new Class().description)
			.filter(Boolean);
		if (!description) throw new Error(`${file} exports no node type`);
		return { file, description };
	});
}

function buildPackage(provider, { rootManifest, providers, out }) {
	const name = packageNameOf(provider.info);
	const dir = path.join(out, name);
	fs.rmSync(dir, { recursive: true, force: true });
	const nodes = rootManifest.n8n.nodes;
	const { files, externals } = copyModules(dir, [...nodes.map(inDist), provider.credential.file], {
		[LIST_MODULE]: listModuleFor(provider),
	});
	copyTree(path.join(DIST, 'icons'), path.join(dir, 'dist', 'icons'));

	const descriptions = descriptionsIn(dir, nodes);
	const [node, trigger] = ['transform', 'trigger'].map(
		(group) =>
			descriptions.find(({ description }) => description.group.includes(group)).description,
	);
	const { workflows, credentials } = examplesFor(provider, { rootName: rootManifest.name, name });
	const readme = readmeFor({
		name,
		provider,
		node,
		trigger,
		examples: workflows,
		rootManifest,
	});
	const docsUrl = `https://www.npmjs.com/package/${name}`;
	for (const file of nodes) {
		const codex = path.join(DIST, inDist(file)).replace(/\.js$/, '.json');
		if (!fs.existsSync(codex)) continue;
		writeFile(
			path.join(dir, file.replace(/\.js$/, '.json')),
			codexFor(codex, { rootName: rootManifest.name, name, docsUrl, anchors: readme.anchors }),
		);
	}
	for (const { file, workflow } of workflows)
		writeFile(path.join(dir, 'examples', file), `${JSON.stringify(workflow, null, '\t')}\n`);
	writeFile(
		path.join(dir, 'examples', 'credentials.json'),
		`${JSON.stringify(credentials, null, '\t')}\n`,
	);
	writeFile(path.join(dir, 'README.md'), readme.text);
	fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(dir, 'LICENSE'));
	writeFile(path.join(dir, 'eslint.config.mjs'), CLOUD_ESLINT_CONFIG);
	const manifest = manifestFor(provider, { rootManifest, name, providers, nodes });
	writeFile(path.join(dir, 'package.json'), json(manifest));

	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
			cwd: dir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		}),
	);
	return {
		name,
		provider: provider.info.name,
		displayName: provider.info.displayName,
		credentialType: provider.info.credentialType,
		folder: path.relative(ROOT, dir),
		tarball: path.relative(ROOT, path.join(out, packed.filename)),
		size: packed.size,
		files: packed.entryCount,
		modules: files.length,
		externals,
		examples: workflows.map(({ file }) => file),
		nodes: descriptions.map(({ file, description }) => ({
			file,
			type: `${name}.${description.name}`,
			displayName: description.displayName,
		})),
	};
}

function main() {
	const outIndex = process.argv.indexOf('--out');
	const out = path.resolve(ROOT, outIndex > 0 ? process.argv[outIndex + 1] : 'dist-packages');
	const rootManifest = readManifest();
	const providers = providersOf(rootManifest);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	const packed = providers.map((provider) =>
		buildPackage(provider, { rootManifest, providers, out }),
	);
	fs.writeFileSync(path.join(out, 'index.json'), json(packed));
	if (process.argv.includes('--sources'))
		for (const entry of packed) {
			const folder = path.join(SOURCES, entry.name);
			fs.mkdirSync(folder, { recursive: true });
			for (const file of SOURCE_FILES)
				fs.copyFileSync(path.join(ROOT, entry.folder, file), path.join(folder, file));
			console.log(`wrote ${path.relative(ROOT, folder)}/{${SOURCE_FILES.join(',')}}`);
		}
	for (const entry of packed)
		console.log(
			`packed ${entry.tarball} (${(entry.size / 1024).toFixed(1)} kB, ${entry.files} files): ${entry.nodes.map((n) => n.displayName).join(', ')}`,
		);
}

main();
