/**
 * Each credential's `test` run the way n8n runs it (see test/harness/credential-test.ts), against the
 * provider simulators, which check the key exactly where each provider documents it.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { BouncifyApi } from '../credentials/BouncifyApi.credentials';
import { Check365Api } from '../credentials/Check365Api.credentials';
import { SimpleColdApi } from '../credentials/SimpleColdApi.credentials';
import { WhoisXmlApi } from '../credentials/WhoisXmlApi.credentials';
import { PROVIDERS } from '../nodes/shared/providers';
import { loadPackageCredentialTypes, startLoopbackServer, testCredential } from './harness';
import type { AllSimulators, ProviderName } from './simulators';
import type { Simulator } from './simulators';
import { profileOf } from './support/profiles';
import { PROVIDER_NAMES, startSimulators } from './support/providers';

const BAD_KEY = 'revoked-test-key';

/** A credential type's name (`info.credentialType` of a registry provider). */
type CredentialName = string;

const PROVIDER_OF: Record<CredentialName, ProviderName> = Object.fromEntries(
	PROVIDER_NAMES.map((provider) => [PROVIDERS[provider].info.credentialType, provider]),
);

let simulators: AllSimulators;

function simulatorFor(name: CredentialName): Simulator {
	return simulators[PROVIDER_OF[name]];
}

function goodCredential(
	name: CredentialName,
	overrides: Partial<{ apiKey: string; baseUrl: string }> = {},
) {
	return { ...profileOf(PROVIDER_OF[name]).credentialData(simulatorFor(name)), ...overrides };
}

/** The message of the credential's own `responseCode` rule for `status`. */
function ruleMessage(credential: ICredentialType, status: number): string {
	const rule = credential.test?.rules?.find(
		(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
	);
	if (!rule) throw new Error(`${credential.name} has no rule for HTTP ${status}`);
	return String(rule.properties.message);
}

/** Each registry provider's credential class, as the harness loads the package's credentials. */
const CREDENTIALS: Array<[CredentialName, new () => ICredentialType]> = PROVIDER_NAMES.map(
	(provider) => {
		const name = PROVIDERS[provider].info.credentialType;
		return [name, loadPackageCredentialTypes()[name].constructor as new () => ICredentialType];
	},
);

beforeAll(async () => {
	simulators = await startSimulators();
});

afterAll(async () => {
	await simulators.close();
});

describe.each(CREDENTIALS)('%s credential test', (name, CredentialClass) => {
	it('passes with a good key', async () => {
		await expect(testCredential(CredentialClass, goodCredential(name))).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it('fails with a bad key, with the credential’s own message for HTTP 401', async () => {
		await expect(
			testCredential(CredentialClass, goodCredential(name, { apiKey: BAD_KEY })),
		).resolves.toEqual({
			status: 'Error',
			message: ruleMessage(new CredentialClass(), 401),
		});
	});

	it('honours a base URL with a trailing slash', async () => {
		await expect(
			testCredential(
				CredentialClass,
				goodCredential(name, { baseUrl: `${simulatorFor(name).baseUrl}/` }),
			),
		).resolves.toMatchObject({
			status: 'OK',
		});
	});
});

describe('provider specifics', () => {
	it('Check365: a good key asking for a job that does not exist counts as OK (no free key check exists)', async () => {
		const simulator = simulators.check365;
		simulator.clearLog();
		await expect(testCredential(Check365Api, goodCredential('check365Api'))).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const [sent] = simulator.requests;
		expect(sent.status).toBe(404);
		expect(sent.query).toEqual({ job_id: expect.any(String), api_key: simulator.apiKey });
	});

	it('Check365: a server error does not pass for a working key', async () => {
		simulators.check365.inject({ route: 'status', fault: '503' });
		await expect(testCredential(Check365Api, goodCredential('check365Api'))).resolves.toMatchObject(
			{ status: 'Error' },
		);
	});

	it('WhoisXML: the key goes in the JSON body of the list request, next to the paging fields', async () => {
		const simulator = simulators.whoisxml;
		simulator.clearLog();
		await expect(testCredential(WhoisXmlApi, goodCredential('whoisXmlApi'))).resolves.toMatchObject(
			{ status: 'OK' },
		);
		const [sent] = simulator.requests;
		expect(sent.method).toBe('POST');
		expect(sent.query.apiKey).toBeUndefined();
		expect(JSON.parse(sent.bodyText)).toMatchObject({
			apiKey: simulator.apiKey,
			page: 1,
			perPage: 10,
		});
	});

	it('a Bouncify key sent in a header instead of the query fails', async () => {
		class KeyInHeader extends BouncifyApi {
			authenticate = async (
				credentials: ICredentialDataDecryptedObject,
				options: IHttpRequestOptions,
			) => ({
				...options,
				baseURL: String(credentials.baseUrl),
				headers: { ...(options.headers ?? {}), apikey: String(credentials.apiKey) },
			});
		}
		await expect(testCredential(KeyInHeader, goodCredential('bouncifyApi'))).resolves.toMatchObject(
			{ status: 'Error' },
		);
	});

	it('an unreachable base URL fails the test with the network error code', async () => {
		const closed = await startLoopbackServer();
		const url = closed.url;
		await closed.close();
		await expect(
			testCredential(BouncifyApi, goodCredential('bouncifyApi', { baseUrl: url })),
		).resolves.toEqual({
			status: 'Error',
			message: 'ECONNREFUSED',
		});
	});

	it('a base URL that is not http(s) fails the test with the credential’s explanation', async () => {
		const result = await testCredential(
			SimpleColdApi,
			goodCredential('simpleColdApi', { baseUrl: 'ftp://files.example.com' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/http:\/\/ or https:\/\//);
	});
});
