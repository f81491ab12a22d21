/**
 * Create with Wait for Completion → One CSV File is written while the download arrives, with exactly
 * one row per submitted address (a row the provider left out marked missing, a second row dropped,
 * a row of an address nobody submitted kept after them), then the values set aside before upload. It
 * must be the file the rows of the same run as items make (`resultsToCsv`): same bytes and summary.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BulkVerify } from '../../../../nodes/BulkVerify/BulkVerify.node';
import type { JobResult } from '../../../../nodes/shared/workflow/output';
import { countVerdicts, resultsToCsv } from '../../../../nodes/shared/workflow/output';
import type { NormalizedEmailResult } from '../../../../nodes/shared/model/result';
import { executeNode, readBinaryData, startLoopbackServer } from '../../../harness';
import type { LoopbackServer } from '../../../harness';
import type { AllSimulators } from '../../../simulators';
import { emailItems, runNode, startNow } from '../../../support/node-runs';
import { startSimulators } from '../../../support/providers';

const JOB = 'r374aki32rnatv868nntpxloc7dkilszc3e';
const HEADER = [
	'Email',
	'Verification Result',
	'Syntax Error',
	'ISP',
	'Role',
	'Disposable',
	'Trap',
	'Verified At',
];
const quoted = (cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');

/**
 * A Bouncify stand-in whose download answers the uploaded list the way a careless provider might:
 * one address left out, one answered twice, one in other case, one out of order, one stranger.
 */
async function carelessBouncify(): Promise<LoopbackServer> {
	let uploaded: string[] = [];
	return await startLoopbackServer((request) => {
		if (request.method === 'POST' && request.path === '/v1/bulk') {
			uploaded = (request.json as { emails: Array<{ email: string }> }).emails.map(
				(entry) => entry.email,
			);
			return { body: { job_id: JOB, success: true, message: 'created' } };
		}
		if (request.path === '/v1/bulk') {
			const total = uploaded.length;
			return { body: { job_id: JOB, status: 'completed', total, verified: total, pending: 0 } };
		}
		if (request.path === '/v1/download') {
			const verdict = (email: string) =>
				email.startsWith('bad')
					? 'undeliverable'
					: email.startsWith('maybe')
						? 'accept-all'
						: 'deliverable';
			const line = (email: string, result = verdict(email)) =>
				quoted([email, result, 'N', 'N', 'N', 'N', 'N', '2024-01-15T10:30:00.000Z']);
			const lines = [quoted(HEADER)];
			uploaded.forEach((email, index) => {
				if (index === 1 || index === 5) return;
				lines.push(line(index === 4 ? email.toUpperCase() : email));
				if (index === 3) lines.push(line(email, 'unknown'));
			});
			lines.push(line(uploaded[5]), line('stranger@example.com'));
			return { body: `${lines.join('\r\n')}\r\n`, headers: { 'content-type': 'text/csv' } };
		}
		return { status: 404, body: { result: 'Not found', success: false } };
	});
}

/** Leads: three kinds of verdict, an internationalised domain, two values that are not addresses. */
function leads(count: number): INodeExecutionData[] {
	const kinds = ['good', 'bad', 'maybe'];
	const emails: unknown[] = Array.from(
		{ length: count },
		(_, index) => `${kinds[index % 3]}.lead${index}@example.com`,
	);
	emails.splice(7, 0, 'jose@münchen.de', 'not-an-email', '', 'GOOD.lead0@example.com');
	return emailItems(emails);
}

const CREATE: INodeParameters = {
	resource: 'job',
	operation: 'create',
	startNow: true,
	checkCredits: false,
	waitForCompletion: true,
	waitOptions: { maxWaitMinutes: 1, pollIntervalSeconds: 1 },
};

async function createOn(baseUrl: string, parameters: INodeParameters, items: INodeExecutionData[]) {
	return await executeNode(new BulkVerify(), {
		parameters: { provider: 'bouncify', ...CREATE, ...parameters },
		credentials: { bouncifyApi: { apiKey: 'sim-key-0123456789', baseUrl: `${baseUrl}/v1` } },
		inputItems: items,
	});
}

/** The result rows behind items given with Simplify off (`resultToJson` undone). */
function rowsOf(items: INodeExecutionData[]): JobResult[] {
	return items.map(({ json }) => {
		const { provider, jobId, ...result } = json as IDataObject;
		return {
			provider: provider as string,
			jobId: jobId as string,
			result: result as unknown as NormalizedEmailResult,
		};
	});
}

