#!/usr/bin/env node
'use strict';

/**
 * Publishes the all-in-one package (this folder) and the single-service packages of
 * `npm run pack:single` (dist-packages/index.json) to npm with provenance:
 * `npm publish --provenance --access public` each. The release workflow
 * (.github/workflows/release.yml) runs it as `npm run release:publish` on a version tag, after the
 * build and the tests; test/single/pack.js runs it with --dry-run against a loopback registry.
 *
 *   node scripts/publish.js [--dry-run]
 *
 * On a tag (GITHUB_REF_TYPE=tag) the tag must be v<version> of package.json, and every package must
 * have that version; otherwise nothing is published.
 *
 * Re-running is safe: a package whose version the registry already has is skipped, so a release that
 * failed half-way (a token, a network error) is finished by running the same job again.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const dryRun = process.argv.includes('--dry-run');

function fail(message, published = []) {
	const done =
		published.length === 0
			? 'nothing published'
			: `published before it: ${published.join(', ')}; run it again to publish the rest (what the registry has is skipped)`;
	console.error(`release:publish: ${message}; ${done}`);
	process.exit(1);
}

/** Whether the registry already has `name@version` (npm prints the version, or nothing when it lacks it). */
function isPublished(name, version, published) {
	const result = spawnSync('npm', ['view', `${name}@${version}`, 'version', '--json'], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	if (result.status === 0) return result.stdout.trim() === JSON.stringify(version);
	if (/\bE404\b/.test(`${result.stdout}${result.stderr}`)) return false;
	fail(`npm view ${name}@${version} exited with ${result.status}`, published);
}

function targets() {
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const { GITHUB_REF_TYPE, GITHUB_REF_NAME } = process.env;
	if (GITHUB_REF_TYPE === 'tag' && GITHUB_REF_NAME !== `v${manifest.version}`)
		fail(`tag ${GITHUB_REF_NAME} is not v${manifest.version} (the version in package.json)`);
	const index = path.join(ROOT, 'dist-packages', 'index.json');
	if (!fs.existsSync(index)) fail('dist-packages/index.json is missing: run npm run pack:single');
	const singles = JSON.parse(fs.readFileSync(index, 'utf8'));
	if (singles.length === 0) fail('dist-packages/index.json lists no package');
	for (const single of singles) {
		if (!fs.existsSync(path.join(ROOT, single.tarball))) fail(`${single.tarball} is missing`);
		if (!single.tarball.endsWith(`-${manifest.version}.tgz`))
			fail(`${single.tarball} is not version ${manifest.version}`);
	}
	// "./" so that npm takes the argument for a file, not for a GitHub "owner/repo".
	return {
		version: manifest.version,
		list: [
			{ name: manifest.name, spec: '.' },
			...singles.map((single) => ({ name: single.name, spec: `./${single.tarball}` })),
		],
	};
}

function main() {
	const { version, list } = targets();
	const published = [];
	const skipped = [];
	for (const { name, spec } of list) {
		if (isPublished(name, version, published)) {
			console.log(`${name}@${version} is on the registry already: skipped`);
			skipped.push(name);
			continue;
		}
		const args = ['publish', spec, '--provenance', '--access', 'public'];
		if (dryRun) args.push('--dry-run');
		console.log(`npm ${args.join(' ')}   (${name})`);
		const result = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
		if (result.status !== 0) fail(`npm publish of ${name} exited with ${result.status}`, published);
		published.push(name);
	}
	console.log(
		`${dryRun ? 'would publish' : 'published'} ${published.length} packages, ${skipped.length} already published`,
	);
}

main();
