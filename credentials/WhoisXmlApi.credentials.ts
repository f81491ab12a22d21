import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiKeyOf,
	apiKeyProperty,
	baseUrlProperty,
	redirectRules,
	resolveBaseUrl,
	withJsonBodyField,
	withQueryParam,
} from './common';

export const DEFAULT_BASE_URL = 'https://emailverification.whoisxmlapi.com';

/**
 * WhoisXML's user service, which answers the Account Balance API (docs/provider-apis.md §7) for the
 * same key: the one other host this credential's key goes to. The Base URL steers it: with the default
 * Base URL the balance is read here, with any other (a proxy, the simulators) at that Base URL.
 */
export const USER_SERVICE_URL = 'https://user.whoisxmlapi.com';

/**
 * WhoisXML's bulk API (bevService, all POST) reads `apiKey` from the JSON body; its single-address API
 * (GET /api/v3) and the account balance (GET, on the user service) read it from the query string.
 */
export class WhoisXmlApi implements ICredentialType {
	name = 'whoisXmlApi';

	displayName = 'WhoisXML Email Verification API';

	icon = {
		light: 'file:../icons/bulkVerify.svg',
		dark: 'file:../icons/bulkVerify.dark.svg',
	} as const;

	documentationUrl =
		'https://emailverification.whoisxmlapi.com/bulk-api/documentation/making-requests';

	properties: INodeProperties[] = [
		apiKeyProperty(
			'WhoisXML API',
			'It starts with "at_" and is shown on your WhoisXML API account page.',
		),
		baseUrlProperty(DEFAULT_BASE_URL),
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseURL = resolveBaseUrl(credentials, DEFAULT_BASE_URL);
		const key = apiKeyOf(credentials);
		const options = { ...requestOptions, baseURL };
		const method = (options.method ?? 'GET').toUpperCase();
		return method === 'GET'
			? withQueryParam(options, 'apiKey', key)
			: withJsonBodyField(options, 'apiKey', key);
	}

	// Listing one page of request ids reads account data without verifying (and paying for) anything.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			// Never follow a redirect with the key: a Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
			url: '/api/bevService/request/list',
			method: 'POST',
			body: { page: 1, perPage: 10, onlyIds: true, format: 'json' },
		},
		rules: [
			...redirectRules('WhoisXML API'),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'WhoisXML API rejected the API key. Copy it again from your WhoisXML API account page.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'WhoisXML API refused this key for Email Verification (HTTP 403). Check that the product is enabled for your account.',
				},
			},
		],
	};
}
