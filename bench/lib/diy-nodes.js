'use strict';

/**
 * The do-it-yourself side of the in-process comparisons: what a user builds instead of this package,
 * an HTTP Request node plus a Code node, folded into one bench-only node type so that both sides run
 * through the same n8n-core engine (`executeNode`) and the same n8n HTTP helper. The code is what a
 * reasonable Code node would do: no schema validation, no redaction, a simple address check.
 */

const input = (name, defaultValue = '') => ({
	displayName: name,
	name,
	type: 'string',
	default: defaultValue,
});

function description(name, displayName) {
	return {
		displayName,
		name,
		group: ['transform'],
		version: 1,
		description: 'Bench stand-in for an HTTP Request node followed by a Code node',
		defaults: { name: displayName },
		inputs: ['main'],
		outputs: ['main'],
		properties: [input('baseUrl'), input('apiKey'), input('jobId')],
	};
}

const isTrue = (value) => value === true || value === 'true';
const isFalse = (value) => value === false || value === 'false';

/** WhoisXML `/request/completed` → one item per email with the normalized fields (Code-node style). */
class DiyWhoisxmlResults {
	description = description('diyWhoisxmlResults', 'DIY WhoisXML Results');

	async execute() {
		const baseUrl = this.getNodeParameter('baseUrl', 0);
		const apiKey = this.getNodeParameter('apiKey', 0);
		const jobId = this.getNodeParameter('jobId', 0);
		const body = await this.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrl}/api/bevService/request/completed`,
			body: { apiKey, id: Number(jobId), format: 'json' },
			json: true,
		});
		const items = body.response.map((row) => {
			let verdict = 'unknown';
			let reason = 'unverifiable';
			if (row.result === 'good') {
				verdict = 'deliverable';
				reason = 'accepted';
			} else if (row.result === 'bad' || row.result === 'smtp-failed') {
				verdict = 'undeliverable';
				reason = isFalse(row.dnsCheck) ? 'invalid_domain' : 'smtp_rejected';
			} else if (row.result === 'unknown' && isTrue(row.catchAllCheck)) {
				verdict = 'risky';
				reason = 'catch_all';
			}
			const mxRecords = (row.mxRecords ?? []).filter((host) => host !== '.');
			return {
				json: {
					email: row.emailAddress,
					verdict,
					reason,
					providerStatus: row.result,
					safeToSend: verdict === 'deliverable',
					flags: {
						syntaxError: isFalse(row.formatCheck),
						free: isTrue(row.freeCheck),
						disposable: isTrue(row.disposableCheck),
						catchAll: isTrue(row.catchAllCheck),
						hasMx: mxRecords.length > 0,
					},
					mxRecords,
					provider: 'whoisxml',
					jobId,
				},
				pairedItem: { item: 0 },
			};
		});
		return [items];
	}
}

const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Bouncify upload from input items: trim, check, de-duplicate, POST (Code-node style). */
class DiyBouncifyCreate {
	description = description('diyBouncifyCreate', 'DIY Bouncify Create');

	async execute() {
		const items = this.getInputData();
		const baseUrl = this.getNodeParameter('baseUrl', 0);
		const apiKey = this.getNodeParameter('apiKey', 0);
		const seen = new Set();
		const emails = [];
		const notSubmitted = [];
		let duplicatesRemoved = 0;
		for (let index = 0; index < items.length; index++) {
			const value = String(items[index].json.email ?? '').trim();
			if (!SIMPLE_EMAIL.test(value)) {
				notSubmitted.push({ value, itemIndex: index });
				continue;
			}
			const key = value.toLowerCase();
			if (seen.has(key)) {
				duplicatesRemoved++;
				continue;
			}
			seen.add(key);
			emails.push(value);
		}
		const body = await this.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrl}/bulk`,
			qs: { apikey: apiKey },
			body: { auto_verify: false, emails: emails.map((email) => ({ email })) },
			json: true,
		});
		return [
			[
				{
					json: {
						provider: 'bouncify',
						jobId: body.job_id,
						submitted: emails.length,
						duplicatesRemoved,
						notSubmitted,
					},
					pairedItem: items.map((_, item) => ({ item })),
				},
			],
		];
	}
}

module.exports = { DiyWhoisxmlResults, DiyBouncifyCreate };
