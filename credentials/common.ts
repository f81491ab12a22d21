import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
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
 * Reads the credential's base URL and refuses anything but an absolute http(s) URL, so a typo
 * fails with a message that says what to fix instead of an obscure connection error.
 */
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject, defaultUrl: string): string {
	const configured = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	const candidate = configured === '' ? defaultUrl : configured;
	if (!URL.canParse(candidate)) {
		throw new UserError(
			`The credential's Base URL "${candidate}" is not a valid URL. Use an address such as ${defaultUrl}, or clear the field to use the default.`,
		);
	}
	const parsed = new URL(candidate);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UserError(
			`The credential's Base URL must start with http:// or https:// (got "${parsed.protocol}"). Use an address such as ${defaultUrl}.`,
		);
	}
	return candidate.replace(/\/+$/, '');
}

export function apiKeyOf(credentials: ICredentialDataDecryptedObject): string {
	return typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
}

/** Adds `key=value` to the query string without touching the caller's object. */
export function withQueryParam(options: IHttpRequestOptions, key: string, value: string): IHttpRequestOptions {
	return { ...options, qs: { ...(options.qs ?? {}), [key]: value } };
}

/** Adds `key: value` to a JSON object body; other bodies (multipart, buffers) are left alone. */
export function withJsonBodyField(options: IHttpRequestOptions, key: string, value: string): IHttpRequestOptions {
	const body = options.body;
	if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body) || isBinaryBody(body))) {
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
