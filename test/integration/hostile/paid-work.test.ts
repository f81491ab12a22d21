/**
 * Hostile providers against paid work (real n8n-core, real HTTP): a split Create whose part k fails
 * (402, 5xx, a dropped connection) loses no accepted job, an error under On Error → Continue is an
 * item everywhere, every submitted address gets exactly one result row, and input that would become
 * wrong data is refused before any paid call.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PROVIDERS } from '../../../nodes/shared/providers';
import type { ProviderName } from '../../simulators';
import type { AllSimulators, FaultSpec } from '../../simulators';
import {
	csvItem,
	emailItems,
	FOUR_CLASSES,
	pairedIndexes,
	requestsTo,
	runNode,
	startNow,
} from '../../support/node-runs';
import { hostileFigures } from '../../support/hostile';
import { profileOf } from '../../support/profiles';
import { PROVIDER_NAMES, simulatorOf, startSimulators } from '../../support/providers';

/** Parts of two addresses, so a six-address list makes three jobs on every provider. */
const PART_SIZE = 2;
const SIX = [
	'good.p1@example.com',
	'bad.p2@example.com',
	'good.p3@example.com',
	'bad.p4@example.com',
	'good.p5@example.com',
	'bad.p6@example.com',
];

const originalLimits = new Map(
	PROVIDER_NAMES.map((name) => [name, PROVIDERS[name].info.capabilities.limits.maxEmailsPerJob]),
);

let simulators: AllSimulators;
const figures = hostileFigures('paid-work');

beforeAll(async () => {
	simulators = await startSimulators({
		jobDurationMs: 100,
		perEmailMs: 0,
		rateLimitPerMinute: Infinity,
	});
	for (const name of PROVIDER_NAMES)
		PROVIDERS[name].info.capabilities.limits.maxEmailsPerJob = PART_SIZE;
});

afterAll(async () => {
	figures.print();
	for (const name of PROVIDER_NAMES)
		PROVIDERS[name].info.capabilities.limits.maxEmailsPerJob = originalLimits.get(name);
	await simulators.close();
});

afterEach(() => {
	for (const name of PROVIDER_NAMES) {
		simulators[name].clearFaults();
		simulators[name].clearLog();
	}
});

const CREATE = { resource: 'job', operation: 'create' };
/** Advice that would send (and pay for) the same list again; the warning "Do not run this workflow again" is not. */
const ADVICE_TO_PAY_TWICE =
	/try again|(?<!Do not )run (the|this) workflow again|running this again/i;
const FAST_WAIT = {
	waitForCompletion: true,
	waitOptions: { maxWaitMinutes: 1, pollIntervalSeconds: 1 },
};

/** The ids of the jobs the simulator accepted during this test (its log of 2xx creates). */
function acceptedJobIds(provider: ProviderName, before: Set<string>): string[] {
	return [...simulators[provider].jobs.keys()].filter((id) => !before.has(id));
}

const PART_FAILURES: Array<[string, Omit<FaultSpec, 'route'>]> = [
	['402 out of credits on part 2', { fault: '402', skip: 1 }],
	['500 on part 3', { fault: '500', skip: 2 }],
	['a dropped connection on part 2', { fault: 'reset', skip: 1 }],
];

