// Tests nodes/shared/providers/whoisxml/normalize.ts.
import {
	normalizeWhoisxmlCompletedRow,
	normalizeWhoisxmlFailedRow,
	normalizeWhoisxmlJob,
	normalizeWhoisxmlSingleResult,
} from '../../../../../nodes/shared/providers/whoisxml/normalize';
import {
	whoisxmlCompletedRowSchema,
	whoisxmlCompletedSchema,
	whoisxmlFailedSchema,
	whoisxmlListSchema,
	whoisxmlSingleSchema,
	whoisxmlStatusSchema,
} from '../../../../../nodes/shared/providers/whoisxml/schemas';
import { ALIASES } from '../../../../../nodes/shared/model/vocabulary';
import { providerTokenCases, sharedAliases, spellingKey } from '../../../../support/doc-tables';
import { listBody, singleBody, statusBody } from './documented.fixtures';

// Verbatim from docs/provider-apis.md §4.2.4.
const completedBody = {
	response: [
		{
			emailAddress: 'alex@alex.edu',
			formatCheck: 'true',
			smtpCheck: 'null',
			dnsCheck: 'false',
			freeCheck: 'false',
			disposableCheck: 'false',
			catchAllCheck: 'null',
			result: 'bad',
		},
		{
			emailAddress: 'bob@google.com',
			formatCheck: 'true',
			smtpCheck: 'true',
			dnsCheck: 'true',
			freeCheck: 'false',
			disposableCheck: 'false',
			catchAllCheck: 'true',
			mxRecords: [
				'alt2.aspmx.l.google.com',
				'alt3.aspmx.l.google.com',
				'alt4.aspmx.l.google.com',
				'aspmx.l.google.com',
				'alt1.aspmx.l.google.com',
			],
			result: 'unknown',
		},
		{
			emailAddress: 'mila@yahoo.com',
			formatCheck: 'true',
			smtpCheck: 'true',
			dnsCheck: 'true',
			freeCheck: 'true',
			disposableCheck: 'false',
			catchAllCheck: 'true',
			mxRecords: ['mta6.am0.yahoodns.net', 'mta5.am0.yahoodns.net', 'mta7.am0.yahoodns.net'],
			result: 'unknown',
		},
	],
};

function jobRow(row: Record<string, unknown>) {
	return normalizeWhoisxmlJob(
		whoisxmlStatusSchema.parse({ response: [{ id: 7, ...row }] }).response[0],
	);
}

function completedRow(row: Record<string, unknown>) {
	return normalizeWhoisxmlCompletedRow(
		whoisxmlCompletedRowSchema.parse({ emailAddress: 'a@b.io', ...row }),
	);
}

describe('WhoisXML job status', () => {
	it('normalizes the documented status body', () => {
		const jobs = whoisxmlStatusSchema.parse(statusBody).response.map(normalizeWhoisxmlJob);
		expect(jobs.map((job) => job.jobId)).toEqual(['544', '595', '596']);
		expect(jobs[0]).toStrictEqual({
			provider: 'whoisxml',
			jobId: '544',
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			total: 500,
			processed: 500,
			pending: 0,
			progressPercent: 100,
			counts: { invalid: 0, failed: 0 },
			createdAt: '2018-06-05T13:18:22.000Z',
			rawStatus: 1,
			raw: statusBody.response[0],
		});
	});

	it('normalizes the documented list body', () => {
		const list = whoisxmlListSchema.parse(listBody).response;
		expect(list).toMatchObject({ current_page: 1, last_page: 1, total: 3 });
		expect(normalizeWhoisxmlJob(list.data[0])).toMatchObject({
			jobId: '596',
			state: 'completed',
			total: 3,
			processed: 3,
		});
	});

	it('counts invalid and failed addresses as finished (SDK fixture: 3 = 2 processed + 1 invalid)', () => {
		expect(
			jobRow({
				date_start: '1528377253',
				date_end: '1528377300',
				total_emails: 3,
				invalid_emails: 1,
				processed_emails: 2,
				failed_emails: 0,
				ready: 1,
			}),
		).toStrictEqual({
			provider: 'whoisxml',
			jobId: '7',
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			total: 3,
			processed: 3,
			pending: 0,
			progressPercent: 100,
			counts: { invalid: 1, failed: 0 },
			createdAt: '2018-06-07T13:14:13.000Z',
			updatedAt: '2018-06-07T13:15:00.000Z',
			rawStatus: 1,
			raw: {
				id: 7,
				date_start: '1528377253',
				date_end: '1528377300',
				total_emails: 3,
				invalid_emails: 1,
				processed_emails: 2,
				failed_emails: 0,
				ready: 1,
			},
		});
	});

	it('is queued while nothing is finished and processing afterwards, with progress', () => {
		expect(
			jobRow({
				total_emails: 10,
				processed_emails: 0,
				invalid_emails: 0,
				failed_emails: 0,
				ready: 0,
			}),
		).toMatchObject({
			state: 'queued',
			isTerminal: false,
			resultsAvailable: false,
			progressPercent: 0,
			pending: 10,
		});
		expect(
			jobRow({
				total_emails: 10,
				processed_emails: 3,
				invalid_emails: 1,
				failed_emails: 1,
				ready: 0,
			}),
		).toMatchObject({
			state: 'processing',
			processed: 5,
			pending: 5,
			progressPercent: 50,
			counts: { invalid: 1, failed: 1 },
		});
		expect(jobRow({ ready: '0' })).toMatchObject({ state: 'queued', rawStatus: '0' });
	});

	it('reads ready sent as a string or boolean', () => {
		expect(jobRow({ id: '12', ready: '1' })).toMatchObject({
			jobId: '12',
			state: 'completed',
			rawStatus: '1',
		});
		expect(jobRow({ ready: true })).toMatchObject({ state: 'completed', rawStatus: 'true' });
	});

	it.each([[2], ['done'], [-1]])('keeps an unknown ready value %p as unknown', (ready) => {
		expect(jobRow({ ready })).toMatchObject({
			state: 'unknown',
			isTerminal: false,
			resultsAvailable: false,
			rawStatus: ready,
		});
	});

	it('caps progress at 100 when the counters overshoot', () => {
		expect(jobRow({ total_emails: 2, processed_emails: 3, ready: 0 })).toMatchObject({
			progressPercent: 100,
			pending: 0,
		});
	});
});

