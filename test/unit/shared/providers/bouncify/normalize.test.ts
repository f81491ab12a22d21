// Tests nodes/shared/providers/bouncify/normalize.ts.
import { parseCsv } from '../../../../../nodes/shared/csv/read';
import type { VerdictOptions } from '../../../../../nodes/shared/model/verdict-rules';
import {
	normalizeBouncifyCsvRow,
	normalizeBouncifyJob,
	normalizeBouncifySingleResult,
} from '../../../../../nodes/shared/providers/bouncify/normalize';
import {
	bouncifyCsvColumnsSchema,
	bouncifySingleSchema,
	bouncifyStatusSchema,
} from '../../../../../nodes/shared/providers/bouncify/schemas';
import { ALIASES } from '../../../../../nodes/shared/model/vocabulary';
import { providerTokenCases, sharedAliases, spellingKey } from '../../../../support/doc-tables';
import { JOB_ID, completedBody } from './documented.fixtures';

const preparingBody = {
	job_id: 'r374aki32rnatv868nntpxloc7dkilszc3eu',
	status: 'preparing',
	created_at: '08/13/2021, 9:39:37 AM',
	success: true,
	message: 'Job is being prepared for verification',
};

const readyBody = {
	job_id: 'r374aki32rnatv868nntpxloc7dkilszc3eu',
	status: 'ready',
	created_at: '08/13/2021, 9:39:37 AM',
	total: 2,
	analysis: { common_isp: 1, role_based: 1, disposable: 0, spamtrap: 0, syntax_error: 0 },
	success: true,
	message: 'Job ready for verification. Please begin verification to know the result',
};

const verifyingBody = {
	job_id: 'r374aki32rnatv868nntpxloc7dkilszc3eu',
	status: 'verifying',
	created_at: '08/13/2021, 9:39:37 AM',
	total: 2,
	verified: 1,
	pending: 1,
	analysis: { common_isp: 1, role_based: 1, disposable: 0, spamtrap: 0, syntax_error: 0 },
	results: { deliverable: 1, undeliverable: 0, accept_all: 1, unknown: 0 },
	success: true,
	message: 'Job is being verified',
};

const failedBody = {
	job_id: '565ad4aki32rnqweqaefwdaosjc7dksdaksd',
	status: 'failed',
	created_at: '08/03/2021, 3:35:32 PM',
	total: 0,
	success: true,
	message: 'Unable to process your job, The uploaded list contains invalid data',
};

const cancelledBody = {
	job_id: 'asdfcqkahs37e2137wh273yhen283ye0js23',
	status: 'cancelled',
	created_at: '08/05/2021, 12:07:21 PM',
	total: 4,
	success: true,
	message: 'Job is cancelled',
};

function job(body: unknown, context: { jobId?: string; autoVerify?: boolean } = {}) {
	return normalizeBouncifyJob(bouncifyStatusSchema.parse(body), { jobId: JOB_ID, ...context });
}