describe.each(PROVIDER_NAMES)('%s: a split Create that fails part-way', (provider) => {
	it.each(PART_FAILURES)(
		'%s: every accepted job is in the error and in the error item, no advice to run again',
		async (_title, fault) => {
			for (const continueOnFail of [false, true]) {
				const before = new Set(simulators[provider].jobs.keys());
				simulators[provider].inject({ route: 'create', ...fault });
				const result = await runNode(
					simulators,
					provider,
					{ ...CREATE, ...startNow(provider) },
					{ inputItems: emailItems(SIX), continueOnFail },
				);
				const accepted = acceptedJobIds(provider, before);
				const reported = `${result.error?.message} ${result.error?.description} ${JSON.stringify(result.items)}`;
				figures.tried('split Create failing part-way', provider, {
					paidJobsLost: accepted.filter((id) => !reported.includes(id)).length,
				});
				expect(accepted).toHaveLength(fault.skip!);
				if (!continueOnFail) {
					expect(result.error).toBeInstanceOf(NodeApiError);
					expect(result.error?.message).toMatch(
						new RegExp(
							`^Created ${fault.skip} of 3 ${PROVIDERS[provider].info.displayName} jobs, then the next one failed: `,
						),
					);
					for (const id of accepted) expect(result.error?.description).toContain(id);
					expect(result.error?.description).not.toMatch(ADVICE_TO_PAY_TWICE);
				} else {
					expect(result.error).toBeUndefined();
					expect(result.items).toHaveLength(1);
					const [item] = result.items;
					expect(item.json.error).toEqual(expect.stringMatching(/^Created /));
					expect(item.json.description).toEqual(expect.any(String));
					const work = item.json.paidWork as {
						createdJobs: Array<{ jobId: string }>;
						unsubmittedEmails: string[];
					};
					expect(work.createdJobs.map((job) => job.jobId)).toEqual(accepted);
					expect(work.unsubmittedEmails).toEqual(SIX.slice(fault.skip! * PART_SIZE));
					expect(pairedIndexes(item)).toEqual([0, 1, 2, 3, 4, 5]);
				}
				figures.survived('split Create failing part-way', provider);
				simulators[provider].clearFaults();
			}
		},
	);

	it('a failure after every part was created (waiting) still names every job', async () => {
		const before = new Set(simulators[provider].jobs.keys());
		// A 403 page is not retried, so the wait fails at its first status call.
		simulators[provider].inject({ route: 'status', fault: 'html', status: 403, times: Infinity });
		const result = await runNode(
			simulators,
			provider,
			{ ...CREATE, ...startNow(provider), ...FAST_WAIT },
			{ inputItems: emailItems(SIX) },
		);
		const accepted = acceptedJobIds(provider, before);
		const reported = `${result.error?.message} ${result.error?.description}`;
		figures.tried('wait failing after a split Create', provider, {
			paidJobsLost: accepted.filter((id) => !reported.includes(id)).length,
		});
		expect(accepted).toHaveLength(3);
		expect(result.error).toBeDefined();
		for (const id of accepted) expect(reported).toContain(id);
		expect(result.error?.description).not.toMatch(ADVICE_TO_PAY_TWICE);
		figures.survived('wait failing after a split Create', provider);
	});
});

describe.each(PROVIDER_NAMES)('%s: nothing submitted is silently dropped', (provider) => {
	it('Create + Wait gives exactly one row per input address, failed and unverifiable ones included', async () => {
		const emails = [
			...FOUR_CLASSES,
			'fail.x@example.com',
			'josé@example.com',
			'good.idn@münchen.de',
		];
		const result = await runNode(
			simulators,
			provider,
			{ ...CREATE, ...startNow(provider), ...FAST_WAIT },
			{ inputItems: emailItems(emails) },
		);
		expect(result.error).toBeUndefined();
		const rows = result.items.map((item) => item.json);
		figures.tried('address the provider fails or cannot take', provider, {
			droppedAddresses: emails.filter(
				(email) => rows.filter((row) => row.email === email).length !== 1,
			).length,
		});
		expect(rows.map((row) => row.email).sort()).toEqual([...emails].sort());
		expect(rows.find((row) => row.email === 'josé@example.com')).toMatchObject({
			providerStatus: 'not_submitted',
			verdict: 'unknown',
		});
		expect(rows.find((row) => row.email === 'fail.x@example.com')?.verdict).toEqual(
			expect.any(String),
		);
		// The IDN domain went out as punycode and comes back as the user wrote it, paired with its item.
		const uploads = requestsTo(simulators[provider], 'create')
			.map((request) => request.bodyText)
			.join('\n');
		expect(uploads).toContain('good.idn@xn--mnchen-3ya.de');
		expect(uploads).not.toContain('josé');
		const idn = result.items.find((item) => item.json.email === 'good.idn@münchen.de');
		expect(idn && pairedIndexes(idn)).toEqual([6]);
		figures.survived('address the provider fails or cannot take', provider);
	});
});

describe.each(PROVIDER_NAMES)('%s: errors are items under On Error → Continue', (provider) => {
	it.each([
		['Create', { ...CREATE }, { route: 'create', fault: '402' }],
		[
			'Get Status',
			{ resource: 'job', operation: 'getStatus', jobIds: 'JOB' },
			{ route: 'status', fault: 'html', status: 403, times: Infinity },
		],
		[
			'Get Results',
			{ resource: 'job', operation: 'getResults', jobIds: 'JOB' },
			{ route: 'status', fault: '402', times: Infinity },
		],
	] as const)(
		'%s: {error, description} paired with the input',
		async (_title, parameters, fault) => {
			const job = simulators[provider].seedJob(FOUR_CLASSES);
			simulatorOf(simulators, provider).inject(fault as FaultSpec);
			const withId = Object.fromEntries(
				Object.entries(parameters).map(([key, value]) => [key, value === 'JOB' ? job.id : value]),
			);
			const result = await runNode(
				simulators,
				provider,
				{ ...withId, ...startNow(provider) },
				{ inputItems: emailItems(['good.a@example.com']), continueOnFail: true },
			);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json).toEqual(
				expect.objectContaining({ error: expect.any(String), description: expect.any(String) }),
			);
			expect(result.items[0].json.email).toBeUndefined();
			expect(pairedIndexes(result.items[0])).toEqual([0]);
			figures.tried('error under On Error → Continue', provider);
			figures.survived('error under On Error → Continue', provider);
		},
	);
});

