/**
 * Get Results through the Bulk Verify node (real n8n-core, real HTTP, manual-clock simulators):
 * filters, simplified or raw items, one CSV file, WhoisXML's failed rows, several jobs merged, jobs
 * that have no results, and a 50,000-row request.
 */
import { NodeApiError } from 'n8n-workflow';

import type { ProviderName } from '../../../simulators';
import { readBinaryData } from '../../../harness';
import type { AllSimulators } from '../../../simulators';
import {
	expectedVerdicts,
	FOUR_CLASSES,
	pairedIndexes,
	readCsv,
	requestsTo,
	runNode,
	verdictsOf,
} from '../../../support/node-runs';
import { profileOf } from '../../../support/profiles';
import { everythingIn, PROVIDER_NAMES, startManualSimulators } from '../../../support/providers';

const GET_RESULTS = { resource: 'job', operation: 'getResults' };

const NORMALIZED_COLUMNS = [
	'email',
	'verdict',
	'reason',
	'providerStatus',
	'providerReason',
	'safeToSend',
	'risk',
	'flag_role',
	'flag_free',
	'flag_disposable',
	'flag_catchAll',
	'flag_syntaxError',
	'flag_spamtrap',
	'flag_hasMx',
	'mxRecords',
	'emailProvider',
	'verifiedAt',
	'provider',
	'jobId',
];

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

