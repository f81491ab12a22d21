// Tests nodes/BulkVerify/helpers/plan.ts: the one computation of what a Create submits and costs,
// which Create, its credit guard and Estimate share.
import type { EmailCandidate } from '../../../../nodes/BulkVerify/helpers/emailList';
import {
	checkCredits,
	creditsFor,
	notSubmittedOf,
	planList,
} from '../../../../nodes/BulkVerify/helpers/plan';

const candidates = (values: unknown[]): EmailCandidate[] =>
	values.map((value, itemIndex) => ({ value, itemIndex }));

const ONE_EACH = {
	creditsPerEmail: 1,
	limits: { recommendedPollIntervalMs: 1, statusIdsPerCall: 1 },
};

describe('planList', () => {
	it('counts the unique valid addresses as the credits, duplicates and non-addresses apart', () => {
		const plan = planList(
			candidates(['a@x.io', ' A@X.io', '', 'nope', 'b@x.io', 'josé@x.io', 'b@x.io']),
			ONE_EACH,
		);
		expect(plan.list.emails).toEqual(['a@x.io', 'b@x.io']);
		expect(plan.list.duplicates).toBe(2);
		expect(plan.creditsNeeded).toBe(2);
		expect(plan.jobs).toEqual([['a@x.io', 'b@x.io']]);
		expect(notSubmittedOf(plan.list)).toEqual([
			{ value: '', itemIndex: 2, reason: 'empty' },
			{ value: 'nope', itemIndex: 3, reason: 'invalid_syntax' },
			{ value: 'josé@x.io', itemIndex: 5, reason: 'non_ascii_local_part' },
		]);
	});

	it('splits by the per-job limit and prices by the provider’s credits per address', () => {
		const emails = Array.from({ length: 7 }, (_, index) => `u${index}@x.io`);
		const plan = planList(candidates(emails), {
			creditsPerEmail: 3,
			limits: { maxEmailsPerJob: 3, recommendedPollIntervalMs: 1, statusIdsPerCall: 1 },
		});
		expect(plan.jobs.map((job) => job.length)).toEqual([3, 3, 1]);
		expect(plan.jobs.flat()).toEqual(emails);
		expect(plan.creditsNeeded).toBe(21);
	});

	it('a list without a valid address costs nothing and makes no job', () => {
		const plan = planList(candidates(['', 'nope', null]), ONE_EACH);
		expect(plan).toMatchObject({ jobs: [], creditsNeeded: 0 });
		expect(plan.list.rejected).toHaveLength(3);
	});
});

describe('creditsFor', () => {
	it('is the count times the price per address', () => {
		expect(creditsFor(0, { creditsPerEmail: 1 })).toBe(0);
		expect(creditsFor(12_400, { creditsPerEmail: 1 })).toBe(12_400);
		expect(creditsFor(10, { creditsPerEmail: 2 })).toBe(20);
	});
});

describe('checkCredits', () => {
	it('is enough when the balance covers the need exactly or more', () => {
		expect(checkCredits(9_000, 9_000)).toEqual({
			needed: 9_000,
			available: 9_000,
			after: 0,
			enough: true,
		});
		expect(checkCredits(0, 0).enough).toBe(true);
		expect(checkCredits(5, 7)).toMatchObject({ after: 2, enough: true });
	});

	it('is short by as much as the balance after goes below zero', () => {
		expect(checkCredits(12_400, 9_000)).toEqual({
			needed: 12_400,
			available: 9_000,
			after: -3_400,
			enough: false,
		});
		expect(checkCredits(1, -5)).toMatchObject({ after: -6, enough: false });
	});
});
