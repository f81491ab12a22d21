import { REDACTED, redactSecrets } from '../../nodes/shared/redact';

const KEY = 'at_abcdefghijklmnopqrstuvwxyz123';

describe('redactSecrets', () => {
	it('removes the exact key wherever it appears, plain and URL-encoded', () => {
		const key = 'k3y+with/slash=';
		const text = `Invalid key ${key}; url ?x=${encodeURIComponent(key)}`;
		const redacted = redactSecrets(text, [key]);
		expect(redacted).not.toContain(key);
		expect(redacted).not.toContain(encodeURIComponent(key));
		expect(redacted).toBe(`Invalid key ${REDACTED}; url ?x=${REDACTED}`);
	});

	it.each([
		['Bouncify query', 'GET https://api.bouncify.io/v1/bulk?job_id=abc&apikey=secret123 failed', 'job_id=abc&apikey=[REDACTED] failed'],
		['Check365 query', '/api/validation/bulk-status?api_key=secret123&job_id=j1', '?api_key=[REDACTED]&job_id=j1'],
		['WhoisXML single query', '/api/v3?apiKey=at_zzz&emailAddress=a@b.c', '?apiKey=[REDACTED]&emailAddress=a@b.c'],
		['HTML-escaped query', '<a href="/v1/bulk?job_id=1&amp;apikey=secret123">', '&amp;apikey=[REDACTED]"'],
		['JSON body field', '{"apiKey": "at_zzz", "ids": [1]}', '{"apiKey": "[REDACTED]", "ids": [1]}'],
		['snake JSON body field', '{"api_key":"secret123","job_id":"x"}', '{"api_key":"[REDACTED]","job_id":"x"}'],
		['bearer header', 'Authorization: Bearer sk_live.abc-123', 'Authorization: Bearer [REDACTED]'],
	])('redacts a key carried as %s even when the key is not known', (_name, text, expected) => {
		const redacted = redactSecrets(text);
		expect(redacted).toContain(expected);
		expect(redacted).not.toMatch(/secret123|at_zzz|sk_live/);
	});

	it('leaves ordinary text alone', () => {
		const text = 'Job not found. Invalid jobId (job_id=r374aki32rnatv868nntpxloc7dkilszc3eu)';
		expect(redactSecrets(text, [KEY])).toBe(text);
	});

	it('does not redact by value a secret too short to be a real key', () => {
		expect(redactSecrets('a 1 in 10', ['1'])).toBe('a 1 in 10');
	});
});
