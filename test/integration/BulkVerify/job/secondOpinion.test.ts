/**
 * Job → Second Opinion through real n8n-core contexts and real HTTP: the result items of one provider
 * go in, only the rows whose verdict the user picked go to the second provider, and one merged row per
 * input item comes out. The simulators' `hard…` addresses are mailboxes each provider settles only
 * half of (test/simulators/traits.js), so what the second provider decides is predictable.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BulkVerifyJobTrigger } from '../../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node';
import { PROVIDERS } from '../../../../nodes/shared/providers';
import { createPollHarness } from '../../../harness';
import type { AllSimulators, ProviderName } from '../../../simulators';
import { classifyAddress } from '../../../simulators';
import { pairedIndexes, requestsTo, runNode } from '../../../support/node-runs';
import { credentialsFor, PROVIDER_NAMES, startSimulators } from '../../../support/providers';

const FAST_POLL = { maxWaitMinutes: 1, pollIntervalSeconds: 1 };
const HARD = Array.from({ length: 8 }, (_, i) => `hard.lead${i}@example.com`);

let live: AllSimulators;

beforeAll(async () => {
	live = await startSimulators({ jobDurationMs: 200, perEmailMs: 1, rateLimitPerMinute: Infinity });
});

afterAll(async () => {
	await live.close();
});

/** A result item as another Bulk Verify node puts it out (with a lead field kept by Include Input Fields). */
function firstResult(
	provider: string,
	email: string,
	verdict: string,
	reason: string,
): INodeExecutionData {
	return {
		json: {
			email,
			verdict,
			reason,
			providerStatus: verdict,
			provider,
			jobId: 'first-1',
			name: email,
		},
	};
}

function firstResults(first: string): INodeExecutionData[] {
	return [
		firstResult(first, 'good.ann@example.com', 'deliverable', 'accepted'),
		...HARD.map((email) => firstResult(first, email, 'unknown', 'unverifiable')),
		firstResult(first, 'bad.cy@example.com', 'undeliverable', 'mailbox_not_found'),
		firstResult(first, 'catchall.bo@example.com', 'risky', 'catch_all'),
		// The same address twice: asked about once, both rows answered.
		firstResult(first, 'HARD.lead0@example.com', 'unknown', 'unverifiable'),
		// An error item of the node before (On Error → Continue) passes through.
		{ json: { error: 'Bouncify is rate-limiting requests' } },
	];
}

const secondParameters = { resource: 'job', operation: 'secondOpinion', waitOptions: FAST_POLL };

describe.each(PROVIDER_NAMES)('%s as the second provider', (second) => {
	const first = second === 'bouncify' ? 'whoisxml' : 'bouncify';

	it('asks only about the unknown and risky rows and merges both opinions into each row', async () => {
		const simulator = live[second];
		simulator.clearLog();
		simulator.setCredits?.(1_000_000);
		const input = firstResults(first);
		const result = await runNode(live, second as ProviderName, secondParameters, {
			inputItems: input,
		});
		expect(result.error).toBeUndefined();
		const created = requestsTo(simulator, 'create');
		expect(created).toHaveLength(1);
		const asked = [...simulator.jobs.values()].at(-1)!.emails.map((email) => email.toLowerCase());
		expect(asked.sort()).toEqual([...HARD, 'catchall.bo@example.com'].sort());

		const rows = result.items.map((item) => item.json);
		expect(rows).toHaveLength(input.length);
		expect(result.items.map(pairedIndexes)).toEqual(input.map((_, index) => [index]));
		expect(rows.at(-1)).toEqual({ error: 'Bouncify is rate-limiting requests' });
		for (const [index, row] of rows.slice(0, -1).entries()) {
			const email = String(input[index].json.email);
			expect(row.name).toBe(email);
			const rechecked = ['unknown', 'risky'].includes(String(input[index].json.verdict));
			expect((row.opinions as IDataObject[]).map((opinion) => opinion.provider)).toEqual(
				rechecked ? [first, second] : [first],
			);
			const settledBySecond =
				email.toLowerCase().startsWith('hard') &&
				classifyAddress(email.toLowerCase(), second).kind !== 'unknown';
			expect(row.decidedBy).toBe(settledBySecond ? second : first);
			if (settledBySecond) {
				expect(row.verdict).toBe(classifyAddress(email.toLowerCase(), second).kind);
				expect(row.provider).toBe(second);
			} else {
				expect(row.verdict).toBe(input[index].json.verdict);
				expect(row.provider).toBe(first);
			}
		}
		// The fixture has addresses the second provider settles and ones it leaves open.
		const deciders = new Set(rows.slice(1, 1 + HARD.length).map((row) => row.decidedBy));
		expect(deciders).toEqual(new Set([first, second]));
	});

	it('with nothing to recheck it calls no one and passes every row through', async () => {
		const simulator = live[second];
		simulator.clearLog();
		const input = [
			firstResult(first, 'good.ann@example.com', 'deliverable', 'accepted'),
			firstResult(first, 'bad.cy@example.com', 'undeliverable', 'mailbox_not_found'),
		];
		const result = await runNode(live, second as ProviderName, secondParameters, {
			inputItems: input,
		});
		expect(result.error).toBeUndefined();
		expect(simulator.requests).toHaveLength(0);
		expect(result.items.map((item) => item.json.decidedBy)).toEqual([first, first]);
	});

	it('refuses results of its own provider before any request', async () => {
		const simulator = live[second];
		simulator.clearLog();
		const result = await runNode(live, second as ProviderName, secondParameters, {
			inputItems: firstResults(second),
		});
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe(
			`Item 1 was verified by ${PROVIDERS[second].info.displayName} already`,
		);
		expect(result.error?.context.itemIndex).toBe(1);
		expect(simulator.requests).toHaveLength(0);
	});
});

