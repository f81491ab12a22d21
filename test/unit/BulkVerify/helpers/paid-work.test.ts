// Tests nodes/BulkVerify/helpers/paid-work.ts.
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PAID_WORK_KEY, withPaidWork } from '../../../../nodes/BulkVerify/helpers/paid-work';
import { PROVIDERS } from '../../../../nodes/shared/providers';
import type { CreatedJob } from '../../../../nodes/shared/model/provider';
import { providerError } from '../../../../nodes/shared/model/errors';

const node: INode = {
	id: '1',
	name: 'Bulk Verify',
	type: 'bulkVerify',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const info = PROVIDERS.check365.info;

function job(jobId: string, emailCount = 2): CreatedJob {
	return { provider: 'check365', jobId, started: true, emailCount, raw: null };
}

function creditsError(): NodeApiError {
	return providerError(
		node,
		'Check365 says the account has run out of verification credits (HTTP 402)',
		{
			description: 'Buy more credits or upgrade your Check365 plan, then run the workflow again.',
			itemIndex: 0,
			httpCode: '402',
			details: { kind: 'credits' },
		},
	);
}

describe('withPaidWork', () => {
	it('leaves an error before any job unchanged: nothing was paid for', () => {
		const error = creditsError();
		expect(
			withPaidWork(
				error,
				{ created: [], parts: 3, unsubmitted: ['a@x.io'], stage: 'create' },
				info,
			),
		).toBe(error);
	});

	it('names every accepted job, drops advice to run again, and keeps the class, code and item', () => {
		const amended = withPaidWork(
			creditsError(),
			{
				created: [job('n8n-a-1'), job('n8n-a-2')],
				parts: 3,
				unsubmitted: ['e@x.io', 'f@x.io'],
				stage: 'create',
			},
			info,
		);
		expect(amended).toBeInstanceOf(NodeApiError);
		expect(amended.message).toBe(
			'Created 2 of 3 Check365 jobs, then the next one failed: Check365 says the account has run out of verification credits (HTTP 402)',
		);
		expect(amended.description).toContain(
			'Job IDs already accepted by Check365: n8n-a-1, n8n-a-2.',
		);
		expect(amended.description).toContain('Do not run this workflow again as it is');
		expect(amended.description).toContain('Buy more credits or upgrade your Check365 plan');
		expect(amended.description).not.toMatch(/run the workflow again|try again/i);
		expect((amended as NodeApiError).httpCode).toBe('402');
		expect(amended.context.itemIndex).toBe(0);
		expect(amended.context[PAID_WORK_KEY]).toEqual({
			createdJobs: [
				{ provider: 'check365', jobId: 'n8n-a-1', part: 1, emailCount: 2, started: true },
				{ provider: 'check365', jobId: 'n8n-a-2', part: 2, emailCount: 2, started: true },
			],
			parts: 3,
			unsubmittedEmails: ['e@x.io', 'f@x.io'],
		});
	});

	it('keeps a message that already names every job, and lists at most 20 ids in the text', () => {
		const many = Array.from({ length: 25 }, (_, index) => job(`n8n-b-${index + 1}`));
		const error = new NodeOperationError(node, 'Waiting failed for n8n-b-1', {
			itemIndex: 0,
			description: 'Try again later.',
		});
		const amended = withPaidWork(
			error,
			{ created: many, parts: 25, unsubmitted: [], stage: 'wait' },
			info,
		);
		expect(amended).toBeInstanceOf(NodeOperationError);
		expect(amended.message).toBe(
			'25 Check365 jobs were created, then waiting for completion failed: Waiting failed for n8n-b-1',
		);
		expect(amended.description).toContain('n8n-b-20 and 5 more');
		expect(amended.description).not.toContain('n8n-b-21');
		expect(amended.description).not.toMatch(/try again/i);

		const single = withPaidWork(
			new NodeOperationError(node, 'Check365 job n8n-c-1 failed, so it has no results', {
				itemIndex: 0,
			}),
			{ created: [job('n8n-c-1')], parts: 1, unsubmitted: [], stage: 'results' },
			info,
		);
		expect(single.message).toBe('Check365 job n8n-c-1 failed, so it has no results');
		expect(single.description).toContain('Job IDs already accepted by Check365: n8n-c-1.');
	});
});
