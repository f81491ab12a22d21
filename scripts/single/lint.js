'use strict';

/**
 * The two lints a single-service package folder must pass, offline:
 *
 * - scanLint: the rule set of n8n's community-package scanner (@n8n/scan-community-package,
 *   scanner/scanner.mjs `buildScanConfig`: @n8n/eslint-plugin-community-nodes recommended, i.e. with
 *   its n8n Cloud rules, no-console, and eslint-plugin-n8n-nodes-base's community / credentials /
 *   nodes sets with the scanner's three rules off), on what the scanner lints of a published tarball
 *   (`**\/*.js` and package.json) and on the codex files beside the nodes. The scanner itself
 *   downloads the package from npm, so it cannot run here; its rules are the project's own plugins.
 * - nodeCliLint: `n8n-node lint` of @n8n/node-cli in the folder: with `"strict": true` it fails unless
 *   eslint.config.mjs is n8n's default (cloud-support) config, then runs eslint with that config.
 *   cloudSupport: `n8n-node cloud-support`, which reports whether the folder is eligible for n8n Cloud.
 */

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { ROOT } = require('./source');

const NODE_CLI = path.join(ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');

async function scanConfig() {
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	const { parser } = require('typescript-eslint');
	const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
	return [
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	];
}

/** The files of a package folder the scanner would lint: its JavaScript, package.json and the codex files. */
const SCANNED = ['**/*.js', 'package.json', 'dist/**/*.json'];

/**
 * What the scanner lints of the provenance-attested source: package.json and nodes/, credentials/
 * of the folder whose package.json has the package's name (scanner.mjs SOURCE_FILE_PATTERNS).
 */
const SOURCE = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];

/** Lints `patterns` of `dir` with the scanner's rules; returns the counts and the formatted messages. */
async function scanLint(dir, patterns = SCANNED) {
	const { ESLint } = require('eslint');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanConfig(),
		errorOnUnmatchedPattern: false,
	});
	const results = await eslint.lintFiles(patterns);
	const sum = (key) => results.reduce((total, result) => total + result[key], 0);
	const formatter = await eslint.loadFormatter('stylish');
	return {
		files: results.length,
		errors: sum('errorCount'),
		warnings: sum('warningCount'),
		report: await formatter.format(results),
	};
}

function nodeCli(dir, args) {
	const result = spawnSync(process.execPath, [NODE_CLI, ...args], {
		cwd: dir,
		encoding: 'utf8',
		env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
		timeout: 180_000,
	});
	return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** `n8n-node lint` in `dir` (exit code 0: no errors). */
const nodeCliLint = (dir) => nodeCli(dir, ['lint']);

/** `n8n-node cloud-support` in `dir`: `eligible` when it reports cloud support enabled. */
function cloudSupport(dir) {
	const result = nodeCli(dir, ['cloud-support']);
	return { ...result, eligible: /Cloud support is ENABLED/.test(result.output) };
}

module.exports = { scanLint, nodeCliLint, cloudSupport, SCANNED, SOURCE };
