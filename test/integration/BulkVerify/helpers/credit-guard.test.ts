/**
 * The credit guard (nodes/BulkVerify/helpers/credit-guard.ts) through the Bulk Verify node: real
 * n8n-core, real HTTP against the simulators (manual clock). Where the provider has a balance endpoint,
 * a paid call the balance does not cover is refused before anything is sent, and the simulator's log
 * proves it; a failed or unreadable balance is an error that says nothing was spent; Check Credits
 * First off makes no balance call. Providers without a balance endpoint make no extra call.
 */
import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PROVIDERS } from '../../../../nodes/shared/providers';
import type { AllSimulators, ProviderName } from '../../../simulators';
import {
	asAll,
	emailItems,
	FOUR_CLASSES,
	pairedIndexes,
	requestsTo,
	runNode,
	startNow,
} from '../../../support/node-runs';
import { profileOf } from '../../../support/profiles';
import { PROVIDER_NAMES, startManualSimulators } from '../../../support/providers';

/** The providers whose documented API has a balance endpoint (their test profiles). */
const GUARDED = PROVIDER_NAMES.filter((name) => profileOf(name).operations.includes('getCredits'));
const UNGUARDED = PROVIDER_NAMES.filter((name) => !GUARDED.includes(name));

const FULL = 1_000_000;
/** Four unique valid addresses, a duplicate and a non-address: four credits. */
const LIST = emailItems([...FOUR_CLASSES, 'Good.Ana@example.com', 'not an address']);

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators();
});

afterAll(async () => {
	await simulators.close();
});

beforeEach(() => {
	for (const name of PROVIDER_NAMES) {
		simulators[name].clearLog();
		simulators[name].clearFaults();
		simulators[name].setCredits(FULL);
	}
});

const routesOf = (provider: ProviderName) =>
	simulators[provider].requests.map((request) => request.route);
const displayName = (provider: ProviderName) => PROVIDERS[provider].info.displayName;
const createOf = (provider: ProviderName, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'job',
	operation: 'create',
	...startNow(provider),
	...extra,
});

it('guards exactly the providers with a balance endpoint', () => {
	expect(GUARDED).toEqual(['bouncify', 'whoisxml']);
	expect(PROVIDER_NAMES.filter((name) => PROVIDERS[name].info.capabilities.credits)).toEqual(
		GUARDED,
	);
});

