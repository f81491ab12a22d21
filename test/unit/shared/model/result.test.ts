// Tests nodes/shared/model/result.ts.
import { makeNormalizedResult } from '../../../../nodes/shared/model/result';
import { ACCEPTED, UNVERIFIABLE } from '../../../../nodes/shared/model/verdict-rules';

describe('builders', () => {
	it('derives safeToSend from the verdict unless the provider reports it or the address is a trap', () => {
		const base = { email: 'a@b.co', providerStatus: 'x', raw: null };
		expect(makeNormalizedResult({ ...base, outcome: ACCEPTED, flags: {} }).safeToSend).toBe(true);
		expect(makeNormalizedResult({ ...base, outcome: UNVERIFIABLE, flags: {} }).safeToSend).toBe(
			false,
		);
		expect(
			makeNormalizedResult({ ...base, outcome: ACCEPTED, flags: { spamtrap: true } }).safeToSend,
		).toBe(false);
		expect(
			makeNormalizedResult({ ...base, outcome: UNVERIFIABLE, safeToSend: true, flags: {} })
				.safeToSend,
		).toBe(true);
	});

	it('drops unreported flags and an empty extra', () => {
		const result = makeNormalizedResult({
			email: 'a@b.co',
			outcome: ACCEPTED,
			providerStatus: 'ok',
			flags: { role: undefined, free: false },
			extra: {},
			raw: null,
		});
		expect(result).toStrictEqual({
			email: 'a@b.co',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'ok',
			safeToSend: true,
			flags: { free: false },
			raw: null,
		});
	});
});
