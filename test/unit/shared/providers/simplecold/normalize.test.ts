// Tests nodes/shared/providers/simplecold/normalize.ts.
import { collectHeaders } from '../../../../../nodes/shared/csv/write';
import { parseCsv } from '../../../../../nodes/shared/csv/read';
import {
	normalizeSimplecoldJob,
	normalizeSimplecoldResult,
	normalizeSimplecoldRow,
	simplecoldUploadedJobId,
} from '../../../../../nodes/shared/providers/simplecold/normalize';
import {
	simplecoldColumnsSchema,
	simplecoldDownloadJsonSchema,
	simplecoldSingleSchema,
	simplecoldStatusSchema,
	simplecoldUploadSchema,
} from '../../../../../nodes/shared/providers/simplecold/schemas';
import { ALIASES } from '../../../../../nodes/shared/model/vocabulary';
import { providerTokenCases, sharedAliases, spellingKey } from '../../../../support/doc-tables';
import { JOB_ID, completedBody } from './documented.fixtures';

// Verbatim from docs/provider-apis.md §3.2.5.
const queuedBody = {
	status: 'SUCCESS',
	payload: {
		id: '550e8400-e29b-41d4-a716-446655440000',
		name: 'emails',
		totalEmails: 1000,
		totalValidEmails: 0,
		totalCreditsUsed: 0,
		status: 'QUEUE',
		createdAt: '2024-01-15T10:30:00Z',
		updatedAt: '2024-01-15T10:30:00Z',
	},
};

const inProgressBody = {
	status: 'SUCCESS',
	payload: {
		id: '550e8400-e29b-41d4-a716-446655440000',
		name: 'emails',
		totalEmails: 1000,
		totalValidEmails: 450,
		totalCreditsUsed: 1000,
		status: 'IN_PROGRESS',
		createdAt: '2024-01-15T10:30:00Z',
		updatedAt: '2024-01-15T10:35:00Z',
	},
};

function job(body: unknown) {
	return normalizeSimplecoldJob(simplecoldStatusSchema.parse(body), { jobId: JOB_ID });
}

function withStatus(status: string) {
	return { status: 'SUCCESS', payload: { ...completedBody.payload, status } };
}

describe('SimpleCold job status', () => {
	it('normalizes the documented queued body', () => {
		expect(job(queuedBody)).toStrictEqual({
			provider: 'simplecold',
			jobId: JOB_ID,
			state: 'queued',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			total: 1000,
			creditsUsed: 0,
			createdAt: '2024-01-15T10:30:00.000Z',
			updatedAt: '2024-01-15T10:30:00.000Z',
			rawStatus: 'QUEUE',
			raw: queuedBody,
		});
	});

	it('normalizes the documented in-progress body without deriving progress', () => {
		expect(job(inProgressBody)).toStrictEqual({
			provider: 'simplecold',
			jobId: JOB_ID,
			state: 'processing',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			total: 1000,
			creditsUsed: 1000,
			createdAt: '2024-01-15T10:30:00.000Z',
			updatedAt: '2024-01-15T10:35:00.000Z',
			rawStatus: 'IN_PROGRESS',
			raw: inProgressBody,
		});
	});

	it('normalizes the documented completed body', () => {
		expect(job(completedBody)).toStrictEqual({
			provider: 'simplecold',
			jobId: JOB_ID,
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			total: 1000,
			progressPercent: 100,
			creditsUsed: 1000,
			createdAt: '2024-01-15T10:30:00.000Z',
			updatedAt: '2024-01-15T10:45:00.000Z',
			rawStatus: 'COMPLETED',
			raw: completedBody,
		});
	});

	it.each([
		['QUEUE', 'queued', false, false, false],
		['IN_PROGRESS', 'processing', false, false, false],
		['COMPLETED', 'completed', true, true, false],
		['FAILED', 'failed', true, false, false],
		['CANCELING', 'processing', false, false, true],
		['CANCELED', 'cancelled', true, false, false],
		['in progress', 'processing', false, false, false],
		['PAUSED', 'unknown', false, false, false],
	])('%s → %s', (status, state, isTerminal, resultsAvailable, cancelRequested) => {
		expect(job(withStatus(status))).toMatchObject({
			state,
			isTerminal,
			resultsAvailable,
			cancelRequested,
			rawStatus: status,
		});
	});

	it('falls back to the requested id and tolerates missing counters', () => {
		expect(job({ status: 'SUCCESS', payload: { status: 'QUEUE' } })).toStrictEqual({
			provider: 'simplecold',
			jobId: JOB_ID,
			state: 'queued',
			isTerminal: false,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: false,
			rawStatus: 'QUEUE',
			raw: { status: 'SUCCESS', payload: { status: 'QUEUE' } },
		});
	});
});

