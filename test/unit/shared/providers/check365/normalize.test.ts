// Tests nodes/shared/providers/check365/normalize.ts.
import {
	normalizeCheck365Job,
	normalizeCheck365Result,
} from '../../../../../nodes/shared/providers/check365/normalize';
import {
	check365ResultSchema,
	check365StatusSchema,
} from '../../../../../nodes/shared/providers/check365/schemas';
import { statusBody } from './documented.fixtures';

// The older docs' per-email example (§2.2.2).
const oldResult = {
	email: 'john@example.com',
	emailProvider: 'microsoft365',
	emailType: 'professional',
	status: 'active',
	isRole: false,
};

function job(data: Record<string, unknown>, message?: string) {
	return normalizeCheck365Job(check365StatusSchema.parse({ success: true, message, data }), {
		jobId: 'my-job',
	});
}

function result(row: Record<string, unknown>) {
	return normalizeCheck365Result(check365ResultSchema.parse({ email: 'a@b.io', ...row }));
}

describe('Check365 job status', () => {
	it('normalizes the documented completed body', () => {
		expect(
			normalizeCheck365Job(check365StatusSchema.parse(statusBody), { jobId: 'YOUR_JOB_ID' }),
		).toStrictEqual({
			provider: 'check365',
			jobId: 'YOUR_JOB_ID',
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			total: 2,
			progressPercent: 100,
			creditsUsed: 12,
			message: 'Job has been completed',
			rawStatus: 'completed',
			raw: statusBody,
		});
	});

	it.each([
		['processing', 40, 'processing'],
		['pending', 0, 'processing'],
		['in progress', 99, 'processing'],
		['done', 100, 'completed'],
		[undefined, 55, 'processing'],
		['failed', 30, 'failed'],
		['FAILURE', undefined, 'failed'],
		['cancelled', 10, 'cancelled'],
		['canceled', undefined, 'cancelled'],
		['Completed', undefined, 'completed'],
		['whatever', undefined, 'unknown'],
		[undefined, undefined, 'unknown'],
	])('status %p with progress %p → %s', (status, progress, state) => {
		expect(job({ status, progress }).state).toBe(state);
	});

	it('keeps an unknown status raw and not terminal', () => {
		expect(job({ status: 'whatever' })).toMatchObject({
			jobId: 'my-job',
			state: 'unknown',
			isTerminal: false,
			resultsAvailable: false,
			rawStatus: 'whatever',
		});
	});

	it('reports running progress and counters sent as strings', () => {
		expect(
			job(
				{ jobId: 'x', status: 'processing', progress: '40', total: '5', creditsUsed: '2' },
				'Job is running',
			),
		).toStrictEqual({
			provider: 'check365',
			jobId: 'x',
			state: 'processing',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			total: 5,
			progressPercent: 40,
			creditsUsed: 2,
			message: 'Job is running',
			rawStatus: 'processing',
			raw: {
				success: true,
				message: 'Job is running',
				data: { jobId: 'x', status: 'processing', progress: 40, total: 5, creditsUsed: 2 },
			},
		});
	});

	it('uses the requested id when the body has none, and a null status reads as absent', () => {
		expect(job({ status: null, progress: 100 })).toMatchObject({
			jobId: 'my-job',
			state: 'completed',
			rawStatus: null,
		});
	});
});

