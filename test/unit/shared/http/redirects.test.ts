// Tests nodes/shared/http/redirects.ts.
import { decideRedirect, MAX_REDIRECTS } from '../../../../nodes/shared/http/redirects';

const BASE = 'https://api.example.com/v1';
const get = { method: 'GET', url: `${BASE}/bulk?job_id=1`, idempotent: true, hop: 0 };
const paidPost = { method: 'POST', url: `${BASE}/bulk`, idempotent: false, hop: 0 };
const readPost = { method: 'POST', url: `${BASE}/status`, idempotent: true, hop: 0 };

describe('decideRedirect', () => {
	it.each([301, 302, 303, 307, 308])(
		'%i to another host is not followed, naming only the host',
		(status) => {
			expect(
				decideRedirect(status, 'https://evil.example.net:8443/steal?apikey=secret', get, [BASE]),
			).toEqual({
				follow: false,
				reason: 'crossOrigin',
				targetHost: 'evil.example.net:8443',
			});
		},
	);

	it.each([
		['another port', 'https://api.example.com:8443/v1/bulk'],
		['another scheme', 'http://api.example.com/v1/bulk'],
		['a protocol-relative URL', '//evil.example.net/v1/bulk'],
	])('%s counts as another origin', (_title, location) => {
		expect(decideRedirect(302, location, get, [BASE])).toMatchObject({
			follow: false,
			reason: 'crossOrigin',
		});
	});

	it('a same-origin redirect of a GET is followed, relative locations resolved against the request', () => {
		expect(decideRedirect(302, '/v1/bulk/?job_id=1', get, [BASE])).toEqual({
			follow: true,
			url: 'https://api.example.com/v1/bulk/?job_id=1',
			method: 'GET',
			keepBody: false,
		});
		expect(decideRedirect(301, 'bulk2', get, [BASE])).toMatchObject({
			follow: true,
			url: 'https://api.example.com/v1/bulk2',
		});
	});

	it.each([301, 302, 303, 307, 308])(
		'a paid call is never replayed after a %i, even to the same origin',
		(status) => {
			expect(decideRedirect(status, `${BASE}/bulk2`, paidPost, [BASE])).toMatchObject({
				follow: false,
				reason: 'paidCall',
			});
		},
	);

	it('307/308 of a read-only POST keep method and body; 301/302/303 would turn it into a GET and are refused', () => {
		expect(decideRedirect(307, `${BASE}/status2`, readPost, [BASE])).toEqual({
			follow: true,
			url: `${BASE}/status2`,
			method: 'POST',
			keepBody: true,
		});
		for (const status of [301, 302, 303]) {
			expect(decideRedirect(status, `${BASE}/status2`, readPost, [BASE])).toMatchObject({
				follow: false,
				reason: 'methodChange',
			});
		}
	});

	it("follows to another of the credential's addresses (a host it deliberately serves), and to no other", () => {
		const userService = 'https://user.example.com';
		expect(decideRedirect(302, `${userService}/balance`, get, [BASE, userService])).toMatchObject({
			follow: true,
			url: `${userService}/balance`,
		});
		expect(
			decideRedirect(302, 'https://evil.example.net/balance', get, [BASE, userService]),
		).toEqual({ follow: false, reason: 'crossOrigin', targetHost: 'evil.example.net' });
		// Without the host among the addresses, the same redirect is refused.
		expect(decideRedirect(302, `${userService}/balance`, get, [BASE])).toMatchObject({
			follow: false,
			reason: 'crossOrigin',
		});
	});

	it('stops after MAX_REDIRECTS hops and refuses a redirect without a usable Location', () => {
		expect(decideRedirect(302, `${BASE}/x`, { ...get, hop: MAX_REDIRECTS }, [BASE])).toMatchObject({
			follow: false,
			reason: 'tooMany',
		});
		expect(decideRedirect(302, undefined, get, [BASE])).toEqual({
			follow: false,
			reason: 'noLocation',
		});
		expect(decideRedirect(302, '   ', get, [BASE])).toEqual({
			follow: false,
			reason: 'noLocation',
		});
		expect(decideRedirect(302, 'http://[::1', get, [BASE])).toEqual({
			follow: false,
			reason: 'noLocation',
		});
	});
});
