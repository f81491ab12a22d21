'use strict';

/**
 * What the built package describes: the texts and choices the editor must show, read from the node
 * descriptions in dist/ (so the browser test follows the code, not a copy of it).
 */

const fs = require('node:fs');
const path = require('node:path');

const { REPO } = require('./session');

function builtNode(folder, file, className) {
	return new (require(path.join(REPO, 'dist', 'nodes', folder, file))[className])().description;
}

function descriptions() {
	const node = builtNode('BulkVerify', 'BulkVerify.node.js', 'BulkVerify');
	const trigger = builtNode(
		'BulkVerifyJobTrigger',
		'BulkVerifyJobTrigger.node.js',
		'BulkVerifyJobTrigger',
	);
	const shownFor = (option, provider) =>
		!option.displayOptions?.show?.provider ||
		option.displayOptions.show.provider.includes(provider);
	const providers = node.properties.find((p) => p.name === 'provider').options;
	const resources = node.properties.find((p) => p.name === 'resource').options;
	const selectors = node.properties.filter((p) => p.name === 'operation');
	const operationsOf = (resource) =>
		selectors.find((p) => p.displayOptions?.show?.resource?.includes(resource))?.options ?? [];
	// Add-node panel: "<RESOURCE> ACTIONS" headings, each with its resource's actions.
	const groups = resources.map((r) => ({
		heading: `${r.name} actions`.toUpperCase(),
		actions: operationsOf(r.value).map((o) => o.action),
	}));
	const credentialType = (provider) =>
		node.credentials.find((c) => c.displayOptions?.show?.provider?.includes(provider))?.name;
	const perProvider = providers.map((p) => ({
		value: p.value,
		name: p.name,
		credentialType: credentialType(p.value),
		resources: resources
			.filter((r) => shownFor(r, p.value))
			.map((r) => ({
				name: r.name,
				operations: operationsOf(r.value)
					.filter((o) => shownFor(o, p.value))
					.map((o) => o.name),
			})),
		notices: node.properties
			.filter((x) => x.type === 'notice' && x.displayOptions?.show?.provider?.includes(p.value))
			.map((x) => x.displayName),
	}));
	return { node, trigger, groups, perProvider };
}

/** The example credentials the demo imports, by credential type: { id, name }. */
function exampleCredentials() {
	const list = JSON.parse(fs.readFileSync(path.join(REPO, 'examples', 'credentials.json'), 'utf8'));
	return Object.fromEntries(list.map((c) => [c.type, { id: c.id, name: c.name }]));
}

module.exports = { descriptions, exampleCredentials };
