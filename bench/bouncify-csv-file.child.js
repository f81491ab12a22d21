'use strict';

/**
 * One measured run of bench 2, in a fresh process so its peak RSS is its own. argv: mode (`node` or
 * `raw`), base URL, API key, job id. Prints `{ elapsedMs, peakGrowth, ... }` as JSON.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

const { harness, dist } = require('./lib/harness');
const { measurePeak } = require('./lib/memory');

const [mode, baseUrl, apiKey, jobId] = process.argv.slice(2);
const FILTER = ['deliverable', 'undeliverable', 'accept_all', 'unknown'];

async function main() {
	const { BulkVerify } = dist('nodes/BulkVerify/BulkVerify.node');
	const credentials = { bouncifyApi: { apiKey, baseUrl } };
	// Warm-up: load n8n-core, the harness and the node, and open the binary data store, outside the measurement.
	const warm = await harness.executeNode(new BulkVerify(), {
		parameters: { provider: 'bouncify', resource: 'account', operation: 'getCredits' },
		credentials,
	});
	if (warm.error) throw warm.error;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-raw-'));

	const measured = await measurePeak(async () => {
		if (mode === 'raw') {
			// A raw download of the same file, streamed to disk.
			const response = await fetch(`${baseUrl}/download?jobId=${jobId}&apikey=${apiKey}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ filterResult: FILTER }),
			});
			const file = path.join(scratch, 'download.csv');
			await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(file));
			return { downloadBytes: fs.statSync(file).size };
		}
		const result = await harness.executeNode(new BulkVerify(), {
			parameters: {
				provider: 'bouncify',
				resource: 'job',
				operation: 'getResults',
				jobIds: jobId,
				resultsOutput: 'file',
			},
			credentials,
		});
		if (result.error) throw result.error;
		const item = result.items[0];
		return { rows: item.json.rows, outputBytes: item.binary.data.bytes };
	});
	fs.rmSync(scratch, { recursive: true, force: true });
	process.stdout.write(`${JSON.stringify({ mode, ...measured })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