it('refuses input that is not a Bulk Verify result, naming the item, before any request', async () => {
	live.check365.clearLog();
	const result = await runNode(live, 'check365', secondParameters, {
		inputItems: [
			firstResult('bouncify', 'hard.a@example.com', 'unknown', 'other'),
			{ json: { email: 'x@y.io' } },
		],
	});
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error?.message).toBe('Item 1 is not a Bulk Verify result');
	expect(result.error?.description).toMatch(/Get Results.*Nothing was sent to Check365/);
	expect(result.error?.context.itemIndex).toBe(1);
	expect(live.check365.requests).toHaveLength(0);
});

it('the credit guard refuses a second opinion the balance does not cover, before any upload', async () => {
	live.bouncify.clearLog();
	live.bouncify.setCredits(3);
	const result = await runNode(live, 'bouncify', secondParameters, {
		inputItems: firstResults('whoisxml'),
	});
	live.bouncify.setCredits(1_000_000);
	expect(result.error).toBeInstanceOf(NodeOperationError);
	expect(result.error?.message).toBe(
		'The second opinion needs 9 credits; the Bouncify account has 3',
	);
	expect(requestsTo(live.bouncify, 'create')).toHaveLength(0);
	expect(live.bouncify.requests.map((request) => request.route)).toEqual(['credits']);
});

it('only the verdicts picked are rechecked', async () => {
	live.check365.clearLog();
	const result = await runNode(
		live,
		'check365',
		{ ...secondParameters, recheckVerdicts: ['risky'] },
		{ inputItems: firstResults('bouncify') },
	);
	expect(result.error).toBeUndefined();
	expect([...live.check365.jobs.values()].at(-1)!.emails).toEqual(['catchall.bo@example.com']);
	expect(
		result.items.filter((item) => (item.json.opinions as unknown[])?.length === 2),
	).toHaveLength(1);
});

it("big lists: the trigger's result items go straight in (the job stays on each row)", async () => {
	const job = live.whoisxml.seedJob(['good.t@example.com', ...HARD.slice(0, 4)]);
	const poller = createPollHarness(new BulkVerifyJobTrigger(), {
		parameters: { provider: 'whoisxml', watch: 'jobIds', jobIds: job.id, include: 'resultItems' },
		credentials: credentialsFor(live),
		mode: 'manual',
	});
	const emitted = (await poller.poll())?.[0] ?? [];
	expect(emitted).toHaveLength(5);
	live.bouncify.clearLog();
	const result = await runNode(live, 'bouncify', secondParameters, { inputItems: emitted });
	expect(result.error).toBeUndefined();
	const open = HARD.slice(0, 4).filter(
		(email) => classifyAddress(email, 'whoisxml').kind === 'unknown',
	);
	expect([...live.bouncify.jobs.values()].at(-1)!.emails.sort()).toEqual(open.sort());
	expect(result.items).toHaveLength(5);
	for (const item of result.items) {
		expect(item.json.job).toMatchObject({ jobId: job.id });
		const settled =
			open.includes(String(item.json.email)) &&
			classifyAddress(String(item.json.email), 'bouncify').kind !== 'unknown';
		expect(item.json.decidedBy).toBe(settled ? 'bouncify' : 'whoisxml');
	}
});
