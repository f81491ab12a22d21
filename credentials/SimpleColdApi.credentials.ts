import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { apiKeyOf, apiKeyProperty, baseUrlProperty, redirectRules, resolveBaseUrl } from './common';

export const DEFAULT_BASE_URL = 'https://api.simplecold.com/api/v1';

/** SimpleCold takes the key as `Authorization: Bearer <key>`. */
export class SimpleColdApi implements ICredentialType {
	name = 'simpleColdApi';

	displayName = 'SimpleCold API';

	icon = {
		light: 'file:../icons/bulkVerify.svg',
		dark: 'file:../icons/bulkVerify.dark.svg',
	} as const;

	documentationUrl = 'https://stsimplecold.com/docs/api-keys/using-api-key';

	properties: INodeProperties[] = [
		apiKeyProperty(
			'SimpleCold',
			'Create it in the SimpleCold dashboard under API Keys; it must be active and not expired.',
		),
		baseUrlProperty(DEFAULT_BASE_URL),
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseURL = resolveBaseUrl(credentials, DEFAULT_BASE_URL);
		return {
			...requestOptions,
			baseURL,
			headers: {
				...(requestOptions.headers ?? {}),
				Authorization: `Bearer ${apiKeyOf(credentials)}`,
			},
		};
	}

	// The documented key-validation call: free, and 401 for a missing, wrong or inactive key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			// Never follow a redirect with the key: a Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
			url: '/api-validation/validate',
			method: 'GET',
		},
		rules: [
			...redirectRules('SimpleCold'),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'SimpleCold rejected the API key. Check that it is copied whole, active and not expired.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'SimpleCold rate limit reached (10 requests per minute per key). Wait a minute and test again.',
				},
			},
		],
	};
}
