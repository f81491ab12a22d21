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
	withQueryParam,
} from './common';

export const DEFAULT_BASE_URL = 'https://api.bouncify.io/v1';

/** Bouncify wants the key in the `apikey` query parameter of every call. */
export class BouncifyApi implements ICredentialType {
	name = 'bouncifyApi';

	displayName = 'Bouncify API';

	icon = {
		light: 'file:../icons/bulkVerify.svg',
		dark: 'file:../icons/bulkVerify.dark.svg',
	} as const;

	documentationUrl = 'https://bouncify.io/docs/user-guide/api-key';

	properties: INodeProperties[] = [
		apiKeyProperty('Bouncify', 'Create or copy it in the Bouncify dashboard under API.'),
		baseUrlProperty(DEFAULT_BASE_URL),
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseURL = resolveBaseUrl(credentials, DEFAULT_BASE_URL);
		return withQueryParam({ ...requestOptions, baseURL }, 'apikey', apiKeyOf(credentials));
	}

	// GET /info is free and read-only: it returns the remaining credits and 401 for a bad key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			// Never follow a redirect with the key: a Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
			url: '/info',
			method: 'GET',
		},
		rules: [
			...redirectRules('Bouncify'),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Bouncify rejected the API key. Copy it again from the Bouncify dashboard (API section) and check that it is enabled.',
				},
			},
		],
	};
}
