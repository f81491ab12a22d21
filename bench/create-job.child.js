'use strict';

/**
 * One measured run of bench 3 in a fresh process: Job → Create from 100,000 input items (Bouncify,
 * one list) through n8n-core's engine, either with Bulk Verify (`node`) or with the DIY stand-in
 * (`diy`: trim, check, de-duplicate, upload; what a Code node would do). argv: mode, base URL, API key.
 */

const { harness, dist } = require('./lib/harness');
const { DiyBouncifyCreate } = require('./lib/diy-nodes');
const { measurePeak } = require('./lib/memory');

const [mode, baseUrl, apiKey] = process.argv.slice(2);
const ITEMS = 100_000;

/** 100,000 leads: 10 % repeat an earlier address in other case and with spaces, 1 % are not addresses. */
function leads() {
	const items = [];
	for (let index = 0; index < ITEMS; index++) {
		let email = `lead${index}@example${index % 50}.com`;
		if (index % 10 === 5) email = `  LEAD${index - 1}@Example${(index - 1) % 50}.com `;
		else if (index % 100 === 7) email = `not-an-email-${index}`;
		items.push({ json: { email, name: `Lead ${index}`, company: `Company ${index % 1000}` } });
	}
	return items;
}

async function main() {
	const { BulkVerify } = dist('nodes/BulkVerify/BulkVerify.node');
	const credentials = { bouncifyApi: { apiKey, baseUrl } };
	const run = async (inputItems) =>
		mode === 'node'
			? await harness.executeNode(new BulkVerify(), {
					parameters: { provider: 'bouncify', resource: 'job', operation: 'create' },
					credentials,
					inputItems,
				})
			: await harness.executeNode(new DiyBouncifyCreate(), {
					parameters: { baseUrl, apiKey },
					inputItems,
				});
	// Warm-up on a small list: loads n8n-core, the harness and the node outside the measurement.
	const warm = await run(leads().slice(0, 100));
	if (warm.error) throw warm.error;

	const inputItems = leads();
	const measured = await measurePeak(async () => {
		const result = await run(inputItems);
		if (result.error) throw result.error;
		const json = result.items[0].json;
		return {
			submitted: json.submitted,
			duplicatesRemoved: json.duplicatesRemoved,
			notSubmitted: json.notSubmitted.length,
		};
	});
	process.stdout.write(`${JSON.stringify({ mode, ...measured })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
