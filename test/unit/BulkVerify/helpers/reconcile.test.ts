// Tests nodes/BulkVerify/helpers/reconcile.ts.
import type { JobResult } from '../../../../nodes/shared/workflow/output';
import { MISSING_STATUS, reconcileResults } from '../../../../nodes/BulkVerify/helpers/reconcile';

function row(
	email: string,
	jobId = 'j1',
	verdict: JobResult['result']['verdict'] = 'deliverable',
): JobResult {
	return {
		provider: 'whoisxml',
		jobId,
		result: { email, verdict, providerStatus: verdict, flags: {}, raw: { email } },
	};
}

describe('reconcileResults', () => {
	it('gives every submitted address exactly one row, in submitted order', () => {
		const rows = [row('b@x.io'), row('a@x.io'), row('B@X.IO', 'j1', 'undeliverable')];
		const out = reconcileResults(
			rows,
			[{ jobId: 'j1', emails: ['a@x.io', 'b@x.io', 'c@x.io'] }],
			'whoisxml',
		);
		expect(
			out.map((entry) => [entry.result.email, entry.result.verdict, entry.result.providerStatus]),
		).toEqual([
			['a@x.io', 'deliverable', 'deliverable'],
			['b@x.io', 'deliverable', 'deliverable'],
			['c@x.io', 'unknown', MISSING_STATUS],
		]);
		expect(out[2]).toMatchObject({
			jobId: 'j1',
			submittedEmail: 'c@x.io',
			result: { reason: 'processing_failed', raw: null },
		});
	});

	it('matches rows to the job they were submitted in, and keeps rows that answer no submitted address', () => {
		const rows = [
			row('a@x.io', 'j2', 'risky'),
			row('a@x.io', 'j1', 'undeliverable'),
			row('stranger@x.io', 'j2'),
		];
		const out = reconcileResults(
			rows,
			[
				{ jobId: 'j1', emails: ['a@x.io'] },
				{ jobId: 'j2', emails: ['b@x.io'] },
			],
			'whoisxml',
		);
		expect(out.map((entry) => [entry.jobId, entry.result.email, entry.result.verdict])).toEqual([
			['j1', 'a@x.io', 'undeliverable'],
			['j2', 'b@x.io', 'unknown'],
			['j2', 'stranger@x.io', 'deliverable'],
		]);
	});

	it('shows the address as the user wrote it while pairing by the submitted form', () => {
		const out = reconcileResults(
			[row('jose@xn--mnchen-3ya.de')],
			[{ jobId: 'j1', emails: ['jose@xn--mnchen-3ya.de'] }],
			'whoisxml',
			(email) => (email === 'jose@xn--mnchen-3ya.de' ? 'jose@münchen.de' : email),
		);
		expect(out).toHaveLength(1);
		expect(out[0].result.email).toBe('jose@münchen.de');
		expect(out[0].submittedEmail).toBe('jose@xn--mnchen-3ya.de');
		expect(out[0].result.raw).toEqual({ email: 'jose@xn--mnchen-3ya.de' });
	});

	it('answers an empty download with one unknown row per address', () => {
		const out = reconcileResults([], [{ jobId: 'j1', emails: ['a@x.io', 'b@x.io'] }], 'bouncify');
		expect(out.map((entry) => entry.result.providerStatus)).toEqual([
			MISSING_STATUS,
			MISSING_STATUS,
		]);
		expect(out.every((entry) => entry.provider === 'bouncify')).toBe(true);
	});
});
