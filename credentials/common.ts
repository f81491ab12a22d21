import type {
	ICredentialDataDecryptedObject,
	IAuthenticateRuleResponseCode,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

/** The secret field every provider credential shares: always a password field. */
export function apiKeyProperty(providerName: string, hint: string): INodeProperties {
	return {
		displayName: 'API Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: `Your ${providerName} API key. ${hint}`,
	};
}

/** Optional base URL, so tests, demos and proxies can point the credential elsewhere. */
export function baseUrlProperty(defaultUrl: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: defaultUrl,
		placeholder: `e.g. ${defaultUrl}`,
		description:
			'Where the API lives. Keep the default unless you go through a proxy or a local simulator.',
	};
}

/**
 * Reads the credential's base URL and refuses anything but a plain absolute http(s) address, so a typo
 * fails with a message that says what to fix instead of an obscure connection error or a wrong URL:
 * request paths are appended to it, so a query string, a `#fragment` or a `user:password@` part would
 * end up in the middle of every URL (and a password in the address would travel with every call).
 */
export function resolveBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	defaultUrl: string,
): string {
	const { url, problem } = readBaseUrl(credentials, defaultUrl);
	if (problem !== undefined) {
		throw new UserError(
			`The credential's Base URL ${problem}. Use an address such as ${defaultUrl}, or clear the field to use the default.`,
		);
	}
	return url;
}

/** The credential's Base URL (the default when empty, without trailing slashes) and what is wrong with it. */
export function readBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	defaultUrl: string,
): { url: string; problem?: string } {
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	const candidate = configured === '' ? defaultUrl : configured;
	const problem = baseUrlProblem(candidate);
	return { url: candidate.replace(/\/+$/, ''), ...(problem !== undefined ? { problem } : {}) };
}

/** Why `candidate` cannot be a Base URL (to complete "The credential's Base URL …"), or undefined. */
function baseUrlProblem(candidate: string): string | undefined {
	if (!URL.canParse(candidate)) return `"${candidate.slice(0, 200)}" is not a valid URL`;
	const parsed = new URL(candidate);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return `must start with http:// or https:// (got "${parsed.protocol}")`;
	}
	if (parsed.username !== '' || parsed.password !== '')
		return 'must not contain a user name or password';
	if (parsed.search !== '' || candidate.includes('?'))
		return 'must not contain a query string ("?…")';
	if (parsed.hash !== '' || candidate.includes('#')) return 'must not contain a "#" fragment';
	return undefined;
}

/**
 * Rules for a credential test whose request is sent without following redirects (so the key never
 * goes to the address a redirect names): a Base URL that redirects fails the test, saying why.
 */
export function redirectRules(providerName: string): IAuthenticateRuleResponseCode[] {
	return REDIRECT_STATUSES.map((value) => ({
		type: 'responseCode',
		properties: {
			value,
			message: `The Base URL answers with a redirect (HTTP ${value}), which n8n does not follow with your ${providerName} key. Set the Base URL to the address the provider really serves.`,
		},
	}));
}

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export function apiKeyOf(credentials: ICredentialDataDecryptedObject): string {
	return typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
}

/** Adds `key=value` to the query string without touching the caller's object. */
export function withQueryParam(
	options: IHttpRequestOptions,
	key: string,
	value: string,
): IHttpRequestOptions {
	return { ...options, qs: { ...(options.qs ?? {}), [key]: value } };
}

/** Adds `key: value` to a JSON object body; other bodies (multipart, buffers) are left alone. */
export function withJsonBodyField(
	options: IHttpRequestOptions,
	key: string,
	value: string,
): IHttpRequestOptions {
	const body = options.body;
	if (
		body !== undefined &&
		(typeof body !== 'object' || body === null || Array.isArray(body) || isBinaryBody(body))
	) {
		return options;
	}
	return { ...options, body: { ...((body as Record<string, unknown>) ?? {}), [key]: value } };
}

function isBinaryBody(body: object): boolean {
	return (
		body instanceof URLSearchParams ||
		body instanceof FormData ||
		body instanceof Uint8Array ||
		body instanceof ArrayBuffer
	);
}
