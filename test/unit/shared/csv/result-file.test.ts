// Tests nodes/shared/csv/result-file.ts.
import { flattenResultForCsv } from '../../../../nodes/shared/csv/result-file';
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
