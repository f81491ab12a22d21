'use strict';

/**
 * The README of a single-service package, written from what that package itself shows: the built
 * node and trigger descriptions of its folder (whose registry lists its one provider), its
 * credential, the provider's capabilities and limits, and its examples. Nothing is written by hand per
 * provider; the all-in-one README (the repository's) has the details these sections link to.
 */

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading) =>
	heading
		.toLowerCase()
		.replace(/[^a-z0-9 -]/g, '')
		.replace(/ /g, '-');

/** Whether a property or option is displayed when `provider` is selected (its provider displayOptions). */
function shownFor(entry, provider) {
	const show = entry.displayOptions?.show?.provider ?? entry.displayOptions?.show?.['/provider'];
	const hide = entry.displayOptions?.hide?.provider ?? entry.displayOptions?.hide?.['/provider'];
	return (show === undefined || show.includes(provider)) && !(hide ?? []).includes(provider);
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');

function bytes(value) {
	return value >= 1024 * 1024 ? `${value / (1024 * 1024)} MB` : `${value} bytes`;
}

/** The operations the node offers this provider, as table rows: resource, operation, what it does. */
function operationRows(description, provider) {
	const resource = description.properties.find((property) => property.name === 'resource');
	return resource.options
		.filter((option) => shownFor(option, provider))
		.flatMap((option) => {
			const selector = description.properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(option.value),
			);
			return (selector?.options ?? [])
				.filter((operation) => shownFor(operation, provider))
				.map(
					(operation) => `| ${option.name} | ${operation.name} | ${cell(operation.description)} |`,
				);
		});
}

function optionList(property) {
	return (property?.options ?? []).map((option) => `**${option.name}**`).join(', ');
}

function triggerLines(description, provider) {
	const field = (name) =>
		description.properties.find(
			(property) => property.name === name && shownFor(property, provider),
		);
	const watch = field('watch');
	const notice = field('specificJobsNotice');
	return [
		watch
			? `- **${watch.displayName}:** ${optionList(watch)}.`
			: `- **Watch:** ${notice?.displayName ?? 'the job IDs you give it.'}`,
		`- **${field('events').displayName}:** ${optionList(field('events'))}; a job fires once, for the state it ended in.`,
		`- **${field('include').displayName}:** ${optionList(field('include'))}.`,
		"- n8n polls every minute by default (the trigger's Poll Times); the trigger keeps to the provider's request budget and fires exactly once per finished job.",
	];
}

function limitLines(info) {
	const { limits } = info.capabilities;
	const known = (value, text) => (value === undefined ? 'not documented' : text(value));
	return [
		`- Addresses per job: ${known(limits.maxEmailsPerJob, (n) => `${n.toLocaleString('en-US')} (a bigger list is split into several jobs)`)}`,
		`- Upload size: ${known(limits.maxUploadBytes, bytes)}`,
		`- Requests per minute: ${known(limits.requestsPerMinute, String)}`,
	];
}

/**
 * `node` and `trigger`: the built descriptions; `examples`: the package's example workflows.
 * Returns the text and the anchors of its sections (for the codex files' documentation links).
 */
function readmeFor({ name, provider, node, trigger, examples, rootManifest }) {
	const { info, credential } = provider;
	const repo = rootManifest.homepage;
	const headings = {
		install: 'Install',
		credentials: 'Credentials',
		node: `${node.displayName} node`,
		trigger: trigger.displayName,
		examples: 'Examples',
	};
	const lines = [
		`# ${name}`,
		'',
		`Bulk email verification with ${info.displayName} in [n8n](https://n8n.io): the **${node.displayName}** node and the **${trigger.displayName}**. ${node.description}; every result comes out in one normalized schema (\`verdict\` = \`deliverable\` / \`risky\` / \`undeliverable\` / \`unknown\`, \`reason\`, \`safeToSend\`, \`flags\`, …), described in [Normalized results](${repo}#normalized-results).`,
		'',
		`This package is built from [${rootManifest.name}](${repo}), which serves several providers in one package: the same code and tests, with ${info.displayName} alone in its provider registry and its one credential, so that it can be verified by n8n (one service per package).`,
		'',
		`## ${headings.install}`,
		'',
		`- **Self-hosted n8n:** Settings → Community Nodes → Install, and enter \`${name}\` (once it is published on npm); or \`npm install ${name}\` in \`~/.n8n/nodes\` (in Docker, \`/home/node/.n8n/nodes\` of the volume mounted there), then restart n8n.`,
		`- **n8n 3.x** (Docker only) loads unverified community packages only with \`N8N_UNVERIFIED_PACKAGES_ENABLED=true\`: set it until n8n has verified this package. See [n8n 3.x](${repo}#n8n-3x-and-n8n-cloud).`,
		'- **n8n Cloud** installs verified community packages only: this one, once n8n has verified it.',
		'',
		`## ${headings.credentials}`,
		'',
		`**${credential.credential.displayName}** (credential type \`${info.credentialType}\`)${credential.credential.documentationUrl ? `: where to find the key is in [${info.displayName}'s documentation](${credential.credential.documentationUrl})` : ''}. Create it under Credentials → Add credential and press Test: n8n checks the key with a free call.`,
		'',
		'| Field | Default | |',
		'|---|---|---|',
		...credential.credential.properties.map(
			(property) =>
				`| ${property.displayName} | ${property.default ? `\`${property.default}\`` : ''} | ${cell(property.description)} |`,
		),
		'',
		`## ${headings.node}`,
		'',
		`What the ${info.displayName} API offers, and so what the node offers:`,
		'',
		'| Resource | Operation | What it does |',
		'|---|---|---|',
		...operationRows(node, info.name),
		'',
		`${info.displayName}'s documented limits, which the node keeps to:`,
		'',
		...limitLines(info),
		'',
		`## ${headings.trigger}`,
		'',
		`${trigger.description}.`,
		'',
		...triggerLines(trigger, info.name),
		'',
		`## ${headings.examples}`,
		'',
		`In \`examples/\` of this package, to import into n8n (\`n8n import:workflow --input=<file>\`, or paste the file into the editor). \`examples/credentials.json\` holds the credential they reference (\`n8n import:credentials --input=examples/credentials.json\`): it points at the local simulator of the repository (\`npm run simulators\`); for a real account put in your API key and the default Base URL.`,
		'',
		...examples.map(({ file, workflow }) => `- \`examples/${file}\`: ${workflow.name}`),
		'',
		'## Licence',
		'',
		`[MIT](LICENSE). Source, issues and the full documentation: ${repo}.`,
		'',
	];
	const nodeName = (description) => description.name;
	return {
		text: lines.join('\n'),
		anchors: {
			credentials: slug(headings.credentials),
			[nodeName(node)]: slug(headings.node),
			[nodeName(trigger)]: slug(headings.trigger),
		},
	};
}

module.exports = { readmeFor, slug, shownFor };