describe('SimpleCold upload', () => {
	it.each([
		[{ id: JOB_ID, status: 'QUEUE' }, JOB_ID],
		[{ jobId: 'abc' }, 'abc'],
		[{ _id: 'def' }, 'def'],
		[{ id: 7 }, '7'],
	])('reads the job id of %p', (payload, expected) => {
		expect(
			simplecoldUploadedJobId(simplecoldUploadSchema.parse({ status: 'SUCCESS', payload })),
		).toBe(expected);
	});
});

// Verbatim from docs/provider-apis.md §3.2.2.
const singleBody = {
	status: 'SUCCESS',
	payload: {
		email: 'user@example.com',
		domain: 'example.com',
		status: 'ok',
		statusMessage: 'Email address is valid and deliverable',
		mxLocation: 'United States',
		siteLocation: 'United States',
		siteLanguage: 'en',
		failType: 'none',
	},
};

describe('SimpleCold single results', () => {
	it('normalizes the documented single body', () => {
		const payload = simplecoldSingleSchema.parse(singleBody).payload;
		expect(normalizeSimplecoldResult(payload)).toStrictEqual({
			email: 'user@example.com',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'ok',
			providerReason: 'Email address is valid and deliverable',
			safeToSend: true,
			flags: { hasMx: true },
			raw: singleBody.payload,
		});
	});

	it.each([
		['ok', 'deliverable', 'accepted'],
		['OK', 'deliverable', 'accepted'],
		['invalid', 'undeliverable', 'mailbox_not_found'],
		['catch_all', 'risky', 'catch_all'],
		['unknown', 'unknown', 'unverifiable'],
		['risky', 'unknown', 'other'],
		['', 'unknown', 'other'],
	])('maps status %p to %s / %s', (status, verdict, reason) => {
		const payload = simplecoldSingleSchema.parse({
			status: 'SUCCESS',
			payload: { ...singleBody.payload, status },
		}).payload;
		expect(normalizeSimplecoldResult(payload)).toMatchObject({
			verdict,
			reason,
			providerStatus: status,
		});
	});

	it('joins a real failType with the status message', () => {
		const payload = {
			email: 'x@y.io',
			status: 'invalid',
			failType: 'mailbox_not_found',
			statusMessage: 'Mailbox does not exist',
		};
		expect(
			normalizeSimplecoldResult(
				simplecoldSingleSchema.parse({ status: 'SUCCESS', payload }).payload,
			),
		).toMatchObject({
			verdict: 'undeliverable',
			providerReason: 'mailbox_not_found: Mailbox does not exist',
		});
	});

	it('leaves hasMx unreported without an MX location and false for an empty one', () => {
		expect(normalizeSimplecoldResult({ email: 'a@b.io', status: 'ok' }).flags).toStrictEqual({});
		expect(
			normalizeSimplecoldResult({ email: 'a@b.io', status: 'ok', mxLocation: '' }).flags,
		).toStrictEqual({ hasMx: false });
	});
});

/** As the adapter reads a download: columns found once from all rows' keys, then every row by them. */
function downloadResults(rows: ReadonlyArray<Record<string, unknown>>) {
	const columns = simplecoldColumnsSchema.parse(collectHeaders(rows));
	return rows.map((row) => normalizeSimplecoldRow(row, columns));
}

describe('SimpleCold downloads', () => {
	it('normalizes CSV rows by name and keeps the user columns as extra', () => {
		const csv = parseCsv(
			'First Name,Email,Status,Status Message,Fail Type,MX Location,Site Location,Site Language\n' +
				'Ann,ann@x.io,ok,Email address is valid and deliverable,none,Germany,Germany,de\n' +
				'Bob,bob@y.io,invalid,No such mailbox,mailbox_not_found,,,\n',
		);
		expect(downloadResults(csv.rows)).toStrictEqual([
			{
				email: 'ann@x.io',
				verdict: 'deliverable',
				reason: 'accepted',
				providerStatus: 'ok',
				providerReason: 'Email address is valid and deliverable',
				safeToSend: true,
				flags: { hasMx: true },
				extra: { 'First Name': 'Ann' },
				raw: csv.rows[0],
			},
			{
				email: 'bob@y.io',
				verdict: 'undeliverable',
				reason: 'mailbox_not_found',
				providerStatus: 'invalid',
				providerReason: 'mailbox_not_found: No such mailbox',
				safeToSend: false,
				flags: { hasMx: false },
				extra: { 'First Name': 'Bob' },
				raw: csv.rows[1],
			},
		]);
	});

	it('accepts JSON rows bare or in the envelope', () => {
		const rows = [{ ...singleBody.payload, company: 'Acme' }];
		const bare = simplecoldDownloadJsonSchema.parse(rows);
		const wrapped = simplecoldDownloadJsonSchema.parse({ status: 'SUCCESS', payload: rows });
		expect(bare).toEqual(rows);
		expect(wrapped).toEqual(rows);
		expect(downloadResults(bare)[0]).toMatchObject({
			email: 'user@example.com',
			verdict: 'deliverable',
			extra: { company: 'Acme' },
		});
	});

	it('normalizes a row with resolved columns, reading numbers as text', () => {
		const columns = simplecoldColumnsSchema.parse(['email', 'status', 'score']);
		expect(
			normalizeSimplecoldRow({ email: 'a@b.io', status: 'weird', score: 7 }, columns),
		).toMatchObject({
			verdict: 'unknown',
			reason: 'other',
			providerStatus: 'weird',
			extra: { score: 7 },
		});
	});
});

