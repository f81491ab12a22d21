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
	REDIRECT_STATUSES,
	redirectRules,
	resolveBaseUrl,
	withJsonBodyField,
	withQueryParam,
} from './common';

export const DEFAULT_BASE_URL = 'https://api.check365.io/api/validation';

/** A job id no real job will have: the credential test asks for its status. */
const CHECK365_CREDENTIAL_TEST_JOB_ID = 'n8n-credential-test-00000000';

/**
 * Check365 reads `api_key` from the query string on reads (bulk-status) and from the JSON body on
 * writes (bulk-upload).
 */
export class Check365Api implements ICredentialType {
	name = 'check365Api';

	displayName = 'Check365 API';

	icon = {
		light: 'file:../icons/bulkVerify.svg',
		dark: 'file:../icons/bulkVerify.dark.svg',
	} as const;

	documentationUrl = 'https://www.check365.io/docs/api-bulk-upload';

	properties: INodeProperties[] = [
		apiKeyProperty(
			'Check365',
			'Check365 documents no free key-check call, so the connection test asks for the status of a job that does not exist: a rejected key fails the test, any other answer passes it. n8n 1.x cannot tell the test which statuses to fail on, so there it passes any key, and the first call reports a rejected one.',
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
		return method === 'GET' || method === 'DELETE'
			? withQueryParam(options, 'api_key', key)
			: withJsonBodyField(options, 'api_key', key);
	}

	// No documented free key check: a status read of a job that cannot exist costs nothing. A rejected
	// key (401/403) or a failing service (5xx) fails the test; a "job not found" answer means the key
	// was accepted. n8n 1.x reads `{ ignore, except }` as "ignore every status" and its rules see the
	// body only, whose shape for a refused key Check365 does not document: there a refused key passes
	// the test and the node's first call (which reads the status itself) names it.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			// Never follow a redirect with the key: a Base URL that redirects fails the test instead.
			disableFollowRedirect: true,
			url: '/bulk-status',
			method: 'GET',
			qs: { job_id: CHECK365_CREDENTIAL_TEST_JOB_ID },
			ignoreHttpStatusErrors: {
				ignore: true,
				except: [...REDIRECT_STATUSES, 401, 403, 500, 502, 503, 504],
			},
		},
		rules: [
			...redirectRules('Check365'),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Check365 rejected the API key. Copy it again from your Check365 account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Check365 refused this API key (HTTP 403). Check that the key is active.',
				},
			},
		],
	};
}
