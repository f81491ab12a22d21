// Tests nodes/shared/csv/result-file.ts.
import {
	BASE_COLUMNS,
	flattenResultForCsv,
	rawColumnsOf,
	resultCsvWriter,
	resultFileHeaders,
} from '../../../../nodes/shared/csv/result-file';
import { CsvBytes, collectHeaders, toCsv } from '../../../../nodes/shared/csv/write';
import type { NormalizedEmailResult } from '../../../../nodes/shared/model/result';

describe('flattenResultForCsv', () => {
	const result: NormalizedEmailResult = {
		email: 'bob@google.com',
		verdict: 'risky',
		reason: 'catch_all',
		providerStatus: 'unknown',
		safeToSend: false,
		flags: { catchAll: true, free: false, hasMx: true },
		mxRecords: ['alt1.aspmx.l.google.com', 'aspmx.l.google.com'],
		raw: {
			emailAddress: 'bob@google.com',
			catchAllCheck: 'true',
			score: 3,
			ok: true,
			none: null,
			mxRecords: ['alt1.aspmx.l.google.com'],
			audit: { a: 1 },
		},
	};

	it('writes the normalized columns, then provider and job, then the raw scalars', () => {
		const flat = flattenResultForCsv(result, { provider: 'whoisxml', jobId: '596' });
		expect(flat).toStrictEqual({
			email: 'bob@google.com',
			verdict: 'risky',
			reason: 'catch_all',
			providerStatus: 'unknown',
			providerReason: '',
			safeToSend: 'false',
			risk: '',
			flag_role: '',
			flag_free: 'false',
			flag_disposable: '',
			flag_catchAll: 'true',
			flag_syntaxError: '',
			flag_spamtrap: '',
			flag_hasMx: 'true',
			mxRecords: 'alt1.aspmx.l.google.com;aspmx.l.google.com',
			emailProvider: '',
			verifiedAt: '',
			provider: 'whoisxml',
			jobId: '596',
			raw_emailAddress: 'bob@google.com',
			raw_catchAllCheck: 'true',
			raw_score: '3',
			raw_ok: 'true',
			raw_none: '',
		});
		expect(Object.keys(flat).slice(0, 3)).toEqual(['email', 'verdict', 'reason']);
	});

	it('leaves provider and job out when not given and tolerates a non-object raw', () => {
		const flat = flattenResultForCsv({ ...result, raw: 'text' });
		expect(flat).not.toHaveProperty('provider');
		expect(flat).not.toHaveProperty('jobId');
		expect(Object.keys(flat).some((key) => key.startsWith('raw_'))).toBe(false);
	});
});

/** Results of every shape a file meets: all fields, none, hostile cells, odd raw rows. */
function variedResults(): NormalizedEmailResult[] {
	const proto = Object.create({ inherited: 'no' }) as Record<string, unknown>;
	proto.own = 'yes';
	const withProtoKey: Record<string, unknown> = {};
	Object.defineProperty(withProtoKey, '__proto__', { value: 'x', enumerable: true });
	withProtoKey.after = 'y';
	const hidden: Record<string, unknown> = { Email: 'a@x.io' };
	Object.defineProperty(hidden, 'Secret', { value: 's', enumerable: false });
	return [
		{
			email: '=cmd@x.io',
			verdict: 'risky',
			reason: 'catch_all',
			providerStatus: 'accept-all',
			providerReason: 'Remote host, "accepts" all',
			safeToSend: false,
			risk: 'medium',
			flags: { role: true, free: false, catchAll: true, hasMx: true },
			mxRecords: ['mx1.x.io', 'mx2.x.io'],
			emailProvider: 'Google',
			verifiedAt: '2024-01-15T10:30:00.000Z',
			extra: { name: 'Ann' },
			raw: { Email: '=cmd@x.io', 'Verification Result': 'accept-all', name: 'Lee, "Ann" é😀' },
		},
		{ email: 'b@x.io', verdict: 'unknown', providerStatus: 'x', flags: {}, raw: null },
		{ email: 'c@x.io', verdict: 'deliverable', providerStatus: 'ok', flags: {}, raw: 'text' },
		{ email: 'd@x.io', verdict: 'deliverable', providerStatus: 'ok', flags: {}, raw: ['a', 'b'] },
		{
			email: ' padded@x.io ',
			verdict: 'undeliverable',
			providerStatus: '-1',
			flags: { syntaxError: true },
			raw: { 'Verification Result': 'undeliverable', Email: 'd@x.io', score: 3, nested: { a: 1 } },
		},
		{ email: 'e@x.io', verdict: 'deliverable', providerStatus: 'ok', flags: {}, raw: proto },
		{ email: 'f@x.io', verdict: 'deliverable', providerStatus: 'ok', flags: {}, raw: withProtoKey },
		{ email: 'g@x.io', verdict: 'deliverable', providerStatus: 'ok', flags: {}, raw: hidden },
		{
			email: 'h@x.io',
			verdict: 'deliverable',
			providerStatus: 'ok',
			flags: {},
			raw: { Email: 'h@x.io', 'Verification Result': 'deliverable', name: 'Bo' },
		},
	];
}

describe('resultCsvWriter and resultFileHeaders', () => {
	const results = variedResults();
	const flat = results.map((result, index) =>
		flattenResultForCsv(result, { provider: 'bouncify', jobId: `job,${index % 2}` }),
	);

	it('give the header collectHeaders gives the flattened rows', () => {
		expect(resultFileHeaders(results)).toEqual(collectHeaders(flat));
		expect(resultFileHeaders(results).slice(0, BASE_COLUMNS.length)).toEqual(BASE_COLUMNS);
		expect(resultFileHeaders([])).toEqual([]);
		expect(rawColumnsOf(results[0])).toEqual(['raw_Email', 'raw_Verification Result', 'raw_name']);
	});

	it.each([
		['the file header', () => collectHeaders(flat)],
		['a header in another order', () => [...collectHeaders(flat)].reverse()],
		[
			'the raw columns in another order',
			() => [...BASE_COLUMNS, ...collectHeaders(flat).slice(BASE_COLUMNS.length).reverse()],
		],
		['fewer raw columns than the rows have', () => [...BASE_COLUMNS, 'raw_Email']],
		['a header with columns no row has', () => [...collectHeaders(flat), 'raw_none', 'other']],
		['the base columns only', () => [...BASE_COLUMNS]],
	])('write the lines toCsv writes for the flat rows, with %s', (_name, headersOf) => {
		const headers = headersOf();
		const line = resultCsvWriter(headers);
		const out = new CsvBytes();
		results.forEach((result, index) => line(result, 'bouncify', `job,${index % 2}`, out));
		const expected = toCsv(headers, flat).split('\r\n').slice(1).join('\r\n');
		expect(out.take().toString('utf8')).toBe(expected);
	});
});
