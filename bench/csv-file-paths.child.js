'use strict';

/**
 * One measured run of bench 7, in a fresh process so its peak RSS is its own. argv: mode, base URL,
 * API key, then the mode's job ids (comma-separated). Prints `{ elapsedMs, peakGrowth, ... }` as JSON.
 *
 *   several   Job → Get Results of several job ids, Output = One CSV File
 *   create    Job → Create from 500,000 input items, Start Now, Wait for Completion, One CSV File;
 *             besides the whole run, the peak from the first result download on (`resultsPeakGrowth`)
 *   trigger   Bulk Verify Trigger, "Job and Results as CSV File", the activation poll of a finished job
 *   raw       the same downloads (`several`, `trigger`) with fetch, streamed to disk one after another
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

const { harness, dist } = require('./lib/harness');
const { measurePeak, peakRss, resetPeak, settle } = require('./lib/memory');

const [mode, baseUrl, apiKey, ids = ''] = process.argv.slice(2);
const jobIds = ids.split(',').filter(Boolean);
const CREATE_ITEMS = 500_000;
const FILTER = ['deliverable', 'undeliverable', 'accept_all', 'unknown'];

/**
 * Marks the start of the results phase: on the first authenticated download request, garbage is
 * collected and the kernel's peak mark reset, so the peak after it belongs to the results alone.
 */
function markResultsPhase() {
	const phase = { rssBefore: undefined, peakBefore: 0 };
	const authenticate = harness.TestCredentialsHelper.prototype.authenticate;
	harness.TestCredentialsHelper.prototype.authenticate = async function (...args) {
		const url = String(args[2]?.url ?? '');
		if (phase.rssBefore === undefined && url.includes('/download')) {
			phase.peakBefore = peakRss();
			settle();
			phase.rssBefore = process.memoryUsage().rss;
			resetPeak();
		}
		return await authenticate.apply(this, args);
	};
	return phase;
}

async function main() {
	const { BulkVerify } = dist('nodes/BulkVerify/BulkVerify.node');
	const { BulkVerifyJobTrigger } = dist('nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node');
	const credentials = { bouncifyApi: { apiKey, baseUrl } };
	// Warm-up: load n8n-core, the harness and the nodes, and open the binary data store.
	const warm = await harness.executeNode(new BulkVerify(), {
		parameters: { provider: 'bouncify', resource: 'account', operation: 'getCredits' },
		credentials,
	});
	if (warm.error) throw warm.error;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-raw-'));
	const inputItems =
		mode === 'create'
			? Array.from({ length: CREATE_ITEMS }, (_, index) => ({
					json: { email: `lead${index + 1}@example${index % 97}.com` },
				}))
			: undefined;
	const phase = mode === 'create' ? markResultsPhase() : undefined;

	const measured = await measurePeak(async () => {
		if (mode === 'raw') {
			let downloadBytes = 0;
			for (const jobId of jobIds) {
				const response = await fetch(`${baseUrl}/download?jobId=${jobId}&apikey=${apiKey}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ filterResult: FILTER }),
				});
				const file = path.join(scratch, `${jobId}.csv`);
				await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(file));
				downloadBytes += fs.statSync(file).size;
			}
			return { downloadBytes };
		}
		if (mode === 'trigger') {
			const poller = harness.createPollHarness(new BulkVerifyJobTrigger(), {
				parameters: {
					provider: 'bouncify',
					jobIds: jobIds.join(','),
					include: 'resultFile',
					options: { includeExisting: true },
				},
				credentials,
			});
			const [item] = (await poller.poll())?.[0] ?? [];
			return { rows: item.json.resultFile.rows, outputBytes: item.binary.data.bytes };
		}
		const parameters =
			mode === 'create'
				? {
						provider: 'bouncify',
						resource: 'job',
						operation: 'create',
						startNow: true,
						waitForCompletion: true,
						waitOptions: { maxWaitMinutes: 10, pollIntervalSeconds: 1 },
						resultsOutput: 'file',
					}
				: {
						provider: 'bouncify',
						resource: 'job',
						operation: 'getResults',
						jobIds: jobIds.join(','),
						resultsOutput: 'file',
					};
		const result = await harness.executeNode(new BulkVerify(), {
			parameters,
			credentials,
			inputItems,
		});
		if (result.error) throw result.error;
		const item = result.items[0];
		return {
			rows: item.json.rows,
			jobs: item.json.jobIds.length,
			outputBytes: item.binary.data.bytes,
		};
	});
	if (phase?.rssBefore !== undefined) {
		// The mark reset the peak: the whole run's is the higher of the peaks before and after it.
		const after = peakRss();
		measured.resultsPeakGrowth = Math.max(0, after - phase.rssBefore);
		measured.peakGrowth = Math.max(0, Math.max(after, phase.peakBefore) - measured.rssBefore);
	}
	fs.rmSync(scratch, { recursive: true, force: true });
	process.stdout.write(`${JSON.stringify({ mode, ...measured })}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