describe('WhoisXML completed rows', () => {
	it('normalizes the documented completed body', () => {
		const rows = whoisxmlCompletedSchema.parse(completedBody).response;
		expect(rows.map((row) => normalizeWhoisxmlCompletedRow(row))).toStrictEqual([
			{
				email: 'alex@alex.edu',
				verdict: 'undeliverable',
				reason: 'invalid_domain',
				providerStatus: 'bad',
				safeToSend: false,
				flags: { syntaxError: false, free: false, disposable: false, hasMx: false },
				raw: completedBody.response[0],
			},
			{
				email: 'bob@google.com',
				verdict: 'risky',
				reason: 'catch_all',
				providerStatus: 'unknown',
				safeToSend: false,
				flags: { syntaxError: false, free: false, disposable: false, catchAll: true, hasMx: true },
				mxRecords: completedBody.response[1].mxRecords,
				raw: completedBody.response[1],
			},
			{
				email: 'mila@yahoo.com',
				verdict: 'risky',
				reason: 'catch_all',
				providerStatus: 'unknown',
				safeToSend: false,
				flags: { syntaxError: false, free: true, disposable: false, catchAll: true, hasMx: true },
				mxRecords: completedBody.response[2].mxRecords,
				raw: completedBody.response[2],
			},
		]);
	});

	it.each([
		['good', {}, 'deliverable', 'accepted'],
		['bad', { formatCheck: 'false' }, 'undeliverable', 'invalid_syntax'],
		['bad', { dnsCheck: 'false' }, 'undeliverable', 'invalid_domain'],
		['bad', { smtpCheck: 'false' }, 'undeliverable', 'smtp_rejected'],
		['bad', { smtpCheck: 'true' }, 'undeliverable', 'other'],
		['bad', {}, 'undeliverable', 'other'],
		['smtp-failed', {}, 'undeliverable', 'smtp_rejected'],
		['unknown', {}, 'unknown', 'unverifiable'],
		['unknown', { catchAllCheck: 'true', smtpCheck: 'null' }, 'risky', 'catch_all'],
		['unknown', { catchAllCheck: 'true', smtpCheck: 'false' }, 'unknown', 'unverifiable'],
		['unknown', { catchAllCheck: 'false', smtpCheck: 'true' }, 'unknown', 'unverifiable'],
		['Unknown', { catchAllCheck: true, smtpCheck: true }, 'risky', 'catch_all'],
		['excellent', { smtpCheck: 'true' }, 'unknown', 'other'],
	])('result %p with %p → %s / %s', (result, checks, verdict, reason) => {
		expect(completedRow({ result, ...checks })).toMatchObject({
			verdict,
			reason,
			providerStatus: result,
		});
	});

	it('keeps unknown as unknown on a catch-all domain when the catch-all rule is off', () => {
		const row = whoisxmlCompletedRowSchema.parse(completedBody.response[1]);
		expect(normalizeWhoisxmlCompletedRow(row, { catchAllAsRisky: false })).toMatchObject({
			verdict: 'unknown',
			reason: 'catch_all',
		});
	});

	it('falls back to the checks when result is missing', () => {
		expect(
			completedRow({
				formatCheck: 'true',
				dnsCheck: 'true',
				smtpCheck: 'true',
				catchAllCheck: 'false',
			}),
		).toMatchObject({
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: '',
			safeToSend: true,
		});
	});

	it('reads the null MX "." as no MX and drops it from the list', () => {
		expect(completedRow({ result: 'bad', dnsCheck: 'true', mxRecords: ['.'] })).toMatchObject({
			mxRecords: [],
			flags: { hasMx: false },
		});
	});

	it('leaves hasMx unreported when neither MX records nor a DNS failure say anything', () => {
		expect(completedRow({ result: 'unknown' }).flags).toStrictEqual({});
	});
});

