// Tests nodes/shared/providers/check365/normalize.ts.
import {
	normalizeCheck365Job,
	normalizeCheck365Result,
} from '../../../../../nodes/shared/providers/check365/normalize';
import {
	check365ResultSchema,
	check365StatusSchema,
} from '../../../../../nodes/shared/providers/check365/schemas';
import { ALIASES } from '../../../../../nodes/shared/model/vocabulary';
import { providerTokenCases, sharedAliases, spellingKey } from '../../../../support/doc-tables';
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

describe('tokens outside the documented vocabulary (the shared rule, §8.1)', () => {
	it.each([
		['Catch-All', 'risky', 'catch_all', { catchAll: true }],
		['ACCEPT ALL', 'risky', 'catch_all', { catchAll: true }],
		['Catch-All/Spam-All', 'risky', 'catch_all', { catchAll: true }],
		['disposable', 'risky', 'disposable', { disposable: true }],
		['role_based', 'risky', 'role', { role: true }],
		['honeypot', 'undeliverable', 'spamtrap', { spamtrap: true }],
		['unverifiable', 'unknown', 'unverifiable', {}],
		['invalid-syntax', 'undeliverable', 'invalid_syntax', { syntaxError: true }],
	])('status %p → %s / %s with its flag', (status, verdict, reason, flags) => {
		expect(result({ status })).toMatchObject({ verdict, reason, providerStatus: status, flags });
	});

	it.each(['catch_all_domain', 'catchall_risky', 'nocatch', 'accept'])(
		'%p is no longer read as catch-all by a substring: unknown / other',
		(status) => {
			expect(result({ status })).toMatchObject({ verdict: 'unknown', reason: 'other', flags: {} });
		},
	);

	it('a category the status names comes before the safeToSend fallback, which never lifts it', () => {
		expect(result({ status: 'honeypot', safeToSend: true })).toMatchObject({
			verdict: 'undeliverable',
			reason: 'spamtrap',
		});
		expect(result({ status: 'weird', safeToSend: true }).verdict).toBe('deliverable');
	});

	it.each([
		['invalid', 'Spam-Trap', 'spamtrap'],
		['invalid', 'syntax error', 'invalid_syntax'],
		['invalid', 'role_based', 'invalid_syntax'],
		['unvalidated', 'Syntax-Error', 'invalid_syntax'],
	])('%p refined by statusReason %p → undeliverable / %s', (status, statusReason, reason) => {
		expect(result({ status, statusReason })).toMatchObject({
			verdict: 'undeliverable',
			reason,
			providerReason: statusReason,
		});
	});
});

describe('docs/provider-apis.md §8.3 (every spelling Check365 recognises)', () => {
	const cases = providerTokenCases('### §8.3 Check365');
	const shared = sharedAliases();

	it('has the rows the tests run', () => {
		expect(cases.length).toBeGreaterThan(20);
	});

	it.each(cases.map((token) => [token.spelling, token.with, token]))(
		'%p with %p maps as the table says',
		(_spelling, _with, token) => {
			const normalized = result({ status: token.spelling, ...token.with });
			expect([normalized.verdict, normalized.reason, normalized.providerStatus]).toEqual([
				token.verdict,
				token.reason,
				token.spelling,
			]);
		},
	);

	it.each(ALIASES.map(({ alias }) => alias))('§8.1 spelling %p maps as §8.1 says', (alias) => {
		const normalized = result({ status: alias.replace(/_/g, ' ') });
		const expected = shared.get(spellingKey(alias));
		expect([normalized.verdict, normalized.reason]).toEqual([expected?.verdict, expected?.reason]);
	});
});