describe.each(PROVIDER_NAMES)('%s: input that would become wrong data', (provider) => {
	it('a CSV with an unclosed quote is refused before any request', async () => {
		const result = await runNode(
			simulators,
			provider,
			{ ...CREATE, inputSource: 'binary', csvColumn: 'email' },
			{ inputItems: [csvItem('email,name\na@x.io,"Ann\nb@x.io,Bob\n')] },
		);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toMatch(/quote opened on line 2 that is never closed/);
		figures.tried('input that becomes wrong data', provider, {
			paidJobsLost: simulators[provider].requests.length,
		});
		expect(simulators[provider].requests).toHaveLength(0);
		figures.survived('input that becomes wrong data', provider);
	});

	it('UTF-16 and windows-1252 files are decoded, not submitted garbled', async () => {
		const text = 'email,name\r\ngood.u@example.com,Zoë\r\nbad.v@example.com,José\r\n';
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
		const latin1 = Buffer.from(text, 'latin1');
		for (const bytes of [utf16, latin1]) {
			const item = {
				json: {},
				binary: {
					data: { data: bytes.toString('base64'), mimeType: 'text/csv', fileName: 'list.csv' },
				},
			};
			const result = await runNode(
				simulators,
				provider,
				{ ...CREATE, inputSource: 'binary', csvColumn: 'email' },
				{ inputItems: [item] },
			);
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ submitted: 2 });
			const uploads = requestsTo(simulators[provider], 'create')
				.map((request) => request.bodyText)
				.join('\n');
			expect(uploads).toContain('good.u@example.com');
			expect(uploads).toContain('bad.v@example.com');
			expect(uploads).not.toContain('\u0000');
			simulators[provider].clearLog();
		}
	});
});

it('Check365: a client Job ID the node would later refuse is refused before the upload', async () => {
	const result = await runNode(
		simulators,
		'check365',
		{ ...CREATE, jobOptions: { jobId: 'bad/id with spaces' } },
		{ inputItems: emailItems(SIX) },
	);
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error?.message).toBe(
		'The Job ID "bad/id with spaces-1" is not a valid Check365 job ID',
	);
	expect(simulators.check365.requests).toHaveLength(0);
});

describe('per-item paid calls that fail part-way', () => {
	const verifiers = PROVIDER_NAMES.filter((name) => profileOf(name).operations.includes('verify'));

	it.each(verifiers)(
		'%s Verify: the addresses verified before the failure are named, not lost',
		async (provider) => {
			const emails = ['good.v1@example.com', 'bad.v2@example.com', 'good.v3@example.com'];
			simulatorOf(simulators, provider).inject({ route: 'single', fault: '402', skip: 1 });
			const failed = await runNode(
				simulators,
				provider,
				{ resource: 'email', operation: 'verify', email: '={{ $json.email }}' },
				{ inputItems: emailItems(emails) },
			);
			expect(failed.error).toBeInstanceOf(NodeApiError);
			expect(failed.error?.context.itemIndex).toBe(1);
			expect(failed.error?.description).toContain(
				'this execution already verified (and paid for): good.v1@example.com: deliverable.',
			);
			expect(failed.error?.description).toContain('run it for the items from item 1 on');
			expect(failed.error?.description).not.toMatch(ADVICE_TO_PAY_TWICE);

			simulatorOf(simulators, provider).inject({ route: 'single', fault: '402', skip: 1 });
			const kept = await runNode(
				simulators,
				provider,
				{ resource: 'email', operation: 'verify', email: '={{ $json.email }}' },
				{ inputItems: emailItems(emails), continueOnFail: true },
			);
			expect(kept.items.map((item) => item.json.email ?? 'error')).toEqual([
				'good.v1@example.com',
				'error',
				'good.v3@example.com',
			]);
			expect(kept.items.map((item) => pairedIndexes(item))).toEqual([[0], [1], [2]]);
		},
	);

	it('Bouncify Start of two jobs in one item: the job started before the failure is named and output', async () => {
		const first = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const second = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		simulators.bouncify.inject({ route: 'start', fault: '402', skip: 1 });
		const failed = await runNode(simulators, 'bouncify', {
			resource: 'job',
			operation: 'start',
			jobIds: `${first.id}, ${second.id}`,
		});
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error?.description).toContain(
			`this execution already started (which spends credits): job ${first.id}.`,
		);

		const third = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const fourth = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		simulators.bouncify.inject({ route: 'start', fault: '402', skip: 1 });
		const kept = await runNode(
			simulators,
			'bouncify',
			{ resource: 'job', operation: 'start', jobIds: `${third.id}, ${fourth.id}` },
			{ continueOnFail: true },
		);
		expect(kept.items.map((item) => item.json.jobId ?? 'error')).toEqual([third.id, 'error']);
	});
});
