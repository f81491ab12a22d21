// Tests nodes/shared/http/failure.ts.
import { parseRetryAfter } from '../../../../nodes/shared/http/failure';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-23T10:00:00Z');

	it('reads delay seconds', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
		expect(parseRetryAfter(['7', '9'], now)).toBe(7000);
	});

	it('reads an HTTP date as the time left until it', () => {
		expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Mon, 23 Nov 2026 09:59:00 GMT', now)).toBe(0);
	});

	it('returns undefined when absent or unreadable', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});
