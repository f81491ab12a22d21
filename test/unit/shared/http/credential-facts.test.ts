// Tests nodes/shared/http/credential-facts.ts: the addresses a credential's requests go to.
import type { CredentialFacts } from '../../../../nodes/shared/http/credential-facts';
import { addressesOf, addressOf, hostsFor } from '../../../../nodes/shared/http/credential-facts';

const PROFILE = {
	defaultBaseUrl: 'https://emailverification.example.com',
	otherHosts: { userService: 'https://user.example.com' },
};

describe('hostsFor', () => {
	it('with the default Base URL, each other host is at its own address', () => {
		expect(hostsFor('https://emailverification.example.com', PROFILE)).toEqual({
			userService: 'https://user.example.com',
		});
		// Case of scheme and host, and a trailing slash, do not make another address.
		expect(hostsFor('HTTPS://EmailVerification.example.com/', PROFILE)).toEqual({
			userService: 'https://user.example.com',
		});
	});

	it('any other Base URL (a proxy, a simulator) steers every host to itself', () => {
		expect(hostsFor('http://127.0.0.1:4104', PROFILE)).toEqual({
			userService: 'http://127.0.0.1:4104',
		});
		expect(hostsFor('https://proxy.example.org/whois', PROFILE)).toEqual({
			userService: 'https://proxy.example.org/whois',
		});
	});

	it('a provider without other hosts has none', () => {
		expect(
			hostsFor('https://api.example.com', { defaultBaseUrl: 'https://api.example.com' }),
		).toEqual({});
	});
});

describe('addressOf and addressesOf', () => {
	const facts: CredentialFacts = {
		secrets: [],
		baseUrl: 'https://emailverification.example.com',
		hosts: { userService: 'https://user.example.com' },
	};

	it('a request goes to the Base URL, or to the host it names', () => {
		expect(addressOf(facts, {})).toBe('https://emailverification.example.com');
		expect(addressOf(facts, { host: 'userService' })).toBe('https://user.example.com');
		expect(() => addressOf(facts, { host: 'elsewhere' })).toThrow('No host "elsewhere"');
	});

	it("the credential's addresses are the Base URL and its hosts, nothing else", () => {
		expect(addressesOf(facts)).toEqual([
			'https://emailverification.example.com',
			'https://user.example.com',
		]);
	});
});
