/**
 * Create through the Bulk Verify node (real n8n-core, real HTTP, manual-clock simulators): where the
 * addresses come from, what is cleaned before anything is paid for, what is refused before any
 * request, CSV uploads, lists split over a provider's limit, and each provider's create options.
 */
import { NodeOperationError } from 'n8n-workflow';

import type { AllSimulators } from '../../../simulators';
import {
	csvItem,
	emailItems,
	expectEveryItemPaired,
	pairedIndexes,
	requestsTo,
	runNode,
} from '../../../support/node-runs';
import { PROVIDER_NAMES, startManualSimulators } from '../../../support/providers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

beforeEach(() => {
	for (const name of PROVIDER_NAMES) simulators[name].clearLog();
});

const CREATE = { resource: 'job', operation: 'create' };

describe('where the addresses come from', () => {
	it('a field named in Email Field', async () => {
		const result = await runNode(
			simulators,
			'whoisxml',
			{ ...CREATE, emailField: 'work' },
			{ inputItems: emailItems(['good.a@example.com', 'bad.b@example.com'], 'work') },
		);
		expect(result.error).toBeUndefined();
		expect(simulators.whoisxml.jobs.get(result.items[0].json.jobId as string)?.emails).toEqual([
			'good.a@example.com',
			'bad.b@example.com',
		]);
	});

	it('a nested field in dot notation (contact.email)', async () => {
		const result = await runNode(
			simulators,
			'check365',
			{ ...CREATE, emailField: 'contact.email' },
			{
				inputItems: [
					{ json: { contact: { email: 'good.n1@example.com' } } },
					{ json: { contact: { email: 'good.n2@example.com' } } },
					{ json: { contact: null } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(simulators.check365.jobs.get(result.items[0].json.jobId as string)?.emails).toEqual([
			'good.n1@example.com',
			'good.n2@example.com',
		]);
		expect(result.items[0].json.notSubmitted).toEqual([
			{ value: '', itemIndex: 2, reason: 'empty' },
		]);
	});

	it('an expression evaluated per item ({{ $json.contact.mail }})', async () => {
		const result = await runNode(
			simulators,
			'simplecold',
			{ ...CREATE, emailField: '={{ $json.contact.mail }}' },
			{
				inputItems: [
					{ json: { contact: { mail: 'good.e1@example.com' } } },
					{ json: { contact: { mail: 'bad.e2@example.com' } } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(simulators.simplecold.jobs.get(result.items[0].json.jobId as string)?.emails).toEqual([
			'good.e1@example.com',
			'bad.e2@example.com',
		]);
		expect(pairedIndexes(result.items[0])).toEqual([0, 1]);
	});
});

describe('cleaning before upload', () => {
	it('trims, de-duplicates case-insensitively and pairs a duplicated address with every item that carried it', async () => {
		const result = await runNode(simulators, 'whoisxml', CREATE, {
			inputItems: emailItems([
				'  Good.Ann@Example.com ',
				'bad.bo@example.com',
				'good.ann@example.COM',
				'\tbad.bo@example.com\n',
			]),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			submitted: 2,
			duplicatesRemoved: 2,
			emailCount: 2,
			notSubmitted: [],
		});
		expect(pairedIndexes(result.items[0])).toEqual([0, 1, 2, 3]);
		const sent = JSON.parse(requestsTo(simulators.whoisxml, 'create')[0].bodyText) as {
			emails: string[];
		};
		expect(sent.emails).toEqual(['Good.Ann@Example.com', 'bad.bo@example.com']);
	});

	it('reports values that are not addresses under notSubmitted and never sends them', async () => {
		const result = await runNode(
			simulators,
			'bouncify',
			{ ...CREATE, startNow: true },
			{
				inputItems: emailItems([
					'good.keep@example.com',
					'not an address',
					'',
					'two@@example.com',
					null,
					'good.also@example.com',
					42,
				]),
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			submitted: 2,
			emailCount: 2,
			notSubmitted: [
				{ value: 'not an address', itemIndex: 1, reason: 'invalid_syntax' },
				{ value: '', itemIndex: 2, reason: 'empty' },
				{ value: 'two@@example.com', itemIndex: 3, reason: 'invalid_syntax' },
				{ value: '', itemIndex: 4, reason: 'empty' },
				{ value: '42', itemIndex: 6, reason: 'invalid_syntax' },
			],
		});
		// The job item pairs with the items whose addresses went into the job.
		expect(pairedIndexes(result.items[0])).toEqual([0, 5]);
		const [upload] = requestsTo(simulators.bouncify, 'create');
		expect(JSON.parse(upload.bodyText)).toMatchObject({
			emails: [{ email: 'good.keep@example.com' }, { email: 'good.also@example.com' }],
		});
		for (const rejected of ['not an address', 'two@@', '42'])
			expect(upload.bodyText).not.toContain(rejected);
	});
});

describe('refused before any request', () => {
	it.each(PROVIDER_NAMES)(
		'%s: a list with no valid address is a NodeOperationError about the whole list (no item index)',
		async (provider) => {
			const result = await runNode(
				simulators,
				provider,
				{ ...CREATE, startNow: true },
				{ inputItems: emailItems(['', '  ', 'nope']) },
			);
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toBe('There are no valid email addresses to verify');
			expect(result.error?.description).toMatch(
				/All 3 values were empty or not email addresses.*nothing was sent/,
			);
			expect(result.error?.context.itemIndex).toBeUndefined();
			expect(simulators[provider].requests).toHaveLength(0);
		},
	);

	it('no item has the Email Field: a NodeOperationError listing the fields the items have', async () => {
		const result = await runNode(
			simulators,
			'check365',
			{ ...CREATE, emailField: 'mail' },
			{ inputItems: emailItems(['good.a@example.com']) },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('No input item has a field "mail"');
		expect(result.error?.description).toContain('the first item has: email');
		expect(result.error?.context.itemIndex).toBeUndefined();
		expect(simulators.check365.requests).toHaveLength(0);
	});

	it('an Email Field expression that finds nothing: the message names the expression', async () => {
		const result = await runNode(
			simulators,
			'check365',
			{ ...CREATE, emailField: '={{ $json.contact.mail }}' },
			{ inputItems: emailItems(['good.a@example.com']) },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(simulators.check365.requests).toHaveLength(0);
		expect(result.error?.message).toContain('contact.mail');
	});

	it('a CSV file without the Email Column: a NodeOperationError on the item that carried it', async () => {
		const result = await runNode(
			simulators,
			'simplecold',
			{ ...CREATE, inputSource: 'binary', csvColumn: 'email' },
			{
				inputItems: [
					csvItem('email\ngood.a@example.com\n'),
					csvItem('Name,Mail Address\nAnn,good.b@example.com\n', 'second.csv'),
				],
			},
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('The CSV file has no column "email"');
		expect(result.error?.description).toContain('Name, Mail Address');
		expect(result.error?.context.itemIndex).toBe(1);
		expect(simulators.simplecold.requests).toHaveLength(0);
	});
});

describe('a CSV file as input', () => {
	const CSV = [
		'Name,Personal Email,WORK EMAIL,Company',
		'Ann,ann.home@gmail.com,good.ann@acme.com,Acme',
		'"Bo, Jr.",bo.home@gmail.com,BAD.bo@acme.com,"Acme, Inc."',
		'Cy,cy.home@gmail.com,,Acme',
		'',
	].join('\r\n');

	it.each(['simplecold', 'bouncify'] as const)(
		'%s: the column is picked by header name, case and spaces ignored',
		async (provider) => {
			const result = await runNode(
				simulators,
				provider,
				{
					...CREATE,
					inputSource: 'binary',
					binaryPropertyName: 'leads',
					csvColumn: 'work email',
					startNow: true,
				},
				{ inputItems: [csvItem(CSV, 'leads.csv', 'leads')] },
			);
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({
				provider,
				emailCount: 2,
				submitted: 2,
				notSubmitted: [{ value: '', itemIndex: 0, reason: 'empty' }],
			});
			expect(pairedIndexes(result.items[0])).toEqual([0]);
			expect(simulators[provider].jobs.get(result.items[0].json.jobId as string)?.emails).toEqual([
				'good.ann@acme.com',
				'BAD.bo@acme.com',
			]);
			expect(requestsTo(simulators[provider], 'create')).toHaveLength(1);
			expect(requestsTo(simulators[provider], 'create')[0].bodyText).not.toContain(
				'home@gmail.com',
			);
		},
	);

	it('several files make one list, each address paired with the item of its file', async () => {
		const result = await runNode(
			simulators,
			'whoisxml',
			{ ...CREATE, inputSource: 'binary', csvColumn: 'Email' },
			{
				inputItems: [
					csvItem('email\ngood.f1@example.com\ngood.shared@example.com\n'),
					csvItem('EMAIL\nGOOD.SHARED@example.com\nbad.f2@example.com\n'),
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ submitted: 3, duplicatesRemoved: 1 });
		expect(pairedIndexes(result.items[0])).toEqual([0, 1]);
		expect(simulators.whoisxml.jobs.get(result.items[0].json.jobId as string)?.emails).toEqual([
			'good.f1@example.com',
			'good.shared@example.com',
			'bad.f2@example.com',
		]);
	});
});

describe('a list over the provider limit', () => {
	it('WhoisXML: 50,001 addresses become two jobs, whose results Get Results merges', async () => {
		const emails = Array.from({ length: 50_001 }, (_, index) => `good.n${index}@example.com`);
		const created = await runNode(simulators, 'whoisxml', CREATE, {
			inputItems: emailItems(emails),
		});
		expect(created.error).toBeUndefined();
		expect(created.items).toHaveLength(2);
		const [first, second] = created.items.map((item) => item.json);
		expect(first).toMatchObject({ part: 1, jobCount: 2, submitted: 50_001, emailCount: 50_000 });
		expect(second).toMatchObject({ part: 2, jobCount: 2, emailCount: 1 });
		expect((first.emailCount as number) + (second.emailCount as number)).toBe(50_001);
		expect(pairedIndexes(created.items[0])).toHaveLength(50_000);
		expect(pairedIndexes(created.items[1])).toEqual([50_000]);
		expect(requestsTo(simulators.whoisxml, 'create')).toHaveLength(2);
		expect(simulators.whoisxml.jobs.get(second.jobId as string)?.emails).toEqual([
			'good.n50000@example.com',
		]);

		simulators.whoisxml.finishJob(first.jobId as string);
		simulators.whoisxml.finishJob(second.jobId as string);
		const results = await runNode(
			simulators,
			'whoisxml',
			{ resource: 'job', operation: 'getResults' },
			{ inputItems: created.items.map((item) => ({ json: item.json })) },
		);
		expect(results.error).toBeUndefined();
		// One Get Results run per job item: together the 50,001 addresses, each with its job id.
		expect(results.items).toHaveLength(50_001);
		expect(results.items[50_000].json).toMatchObject({
			email: 'good.n50000@example.com',
			verdict: 'deliverable',
			jobId: second.jobId,
		});
		expect(new Set(results.items.map((item) => item.json.jobId))).toEqual(
			new Set([first.jobId, second.jobId]),
		);
		expect(pairedIndexes(results.items[0])).toEqual([0]);
		expect(pairedIndexes(results.items[50_000])).toEqual([1]);

		simulators.whoisxml.clearLog();
		const merged = await runNode(simulators, 'whoisxml', {
			resource: 'job',
			operation: 'getResults',
			jobIds: `${first.jobId},${second.jobId}`,
			resultsOutput: 'file',
		});
		expect(merged.error).toBeUndefined();
		expect(merged.items).toHaveLength(1);
		expect(merged.items[0].json).toMatchObject({
			rows: 50_001,
			jobIds: [first.jobId, second.jobId],
			counts: { deliverable: 50_001 },
		});
		expect(requestsTo(simulators.whoisxml, 'download')).toHaveLength(2);
	});
});

describe('provider-specific create options', () => {
	it('Bouncify with Start Now off: the list waits (started false) until the Start operation', async () => {
		const created = await runNode(simulators, 'bouncify', CREATE, {
			inputItems: emailItems(['good.w@example.com', 'bad.w@example.com']),
		});
		expect(created.error).toBeUndefined();
		const jobId = created.items[0].json.jobId as string;
		expect(created.items[0].json).toMatchObject({
			provider: 'bouncify',
			started: false,
			emailCount: 2,
		});
		expect(JSON.parse(requestsTo(simulators.bouncify, 'create')[0].bodyText)).toMatchObject({
			auto_verify: false,
		});

		simulators.bouncify.advance(60_000);
		const waiting = await runNode(simulators, 'bouncify', {
			resource: 'job',
			operation: 'getStatus',
			jobIds: jobId,
		});
		expect(waiting.items[0].json).toMatchObject({
			awaitingStart: true,
			rawStatus: 'ready',
			isTerminal: false,
		});

		const started = await runNode(
			simulators,
			'bouncify',
			{ resource: 'job', operation: 'start' },
			{ inputItems: [{ json: { jobId } }] },
		);
		expect(started.error).toBeUndefined();
		expect(started.items[0].json).toMatchObject({
			jobId,
			state: 'processing',
			awaitingStart: false,
		});
		expectEveryItemPaired(started.items, 1);

		simulators.bouncify.advance(60_000);
		const results = await runNode(simulators, 'bouncify', {
			resource: 'job',
			operation: 'getResults',
			jobIds: jobId,
		});
		expect(results.items.map((item) => [item.json.email, item.json.verdict])).toEqual([
			['good.w@example.com', 'deliverable'],
			['bad.w@example.com', 'undeliverable'],
		]);
	});

	it('Check365: a fresh job id is generated per run, or the custom one is used', async () => {
		const first = await runNode(simulators, 'check365', CREATE, {
			inputItems: emailItems(['good.c1@example.com']),
		});
		const second = await runNode(simulators, 'check365', CREATE, {
			inputItems: emailItems(['good.c1@example.com']),
		});
		const generated = [first.items[0].json.jobId, second.items[0].json.jobId] as string[];
		for (const id of generated) expect(id).toMatch(UUID);
		expect(generated[0]).not.toBe(generated[1]);
		expect(
			requestsTo(simulators.check365, 'create').map(
				(request) => (JSON.parse(request.bodyText) as { job_id: string }).job_id,
			),
		).toEqual(generated);

		const custom = await runNode(
			simulators,
			'check365',
			{ ...CREATE, jobOptions: { jobId: 'crm-import-2024-11' } },
			{ inputItems: emailItems(['good.c2@example.com']) },
		);
		expect(custom.error).toBeUndefined();
		expect(custom.items[0].json.jobId).toBe('crm-import-2024-11');
		expect(simulators.check365.jobs.get('crm-import-2024-11')?.emails).toEqual([
			'good.c2@example.com',
		]);
	});

	it('SimpleCold: the List Name names the uploaded file', async () => {
		const created = await runNode(
			simulators,
			'simplecold',
			{ ...CREATE, jobOptions: { listName: 'leads-november' } },
			{ inputItems: emailItems(['good.s@example.com']) },
		);
		expect(created.error).toBeUndefined();
		expect(requestsTo(simulators.simplecold, 'create')[0].bodyText).toContain(
			'filename="leads-november.csv"',
		);
		expect(simulators.simplecold.jobs.get(created.items[0].json.jobId as string)?.name).toBe(
			'leads-november',
		);
	});
});