function row(status: string | undefined, fields: Record<string, string> = {}) {
	const payload = { email: 'a@b.io', status, ...fields };
	return normalizeSimplecoldResult(
		simplecoldSingleSchema.parse({ status: 'SUCCESS', payload }).payload,
	);
}

describe('statuses and failTypes outside the documented vocabulary (the shared rule, §8.1)', () => {
	it.each([
		['Catch-All', 'risky', 'catch_all', { catchAll: true }],
		['accept_all', 'risky', 'catch_all', { catchAll: true }],
		['disposable', 'risky', 'disposable', { disposable: true }],
		['Role', 'risky', 'role', { role: true }],
		['spam-trap', 'undeliverable', 'spamtrap', { spamtrap: true }],
		['unknown', 'unknown', 'unverifiable', {}],
		['syntax', 'undeliverable', 'invalid_syntax', { syntaxError: true }],
		['ok2', 'unknown', 'other', {}],
		['weird', 'unknown', 'other', {}],
	])('status %p → %s / %s with its flag', (status, verdict, reason, flags) => {
		expect(row(status)).toMatchObject({ verdict, reason, providerStatus: status, flags });
	});

	it.each([
		['syntax', 'invalid_syntax', { syntaxError: true }],
		['Syntax Error', 'invalid_syntax', { syntaxError: true }],
		['spam_trap', 'spamtrap', { spamtrap: true }],
		['none', 'mailbox_not_found', {}],
		['smtp', 'mailbox_not_found', {}],
		['dns', 'mailbox_not_found', {}],
		['catch_all', 'mailbox_not_found', {}],
	])('invalid with failType %p → undeliverable / %s', (failType, reason, flags) => {
		expect(row('invalid', { failType })).toMatchObject({
			verdict: 'undeliverable',
			reason,
			providerStatus: 'invalid',
			flags,
		});
	});

	it('reads failType only to say why an address is invalid: ok and other statuses ignore it', () => {
		expect(row('ok', { failType: 'syntax' })).toMatchObject({ verdict: 'deliverable', flags: {} });
		expect(row('unknown', { failType: 'catch_all' })).toMatchObject({
			verdict: 'unknown',
			reason: 'unverifiable',
			flags: {},
		});
	});

	it('a download row of the simulator shape: invalid / syntax is a syntax failure', () => {
		const columns = simplecoldColumnsSchema.parse(['email', 'status', 'failType', 'mxLocation']);
		expect(
			normalizeSimplecoldRow(
				{ email: 'x@y', status: 'invalid', failType: 'syntax', mxLocation: '' },
				columns,
			),
		).toMatchObject({
			verdict: 'undeliverable',
			reason: 'invalid_syntax',
			providerReason: 'syntax',
			flags: { hasMx: false, syntaxError: true },
		});
	});
});

describe('docs/provider-apis.md §8.4 (every spelling SimpleCold recognises)', () => {
	const cases = providerTokenCases('### §8.4 SimpleCold');
	const shared = sharedAliases();

	it('has the rows the tests run', () => {
		expect(cases.length).toBeGreaterThan(15);
	});

	it.each(cases.map((token) => [token.spelling, token.with, token]))(
		'%p with %p maps as the table says',
		(_spelling, _with, token) => {
			const result = row(token.spelling, token.with);
			expect([result.verdict, result.reason, result.providerStatus]).toEqual([
				token.verdict,
				token.reason,
				token.spelling,
			]);
		},
	);

	it.each(ALIASES.map(({ alias }) => alias))('§8.1 spelling %p maps as §8.1 says', (alias) => {
		const result = row(alias.replace(/_/g, '-'));
		const expected = shared.get(spellingKey(alias));
		expect([result.verdict, result.reason]).toEqual([expected?.verdict, expected?.reason]);
	});
});