describe.each(PROVIDER_NAMES)('%s', (provider: ProviderName) => {
	it('Keep Verdicts filters the items', async () => {
		const job = simulators[provider].seedJob(FOUR_CLASSES);
		const result = await runNode(simulators, provider, {
			...GET_RESULTS,
			jobIds: job.id,
			resultOptions: { verdicts: ['undeliverable', 'unknown'] },
		});
		expect(result.error).toBeUndefined();
		const expected = Object.fromEntries(
			Object.entries(expectedVerdicts(provider)).filter(
				([, verdict]) => verdict === 'undeliverable' || verdict === 'unknown',
			),
		);
		expect(verdictsOf(result.items)).toEqual(expected);
	});

	it('Simplify off adds the raw provider row; on (default) leaves it out', async () => {
		const job = simulators[provider].seedJob(FOUR_CLASSES);
		const simple = await runNode(simulators, provider, { ...GET_RESULTS, jobIds: job.id });
		const full = await runNode(simulators, provider, {
			...GET_RESULTS,
			jobIds: job.id,
			simplify: false,
		});
		expect(simple.items).toHaveLength(4);
		expect(full.items).toHaveLength(4);
		for (const item of simple.items) expect('raw' in item.json).toBe(false);
		for (const item of full.items) {
			expect(item.json.raw).toEqual(expect.any(Object));
			expect(everythingIn(item.json.raw)).toContain(item.json.email as string);
		}
		// Apart from raw, the items are the same.
		expect(full.items.map(({ json: { raw: _raw, ...rest } }) => rest)).toEqual(
			simple.items.map((item) => item.json),
		);
		expect(everythingIn(full.items)).not.toContain(simulators[provider].apiKey);
	});

	it('One CSV File: normalized columns, then raw_ columns, one row per email', async () => {
		const job = simulators[provider].seedJob(FOUR_CLASSES);
		const result = await runNode(simulators, provider, {
			...GET_RESULTS,
			jobIds: job.id,
			resultsOutput: 'file',
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		const fileName = `${provider}-results-${job.id}.csv`;
		expect(item.json).toEqual({
			fileName,
			rows: 4,
			jobIds: [job.id],
			counts: expect.objectContaining({ deliverable: 1, undeliverable: 1 }),
		});
		expect(pairedIndexes(item)).toEqual([0]);
		const binary = item.binary?.data;
		expect(binary).toMatchObject({ fileName, mimeType: 'text/csv' });
		const records = readCsv((await readBinaryData(binary!)).toString('utf8'));
		const [header, ...rows] = records;
		expect(header.slice(0, NORMALIZED_COLUMNS.length)).toEqual(NORMALIZED_COLUMNS);
		const rawColumns = header.slice(NORMALIZED_COLUMNS.length);
		expect(rawColumns.length).toBeGreaterThan(0);
		for (const column of rawColumns) expect(column).toMatch(/^raw_/);
		expect(rows).toHaveLength(4);
		for (const row of rows) expect(row).toHaveLength(header.length);
		const column = (name: string) => header.indexOf(name);
		expect(
			Object.fromEntries(rows.map((row) => [row[column('email')], row[column('verdict')]])),
		).toEqual(expectedVerdicts(provider));
		for (const row of rows) expect(row[column('jobId')]).toBe(job.id);
	});
});

describe('file output options and merged jobs', () => {
	it('several job ids: results merged into one file, named and placed as asked', async () => {
		const first = simulators.bouncify.seedJob(['good.m1@example.com', 'bad.m1@example.com']);
		const second = simulators.bouncify.seedJob(['catchall.m2@example.com']);
		const result = await runNode(simulators, 'bouncify', {
			...GET_RESULTS,
			jobIds: `${first.id}, ${second.id}`,
			resultsOutput: 'file',
			resultOptions: {
				binaryPropertyName: 'verified',
				fileName: 'verified-leads.csv',
				verdicts: ['deliverable', 'risky'],
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({
			fileName: 'verified-leads.csv',
			rows: 2,
			jobIds: [first.id, second.id],
			counts: { deliverable: 1, undeliverable: 0, risky: 1, unknown: 0 },
		});
		expect(result.items[0].binary?.data).toBeUndefined();
		const [header, ...rows] = readCsv(
			(await readBinaryData(result.items[0].binary!.verified)).toString('utf8'),
		);
		expect(rows.map((row) => [row[header.indexOf('email')], row[header.indexOf('jobId')]])).toEqual(
			[
				['good.m1@example.com', first.id],
				['catchall.m2@example.com', second.id],
			],
		);
	});

	it('several job ids as items: merged, each item with its job id, all paired with the one input item', async () => {
		const first = simulators.check365.seedJob(['good.c1@example.com']);
		const second = simulators.check365.seedJob(['bad.c2@example.com', 'good.c3@example.com']);
		const result = await runNode(simulators, 'check365', {
			...GET_RESULTS,
			jobIds: `${first.id}\n${second.id}`,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.email, item.json.jobId])).toEqual([
			['good.c1@example.com', first.id],
			['bad.c2@example.com', second.id],
			['good.c3@example.com', second.id],
		]);
		expect(result.items.map(pairedIndexes)).toEqual([[0], [0], [0]]);
	});

	it('one input item per job: each result paired with the item of its job', async () => {
		const first = simulators.simplecold.seedJob(['good.s1@example.com']);
		const second = simulators.simplecold.seedJob(['bad.s2@example.com']);
		const result = await runNode(simulators, 'simplecold', GET_RESULTS, {
			inputItems: [{ json: { jobId: first.id } }, { json: { jobId: second.id } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.email, pairedIndexes(item)])).toEqual([
			['good.s1@example.com', [0]],
			['bad.s2@example.com', [1]],
		]);
	});
});

describe('WhoisXML failed rows', () => {
	it('are left out by default and added with Include Failed Rows', async () => {
		const job = simulators.whoisxml.seedJob([
			'good.w@example.com',
			'not-an-address',
			'fail.w@example.com',
		]);
		simulators.whoisxml.clearLog();
		const without = await runNode(simulators, 'whoisxml', { ...GET_RESULTS, jobIds: job.id });
		expect(verdictsOf(without.items)).toEqual({ 'good.w@example.com': 'deliverable' });
		expect(requestsTo(simulators.whoisxml, 'downloadFailed')).toHaveLength(0);

		const withFailed = await runNode(simulators, 'whoisxml', {
			...GET_RESULTS,
			jobIds: job.id,
			resultOptions: { includeFailedRows: true },
		});
		expect(withFailed.error).toBeUndefined();
		expect(verdictsOf(withFailed.items)).toEqual({
			'good.w@example.com': 'deliverable',
			'not-an-address': 'undeliverable',
			'fail.w@example.com': 'unknown',
		});
		expect(withFailed.items[1].json).toMatchObject({
			jobId: job.id,
			provider: 'whoisxml',
			reason: 'invalid_syntax',
		});
		expect(requestsTo(simulators.whoisxml, 'downloadFailed')).toHaveLength(1);
	});
});

describe('jobs without results', () => {
	it.each(PROVIDER_NAMES)(
		'%s: an unfinished job is a NodeApiError saying it has not finished, before any download',
		async (provider) => {
			const job = simulators[provider].seedJob(FOUR_CLASSES, { state: 'processing' });
			simulators[provider].clearLog();
			const result = await runNode(simulators, provider, { ...GET_RESULTS, jobIds: job.id });
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toMatch(
				new RegExp(`job ${job.id} has not finished yet \\(status .+\\)`),
			);
			expect(result.error?.description).toMatch(/Fetch the results once the status is completed/);
			expect(result.error?.context.itemIndex).toBe(0);
			expect(result.items).toEqual([]);
			// Only the status call: no download (Check365's results would come from a second status call).
			expect(simulators[provider].requests.map((request) => request.route)).toEqual(['status']);
		},
	);

	it('Bouncify: a list waiting for Start says to run the Start operation', async () => {
		const job = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const result = await runNode(simulators, 'bouncify', { ...GET_RESULTS, jobIds: job.id });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toBe(
			`Bouncify job ${job.id} has not finished yet (status ready)`,
		);
		expect(result.error?.description).toMatch(/waits to be started: run the Start operation/);
	});

	// Every provider with the ending (WhoisXML has neither: its test profile).
	const endedWithoutResults = (['failed', 'cancelled'] as const).flatMap((outcome) =>
		PROVIDER_NAMES.filter((provider) => profileOf(provider).jobOutcomes.includes(outcome)).map(
			(provider) => [provider, outcome] as const,
		),
	);

	it.each(endedWithoutResults)(
		'%s: a %s job is a NodeApiError saying so',
		async (provider, outcome) => {
			const job = simulators[provider].seedJob(FOUR_CLASSES, { state: outcome });
			simulators[provider].advance(60_000);
			const result = await runNode(simulators, provider, { ...GET_RESULTS, jobIds: job.id });
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toMatch(
				new RegExp(
					`job ${job.id} ${outcome === 'failed' ? 'failed' : 'was cancelled'}, so it has no results$`,
				),
			);
			expect(result.error?.description).toMatch(/create a new job/);
		},
	);

	it('the not-finished error carries no made-up HTTP code', async () => {
		const job = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'processing' });
		const result = await runNode(simulators, 'bouncify', { ...GET_RESULTS, jobIds: job.id });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode ?? null).toBeNull();
	});
});

describe('a 50,000-row WhoisXML request', () => {
	it('comes out as 50,000 normalized items', async () => {
		const job = simulators.whoisxml.seedJob(50_000);
		const started = Date.now();
		const result = await runNode(simulators, 'whoisxml', { ...GET_RESULTS, jobIds: job.id });
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50_000);
		expect(result.items[0].json).toMatchObject({
			email: 'user1@example.com',
			provider: 'whoisxml',
			jobId: job.id,
		});
		expect(result.items[49_999].json.email).toBe('user50000@example.com');
		expect(new Set(result.items.map((item) => item.json.verdict))).toEqual(
			new Set(['deliverable', 'undeliverable', 'risky', 'unknown']),
		);
		expect(result.items.every((item) => pairedIndexes(item)[0] === 0)).toBe(true);
		expect(elapsed).toBeGreaterThan(0);
	});
});