describe('Bouncify job status', () => {
	it('normalizes the documented completed body', () => {
		expect(job(completedBody)).toStrictEqual({
			provider: 'bouncify',
			jobId: JOB_ID,
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			total: 2,
			processed: 2,
			pending: 0,
			progressPercent: 100,
			counts: { deliverable: 1, undeliverable: 0, risky: 1, unknown: 0 },
			createdAt: '08/13/2021, 9:39:37 AM',
			message:
				'Verification completed successfully. Please download the result using /download endpoint',
			rawStatus: 'completed',
			raw: completedBody,
		});
	});

	it('normalizes the documented preparing body (no counters)', () => {
		expect(job(preparingBody)).toStrictEqual({
			provider: 'bouncify',
			jobId: JOB_ID,
			state: 'queued',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			createdAt: '08/13/2021, 9:39:37 AM',
			message: 'Job is being prepared for verification',
			rawStatus: 'preparing',
			raw: preparingBody,
		});
	});

	it('normalizes the documented ready body as waiting for a start', () => {
		expect(job(readyBody)).toStrictEqual({
			provider: 'bouncify',
			jobId: JOB_ID,
			state: 'queued',
			isTerminal: false,
			awaitingStart: true,
			cancelRequested: false,
			resultsAvailable: false,
			total: 2,
			createdAt: '08/13/2021, 9:39:37 AM',
			message: 'Job ready for verification. Please begin verification to know the result',
			rawStatus: 'ready',
			raw: readyBody,
		});
	});

	it('does not wait for a start when the list was uploaded with auto_verify', () => {
		expect(job(readyBody, { autoVerify: true }).awaitingStart).toBe(false);
	});

	it('normalizes the documented verifying body with progress', () => {
		expect(job(verifyingBody)).toStrictEqual({
			provider: 'bouncify',
			jobId: JOB_ID,
			state: 'processing',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			total: 2,
			processed: 1,
			pending: 1,
			progressPercent: 50,
			counts: { deliverable: 1, undeliverable: 0, risky: 1, unknown: 0 },
			createdAt: '08/13/2021, 9:39:37 AM',
			message: 'Job is being verified',
			rawStatus: 'verifying',
			raw: verifyingBody,
		});
	});

	it('normalizes the documented failed body', () => {
		expect(job(failedBody)).toStrictEqual({
			provider: 'bouncify',
			jobId: '565ad4aki32rnqweqaefwdaosjc7dksdaksd',
			state: 'failed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			total: 0,
			createdAt: '08/03/2021, 3:35:32 PM',
			message: 'Unable to process your job, The uploaded list contains invalid data',
			rawStatus: 'failed',
			raw: failedBody,
		});
	});

	it('normalizes the documented cancelled body', () => {
		expect(job(cancelledBody)).toMatchObject({
			jobId: 'asdfcqkahs37e2137wh273yhen283ye0js23',
			state: 'cancelled',
			isTerminal: true,
			resultsAvailable: false,
			total: 4,
			message: 'Job is cancelled',
		});
	});

	it('keeps an unknown status as unknown, without throwing', () => {
		expect(job({ status: 'paused', success: true })).toMatchObject({
			jobId: JOB_ID,
			state: 'unknown',
			isTerminal: false,
			resultsAvailable: false,
			rawStatus: 'paused',
		});
	});

	it('reads status case-insensitively and counters sent as strings', () => {
		const normalized = job({ status: 'Verifying', total: '10', verified: '4', pending: '6' });
		expect(normalized).toMatchObject({
			state: 'processing',
			total: 10,
			processed: 4,
			pending: 6,
			progressPercent: 40,
		});
	});

	it('puts accept_all counts under unknown when the catch-all rule is off', () => {
		const normalized = normalizeBouncifyJob(
			bouncifyStatusSchema.parse(completedBody),
			{ jobId: JOB_ID },
			{ catchAllAsRisky: false },
		);
		expect(normalized.counts).toEqual({ deliverable: 1, undeliverable: 0, unknown: 1 });
	});
});

// Verbatim from docs/provider-apis.md §1.2.4, plus the user's own columns the docs say are kept.
const documentedCsv = [
	'"Email","Verification Result","Syntax Error","ISP","Role","Disposable","Trap","Verified At"',
	'"info@sample.com","deliverable","N","Y","N","N","N","2021-09-13T06:49:39.280Z"',
	'"support@sample.in","accept-all","N","N","Y","Y","N","2021-09-13T06:49:39.282Z"',
	'',
].join('\n');

/** As the adapter reads a download: columns found once from the header row, then every row by them. */
function csvResults(text: string, options?: VerdictOptions) {
	const csv = parseCsv(text);
	const columns = bouncifyCsvColumnsSchema.parse(csv.headers);
	return csv.rows.map((row) => normalizeBouncifyCsvRow(row, columns, options));
}