describe('Check365 per-email results', () => {
	it('normalizes the documented current-shape row', () => {
		const row = statusBody.data.results[0];
		expect(normalizeCheck365Result(check365ResultSchema.parse(row))).toStrictEqual({
			email: 'name@company.com',
			verdict: 'undeliverable',
			reason: 'invalid_domain',
			providerStatus: 'unvalidated',
			providerReason: 'invalid_domain',
			safeToSend: false,
			risk: 'high',
			flags: { role: false },
			emailProvider: 'unknown',
			raw: row,
		});
	});

	it('normalizes the documented older-shape row (no safeToSend, risk or statusReason)', () => {
		expect(normalizeCheck365Result(check365ResultSchema.parse(oldResult))).toStrictEqual({
			email: 'john@example.com',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'active',
			safeToSend: true,
			flags: { role: false, free: false },
			emailProvider: 'microsoft365',
			raw: oldResult,
		});
	});

	it.each([
		['active', undefined, 'deliverable', 'accepted'],
		['inactive', undefined, 'undeliverable', 'mailbox_not_found'],
		['invalid', undefined, 'undeliverable', 'invalid_syntax'],
		['invalid', 'invalid_domain', 'undeliverable', 'invalid_domain'],
		['invalid', 'mystery_reason', 'undeliverable', 'invalid_syntax'],
		['spam trap', undefined, 'undeliverable', 'spamtrap'],
		['spam_trap', undefined, 'undeliverable', 'spamtrap'],
		['spamtrap', undefined, 'undeliverable', 'spamtrap'],
		['Spam-Trap', undefined, 'undeliverable', 'spamtrap'],
		['unvalidated', 'invalid_domain', 'undeliverable', 'invalid_domain'],
		['unvalidated', 'no_mx', 'undeliverable', 'no_mx'],
		['unvalidated', 'timeout', 'unknown', 'unverifiable'],
		['unvalidated', undefined, 'unknown', 'unverifiable'],
		['unvalidated', '', 'unknown', 'unverifiable'],
		['catch-all', undefined, 'risky', 'catch_all'],
		['catch_all', undefined, 'risky', 'catch_all'],
		['catchall', undefined, 'risky', 'catch_all'],
		['spam-all', undefined, 'risky', 'catch_all'],
		['spam all', undefined, 'risky', 'catch_all'],
		['accept_all', undefined, 'risky', 'catch_all'],
		['unknown', undefined, 'unknown', 'unverifiable'],
		['accepted', undefined, 'unknown', 'other'],
		['brand-new-status', undefined, 'unknown', 'other'],
		[undefined, undefined, 'unknown', 'other'],
	])('status %p with statusReason %p → %s / %s', (status, statusReason, verdict, reason) => {
		const normalized = result({ status, statusReason });
		expect(normalized.verdict).toBe(verdict);
		expect(normalized.reason).toBe(reason);
		expect(normalized.providerStatus).toBe(status ?? '');
	});

	it('sets the spam-trap and catch-all flags from the status', () => {
		expect(result({ status: 'spam trap' }).flags).toStrictEqual({ spamtrap: true });
		expect(result({ status: 'catch-all' }).flags).toStrictEqual({ catchAll: true });
	});

	it('makes catch-all unknown when the rule is off', () => {
		const normalized = normalizeCheck365Result(
			check365ResultSchema.parse({ email: 'a@b.io', status: 'catch-all' }),
			{
				catchAllAsRisky: false,
			},
		);
		expect(normalized).toMatchObject({ verdict: 'unknown', reason: 'catch_all' });
	});

	it('trusts safeToSend for an unmapped status', () => {
		expect(result({ status: 'valid', safeToSend: true })).toMatchObject({
			verdict: 'deliverable',
			reason: 'other',
			safeToSend: true,
		});
		expect(result({ status: 'valid', safeToSend: 'false' })).toMatchObject({
			verdict: 'unknown',
			reason: 'other',
			safeToSend: false,
		});
	});

	it('passes safeToSend, role and risk through in their loose encodings', () => {
		expect(
			result({ status: 'active', safeToSend: 'true', isRole: 'true', risk: 'LOW' }),
		).toMatchObject({
			safeToSend: true,
			risk: 'low',
			flags: { role: true },
		});
		expect(result({ status: 'active', risk: 'extreme' })).not.toHaveProperty('risk');
	});

	it.each([
		['low', 'low'],
		['medium', 'medium'],
		['high', 'high'],
		['High', 'high'],
		['severe', undefined],
		[undefined, undefined],
	])('risk %p → %p', (risk, expected) => {
		expect(result({ status: 'active', risk }).risk).toBe(expected);
	});

	it.each([
		['personal', true],
		['professional', false],
		['unknown', undefined],
		[undefined, undefined],
	])('emailType %p → free %p', (emailType, free) => {
		expect(result({ status: 'active', emailType }).flags.free).toBe(free);
	});
});
