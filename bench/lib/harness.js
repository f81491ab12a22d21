'use strict';

/**
 * What the benches share: the compiled package from dist/ (what n8n loads), the TypeScript test
 * harness (real n8n-core contexts) through the tiny `.ts` loader, and the provider simulators.
 *
 * One bench-only change to the harness: its credentials helper records every authenticated request
 * (two deep copies of each request body, for the tests' assertions). n8n does not do that, and for a
 * 100,000-email upload the copies would be billed to the node, so the benches skip the recording.
 */

const path = require('node:path');
const fs = require('node:fs');

require('./ts-register');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

if (!fs.existsSync(path.join(DIST, 'nodes', 'BulkVerify', 'BulkVerify.node.js'))) {
	throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does).');
}

process.env.N8N_LOG_LEVEL ??= 'silent';

const harness = require(path.join(ROOT, 'test', 'harness'));
const simulators = require(path.join(ROOT, 'test', 'simulators'));

harness.TestCredentialsHelper.prototype.authenticate = async function authenticate(
	credentials,
	typeName,
	requestOptions,
	workflow,
	node,
) {
	return await this.applyAuthenticate(credentials, typeName, requestOptions, workflow, node);
};

function dist(relative) {
	return require(path.join(DIST, relative));
}

module.exports = { ROOT, DIST, harness, simulators, dist };
