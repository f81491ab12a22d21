/**
 * Get Results → One CSV File for one Bouncify job is written while the download arrives (the node
 * never holds a 500,000-row file, its rows and the output at once). It must give exactly what the
 * buffered path gives — the adapter's `getResults` shaped by `resultsToCsv` — bytes, name and summary,
 * and fail, retry and redact the same way.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { BulkVerify } from '../../../../nodes/BulkVerify/BulkVerify.node';
import type { JobResult } from '../../../../nodes/shared/workflow/output';
import {
	countVerdicts,
	keepVerdicts,
	resultsToCsv,
} from '../../../../nodes/shared/workflow/output';
import type { Verdict } from '../../../../nodes/shared/model/result';
import { executeNode, readBinaryData, startLoopbackServer } from '../../../harness';
import type { AllSimulators } from '../../../simulators';
import { requestsTo, runNode } from '../../../support/node-runs';
import {
	FAST_RETRIES,
	everythingIn,
	providerOn,
	startManualSimulators,
} from '../../../support/providers';

const GET_FILE = { resource: 'job', operation: 'getResults', resultsOutput: 'file' };

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

/** Leads with user columns that need quoting, formula guarding and non-ASCII text; every verdict class. */
function leads(count: number, extra: (index: number) => IDataObject = () => ({})): IDataObject[] {
	const classes = ['good', 'bad', 'catchall', 'unknown', 'role.good', 'trap'];
	return Array.from({ length: count }, (_, index) => ({
		email: `${classes[index % classes.length]}.lead${index}@example.com`,
		name: index % 7 === 0 ? `Lee, "Ann" ${index}` : `Lead ${index} é😀`,
		note: index % 11 === 0 ? `=HYPERLINK("x${index}")` : `-${index}`,
		...extra(index),
	}));
}

/** What the buffered path makes of the same job: the item and the file's text. */
async function bufferedFile(
	jobId: string,
	options: { verdicts?: Verdict[]; fileName?: string } = {},
): Promise<{ json: IDataObject; text: string }> {
	const provider = await providerOn(simulators, 'bouncify', { transport: FAST_RETRIES });
	const all: JobResult[] = (await provider.getResults(jobId)).map((result) => ({
		provider: 'bouncify',
		jobId,
		result,
	}));
	const rows = keepVerdicts(all, options.verdicts ?? []);
	const jobIds = [...new Set(rows.map((row) => row.jobId))];
	const fileName =
		options.fileName ||
		`${rows[0]?.provider ?? 'bulk-verify'}-results-${jobIds.join('-').slice(0, 80) || 'empty'}.csv`;
	return {
		json: {
			fileName,
			rows: rows.length,
			jobIds,
			counts: countVerdicts(rows.map((row) => row.result)),
		},
		text: resultsToCsv(rows),
	};
}

async function fileOf(item: INodeExecutionData, property = 'data'): Promise<string> {
	return (await readBinaryData(item.binary![property])).toString('utf8');
}

describe('Bouncify, one job, One CSV File', () => {
	it('is the buffered file, byte for byte, with the same summary, over many download blocks', async () => {
		const job = simulators.bouncify.seedJob(leads(3000));
		const expected = await bufferedFile(job.id);
		expect(expected.text.length).toBeGreaterThan(300 * 1024);
		const result = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: job.id });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual(expected.json);
		expect(Object.keys(result.items[0].json)).toEqual(['fileName', 'rows', 'jobIds', 'counts']);
		expect(result.items[0].binary?.data).toMatchObject({
			fileName: expected.json.fileName,
			mimeType: 'text/csv',
			fileExtension: 'csv',
		});
		expect(await fileOf(result.items[0])).toBe(expected.text);
	});

	it('honours Keep Verdicts, File Name and the binary property like the buffered path', async () => {
		const job = simulators.bouncify.seedJob(leads(600));
		const verdicts: Verdict[] = ['risky', 'deliverable'];
		const expected = await bufferedFile(job.id, { verdicts, fileName: 'kept.csv' });
		const result = await runNode(simulators, 'bouncify', {
			...GET_FILE,
			jobIds: job.id,
			resultOptions: { verdicts, fileName: 'kept.csv', binaryPropertyName: 'verified' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual(expected.json);
		expect(await fileOf(result.items[0], 'verified')).toBe(expected.text);
	});

	it("with no row kept, gives the buffered path's empty file and name", async () => {
		const job = simulators.bouncify.seedJob(['good.only@example.com', 'good.again@example.com']);
		const expected = await bufferedFile(job.id, { verdicts: ['undeliverable'] });
		expect(expected.json).toMatchObject({
			fileName: 'bulk-verify-results-empty.csv',
			rows: 0,
			jobIds: [],
		});
		const result = await runNode(simulators, 'bouncify', {
			...GET_FILE,
			jobIds: job.id,
			resultOptions: { verdicts: ['undeliverable'] },
		});
		expect(result.items[0].json).toEqual(expected.json);
		expect(await fileOf(result.items[0])).toBe(expected.text);
	});

	it('redacts a key the provider echoes inside the file, as the buffered path does', async () => {
		const sim = simulators.bouncify;
		const job = sim.seedJob(
			leads(400, (index) => ({
				source: index % 3 === 0 ? `https://x.io/a?apikey=${sim.apiKey}&b=1` : `${sim.apiKey}`,
			})),
		);
		const expected = await bufferedFile(job.id);
		const result = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: job.id });
		const text = await fileOf(result.items[0]);
		expect(text).toBe(expected.text);
		expect(text).not.toContain(sim.apiKey);
		expect(text).toContain('[REDACTED]');
		expect(everythingIn(result.items)).not.toContain(sim.apiKey);
	});

	it('retries a download that was cut off, then writes the whole file', async () => {
		const sim = simulators.bouncify;
		const job = sim.seedJob(leads(1500));
		const expected = await bufferedFile(job.id);
		sim.clearLog();
		sim.inject({ route: 'download', fault: '500' });
		sim.inject({ route: 'download', fault: 'truncated' });
		const result = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: job.id });
		sim.clearFaults();
		expect(result.error).toBeUndefined();
		expect(requestsTo(sim, 'download').map((request) => request.fault)).toEqual([
			'500',
			'truncated',
			null,
		]);
		expect(await fileOf(result.items[0])).toBe(expected.text);
	});

	it('fails like the buffered path when every download is cut off', async () => {
		const sim = simulators.bouncify;
		const job = sim.seedJob(leads(200));
		sim.inject({ route: 'download', fault: 'truncated', times: Infinity });
		const streamed = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: job.id });
		const buffered = await runNode(simulators, 'bouncify', {
			resource: 'job',
			operation: 'getResults',
			jobIds: job.id,
		});
		sim.clearFaults();
		expect(streamed.error).toBeInstanceOf(NodeApiError);
		expect(streamed.error?.message).toBe(buffered.error?.message);
		expect(streamed.error?.description).toBe(buffered.error?.description);
		expect(streamed.error?.message).toMatch(
			/could not be read while trying to download the results of job .+ after 4 attempts/,
		);
		expect(streamed.error?.description).toMatch(/cut off before its end/);
	}, 60_000);
});