describe('WhoisXML failed rows', () => {
	it('normalizes the SDK fixture row as an invalid address', () => {
		const body = { response: [{ error: 'Invalid format', emailAddress: 'foo.bar' }] };
		const [row] = whoisxmlFailedSchema.parse(body).response;
		expect(normalizeWhoisxmlFailedRow(row)).toStrictEqual({
			email: 'foo.bar',
			verdict: 'undeliverable',
			reason: 'invalid_syntax',
			providerStatus: 'failed',
			providerReason: 'Invalid format',
			safeToSend: false,
			flags: { syntaxError: true },
			raw: body.response[0],
		});
	});

	it('reads other failures as unknown processing failures', () => {
		const [row] = whoisxmlFailedSchema.parse({
			response: [{ error: 'Timeout', emailAddress: 'a@b.io' }, { emailAddress: 'c@d.io' }],
		}).response;
		expect(normalizeWhoisxmlFailedRow(row)).toMatchObject({
			verdict: 'unknown',
			reason: 'processing_failed',
			providerReason: 'Timeout',
			flags: {},
		});
		expect(normalizeWhoisxmlFailedRow({ emailAddress: 'c@d.io' })).toMatchObject({
			verdict: 'unknown',
			reason: 'processing_failed',
		});
	});
});

describe('WhoisXML single v3', () => {
	it('normalizes the documented body', () => {
		expect(normalizeWhoisxmlSingleResult(whoisxmlSingleSchema.parse(singleBody))).toStrictEqual({
			email: 'support@whoisxmlapi.com',
			verdict: 'risky',
			reason: 'catch_all',
			providerStatus: '',
			safeToSend: false,
			flags: { syntaxError: false, free: false, disposable: false, catchAll: true, hasMx: true },
			mxRecords: ['aspmx.l.google.com'],
			verifiedAt: '2023-10-17T06:24:50.012Z',
			raw: singleBody,
		});
	});

	// The §6.2 precedence table, in order: formatCheck false → dnsCheck false → smtpCheck false →
	// (smtp true & catch-all) → smtp true → smtp null/unknown.
	it.each([
		[
			{ formatCheck: 'false', dnsCheck: 'false', smtpCheck: 'false' },
			'undeliverable',
			'invalid_syntax',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'false', smtpCheck: 'false' },
			'undeliverable',
			'invalid_domain',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'false', catchAllCheck: 'true' },
			'undeliverable',
			'smtp_rejected',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'true', catchAllCheck: 'true' },
			'risky',
			'catch_all',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'true', catchAllCheck: 'false' },
			'deliverable',
			'accepted',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'true', catchAllCheck: 'null' },
			'deliverable',
			'accepted',
		],
		[
			{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'null', catchAllCheck: 'true' },
			'unknown',
			'unverifiable',
		],
		[{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: null }, 'unknown', 'unverifiable'],
		[{ formatCheck: true, dnsCheck: true, smtpCheck: true }, 'deliverable', 'accepted'],
		[{ formatCheck: 'true', dnsCheck: 'true', smtpCheck: 'maybe' }, 'unknown', 'unverifiable'],
		[{}, 'unknown', 'unverifiable'],
	])('checks %p → %s / %s', (checks, verdict, reason) => {
		const result = normalizeWhoisxmlSingleResult(
			whoisxmlSingleSchema.parse({ emailAddress: 'a@b.io', ...checks }),
		);
		expect(result).toMatchObject({ verdict, reason });
	});

	it('sets the syntax and MX flags from failed format and DNS checks', () => {
		const result = normalizeWhoisxmlSingleResult(
			whoisxmlSingleSchema.parse({ emailAddress: 'a@b', formatCheck: 'false', dnsCheck: 'false' }),
		);
		expect(result.flags).toStrictEqual({ syntaxError: true, hasMx: false });
	});

	it('parses a body without audit or mxRecords', () => {
		const result = normalizeWhoisxmlSingleResult(
			whoisxmlSingleSchema.parse({ emailAddress: 'a@b.io', smtpCheck: 'true', audit: null }),
		);
		expect(result).not.toHaveProperty('verifiedAt');
		expect(result).not.toHaveProperty('mxRecords');
	});
});

