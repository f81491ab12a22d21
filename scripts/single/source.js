'use strict';

/**
 * What the single-service build reads from the compiled all-in-one package (dist/, `npm run build`):
 * its manifest, the registry's providers in the registry's order, the adapter module each one comes
 * from, its credential and the compiled modules. No provider is named here: they all come from
 * dist/nodes/shared/providers/list.js (the two registry lines) and package.json `n8n.credentials`.
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
/** The registry's list module, relative to dist/: the one module a single-service package replaces. */
const LIST_MODULE = 'nodes/shared/providers/list.js';

/**
 * Each single-service package's committed folder, packages/<name>/: its package.json, README and LICENSE, kept
 * equal to what pack:single writes (test/single/pack.js checks it). n8n's scanner looks for the
 * folder whose package.json has the package's name in the commit the npm provenance points at.
 */
const SOURCES = path.join(ROOT, 'packages');
const SOURCE_FILES = ['package.json', 'README.md', 'LICENSE'];

const read = (file) => fs.readFileSync(file, 'utf8');

function readManifest() {
	return JSON.parse(read(path.join(ROOT, 'package.json')));
}

/** The module names a compiled (CommonJS) module requires, in order. */
function requiresOf(code) {
	return [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]);
}

/** The file a relative require of `fromFile` loads (`./x` → x.js or x/index.js). */
function resolveRelative(fromFile, spec) {
	const base = path.resolve(path.dirname(fromFile), spec);
	for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${path.relative(ROOT, fromFile)}: cannot resolve require("${spec}")`);
}

/** A path of package.json (`dist/credentials/X.credentials.js`) as a path inside dist/. */
function inDist(manifestPath) {
	const relative = path.posix.normalize(manifestPath);
	if (!relative.startsWith('dist/')) throw new Error(`${manifestPath} is not under dist/`);
	return relative.slice('dist/'.length);
}

/** The credential types the package declares: each file's credential class, instantiated. */
function credentialsOf(manifest) {
	return manifest.n8n.credentials.map((file) => {
		const exports = require(path.join(ROOT, file));
		const instances = Object.values(exports)
			.filter((value) => typeof value === 'function' && value.prototype)
			.map((Class) => new Class())
			.filter(
				(instance) => typeof instance.name === 'string' && Array.isArray(instance.properties),
			);
		if (instances.length !== 1)
			throw new Error(`${file} exports ${instances.length} credential classes, not one`);
		return { file: inDist(file), type: instances[0].name, credential: instances[0] };
	});
}

/**
 * The registry's providers: for each, its `info`, the require of list.js that brings its definition
 * (`{ spec: './bouncify', exportName: 'bouncify' }`) and its credential.
 */
function providersOf(manifest = readManifest()) {
	const listFile = path.join(DIST, LIST_MODULE);
	if (!fs.existsSync(listFile)) throw new Error('dist/ has no registry: run npm run build first');
	const { PROVIDER_LIST } = require(listFile);
	const modules = requiresOf(read(listFile))
		.filter((spec) => spec.startsWith('.'))
		.map((spec) => ({ spec, exports: require(resolveRelative(listFile, spec)) }));
	const credentials = credentialsOf(manifest);
	return PROVIDER_LIST.map((definition) => {
		const { info } = definition;
		const sources = modules.flatMap(({ spec, exports }) =>
			Object.entries(exports)
				.filter(([, value]) => value === definition)
				.map(([exportName]) => ({ spec, exportName })),
		);
		if (sources.length !== 1)
			throw new Error(`provider "${info.name}" comes from ${sources.length} modules of list.js`);
		const credential = credentials.find((candidate) => candidate.type === info.credentialType);
		if (!credential)
			throw new Error(
				`provider "${info.name}": no credential of type "${info.credentialType}" in package.json n8n.credentials`,
			);
		return { info, module: sources[0], credential };
	});
}

module.exports = {
	SOURCES,
	SOURCE_FILES,
	ROOT,
	DIST,
	LIST_MODULE,
	read,
	readManifest,
	requiresOf,
	resolveRelative,
	inDist,
	providersOf,
};
