#!/usr/bin/env node
'use strict';

/**
 * Lints the GitHub Actions workflows (.github/workflows/*.yml), offline (`npm run lint:workflows`,
 * part of `npm run lint`):
 *
 * - against GitHub's workflow schema, with @action-validator/core (WebAssembly, no network);
 * - every `npm run <script>` / `npm test` a workflow calls must be a script of package.json, so that
 *   what the release workflow runs is what the local tests and CI run.
 *
 * Ends with "N workflow(s) valid", or lists the problems and exits 1 (also when there is no workflow).
 */

const fs = require('node:fs');
const path = require('node:path');
const { validateWorkflow } = require('@action-validator/core');

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, '.github', 'workflows');

/** The npm scripts a workflow's text calls: `npm run x`, `npm test`. */
function npmScriptsIn(text) {
	const scripts = [
		...text.matchAll(/\bnpm run(?:-script)? +(?:--silent +)?([A-Za-z0-9:_-]+)/g),
	].map((match) => match[1]);
	if (/\bnpm (?:test|t)\b/.test(text)) scripts.push('test');
	return [...new Set(scripts)];
}

/** Problems of one workflow file (empty when it is valid). */
function lintWorkflow(file, scripts) {
	const text = fs.readFileSync(file, 'utf8');
	const problems = [];
	const { errors } = validateWorkflow(text);
	for (const error of errors)
		problems.push(
			`${error.path || '/'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`,
		);
	for (const script of npmScriptsIn(text))
		if (!Object.prototype.hasOwnProperty.call(scripts, script))
			problems.push(`calls "npm run ${script}", which package.json does not have`);
	return problems;
}

function main() {
	const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const files = fs.existsSync(DIR)
		? fs
				.readdirSync(DIR)
				.filter((name) => /\.ya?ml$/.test(name))
				.map((name) => path.join(DIR, name))
		: [];
	if (files.length === 0) {
		console.error('lint:workflows: no workflow in .github/workflows');
		process.exit(1);
	}
	let failed = 0;
	for (const file of files) {
		const problems = lintWorkflow(file, scripts);
		if (problems.length === 0) continue;
		failed++;
		console.error(`${path.relative(ROOT, file)}:`);
		for (const problem of problems) console.error(`  ${problem}`);
	}
	if (failed > 0) process.exit(1);
	console.log(`${files.length} workflow(s) valid`);
}

if (require.main === module) main();

module.exports = { lintWorkflow, npmScriptsIn };