/** The item and file text the same rows as items make. */
function expectedFile(items: INodeExecutionData[], fileName?: string) {
	const rows = rowsOf(items);
	const jobIds = [...new Set(rows.map((row) => row.jobId))];
	return {
		json: {
			fileName: fileName ?? `bouncify-results-${jobIds.join('-').slice(0, 80) || 'empty'}.csv`,
			rows: rows.length,
			jobIds,
			counts: countVerdicts(rows.map((row) => row.result)),
		},
		text: resultsToCsv(rows),
	};
}

describe('Create with Wait → One CSV File, a provider that answers carelessly', () => {
	it.each([
		['every verdict', {}],
		['Keep Verdicts', { verdicts: ['undeliverable', 'unknown'] }],
		['a File Name', { fileName: 'leads-checked.csv', binaryPropertyName: 'checked' }],
	])('with %s: the file of the same rows as items, byte for byte', async (_name, options) => {
		const server = await carelessBouncify();
		const input = leads(3000);
		const asItems = await createOn(server.url, { simplify: false, resultOptions: options }, input);
		const asFile = await createOn(
			server.url,
			{ resultsOutput: 'file', resultOptions: options },
			input,
		);
		const downloads = server.requests.filter((request) => request.path === '/v1/download');
		await server.close();
		expect(asItems.error).toBeUndefined();
		expect(asFile.error).toBeUndefined();
		// The careless answer shows in the rows: one missing address, the stranger, the set-aside values.
		const statuses = asItems.items.map((item) => item.json.providerStatus);
		if (!('verdicts' in options)) {
			expect(statuses.filter((status) => status === 'missing_from_results')).toHaveLength(1);
			expect(statuses.filter((status) => status === 'not_submitted')).toHaveLength(2);
			expect(asItems.items.map((item) => item.json.email)).toContain('stranger@example.com');
			expect(asItems.items.map((item) => item.json.email)).toContain('jose@münchen.de');
		}
		const expected = expectedFile(asItems.items, (options as IDataObject).fileName as string);
		expect(asFile.items).toHaveLength(1);
		expect(asFile.items[0].json).toEqual(expected.json);
		const property = ((options as IDataObject).binaryPropertyName as string) ?? 'data';
		const text = (await readBinaryData(asFile.items[0].binary![property])).toString('utf8');
		expect(text).toBe(expected.text);
		expect(text.length).toBeGreaterThan(200 * 1024);
		// One download each: the file took one pass.
		expect(downloads).toHaveLength(2);
		expect(asFile.items[0].pairedItem).toHaveLength(input.length);
	});
});

describe('Create with Wait → One CSV File, a provider that does not stream (WhoisXML)', () => {
	let simulators: AllSimulators;

	beforeAll(async () => {
		simulators = await startSimulators({
			jobDurationMs: 200,
			perEmailMs: 0,
			rateLimitPerMinute: Infinity,
		});
	});

	afterAll(async () => {
		await simulators.close();
	});

	it('the file of the rows the same list gives as items', async () => {
		const provider = 'whoisxml';
		const input = leads(1500);
		const parameters = {
			...CREATE,
			...startNow(provider),
			checkCredits: false,
		};
		const asItems = await runNode(
			simulators,
			provider,
			{ ...parameters, simplify: false },
			{
				inputItems: input,
			},
		);
		const asFile = await runNode(
			simulators,
			provider,
			{ ...parameters, resultsOutput: 'file' },
			{
				inputItems: input,
			},
		);
		expect(asItems.error).toBeUndefined();
		expect(asFile.error).toBeUndefined();
		// Each run created its own job: the file of the second is compared under its job id.
		const fileJobId = (asFile.items[0].json.jobIds as string[])[0];
		const itemsJobId = asItems.items[0].json.jobId as string;
		const renamed = asItems.items.map((item) => ({
			json: { ...item.json, jobId: item.json.jobId === itemsJobId ? fileJobId : item.json.jobId },
		}));
		const expected = expectedFile(renamed);
		expect(asFile.items[0].json).toEqual({
			...expected.json,
			fileName: `${provider}-results-${fileJobId}-.csv`,
		});
		const text = (await readBinaryData(asFile.items[0].binary!.data)).toString('utf8');
		expect(text).toBe(expected.text);
	});
});
