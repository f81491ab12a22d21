/**
 * Get Results → One CSV File for several jobs is written while their downloads arrive, job after
 * job. It must give exactly what the buffered path gives (each job's `getResults`, merged, shaped by
 * `resultsToCsv`): bytes, name and summary, also when the jobs have other columns, when a job has no
 * row to keep, when a download breaks part-way, and for a provider that does not stream (WhoisXML).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { JobResult } from '../../../../nodes/shared/workflow/output';
import {
	countVerdicts,
	keepVerdicts,
	resultsToCsv,
} from '../../../../nodes/shared/workflow/output';
import type { Verdict } from '../../../../nodes/shared/model/result';
import type { ProviderName } from '../../../simulators';
import { ensureRuntime, readBinaryData } from '../../../harness';
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

/** Leads of every verdict class, with the given extra columns (quoting, formulas, non-ASCII). */
function leads(tag: string, count: number, columns: string[] = ['name']): IDataObject[] {
	const classes = ['good', 'bad', 'catchall', 'unknown', 'role.good', 'trap'];
	return Array.from({ length: count }, (_, index) => ({
		email: `${classes[index % classes.length]}.${tag}${index}@example.com`,
		...Object.fromEntries(
			columns.map((column) => [
				column,
				index % 7 === 0 ? `=${column}("${index}"), é` : `${column} ${index} 😀`,
			]),
		),
	}));
}

/** What the buffered path makes of the same jobs: the item and the file's text. */
async function bufferedFile(
	provider: ProviderName,
	jobIds: string[],
	options: { verdicts?: Verdict[]; fileName?: string } = {},
): Promise<{ json: IDataObject; text: string }> {
	const adapter = await providerOn(simulators, provider, { transport: FAST_RETRIES });
	const all: JobResult[] = [];
	for (const jobId of jobIds)
		for (const result of await adapter.getResults(jobId)) all.push({ provider, jobId, result });
	const rows = keepVerdicts(all, options.verdicts ?? []);
	const kept = [...new Set(rows.map((row) => row.jobId))];
	const fileName =
		options.fileName ||
		`${rows[0]?.provider ?? 'bulk-verify'}-results-${kept.join('-').slice(0, 80) || 'empty'}.csv`;
	return {
		json: {
			fileName,
			rows: rows.length,
			jobIds: kept,
			counts: countVerdicts(rows.map((row) => row.result)),
		},
		text: resultsToCsv(rows),
	};
}

/** Every file in n8n's binary data store (files and their metadata, and any temporary file). */
function storedFiles(): string[] {
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
		);
	const root = ensureRuntime().binaryDataPath;
	return existsSync(root) ? walk(root) : [];
}

async function fileOf(item: INodeExecutionData, property = 'data'): Promise<string> {
	return (await readBinaryData(item.binary![property])).toString('utf8');
}