/** Checks that explain nothing (format and DNS fine, SMTP unknown): the token alone decides. */
const NEUTRAL_CHECKS = {
	formatCheck: 'true',
	dnsCheck: 'true',
	smtpCheck: 'null',
	catchAllCheck: 'null',
};

/** A completed row with this `result`, or a failed row when the fields carry an `error`. */
function whoisxmlToken(result: string | undefined, fields: Record<string, string> = {}) {
	if (fields.error !== undefined) {
		const [failed] = whoisxmlFailedSchema.parse({
			response: [{ error: fields.error, emailAddress: 'a@b.io' }],
		}).response;
		return normalizeWhoisxmlFailedRow(failed);
	}
	return completedRow({ ...NEUTRAL_CHECKS, result, ...fields });
}

describe('result tokens outside the documented vocabulary (the shared rule, §8.1)', () => {
	it.each([
		['Catch-All', 'risky', 'catch_all', { catchAll: true }],
		['disposable', 'risky', 'disposable', { disposable: true }],
		['role', 'risky', 'role', { role: true }],
		['spam trap', 'undeliverable', 'spamtrap', { spamtrap: true }],
		['syntax_error', 'undeliverable', 'invalid_syntax', { syntaxError: true }],
		['unverifiable', 'unknown', 'unverifiable', {}],
		['ok2', 'unknown', 'other', {}],
	])('result %p → %s / %s with its flag', (result, verdict, reason, flags) => {
		expect(whoisxmlToken(result)).toMatchObject({
			verdict,
			reason,
			providerStatus: result,
			flags,
		});
	});

	it('an alias of unknown follows the catch-all rule, like unknown itself', () => {
		const catchAll = { smtpCheck: 'true', catchAllCheck: 'true' };
		expect(whoisxmlToken('Unverifiable', catchAll)).toMatchObject({
			verdict: 'risky',
			reason: 'catch_all',
		});
		expect(whoisxmlToken('Unverifiable', { ...catchAll, smtpCheck: 'false' })).toMatchObject({
			verdict: 'unknown',
			reason: 'unverifiable',
		});
		// An unrecognized token is not a native unknown: the rule leaves it alone.
		expect(whoisxmlToken('weird', catchAll)).toMatchObject({ verdict: 'unknown', reason: 'other' });
	});

	it('a failed row whose error names a syntax failure is invalid_syntax', () => {
		expect(whoisxmlToken(undefined, { error: 'Syntax error' })).toMatchObject({
			verdict: 'undeliverable',
			reason: 'invalid_syntax',
			providerStatus: 'failed',
			providerReason: 'Syntax error',
			flags: { syntaxError: true },
		});
		expect(whoisxmlToken(undefined, { error: 'Honeypot' })).toMatchObject({
			verdict: 'unknown',
			reason: 'processing_failed',
		});
	});
});

describe('docs/provider-apis.md §8.5 (every spelling WhoisXML recognises)', () => {
	const cases = providerTokenCases('### §8.5 WhoisXML');
	const shared = sharedAliases();

	it('has the rows the tests run', () => {
		expect(cases.length).toBeGreaterThan(15);
	});

	it.each(cases.map((token) => [token.spelling ?? '(failed row)', token.with, token]))(
		'%p with %p maps as the table says',
		(_spelling, _with, token) => {
			const result = whoisxmlToken(token.spelling, token.with);
			expect([result.verdict, result.reason, result.providerStatus]).toEqual([
				token.verdict,
				token.reason,
				token.spelling ?? 'failed',
			]);
		},
	);

	it.each(ALIASES.map(({ alias }) => alias))('§8.1 spelling %p maps as §8.1 says', (alias) => {
		const result = whoisxmlToken(alias.toUpperCase());
		const expected = shared.get(spellingKey(alias));
		expect([result.verdict, result.reason]).toEqual([expected?.verdict, expected?.reason]);
	});
});