describe('Bouncify result CSV', () => {
	it('normalizes the documented sample', () => {
		const parsed = parseCsv(documentedCsv);
		expect(csvResults(documentedCsv)).toStrictEqual([
			{
				email: 'info@sample.com',
				verdict: 'deliverable',
				reason: 'accepted',
				providerStatus: 'deliverable',
				safeToSend: true,
				flags: { syntaxError: false, free: true, role: false, disposable: false, spamtrap: false },
				verifiedAt: '2021-09-13T06:49:39.280Z',
				raw: parsed.rows[0],
			},
			{
				email: 'support@sample.in',
				verdict: 'risky',
				reason: 'catch_all',
				providerStatus: 'accept-all',
				safeToSend: false,
				flags: {
					syntaxError: false,
					free: false,
					role: true,
					disposable: true,
					spamtrap: false,
					catchAll: true,
				},
				verifiedAt: '2021-09-13T06:49:39.282Z',
				raw: parsed.rows[1],
			},
		]);
	});

	it('reads columns by name in any order and keeps the user columns as extra', () => {
		const text =
			'firstname,Verified At,TRAP,email,verification_result,Role,ISP,Disposable,Syntax Error,lastname\nJohn,2021-09-13T06:49:39.280Z,0,john@x.io,undeliverable,0,1,0,1,Doe\n';
		const [result] = csvResults(text);
		expect(result).toMatchObject({
			email: 'john@x.io',
			verdict: 'undeliverable',
			reason: 'invalid_syntax',
			flags: { syntaxError: true, free: true, role: false, disposable: false, spamtrap: false },
			extra: { firstname: 'John', lastname: 'Doe' },
		});
	});

	it.each([
		['deliverable', 'N', 'N', 'deliverable', 'accepted'],
		['deliverable', 'N', 'Y', 'deliverable', 'spamtrap'],
		['undeliverable', 'N', 'N', 'undeliverable', 'mailbox_not_found'],
		['undeliverable', 'Y', 'N', 'undeliverable', 'invalid_syntax'],
		['accept-all', 'N', 'N', 'risky', 'catch_all'],
		['accept_all', 'N', 'N', 'risky', 'catch_all'],
		['accept all', 'N', 'N', 'risky', 'catch_all'],
		['Accept-All', 'N', 'N', 'risky', 'catch_all'],
		['unknown', 'N', 'N', 'unknown', 'unverifiable'],
		['greylisted', 'N', 'N', 'unknown', 'other'],
		['', 'N', 'N', 'unknown', 'other'],
	])('maps %p (syntax %s, trap %s) to %s / %s', (native, syntax, trap, verdict, reason) => {
		const [result] = csvResults(
			`Email,Verification Result,Syntax Error,Trap\na@b.io,${native},${syntax},${trap}\n`,
		);
		expect(result.verdict).toBe(verdict);
		expect(result.reason).toBe(reason);
		expect(result.providerStatus).toBe(native);
	});

	it('never calls a flagged trap safe to send', () => {
		expect(csvResults('Email,Verification Result,Trap\na@b.io,deliverable,Y\n')[0]).toMatchObject({
			verdict: 'deliverable',
			safeToSend: false,
			flags: { spamtrap: true },
		});
	});

	it('makes accept-all unknown when the catch-all rule is off', () => {
		const [result] = csvResults('Email,Verification Result\na@b.io,accept-all\n', {
			catchAllAsRisky: false,
		});
		expect(result).toMatchObject({
			verdict: 'unknown',
			reason: 'catch_all',
			flags: { catchAll: true },
		});
	});

	it('leaves flags of missing optional columns unreported', () => {
		const [result] = csvResults('Email,Verification Result\na@b.io,deliverable\n');
		expect(result.flags).toStrictEqual({});
		expect(result).not.toHaveProperty('verifiedAt');
		expect(result).not.toHaveProperty('extra');
	});

	it('accepts 1/0 and true/false flag values', () => {
		const [result] = csvResults('Email,Verification Result,Role,ISP\na@b.io,deliverable,1,false\n');
		expect(result.flags).toStrictEqual({ role: true, free: false });
	});

	it('normalizes rows one by one with resolved columns', () => {
		const columns = bouncifyCsvColumnsSchema.parse(['Email', 'Verification Result', 'Note']);
		expect(
			normalizeBouncifyCsvRow(
				{ Email: ' a@b.io ', 'Verification Result': 'unknown', Note: 'n' },
				columns,
			),
		).toMatchObject({
			email: 'a@b.io',
			verdict: 'unknown',
			extra: { Note: 'n' },
		});
	});
});

// Verbatim from docs/provider-apis.md §1.2.6.
const singleBody = {
	result: 'deliverable',
	message: 'This address can receive emails.',
	email: 'support@bouncify.io',
	user: 'support',
	domain: 'bouncify.io',
	accept_all: 2,
	role: 1,
	free_email: 0,
	disposable: 0,
	spamtrap: 0,
	success: true,
};

