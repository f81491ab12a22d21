/**
 * A route on another host of the same credential (ProviderErrorProfile.otherHosts, WhoisXML's user
 * service): through real n8n-core (httpRequestWithAuthentication with the package's WhoisXML
 * credential) and real HTTP. With the credential's default Base URL, the request goes to the host's
 * own address, not to the Base URL n8n's credential sets; a redirect from there may only go to one of
 * the credential's addresses.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { z } from 'zod';

import { DEFAULT_BASE_URL } from '../../../../credentials/WhoisXmlApi.credentials';
import type { ProviderErrorProfile } from '../../../../nodes/shared/http/options';
import { Transport } from '../../../../nodes/shared/http/transport';
import { createExecuteContext } from '../../../harness';
import type { Simulator } from '../../../simulators';
import { startSimulator } from '../../../simulators';
import { FAST_RETRIES } from '../../../support/providers';

let sim: Simulator<'whoisxml'>;

beforeAll(async () => {
	sim = await startSimulator('whoisxml', { clock: 'manual' });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.clearLog();
	sim.clearFaults();
});

/** A transport on the WhoisXML credential left at its default Base URL, whose user service is the simulator. */
async function transport(): Promise<Transport> {
	const ctx = await createExecuteContext({
		credentials: { whoisXmlApi: { apiKey: sim.apiKey, baseUrl: '' } },
	});
	const profile: ProviderErrorProfile = {
		displayName: 'WhoisXML API',
		credentialDisplayName: 'WhoisXML Email Verification API',
		defaultBaseUrl: DEFAULT_BASE_URL,
		otherHosts: { userService: sim.baseUrl },
		extractErrorMessage: () => undefined,
		rateLimitAdvice: 'Slow down.',
	};
	return new Transport(ctx as unknown as IExecuteFunctions, 'whoisXmlApi', profile, FAST_RETRIES);
}

const BALANCE = {
	method: 'GET' as const,
	url: '/user-service/account-balance',
	host: 'userService',
	idempotent: true,
	action: 'read the account balance',
};

it('with the default Base URL, the request goes to the other host, the key where the credential puts it', async () => {
	const body = await (await transport()).json(BALANCE, z.object({ data: z.array(z.unknown()) }));
	expect(body.data).toHaveLength(3);
	expect(sim.requests.map((request) => [request.route, request.path])).toEqual([
		['credits', '/user-service/account-balance'],
	]);
	expect(sim.requests[0].query.apiKey).toBe(sim.apiKey);
});

it('a redirect from that host to an address that is not the credential’s is not followed', async () => {
	sim.inject({ route: 'credits', fault: 'redirect', status: 302, target: 'cross' });
	const failed = await (
		await transport()
	)
		.json(BALANCE, z.object({ data: z.array(z.unknown()) }))
		.catch((error: unknown) => error);
	expect(failed).toBeInstanceOf(NodeApiError);
	expect((failed as NodeApiError).message).toMatch(/so it was not followed$/);
	expect(sim.elsewhere.requests).toHaveLength(0);
});

it('a same-origin redirect on that host is followed (it is one of the credential’s addresses)', async () => {
	sim.inject({ route: 'credits', fault: 'redirect', status: 307, target: 'same' });
	const body = await (await transport()).json(BALANCE, z.object({ data: z.array(z.unknown()) }));
	expect(body.data).toHaveLength(3);
	expect(sim.requests.map((request) => request.route)).toEqual(['credits', 'credits']);
});
