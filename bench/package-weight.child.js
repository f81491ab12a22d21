'use strict';

/**
 * One cold load of the package in a fresh process, as n8n's loader does it: require every node and
 * credential file listed in package.json's "n8n" section from dist/ and instantiate its class.
 * argv[2] = 'with-peers' first loads n8n-workflow (already loaded in any n8n process) outside the
 * timing; 'cold' times everything, n8n-workflow included. Prints `{ ms }`.
 */

const path = require('node:path');

const root = path.resolve(__dirname, '..');
const manifest = require(path.join(root, 'package.json')).n8n;
const files = [...manifest.nodes, ...manifest.credentials];

if (process.argv[2] === 'with-peers') require('n8n-workflow');

const started = process.hrtime.bigint();
for (const file of files) {
	const exported = require(path.join(root, file));
	const className = path.basename(file).replace(/\.(node|credentials)\.js$/, '');
	const instance = new exported[className]();
	if (!instance.description && !instance.name)
		throw new Error(`${file}: ${className} has no description or name`);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, files: files.length })}\n`);