describe('Bouncify single verify', () => {
	it('normalizes the documented body (accept_all 2 stays unreported)', () => {
		expect(normalizeBouncifySingleResult(bouncifySingleSchema.parse(singleBody))).toStrictEqual({
			email: 'support@bouncify.io',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'deliverable',
			providerReason: 'This address can receive emails.',
			safeToSend: true,
			flags: { role: true, free: false, disposable: false, spamtrap: false },
			raw: singleBody,
		});
	});

	it.each([
		['accept all', 'risky', 'catch_all'],
		['accept-all', 'risky', 'catch_all'],
		['accept_all', 'risky', 'catch_all'],
		['undeliverable', 'undeliverable', 'mailbox_not_found'],
		['unknown', 'unknown', 'unverifiable'],
		['timeout', 'unknown', 'other'],
	])('maps result %p to %s / %s', (native, verdict, reason) => {
		const result = normalizeBouncifySingleResult(
			bouncifySingleSchema.parse({ ...singleBody, result: native }),
		);
		expect(result).toMatchObject({ verdict, reason, providerStatus: native });
	});

	it('upgrades unknown on a catch-all host (accept_all 1) to risky', () => {
		const result = normalizeBouncifySingleResult(
			bouncifySingleSchema.parse({ ...singleBody, result: 'unknown', accept_all: 1 }),
		);
		expect(result).toMatchObject({
			verdict: 'risky',
			reason: 'catch_all',
			flags: { catchAll: true },
		});
	});

	it('reads accept_all 0 as not catch-all', () => {
		const result = normalizeBouncifySingleResult(
			bouncifySingleSchema.parse({ ...singleBody, accept_all: 0 }),
		);
		expect(result.flags.catchAll).toBe(false);
	});

	it('parses a body without the optional flags', () => {
		const result = normalizeBouncifySingleResult(
			bouncifySingleSchema.parse({ result: 'deliverable', email: 'a@b.io' }),
		);
		expect(result).toStrictEqual({
			email: 'a@b.io',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'deliverable',
			safeToSend: true,
			flags: {},
			raw: { result: 'deliverable', email: 'a@b.io' },
		});
	});
});

/** One token as Bouncify sends it: a result-CSV row, or a single-verify body when `accept_all` is given. */
function bouncifyToken(verdict: string, fields: Record<string, string> = {}) {
	if (fields.accept_all !== undefined) {
		return normalizeBouncifySingleResult(
			bouncifySingleSchema.parse({
				result: verdict,
				email: 'a@b.io',
				accept_all: Number(fields.accept_all),
			}),
		);
	}
	const row = {
		Email: 'a@b.io',
		'Verification Result': verdict,
		'Syntax Error': fields['Syntax Error'] ?? 'N',
		Trap: fields.Trap ?? 'N',
	};
	return normalizeBouncifyCsvRow(row, bouncifyCsvColumnsSchema.parse(Object.keys(row)));
}

describe('tokens outside the documented vocabulary (the shared rule, §8.1)', () => {
	it.each([
		['Catch-All', 'risky', 'catch_all', { catchAll: true }],
		['acceptall', 'risky', 'catch_all', { catchAll: true }],
		['Disposable', 'risky', 'disposable', { disposable: true }],
		['role_based', 'risky', 'role', { role: true }],
		['spam-trap', 'undeliverable', 'spamtrap', { spamtrap: true }],
		['unverifiable', 'unknown', 'unverifiable', {}],
		['syntax_error', 'undeliverable', 'invalid_syntax', { syntaxError: true }],
		['ok2', 'unknown', 'other', {}],
	])('CSV result %p → %s / %s, its flag set, the token kept', (token, verdict, reason, flags) => {
		const result = bouncifyToken(token);
		expect(result).toMatchObject({ verdict, reason, providerStatus: token, flags });
	});

	it('a role token overrides a Role column of N: the verdict itself names it', () => {
		const row = { Email: 'a@b.io', 'Verification Result': 'Role', Role: 'N' };
		const result = normalizeBouncifyCsvRow(row, bouncifyCsvColumnsSchema.parse(Object.keys(row)));
		expect(result.flags.role).toBe(true);
	});

	it('documented tokens keep their mapping: undeliverable is never softened', () => {
		expect(bouncifyToken('undeliverable', { 'Syntax Error': 'N' })).toMatchObject({
			verdict: 'undeliverable',
			reason: 'mailbox_not_found',
		});
	});
});

describe('docs/provider-apis.md §8.2 (every spelling Bouncify recognises)', () => {
	const cases = providerTokenCases('### §8.2 Bouncify');
	const shared = sharedAliases();

	it('has the rows the tests run', () => {
		expect(cases.length).toBeGreaterThan(12);
	});

	it.each(cases.map((token) => [token.spelling, token.with, token]))(
		'%p with %p maps as the table says',
		(_spelling, _with, token) => {
			const result = bouncifyToken(token.spelling!, token.with);
			expect([result.verdict, result.reason, result.providerStatus]).toEqual([
				token.verdict,
				token.reason,
				token.spelling,
			]);
		},
	);

	it.each(ALIASES.map(({ alias }) => alias))('§8.1 spelling %p maps as §8.1 says', (alias) => {
		const result = bouncifyToken(alias.toUpperCase().replace(/_/g, '-'));
		const expected = shared.get(spellingKey(alias));
		expect([result.verdict, result.reason]).toEqual([expected?.verdict, expected?.reason]);
	});
});