async function expectSameFile(
	provider: ProviderName,
	jobIds: string[],
	resultOptions: INodeParameters = {},
) {
	const expected = await bufferedFile(provider, jobIds, resultOptions as IDataObject);
	simulators[provider].clearLog();
	const result = await runNode(simulators, provider, {
		...GET_FILE,
		jobIds: jobIds.join(', '),
		resultOptions,
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	expect(result.items[0].json).toEqual(expected.json);
	expect(result.items[0].binary?.data).toMatchObject({
		fileName: expected.json.fileName,
		mimeType: 'text/csv',
	});
	const text = await fileOf(result.items[0]);
	expect(text).toBe(expected.text);
	return { result, text, downloads: requestsTo(simulators[provider], 'download') };
}

describe('Bouncify, several jobs, One CSV File', () => {
	it('with the same columns: the buffered file, byte for byte, each job downloaded once', async () => {
		const sim = simulators.bouncify;
		const jobs = [leads('a', 1200), leads('b', 900), leads('c', 30)].map(
			(rows) => sim.seedJob(rows).id,
		);
		const { text, downloads } = await expectSameFile('bouncify', jobs);
		expect(text.length).toBeGreaterThan(300 * 1024);
		expect(downloads.map((request) => request.query.jobId)).toEqual(jobs);
	});

	it('with other columns in a later job: the same file, the jobs downloaded a second time', async () => {
		const sim = simulators.bouncify;
		const jobs = [
			sim.seedJob(leads('d', 1500, ['name'])).id,
			sim.seedJob(leads('e', 200, ['company', 'name'])).id,
			sim.seedJob(leads('f', 100, [])).id,
		];
		const before = storedFiles().length;
		const { text, downloads } = await expectSameFile('bouncify', jobs);
		expect(text.split('\r\n')[0]).toMatch(/,raw_name,raw_company$/);
		// The file given up in the first pass left nothing behind: one file and its metadata.
		expect(storedFiles().length - before).toBe(2);
		expect(storedFiles().filter((file) => file.includes('.tmp.'))).toEqual([]);
		expect(downloads.map((request) => request.query.jobId)).toEqual([...jobs, ...jobs]);
	});

	it('with a job that keeps no row: named after the jobs that do', async () => {
		const sim = simulators.bouncify;
		const jobs = [
			sim.seedJob(leads('g', 60)).id,
			sim.seedJob(['good.only.h1@example.com', 'good.only.h2@example.com']).id,
			sim.seedJob(leads('i', 60)).id,
		];
		const { result } = await expectSameFile('bouncify', jobs, {
			verdicts: ['risky', 'undeliverable'],
		});
		expect(result.items[0].json.jobIds).toEqual([jobs[0], jobs[2]]);
		// A File Name of its own: written in one pass.
		const named = await expectSameFile('bouncify', jobs, {
			verdicts: ['risky', 'undeliverable'],
			fileName: 'kept.csv',
			binaryPropertyName: 'data',
		});
		expect(named.downloads).toHaveLength(3);
	});

	it('with no row kept anywhere: the empty file of the buffered path', async () => {
		const sim = simulators.bouncify;
		const jobs = [sim.seedJob(['good.j1@example.com']).id, sim.seedJob(['good.j2@example.com']).id];
		const { result } = await expectSameFile('bouncify', jobs, { verdicts: ['undeliverable'] });
		expect(result.items[0].json).toMatchObject({
			rows: 0,
			fileName: 'bulk-verify-results-empty.csv',
		});
	});

	it("a later job's download cut off part-way is downloaded again, and the file goes on whole", async () => {
		const sim = simulators.bouncify;
		const jobs = [sim.seedJob(leads('k', 800)).id, sim.seedJob(leads('l', 2500)).id];
		const expected = await bufferedFile('bouncify', jobs);
		sim.clearLog();
		sim.inject({ route: 'download', fault: 'truncated', skip: 1 });
		const result = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: jobs.join(',') });
		sim.clearFaults();
		expect(result.error).toBeUndefined();
		expect(
			requestsTo(sim, 'download').map((request) => [request.query.jobId, request.fault]),
		).toEqual([
			[jobs[0], null],
			[jobs[1], 'truncated'],
			[jobs[1], null],
		]);
		expect(result.items[0].json).toEqual(expected.json);
		expect(await fileOf(result.items[0])).toBe(expected.text);
	});

	it('a job whose every download is cut off fails as the buffered path fails, and leaves no file', async () => {
		const sim = simulators.bouncify;
		const before = storedFiles();
		const jobs = [sim.seedJob(leads('m', 100)).id, sim.seedJob(leads('n', 100)).id];
		sim.inject({ route: 'download', fault: 'truncated', skip: 1, times: Infinity });
		const streamed = await runNode(simulators, 'bouncify', { ...GET_FILE, jobIds: jobs.join(',') });
		sim.clearFaults();
		expect(storedFiles()).toEqual(before);
		sim.inject({ route: 'download', fault: 'truncated', skip: 1, times: Infinity });
		const buffered = await runNode(simulators, 'bouncify', {
			resource: 'job',
			operation: 'getResults',
			jobIds: jobs.join(','),
		});
		sim.clearFaults();
		expect(streamed.items).toEqual([]);
		expect(streamed.error?.message).toBe(buffered.error?.message);
		expect(streamed.error?.description).toBe(buffered.error?.description);
		expect(streamed.error?.message).toMatch(/after 4 attempts/);
	}, 60_000);

	it('redacts a key echoed in any of the files', async () => {
		const sim = simulators.bouncify;
		const echo = (tag: string) =>
			leads(tag, 200).map((lead, index) => ({
				...lead,
				source: index % 3 === 0 ? `https://x.io/a?apikey=${sim.apiKey}&b=1` : sim.apiKey,
			}));
		const jobs = [sim.seedJob(echo('o')).id, sim.seedJob(echo('p')).id];
		const { result, text } = await expectSameFile('bouncify', jobs);
		expect(text).not.toContain(sim.apiKey);
		expect(text).toContain('[REDACTED]');
		expect(everythingIn(result.items)).not.toContain(sim.apiKey);
	});
});

describe('a provider that does not stream its downloads (WhoisXML)', () => {
	it('several jobs: the buffered file, byte for byte', async () => {
		const sim = simulators.whoisxml;
		const jobs = [
			sim.seedJob(leads('q', 300).map((lead) => lead.email as string)),
			sim.seedJob(leads('r', 50).map((lead) => lead.email as string)),
		].map((job) => String(job.id));
		await expectSameFile('whoisxml', jobs);
		await expectSameFile('whoisxml', jobs, { verdicts: ['deliverable'], fileName: 'w.csv' });
	});
});