describe.each(GUARDED)('%s: Create', (provider) => {
	it('a list the balance does not cover is refused before any upload, saying how to fix it', async () => {
		const simulator = simulators[provider];
		simulator.setCredits(3);
		const jobsBefore = simulator.jobs.size;
		const result = await runNode(simulators, provider, createOf(provider), { inputItems: LIST });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe(
			`This list needs 4 credits; the ${displayName(provider)} account has 3`,
		);
		expect(result.error?.description).toBe(
			`Nothing was sent to ${displayName(provider)} and no credits were spent. Add at least 1 credit to the ${displayName(provider)} account, or send fewer addresses (Job → Estimate counts a list's credits without spending any). To send it anyway, turn off Check Credits First.`,
		);
		expect(result.items).toEqual([]);
		expect(routesOf(provider)).toEqual(['credits']);
		expect(simulator.jobs.size).toBe(jobsBefore);
		expect(simulator.credits).toBe(3);
	});

	it('counts in thousands as the message shows them: 12,400 credits against 9,000', async () => {
		simulators[provider].setCredits(9_000);
		const emails = Array.from({ length: 12_400 }, (_, index) => `lead${index}@example.com`);
		const result = await runNode(simulators, provider, createOf(provider), {
			inputItems: emailItems(emails),
		});
		expect(result.error?.message).toBe(
			`This list needs 12,400 credits; the ${displayName(provider)} account has 9,000`,
		);
		expect(result.error?.description).toContain('Add at least 3,400 credits');
		expect(requestsTo(simulators[provider], 'create')).toHaveLength(0);
	});

	it('a list the balance covers exactly is created after one balance call', async () => {
		const simulator = simulators[provider];
		simulator.setCredits(4);
		const result = await runNode(simulators, provider, createOf(provider), { inputItems: LIST });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ provider, submitted: 4, started: true });
		expect(routesOf(provider)).toEqual(['credits', 'create']);
		expect(simulator.jobs.get(result.items[0].json.jobId as string)?.emails).toEqual(FOUR_CLASSES);
	});

	it('with On Error → Continue, the refusal is one error item paired with every input item', async () => {
		simulators[provider].setCredits(0);
		const result = await runNode(simulators, provider, createOf(provider), {
			inputItems: LIST,
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.error)).toEqual([
			`This list needs 4 credits; the ${displayName(provider)} account has 0`,
		]);
		expect(pairedIndexes(result.items[0])).toEqual([0, 1, 2, 3, 4, 5]);
		expect(requestsTo(simulators[provider], 'create')).toHaveLength(0);
	});

	it('with Check Credits First off, no balance call is made and the upload goes out', async () => {
		simulators[provider].setCredits(0);
		await runNode(simulators, provider, createOf(provider, { checkCredits: false }), {
			inputItems: LIST,
		});
		// Whatever the provider makes of a list it cannot pay for, it was sent, unchecked.
		expect(routesOf(provider)).not.toContain('credits');
		expect(requestsTo(simulators[provider], 'create')).toHaveLength(1);
	});

	it('a wrong key on the balance call: the error says what happened and that nothing was spent', async () => {
		const result = await runNode(simulators, provider, createOf(provider), {
			inputItems: LIST,
			apiKeys: { [provider]: 'wrong-key-0123456789abcdef' },
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(
			new RegExp(
				`^${displayName(provider)} rejected the API key \\(HTTP 401\\) while trying to read the (credit|account) balance$`,
			),
		);
		expect(result.error?.description).toMatch(
			/^Open the .+ credential.* Nothing was sent for verification and no credits were spent: the balance is read before any paid call\. To go ahead without it, turn off Check Credits First\.$/,
		);
		expect(routesOf(provider)).toEqual(['credits']);
	});

	it('a balance call that keeps failing: retried as a read, then an error that spent nothing, and no upload', async () => {
		simulators[provider].inject({ route: 'credits', fault: '503', times: Infinity });
		const result = await runNode(simulators, provider, createOf(provider), { inputItems: LIST });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(/balance \(HTTP 503\) after 4 attempts$/);
		expect(result.error?.description).toContain(
			'Nothing was sent for verification and no credits were spent',
		);
		expect(result.error?.description).not.toMatch(/run (the|this) workflow again/i);
		expect(routesOf(provider)).toEqual(['credits', 'credits', 'credits', 'credits']);
		expect(
			simulators[provider].requests.some((request) => request.bodyText.includes('good.ana')),
		).toBe(false);
	});

	it('a balance answer of another shape is a clear error, never a pass', async () => {
		simulators[provider].inject({ route: 'credits', fault: 'missingField', times: Infinity });
		const result = await runNode(simulators, provider, createOf(provider), { inputItems: LIST });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(
			new RegExp(
				`^${displayName(provider)} sent a response that could not be read while trying to read the (credit|account) balance`,
			),
		);
		expect(result.error?.description).toContain('no credits were spent');
		expect(requestsTo(simulators[provider], 'create')).toHaveLength(0);
	});
});

describe('WhoisXML: a balance answer without Email Verification (product 7 is inferred)', () => {
	it('refuses the Create with the reason, spends nothing and uploads nothing', async () => {
		const simulator = await profileOf('whoisxml').startSimulator({
			clock: 'manual',
			balanceProducts: [{ id: 1, name: 'WHOIS API', credits: 1_000_000 }],
		});
		try {
			const result = await runNode(asAll(simulator), 'whoisxml', createOf('whoisxml'), {
				inputItems: LIST,
			});
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toBe(
				"WhoisXML API's account balance lists no Email Verification credits (product 7)",
			);
			expect(result.error?.description).toMatch(
				/^It lists: WHOIS API \(id 1\)\. .* Nothing was sent for verification and no credits were spent: .* turn off Check Credits First\.$/,
			);
			expect(simulator.requests.map((request) => request.route)).toEqual(['credits']);
			expect(simulator.jobs.size).toBe(0);
		} finally {
			await simulator.close();
		}
	});
});

describe('WhoisXML: a list split into several jobs is checked as a whole', () => {
	it('50,001 addresses need 50,001 credits: with 50,000 not even the first job is created', async () => {
		simulators.whoisxml.setCredits(50_000);
		const emails = Array.from({ length: 50_001 }, (_, index) => `good.n${index}@example.com`);
		const result = await runNode(simulators, 'whoisxml', createOf('whoisxml'), {
			inputItems: emailItems(emails),
		});
		expect(result.error?.message).toBe(
			'This list needs 50,001 credits; the WhoisXML API account has 50,000',
		);
		expect(routesOf('whoisxml')).toEqual(['credits']);
	});
});

describe('Bouncify: Create without Start Now spends nothing, so it reads no balance', () => {
	it('an upload that waits for Start makes no balance call, whatever the balance', async () => {
		simulators.bouncify.setCredits(0);
		const result = await runNode(
			simulators,
			'bouncify',
			{ resource: 'job', operation: 'create' },
			{
				inputItems: LIST,
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ started: false });
		expect(routesOf('bouncify')).toEqual(['create']);
	});
});