/** A Bouncify stand-in serving a given result CSV for job `JOB`. */
const JOB = 'r374aki32rnatv868nntpxloc7dkilszc3e';

async function bouncifyServing(csv: string) {
	return await startLoopbackServer((request) => {
		if (request.path === '/v1/bulk')
			return {
				status: 200,
				body: { job_id: JOB, status: 'completed', total: 2, verified: 2, pending: 0 },
			};
		if (request.path === '/v1/download')
			return { status: 200, body: csv, headers: { 'content-type': 'text/csv' } };
		return { status: 404, body: { result: 'Not found' } };
	});
}

async function runAgainst(baseUrl: string, parameters: IDataObject) {
	return await executeNode(new BulkVerify(), {
		parameters: {
			provider: 'bouncify',
			resource: 'job',
			operation: 'getResults',
			jobIds: JOB,
			...parameters,
		},
		credentials: { bouncifyApi: { apiKey: 'sim-key-0123456789', baseUrl: `${baseUrl}/v1` } },
	});
}

describe('result files the stream cannot take as they are', () => {
	it("a file without the Email column fails with the buffered path's error, after reading it whole", async () => {
		const server = await bouncifyServing(
			'"Address","Verification Result"\r\n"a@x.io","deliverable"\r\n',
		);
		const streamed = await runAgainst(server.url, { resultsOutput: 'file' });
		const buffered = await runAgainst(server.url, {});
		await server.close();
		expect(streamed.error).toBeInstanceOf(NodeApiError);
		expect(streamed.error?.message).toBe(buffered.error?.message);
		expect(streamed.error?.description).toBe(buffered.error?.description);
		expect(streamed.error?.description).toMatch(/has no "Email" column/);
	});

	it('a record wider than the header: the file is downloaded again the buffered way, with its extra column', async () => {
		const csv =
			'"Email","Verification Result"\r\n"a@x.io","deliverable"\r\n"b@x.io","undeliverable","surprise"\r\n';
		const server = await bouncifyServing(csv);
		const result = await runAgainst(server.url, { resultsOutput: 'file' });
		const downloads = server.requests.filter((request) => request.path === '/v1/download');
		await server.close();
		expect(result.error).toBeUndefined();
		expect(downloads).toHaveLength(2);
		const [header, , second] = (await fileOf(result.items[0])).split('\r\n');
		expect(header.split(',').at(-1)).toBe('raw_column_3');
		expect(second.split(',').at(-1)).toBe('surprise');
		expect(result.items[0].json).toMatchObject({ rows: 2, jobIds: [JOB] });
	});
});

describe('a connection that drops while the file downloads', () => {
	let server: Server;
	let downloads = 0;
	const rows = Array.from(
		{ length: 4000 },
		(_, index) =>
			`"good.d${index}@example.com","deliverable","N","N","N","N","N","2024-01-15T10:30:00.000Z"`,
	);
	const csv = `"Email","Verification Result","Syntax Error","ISP","Role","Disposable","Trap","Verified At"\r\n${rows.join('\r\n')}\r\n`;

	beforeAll(async () => {
		server = createServer((req, res) => {
			if (req.url?.startsWith('/v1/bulk')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ job_id: JOB, status: 'completed', total: 4000 }));
				return;
			}
			downloads++;
			if (downloads === 1) {
				// Headers and part of the body, then the connection is gone.
				res.writeHead(200, {
					'content-type': 'text/csv',
					'content-length': String(Buffer.byteLength(csv)),
				});
				res.write(csv.slice(0, 150_000), () => setTimeout(() => res.socket?.destroy(), 20));
				return;
			}
			res.writeHead(200, { 'content-type': 'text/csv' });
			res.end(csv);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	});

	afterAll(async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('is retried from the start, and the file is whole', async () => {
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const result = await runAgainst(url, { resultsOutput: 'file' });
		expect(result.error).toBeUndefined();
		expect(downloads).toBe(2);
		expect(result.items[0].json).toMatchObject({ rows: 4000, jobIds: [JOB] });
		const lines = (await fileOf(result.items[0])).split('\r\n');
		expect(lines).toHaveLength(4002);
		expect(lines[4000]).toContain('good.d3999@example.com');
	});
});