describe('Bouncify: Start', () => {
	const START = { resource: 'job', operation: 'start' };

	it('a job the balance does not cover is not started', async () => {
		const job = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		simulators.bouncify.setCredits(3);
		const result = await runNode(simulators, 'bouncify', { ...START, jobIds: job.id });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe(
			`Starting job ${job.id} needs 4 credits; the Bouncify account has 3`,
		);
		expect(result.error?.description).toMatch(
			new RegExp(
				`^Job ${job.id} was not started and no credits were spent\\. Add at least 1 credit`,
			),
		);
		expect(routesOf('bouncify')).toEqual(['credits', 'status']);
		expect(simulators.bouncify.credits).toBe(3);
	});

	it('one balance read for all items; each start takes its credits off for the next job', async () => {
		const first = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const second = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		simulators.bouncify.setCredits(6);
		const result = await runNode(simulators, 'bouncify', START, {
			inputItems: [{ json: { jobId: first.id } }, { json: { jobId: second.id } }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId ?? item.json.error)).toEqual([
			first.id,
			`Starting job ${second.id} needs 4 credits; the Bouncify account has 2`,
		]);
		expect(result.items.map(pairedIndexes)).toEqual([[0], [1]]);
		expect(requestsTo(simulators.bouncify, 'credits')).toHaveLength(1);
		expect(requestsTo(simulators.bouncify, 'start').map((request) => request.query.job_id)).toEqual(
			[first.id],
		);
	});

	it('without continueOnFail, the refusal of a later job names the one already started', async () => {
		const first = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const second = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		simulators.bouncify.setCredits(6);
		const result = await runNode(simulators, 'bouncify', {
			...START,
			jobIds: `${first.id}, ${second.id}`,
		});
		expect(result.error?.message).toBe(
			`Starting job ${second.id} needs 4 credits; the Bouncify account has 2`,
		);
		expect(result.error?.description).toContain(
			`already started (which spends credits): job ${first.id}`,
		);
		expect(result.error?.description).toMatch(/do not run the workflow again as it is/);
	});

	it('with Check Credits First off, no balance call is made', async () => {
		const job = simulators.bouncify.seedJob(FOUR_CLASSES, { state: 'waiting' });
		const result = await runNode(simulators, 'bouncify', {
			...START,
			jobIds: job.id,
			checkCredits: false,
		});
		expect(result.error).toBeUndefined();
		expect(routesOf('bouncify')).not.toContain('credits');
		expect(requestsTo(simulators.bouncify, 'start')).toHaveLength(1);
	});

	it('job ids of the wrong form are refused before the balance is read', async () => {
		const result = await runNode(simulators, 'bouncify', { ...START, jobIds: 'abc-123' });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(simulators.bouncify.requests).toHaveLength(0);
	});
});

describe.each(GUARDED.filter((name) => profileOf(name).operations.includes('verify')))(
	'%s: Verify (one paid call per valid address)',
	(provider) => {
		const VERIFY = { resource: 'email', operation: 'verify' };
		const ITEMS = emailItems([
			'good.a@example.com',
			'not an address',
			'bad.b@x.com',
			'good.c@y.io',
		]);

		it('addresses the balance does not cover are refused before the first is verified', async () => {
			simulators[provider].setCredits(2);
			const result = await runNode(simulators, provider, VERIFY, { inputItems: ITEMS });
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toBe(
				`Verifying 3 addresses needs 3 credits; the ${displayName(provider)} account has 2`,
			);
			expect(result.error?.description).toMatch(
				new RegExp(`^No address was sent to ${displayName(provider)} and no credits were spent`),
			);
			expect(routesOf(provider)).toEqual(['credits']);
		});

		it('covered: one balance call, then one call per valid address', async () => {
			simulators[provider].setCredits(3);
			const result = await runNode(simulators, provider, VERIFY, { inputItems: ITEMS });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			expect(routesOf(provider)).toEqual(['credits', 'single', 'single', 'single']);
		});

		it('with Check Credits First off, no balance call is made', async () => {
			simulators[provider].setCredits(2);
			const result = await runNode(
				simulators,
				provider,
				{ ...VERIFY, checkCredits: false },
				{ inputItems: ITEMS, continueOnFail: true },
			);
			expect(result.items).toHaveLength(4);
			expect(routesOf(provider)).not.toContain('credits');
			expect(requestsTo(simulators[provider], 'single')).toHaveLength(3);
		});
	},
);

describe.each(UNGUARDED)('%s: no balance endpoint, no guard', (provider) => {
	it('Create sends the upload and nothing else', async () => {
		const result = await runNode(simulators, provider, createOf(provider), { inputItems: LIST });
		expect(result.error).toBeUndefined();
		expect(routesOf(provider)).toEqual(['create']);
	});
});
